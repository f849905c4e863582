#!/usr/bin/env python3
"""Checks that --ffm-fuse preserves what a function computes.

  run_equivalence.py --ffm-opt BIN --runner BIN --lib-dir DIR FILE.mlir
                     [--fuse "arch-file=... objective=..."] [--func NAME]
                     [--rtol 1e-4] [--atol 1e-5] [--plugin PLUGIN.so]
                     [--runtime-dims 24,7]

Both the original and the --ffm-fuse output get the same @main driver
(deterministic inputs, a call, one print per result), are lowered with
--ffm-lower-to-llvm and run with mlir-runner; the printed numbers must agree
within the tolerances (float sums are reassociated by tiling).
"""
import argparse
import math
import re
import subprocess
import sys

PRINT = {"f32": "printMemrefF32", "f64": "printMemrefF64", "i64": "printMemrefI64",
         "i32": "printMemrefI32"}
# Types the runtime cannot print, widened elementwise first (exactly).
WIDEN = {"f16": ("f32", "arith.extf"), "bf16": ("f32", "arith.extf"),
         "i8": ("i32", "arith.extsi"), "i16": ("i32", "arith.extsi"),
         "i1": ("i32", "arith.extui")}


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd[:3])} ...\n{p.stderr[-4000:]}")
    return p.stdout


def shape_of(t):
    """The extents ('?' where dynamic) and element type of tensor type `t`,
    or None when it is no ranked tensor of one element type."""
    m = re.fullmatch(r"tensor<((?:(?:\d+|\?)x)*)(\w+)>", t.strip())
    if not m:
        return None
    return [d for d in m.group(1).split("x") if d], m.group(2)


def identity(rank):
    """The identity indexing map and all-parallel iterators of a rank."""
    ids = ", ".join(f"d{d}" for d in range(rank))
    return f"affine_map<({ids}) -> ({ids})>", ", ".join(['"parallel"'] * rank)


def parse_tensor(t, runtime=None):
    """Static dims and element type of `t`; a dynamic dim takes the next of
    `runtime` (the sizes the driver runs at)."""
    shape = shape_of(t)
    if not shape:
        sys.exit(f"unsupported argument type {t}")
    dims = []
    for d in shape[0]:
        if d == "?":
            if not runtime:
                sys.exit(f"argument type {t} is dynamic: give --runtime-dims")
            dims.append(runtime.pop(0))
        else:
            dims.append(int(d))
    return dims, shape[1]


