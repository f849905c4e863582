#!/usr/bin/env python3
"""What `node-depths=true` costs and buys, in one run: each case searched
without and with node depths, under the reference's accounting (the Simba
preset's output_rmw line swapped for `accounting: reference`, as
bench/peer/published.py does), EDP with one fused loop per rank and one in
all (the reference's regression settings).

Cases: a 512-cubed matmul on Simba; the GPT-3 6.7B V projection alone
(8192 tokens, D = 4096) on Simba and Eyeriss, as one 2-D matmul and in the
layer's form with the heads split into two ranks (32 x 128); the whole
GPT-3 6.7B prefill layer on Eyeriss. Then the benchmark's GPT-3 layer
(bench/workloads/gpt3_layer.mlir) on the `eyeriss` preset as shipped (its
own `accounting: reference`), each objective with the default fused-loop
limits: what node depths cost where a user would turn them on. `seconds` is the whole ffm-opt run,
the report's unfused baseline search included; a run that does not finish
within its time limit (`time-limit`, which bounds both searches) prints as
not mapped.

  node_depths.py [--ffm-opt PATH] [--limit SECONDS] [--only NAME,...]
                 [--out bench/results/node-depths.txt]
"""
import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "peer"))
from published import SCALE, arch_variant, gpt3_layer  # noqa: E402

REFERENCE = {"accounting": "reference"}


def workload(sizes, einsums):
    return {"rank_sizes": sizes, "iteration_space_shape": {}, "einsums": einsums}


def tensor(name, dims, out=False):
    return {"name": name, "output": out, "projection": [[r, v] for r, v in dims]}


def matmul(m, k, n):
    return workload({"M": m, "K": k, "N": n}, [
        {"name": "MM", "copy": False,
         "tensors": [tensor("A", [("M", "m"), ("K", "k")]),
                     tensor("B", [("K", "k"), ("N", "n")]),
                     tensor("C", [("M", "m"), ("N", "n")], True)]}])


def v_projection(split_heads, tokens=8192, heads=32, head_dim=128):
    """The layer's V projection: I[m, d] x WV -> V, with the output's
    channels one rank (2-D) or heads x head_dim (the layer's form)."""
    d = heads * head_dim
    sizes = {"M": tokens, "D": d, "J": d, "H": heads, "E": head_dim}
    cols = [("H", "h"), ("E", "e")] if split_heads else [("J", "j")]
    return workload(sizes, [
        {"name": "V", "copy": False,
         "tensors": [tensor("I", [("M", "m"), ("D", "d")]),
                     tensor("WV", cols + [("D", "d")]),
                     tensor("V", [("M", "m")] + cols, True)]}])


# The reference's regression settings, under which it publishes its optima.
REGRESSION = "objective=edp max-fused-loops-per-rank=1 max-fused-loops=1"

CASES = [
    ("matmul 512^3", "simba", lambda: matmul(512, 512, 512)),
    ("V projection 2-D", "simba", lambda: v_projection(False)),
    ("V projection heads split", "simba", lambda: v_projection(True)),
    ("V projection 2-D", "eyeriss", lambda: v_projection(False)),
    ("V projection heads split", "eyeriss", lambda: v_projection(True)),
    ("GPT-3 6.7B prefill layer", "eyeriss", lambda: gpt3_layer(32)),
]


# The bench layer, mapped as a user maps it: (name, preset, options).
PRESET_CASES = [(f"GPT-3 bench layer, {o}", "eyeriss", f"objective={o}")
                for o in ("energy", "latency", "edp")]


def run(ffm_opt, ir, arch_file, settings, node_depths, limit, tmp):
    report = os.path.join(tmp, "report.json")
    if os.path.exists(report):
        os.remove(report)
    opts = (f"arch-file={arch_file} {settings} "
            f"node-depths={'true' if node_depths else 'false'} "
            f"time-limit={limit} report={report} rewrite=false")
    start = time.monotonic()
    p = subprocess.Popen([ffm_opt, f"--ffm-fuse={opts}", ir, "-o", os.devnull],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = p.communicate()
    wall = time.monotonic() - start
    if p.returncode != 0 or not os.path.exists(report):
        errors = [line.split("error: ", 1)[1] for line in err.splitlines() if "error: " in line]
        why = errors[0] if errors else f"exit {p.returncode}"
        return {"wall": wall, "mapped": False, "why": why}
    with open(report) as f:
        fn = json.load(f)["functions"][0]
    return {"wall": wall, "mapped": True, "energy_pj": fn["energy_pj"],
            "latency": fn["latency_cycles"], "steps": fn["stats"]["search_steps"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ffm-opt", default=os.path.join(REPO, "build", "bin", "ffm-opt"))
    ap.add_argument("--limit", type=float, default=900, help="seconds per search")
    ap.add_argument("--only", help="comma-separated parts of case names to run")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "node-depths.txt"))
    args = ap.parse_args()
    lines = [f"# bench/node_depths.py --limit {args.limit:g}: EDP, one fused loop per rank and "
             f"in all, accounting: reference (the bench layer: as named, the preset's own "
             f"accounting, default limits); {platform.node()}, {os.cpu_count()} cores",
             f"# {'case':<26} {'arch':<8} {'node depths':<11} {'seconds':>8} "
             f"{'steps':>12} {'energy J':>10} {'latency s':>10}"]
    print("\n".join(lines), flush=True)

    def both(name, arch, ir, arch_file, settings, tmp):
        escale, clock = SCALE[arch]
        for depths in (False, True):
            r = run(args.ffm_opt, ir, arch_file, settings, depths, args.limit, tmp)
            row = f"  {name:<26} {arch:<8} {'yes' if depths else 'no':<11} {r['wall']:>8.1f} "
            if r["mapped"]:
                row += (f"{r['steps']:>12} {r['energy_pj'] / escale:>10.5g} "
                        f"{r['latency'] / clock:>10.5g}")
            else:
                row += f"  not mapped: {r['why']}"
            print(row, flush=True)
            lines.append(row)

    def wanted(name, arch):
        return not args.only or any(o in name or o == arch for o in args.only.split(","))

    with tempfile.TemporaryDirectory() as tmp:
        ir = os.path.join(tmp, "workload.mlir")
        spec = os.path.join(tmp, "workload.json")
        for name, arch, make in CASES:
            if not wanted(name, arch):
                continue
            with open(spec, "w") as f:
                json.dump(make(), f)
            with open(ir, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "peer", "einsum_ir.py"),
                                spec, "--name", "workload"], check=True, stdout=f)
            both(name, arch, ir, arch_variant(arch, REFERENCE, tmp), REGRESSION, tmp)
        layer = os.path.join(HERE, "workloads", "gpt3_layer.mlir")
        for name, arch, settings in PRESET_CASES:
            if wanted(name, arch):
                both(name, arch, layer, arch_variant(arch, {}, tmp), settings, tmp)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    lines.append(f"# largest peak RSS of a search: {peak} MB")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
