#!/usr/bin/env python3
"""Linalg-on-tensors IR for a workload of the reference mapper.

Reads the Einsums that ref_runner.py --dump-workload prints (the reference's
own parse of its workload YAML) and writes one func.func of linalg.generic
ops that describes the same Einsums, for ffm-opt:

- every rank variable is a loop dimension; its bound is the `< N` of the
  Einsum's or the workload's iteration_space_shape, else the size of a rank
  it indexes directly (rank_sizes);
- an index expression may be a sum of variables with integer coefficients
  (a sliding window, `p1 + r0`, `2*p + r`): the map gets that sum (s*d_p +
  d_r, which ffm-opt models as a window) and the tensor's dimension is the
  extent the sum spans, which must equal the rank's size; a smaller rank
  (a window read past its end: the reference's implicit zero padding) is
  refused, as a pad is an op of its own in linalg;
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


def parse_bound(expr, var_bound):
    """`0 <= v < N`, `v < N` or `v <= N` into var_bound[v]."""
    m = re.fullmatch(r"\s*(?:(\d+)\s*<=\s*)?([A-Za-z_]\w*)\s*(<=?)\s*(\d+)\s*", expr)
    if not m:
        return
    if m.group(1) not in (None, "0"):
        sys.exit(f"einsum_ir: bound {expr!r} does not start at 0")
    var_bound[m.group(2)] = int(m.group(4)) + (1 if m.group(3) == "<=" else 0)


def bounds_of(wl):
    sizes = dict(wl.get("rank_sizes", {}))
    var_bound = {}
    for var, expr in wl.get("iteration_space_shape", {}).items():
        parse_bound(expr, var_bound)
    return sizes, var_bound


def terms_of(expr, where):
    """An index expression as [(variable, coefficient)]: `p`, `p1 + r0`,
    `2*p + r`, `p*2 + 3*r`."""
    terms = []
    for part in expr.split("+"):
        part = part.replace(" ", "")
        m = (re.fullmatch(r"([A-Za-z_]\w*)", part) or re.fullmatch(r"(\d+)\*([A-Za-z_]\w*)", part)
             or re.fullmatch(r"([A-Za-z_]\w*)\*(\d+)", part))
        if not m:
            sys.exit(f"einsum_ir: {where}: index expression {expr!r} is not a sum of variables")
        if len(m.groups()) == 1:
            terms.append((m.group(1), 1))
        elif m.group(1).isdigit():
            terms.append((m.group(2), int(m.group(1))))
        else:
            terms.append((m.group(1), int(m.group(2))))
    if len({v for v, _ in terms}) != len(terms):
        sys.exit(f"einsum_ir: {where}: index expression {expr!r} repeats a variable")
    return terms


def mlir_expr(terms):
    return " + ".join(v if c == 1 else f"{v} * {c}" for v, c in terms)


def emit(wl, name):
    sizes, wl_bound = bounds_of(wl)

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
        where = f"Einsum {e['name']}"
        var_bound = dict(wl_bound)
        for c in e.get("iteration_space_shape", []):
            parse_bound(c, var_bound)
        dims, dim_bound = [], {}
        # Each tensor's projection as (rank, [(variable, coefficient)]).
        projs = {id(t): [(rank, terms_of(x, where)) for rank, x in t["projection"]] for t in ins + [out]}
        for t in ins + [out]:
            for rank, terms in projs[id(t)]:
                for var, _ in terms:
                    if var not in dims:
                        dims.append(var)
        for var in dims:
            if var in var_bound:
                dim_bound[var] = var_bound[var]
                continue
            # The first rank the variable indexes on its own.
            ranks = [rank for t in ins + [out] for rank, terms in projs[id(t)]
                     if len(terms) == 1 and terms[0][0] == var and terms[0][1] == 1]
            if not ranks or ranks[0] not in sizes:
                sys.exit(f"einsum_ir: {where}: no size for variable {var}")
            dim_bound[var] = sizes[ranks[0]]

        def shape_of(t):
            shape = []
            for rank, terms in projs[id(t)]:
                extent = sum(c * (dim_bound[v] - 1) for v, c in terms) + 1
                if len(terms) > 1 and rank in sizes and sizes[rank] != extent:
                    sys.exit(f"einsum_ir: {where}: tensor {t['name']} rank {rank} has size {sizes[rank]} but "
                             f"{mlir_expr(terms)} spans {extent}"
                             + (" (read past its end: the reference's implicit zero padding; in linalg a pad"
                                " is an op of its own)" if sizes[rank] < extent else ""))
                shape.append(extent)
            return shape

        for rank, terms in projs[id(out)]:
            if len(terms) != 1 or terms[0][1] != 1:
                sys.exit(f"einsum_ir: {where}: output index {mlir_expr(terms)} is not a variable")
        out_vars = [v for _, v in out["projection"]]
        # Loop order: the output's variables first, then the reduced ones.
        dims = out_vars + [d for d in dims if d not in out_vars]
        reduced = [d for d in dims if d not in out_vars]
        operands = []
        for t in ins:
            shape = shape_of(t)
            if t["name"] in produced:
                val = produced[t["name"]][0]
                if produced[t["name"]][1] != shape:
                    sys.exit(f"einsum_ir: {where}: reads {t['name']} as {shape}, "
                             f"written as {produced[t['name']][1]}")
            elif t["name"] in arg_of:
                val = arg_of[t["name"]]
            else:
                val = f"%{re.sub(r'[^A-Za-z0-9_]', '_', t['name'])}"
                arg_of[t["name"]] = val
                args.append((val, shape))
            operands.append((val, shape, [mlir_expr(terms) for _, terms in projs[id(t)]]))
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
