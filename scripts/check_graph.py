#!/usr/bin/env python3
"""Checks that the Einsum graph of a linalg file is complete and connected.

  check_graph.py FFM_OPT FILE.mlir [--input argN]

Complete: one Einsum per linalg op except fills (which only initialise).
Connected: every matmul/batch_matmul is reachable along producer->consumer
edges from the Einsums that read the block input (by default the first
tensor the first Einsum reads), and the graph is weakly connected.
"""
import re
import subprocess
import sys
from collections import defaultdict


def main():
    ffm_opt, path = sys.argv[1], sys.argv[2]
    block_input = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--input" else None
    src = open(path).read()
    ops = re.findall(r"=\s*linalg\.([a-z_]+)", src)
    expected = [o for o in ops if o != "fill"]
    out = subprocess.run([ffm_opt, "--ffm-einsum-graph", path, "-o", "/dev/null"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ffm-einsum-graph failed:\n{out.stderr}")
    einsums = re.findall(r"^  einsum (\S+) \((\S+)\) ranks \{[^}]*\}: (.*)$", out.stdout, re.M)
    edges = re.findall(r"^  edge (\S+) -> (\S+) via", out.stdout, re.M)
    if len(einsums) != len(expected):
        sys.exit(f"FAIL: {len(einsums)} einsums for {len(expected)} linalg ops (fills excluded)")
    succ, und = defaultdict(set), defaultdict(set)
    for p, c in edges:
        succ[p].add(c)
        und[p].add(c)
        und[c].add(p)
    names = [e[0] for e in einsums]
    if block_input is None:
        block_input = re.findall(r"\s(\S+?)\[", einsums[0][2].split("+=")[-1].split("=")[-1])[0]
    start = [n for n, _, body in einsums
             if re.search(r"(^|\s)" + re.escape(block_input) + r"(\.v\d+)?\[", body.split("=", 1)[1])]
    seen, todo = set(start), list(start)
    while todo:
        for c in succ[todo.pop()]:
            if c not in seen:
                seen.add(c)
                todo.append(c)
    missing = [n for n, op, _ in einsums if op in ("linalg.matmul", "linalg.batch_matmul") and n not in seen]
    comp, todo = {names[0]}, [names[0]]
    while todo:
        for c in und[todo.pop()]:
            if c not in comp:
                comp.add(c)
                todo.append(c)
    print(f"{len(einsums)} einsums, {len(edges)} edges, block input {block_input} "
          f"feeds {len(start)} einsums, reaches {len(seen)}; weakly connected part: {len(comp)}")
    if missing:
        sys.exit(f"FAIL: matmuls not reachable from {block_input}: {missing}")
    if len(comp) != len(einsums):
        sys.exit(f"FAIL: graph not connected: {sorted(set(names) - comp)}")
    print("OK")


if __name__ == "__main__":
    main()
