#!/usr/bin/env python3
"""FFM against search=exhaustive on generated workloads, through ffm-opt.

  ffm_vs_exhaustive.py FFM_OPT GEN_ARGS SEEDS ARCH.yaml...

For each seed, `bench/gen_workloads.py GEN_ARGS --seed S` writes a
workload; both searches map it on every architecture for energy, latency
and EDP (rewrite=false, JSON reports) and must reach the same objective
(relative 1e-9); it reports how many optima fuse through a window
dimension (a halo loop). Exhaustive enumerates the same mapspace with no pruning,
bounds or caps, so any bound that cuts an optimum shows up here.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def report(ffm_opt, src, arch, objective, search, out):
    opts = (f"arch-file={arch} objective={objective} search={search} "
            f"rewrite=false report={out}")
    # Halo loops multiply a convolution's pmappings; the exhaustive join
    # visits every combination its admissible bound cannot skip (tens of
    # millions on a chain where latency ties), fast but past the default.
    if search == "exhaustive":
        opts += " max-pmappings=100000000"
    p = subprocess.run([ffm_opt, f"--ffm-fuse={opts}", src, "-o", os.devnull],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {search} {objective} on {arch}:\n{p.stderr[-2000:]}")
    with open(out) as f:
        text = f.read()
    fn = json.loads(text)["functions"][0]
    e, l = fn["energy_pj"], fn["latency_cycles"]
    # Whether the optimum fuses through a window (a halo loop).
    return {"energy": e, "latency": l, "edp": e * l}[objective], " halo " in text


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    ffm_opt, gen_args, seeds, archs = (sys.argv[1], sys.argv[2].split(),
                                       int(sys.argv[3]), sys.argv[4:])
    runs = halos = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, seeds + 1):
            src = os.path.join(tmp, f"w{seed}.mlir")
            with open(src, "w") as f:
                subprocess.run([sys.executable,
                                os.path.join(ROOT, "bench", "gen_workloads.py"),
                                *gen_args, "--seed", str(seed)],
                               stdout=f, check=True)
            for arch in archs:
                for objective in ("energy", "latency", "edp"):
                    got, halo = report(ffm_opt, src, arch, objective, "ffm",
                                       os.path.join(tmp, "ffm.json"))
                    want, _ = report(ffm_opt, src, arch, objective,
                                     "exhaustive", os.path.join(tmp, "ex.json"))
                    halos += halo
                    if abs(got - want) > 1e-9 * abs(want):
                        sys.exit(f"FAIL: seed {seed} {objective} on {arch}: "
                                 f"ffm {got!r}, exhaustive {want!r}")
                    runs += 1
    print(f"OK: {runs} searches equal exhaustive, {halos} optima with halo "
          f"loops")


if __name__ == "__main__":
    main()
