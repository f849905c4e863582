#!/usr/bin/env python3
"""Linalg-on-tensors IR for a workload of the reference mapper.

Reads the Einsums that ref_runner.py --dump-workload prints (the reference's
own parse of its workload YAML) and writes one func.func of linalg.generic
ops that describes the same Einsums, for ffm-opt:

- every rank variable is a loop dimension; its bound is the size of the rank
  it indexes (rank_sizes, else the `< N` of iteration_space_shape);
- a tensor is a function argument unless an Einsum writes it; a written
  tensor no later Einsum reads is returned;
- two inputs: out += a * b (out = a * b when no variable is reduced);
  one input: a copy (copy operations) or an elementwise exp (the reference
  models such an Einsum, e.g. its one-op softmax, by its iteration space
  only; exp is what the softmax computes elementwise); a reduction sums.

  einsum_ir.py WORKLOAD.json [--name NAME] > out.mlir
"""
import argparse
import json
import re
import sys

ELEM = "f32"


def ty(shape):
    return "tensor<" + "x".join(str(s) for s in shape) + f"x{ELEM}>"


def bounds_of(wl):
    sizes = dict(wl.get("rank_sizes", {}))
    var_bound = {}
    for var, expr in wl.get("iteration_space_shape", {}).items():
        m = re.search(r"<\s*(\d+)\s*$", expr.strip())
        if m:
            var_bound[var] = int(m.group(1))
        m = re.search(r"<=\s*(\d+)\s*$", expr.strip())
        if m:
            var_bound[var] = int(m.group(1)) + 1
    return sizes, var_bound


def emit(wl, name):
    sizes, var_bound = bounds_of(wl)

    def bound(rank, var):
        if var in var_bound:
            return var_bound[var]
        if rank in sizes:
            return sizes[rank]
        sys.exit(f"einsum_ir: no size for rank {rank} / variable {var}")

    produced = {}   # tensor -> (ssa value, shape)
    args = []       # (ssa, shape)
    arg_of = {}
    lines = []
    n = [0]

    def fresh(h):
        n[0] += 1
        return f"%{h}{n[0]}"

    last_read = {}
    for i, e in enumerate(wl["einsums"]):
        for t in e["tensors"]:
            if not t["output"]:
                last_read[t["name"]] = i

    for i, e in enumerate(wl["einsums"]):
        ins = [t for t in e["tensors"] if not t["output"]]
        outs = [t for t in e["tensors"] if t["output"]]
        if len(outs) != 1 or not 1 <= len(ins) <= 2:
            sys.exit(f"einsum_ir: Einsum {e['name']}: {len(ins)} inputs, {len(outs)} outputs")
        out = outs[0]
        dims, dim_bound = [], {}
        for t in ins + [out]:
            for rank, var in t["projection"]:
                if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
                    sys.exit(f"einsum_ir: Einsum {e['name']}: index expression {var!r} is not a variable")
                if var not in dim_bound:
                    dims.append(var)
                    dim_bound[var] = bound(rank, var)
        out_vars = [v for _, v in out["projection"]]
        # Loop order: the output's variables first, then the reduced ones.
        dims = out_vars + [d for d in dims if d not in out_vars]
        reduced = [d for d in dims if d not in out_vars]
        operands = []
        for t in ins:
            shape = [dim_bound[v] for _, v in t["projection"]]
            if t["name"] in produced:
                val = produced[t["name"]][0]
            elif t["name"] in arg_of:
                val = arg_of[t["name"]]
            else:
                val = f"%{re.sub(r'[^A-Za-z0-9_]', '_', t['name'])}"
                arg_of[t["name"]] = val
                args.append((val, shape))
            operands.append((val, shape, [v for _, v in t["projection"]]))
        out_shape = [dim_bound[v] for v in out_vars]
        init = fresh("e")
        lines.append(f"    {init} = tensor.empty() : {ty(out_shape)}")
        if reduced:
            z, f = fresh("z"), fresh("f")
            lines.append(f"    {z} = arith.constant 0.0 : {ELEM}")
            lines.append(f"    {f} = linalg.fill ins({z} : {ELEM}) outs({init} : {ty(out_shape)}) -> {ty(out_shape)}")
            init = f
        dl = ", ".join(dims)
        maps = [o[2] for o in operands] + [out_vars]
        amaps = ", ".join(f"affine_map<({dl}) -> ({', '.join(m)})>" for m in maps)
        its = ", ".join('"reduction"' if d in reduced else '"parallel"' for d in dims)
        res = fresh("v")
        lines.append(f"    // Einsum {e['name']}")
        lines.append(f"    {res} = linalg.generic {{indexing_maps = [{amaps}], iterator_types = [{its}]}}")
        lines.append(f"        ins({', '.join(o[0] for o in operands)} : {', '.join(ty(o[1]) for o in operands)})"
                     f" outs({init} : {ty(out_shape)}) {{")
        bargs = [f"%a{k}" for k in range(len(operands))] + ["%acc"]
        lines.append("    ^bb0(" + ", ".join(f"{b}: {ELEM}" for b in bargs) + "):")
        if len(operands) == 2:
            lines.append(f"      %p = arith.mulf %a0, %a1 : {ELEM}")
            if reduced:
                lines.append(f"      %s = arith.addf %acc, %p : {ELEM}")
                lines.append(f"      linalg.yield %s : {ELEM}")
            else:
                lines.append(f"      linalg.yield %p : {ELEM}")
        elif reduced:
            lines.append(f"      %s = arith.addf %acc, %a0 : {ELEM}")
            lines.append(f"      linalg.yield %s : {ELEM}")
        elif e.get("copy"):
            lines.append(f"      linalg.yield %a0 : {ELEM}")
        else:
            lines.append(f"      %x = math.exp %a0 : {ELEM}")
            lines.append(f"      linalg.yield %x : {ELEM}")
        lines.append(f"    }} -> {ty(out_shape)}")
        produced[out["name"]] = (res, out_shape)

    results = [(v, s) for t, (v, s) in produced.items() if last_read.get(t, -1) < 0 or
               last_read[t] < [k for k, e in enumerate(wl["einsums"])
                               if any(x["output"] and x["name"] == t for x in e["tensors"])][0]]
    sig = ", ".join(f"{v}: {ty(s)}" for v, s in args)
    rty = ", ".join(ty(s) for _, s in results)
    if len(results) > 1:
        rty = f"({rty})"
    return "\n".join([f"// Generated by bench/peer/einsum_ir.py from the reference's parsed workload",
                      "module {", f"  func.func @{name}({sig}) -> {rty} {{"] + lines +
                     [f"    return {', '.join(v for v, _ in results)} : {', '.join(ty(s) for _, s in results)}",
                      "  }", "}", ""])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workload_json")
    ap.add_argument("--name", default="workload")
    a = ap.parse_args()
    with open(a.workload_json) as f:
        text = f.read().strip().splitlines()[-1]
    sys.stdout.write(emit(json.loads(text), a.name))


if __name__ == "__main__":
    main()
