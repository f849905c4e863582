#!/usr/bin/env python3
"""A/B timing of two ffm-opt builds on one workload, in one run.

  bench/ab.py --base OLD/ffm-opt --new build/bin/ffm-opt \\
      --arch tpu_v4i.yaml --objective latency [--repeat 2] [workload.mlir]

Runs the two builds alternately (base, new, base, new, ...) so that a
shared machine's drift hits both alike, checks that they find the same
optimum (energy and latency) and prints each run's wall time and steps
and the ratio of the median times. The workload defaults to the GPT-3
6.7B layer (bench/workloads/gpt3_layer.mlir); architectures are named as
in examples/arch/. Exits non-zero if the optima differ.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, workload, arch, objective, extra):
    with tempfile.TemporaryDirectory() as tmp:
        rep = os.path.join(tmp, "report.json")
        t = time.perf_counter()
        p = subprocess.run([binary, f"--ffm-fuse=arch-file={arch} objective={objective} "
                            f"rewrite=false report={rep} {extra}", workload, "-o", os.devnull],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"{binary} failed: {p.stderr.strip()}")
        f = json.load(open(rep))["functions"][0]
    return wall, f["stats"]["search_steps"], f["energy_pj"], f["latency_cycles"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--arch", default="tpu_v4i_like.yaml")
    ap.add_argument("--objective", default="energy")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--extra", default="", help="further ffm-fuse options")
    ap.add_argument("workload", nargs="?",
                    default=os.path.join(ROOT, "bench", "workloads", "gpt3_layer.mlir"))
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    arch = os.path.join(ROOT, "examples", "arch", a.arch)
    print(f"# {os.path.basename(a.workload)} on {a.arch}, objective {a.objective}, "
          f"{a.repeat} alternating runs each; {os.cpu_count()} cores")
    times = {"base": [], "new": []}
    optima = set()
    for i in range(a.repeat):
        for name, binary in (("base", a.base), ("new", a.new)):
            wall, steps, energy, latency = run(binary, a.workload, arch, a.objective, a.extra)
            times[name].append(wall)
            optima.add((energy, latency))
            print(f"{name} run {i + 1}: {wall:.2f} s, {steps} steps, "
                  f"energy {energy:.10g} pJ, latency {latency:.10g} cycles")
    base, new = statistics.median(times["base"]), statistics.median(times["new"])
    print(f"median: base {base:.2f} s, new {new:.2f} s, new/base {new / base:.3f}")
    if len(optima) != 1:
        sys.exit("the builds found different optima")
    print("same optimum")


if __name__ == "__main__":
    main()