def split_types(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [c.strip() for c in out]


def harness(text, func, runtime=()):
    m = re.search(r"func\.func @" + re.escape(func) + r"\((.*?)\)\s*(?:->\s*(.*?))?\s*(?:attributes|\{)", text)
    if not m:
        sys.exit(f"function @{func} not found")
    args = [a.split(":", 1)[1] for a in split_types(m.group(1))]
    results = m.group(2) or ""
    results = results.strip()
    if results.startswith("("):
        results = results[1:-1]
    results = split_types(results) if results else []
    lines = ["  func.func @main() {"]
    names = []
    runtime = list(runtime)
    for i, t in enumerate(args):
        dims, elt = parse_tensor(t, runtime)
        ty = f"tensor<{''.join(f'{d}x' for d in dims)}{elt}>"
        rank = len(dims)
        strides = [1] * rank
        for d in range(rank - 2, -1, -1):
            strides[d] = strides[d + 1] * dims[d + 1]
        idmap, iters = identity(rank)
        lines.append(f"    %e{i} = tensor.empty() : {ty}")
        lines.append(f"    %a{i} = linalg.generic {{indexing_maps = [{idmap}], iterator_types = [{iters}]}} outs(%e{i} : {ty}) {{")
        lines.append(f"    ^bb0(%o: {elt}):")
        lines.append("      %lin0 = arith.constant 0 : index")
        acc = "%lin0"
        for d in range(rank):
            lines.append(f"      %i{d} = linalg.index {d} : index")
            lines.append(f"      %s{d} = arith.constant {strides[d]} : index")
            lines.append(f"      %m{d} = arith.muli %i{d}, %s{d} : index")
            lines.append(f"      %lin{d + 1} = arith.addi {acc}, %m{d} : index")
            acc = f"%lin{d + 1}"
        lines.append("      %c7 = arith.constant 7 : index")
        lines.append("      %c3 = arith.constant 3 : index")
        lines.append("      %c17 = arith.constant 17 : index")
        lines.append(f"      %t0 = arith.muli {acc}, %c7 : index")
        lines.append("      %t1 = arith.addi %t0, %c3 : index")
        lines.append("      %t2 = arith.remui %t1, %c17 : index")
        lines.append("      %t3 = arith.index_cast %t2 : index to i64")
        if elt.startswith(("f", "bf")):
            lines.append(f"      %t4 = arith.sitofp %t3 : i64 to {elt}")
            lines.append(f"      %c16 = arith.constant 16.0 : {elt}")
            lines.append(f"      %half = arith.constant 0.5 : {elt}")
            lines.append(f"      %t5 = arith.divf %t4, %c16 : {elt}")
            lines.append(f"      %v = arith.subf %t5, %half : {elt}")
        elif elt == "i64":
            lines.append("      %v = arith.addi %t3, %t3 : i64")
        else:
            lines.append(f"      %v = arith.trunci %t3 : i64 to {elt}")
        lines.append(f"      linalg.yield %v : {elt}")
        lines.append(f"    }} -> {ty}")
        if ty != t.strip():
            lines.append(f"    %a{i}d = tensor.cast %a{i} : {ty} to {t.strip()}")
            names.append(f"%a{i}d")
        else:
            names.append(f"%a{i}")
    res = ", ".join(f"%r{j}" for j in range(len(results)))
    call = f"call @{func}({', '.join(names)}) : ({', '.join(a.strip() for a in args)}) -> ({', '.join(results)})"
    lines.append(f"    {res + ' = ' if results else ''}{call}")
    decls = set()
    for j, t in enumerate(results):
        shape = shape_of(t)
        extents, elt = shape if shape else ([], None)
        ty, value = t.strip(), f"%r{j}"
        if elt in WIDEN:
            wide, ext = WIDEN[elt]
            wide_ty = f"tensor<{''.join(e + 'x' for e in extents)}{wide}>"
            same, iters = identity(len(extents))
            # A dynamic dimension of the result sizes the widened one.
            sizes = []
            for d, extent in enumerate(extents):
                if extent == "?":
                    lines.append(f"    %w{j}c{d} = arith.constant {d} : index")
                    lines.append(f"    %w{j}d{d} = tensor.dim %r{j}, %w{j}c{d} : {ty}")
                    sizes.append(f"%w{j}d{d}")
            lines.append(f"    %w{j}init = tensor.empty({', '.join(sizes)}) : {wide_ty}")
            lines.append(f"    %w{j} = linalg.generic {{indexing_maps = [{same}, {same}], "
                         f"iterator_types = [{iters}]}} "
                         f"ins(%r{j} : {ty}) outs(%w{j}init : {wide_ty}) {{")
            lines.append(f"    ^bb0(%in: {elt}, %out: {wide}):")
            lines.append(f"      %x = {ext} %in : {elt} to {wide}")
            lines.append(f"      linalg.yield %x : {wide}")
            lines.append(f"    }} -> {wide_ty}")
            ty, value, elt = wide_ty, f"%w{j}", wide
        mem = ty.replace("tensor<", "memref<")
        fn = PRINT.get(elt)
        if not fn:
            sys.exit(f"cannot print results of type {t}")
        decls.add((fn, elt))
        lines.append(f"    %b{j} = bufferization.to_buffer {value} : {ty} to {mem}")
        lines.append(f"    %u{j} = memref.cast %b{j} : {mem} to memref<*x{elt}>")
        lines.append(f"    call @{fn}(%u{j}) : (memref<*x{elt}>) -> ()")
    lines.append("    return")
    lines.append("  }")
    for fn, elt in sorted(decls):
        lines.append(f"  func.func private @{fn}(memref<*x{elt}>) attributes {{llvm.emit_c_interface}}")
    body = text.rstrip()
    assert body.endswith("}")
    return body[:-1] + "\n".join(lines) + "\n}\n"


def numbers(out):
    vals = []
    empty = False
    for line in out.splitlines():
        if line.startswith("Unranked Memref"):
            # printMemref prints a row of whatever memory lies there for a
            # memref with a zero extent: it holds no numbers.
            sizes = re.search(r"sizes = \[([^\]]*)\]", line)
            empty = bool(sizes) and "0" in [d.strip() for d in sizes.group(1).split(",")]
            continue
        if not empty:
            vals += [float(x) for x in re.findall(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)", line)]
    return vals


def check_rewritten(fused):
    """Fails unless the output is the rewrite: every Einsum is an op on
    buffers, there are loops where a mapping has loops, and every level a
    mapping keeps tiles in but the backing store (one level, in the default
    space) has buffers in its memory space."""
    lines = re.findall(r".*ffm\.einsum = .*", fused)
    if not lines:
        sys.exit("FAIL: the output has no ffm.einsum ops: nothing was mapped")
    levels = set()
    for line in lines:
        name = re.search(r'ffm\.einsum = "([^"]+)"', line).group(1)
        if "memref<" not in line:
            sys.exit(f"FAIL: '{name}' is not rewritten (no op on buffers)")
        m = re.search(r"ffm\.mapping = #ffm\.mapping<\[(.*?)\](?: on \S+)?>", line)
        if not m:
            sys.exit(f"FAIL: '{name}' carries no #ffm.mapping")
        nodes = [n.strip() for n in m.group(1).split(",")]
        if any(n.startswith(("for ", "par ")) for n in nodes) and not re.search(r"scf\.for(all)? ", fused):
            sys.exit(f"FAIL: the mapping of '{name}' has loops, the output none")
        levels |= {k.group(1) for n in nodes for k in [re.match(r"keep .* in (\S+)$", n)] if k}
    missing = sorted(l for l in levels if f'#ffm.level_space<"{l}">' not in fused)
    if len(missing) > 1:
        sys.exit(f"FAIL: the mappings keep tiles in {', '.join(missing)}, the output has no buffers there")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--ffm-opt", required=True)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--fuse", default="")
    ap.add_argument("--func", default=None)
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--plugin", default=None,
                    help="run the rewrite through stock mlir-opt with this plugin")
    ap.add_argument("--mlir-opt", default=None)
    ap.add_argument("--runtime-dims", default="",
                    help="sizes of the dynamic argument dimensions at run time, in order")
    ap.add_argument("--serves-every-size", action="store_true",
                    help="fail if the rewritten body is guarded by the mapped sizes "
                         "(an scf.if carrying ffm.dim_sizes): the rewrite itself must run")
    a = ap.parse_args()
    original = run([a.ffm_opt, a.file])
    found = re.search(r"func\.func @([\w$.]+)", original)
    if not a.func and not found:
        sys.exit(f"FAIL: {a.file} has no func.func to run")
    func = a.func or found.group(1)
    fuse = f"--ffm-fuse={a.fuse}" if a.fuse else "--ffm-fuse"
    if a.plugin:
        pipeline = f"builtin.module(func.func(ffm-fuse{{{a.fuse}}}))"
        fused = run([a.mlir_opt, f"--load-dialect-plugin={a.plugin}",
                     f"--load-pass-plugin={a.plugin}", f"--pass-pipeline={pipeline}", a.file])
    else:
        fused = run([a.ffm_opt, fuse, a.file])
    check_rewritten(fused)
    if a.serves_every_size and re.search(r"^\s*\} \{ffm\.dim_sizes = ", fused, re.M):
        sys.exit("FAIL: the rewritten body runs only at the mapped sizes (scf.if guard)")
    libs = ",".join(f"{a.lib_dir}/lib{n}.so" for n in ["mlir_runner_utils", "mlir_c_runner_utils"])
    outs = []
    for text in (original, fused):
        runtime = [int(d) for d in a.runtime_dims.split(",") if d]
        lowered = run([a.ffm_opt, "--ffm-lower-to-llvm", "-"], harness(text, func, runtime))
        outs.append(run([a.runner, "-e", "main", "-entry-point-result=void", f"-shared-libs={libs}", "-"], lowered))
    x, y = numbers(outs[0]), numbers(outs[1])
    if len(x) != len(y) or "Unranked Memref" not in outs[0]:
        sys.exit(f"FAIL: {len(x)} numbers before, {len(y)} after")
    worst = 0.0
    for u, v in zip(x, y):
        if math.isnan(u) or math.isnan(v):
            sys.exit("FAIL: NaN in the output (%s)" % ("original" if math.isnan(u) else "rewritten"))
        err = abs(u - v)
        if err > a.atol + a.rtol * abs(u):
            sys.exit(f"FAIL: {u} != {v}")
        worst = max(worst, err)
    print(f"OK: {len(x)} numbers agree (max abs diff {worst:.3g}, rtol {a.rtol}, atol {a.atol})")


if __name__ == "__main__":
    main()
