#!/usr/bin/env python3
"""Search steps of two ffm-opt builds on the GPT-3 layer and the DeepSeek block.

  bench/steps_cmp.py --base OLD/ffm-opt --new build/bin/ffm-opt

Steps are deterministic, so one run per build, preset and objective is the
measure (wall time on the shared machine is not). Prints, for every shipped
preset and objective, both builds' steps, their ratio and whether the two
found the same optimum (energy and latency to the last digit): the tables
in bench/results/{unfused-cap,reused-key-bounds,class-signature,
widen-reach}.txt. Exits non-zero if any optimum differs.
"""
import argparse
import os
import sys

from ab import ROOT, run

PRESETS = ["small_2level", "eyeriss", "simba", "tpu_v4i", "tpu_v4i_like",
           "eyeriss_like"]
WORKLOADS = {
    "gpt3": os.path.join(ROOT, "bench", "workloads", "gpt3_layer.mlir"),
    "deepseek": os.path.join(os.path.dirname(ROOT), "shared", "inputs",
                             "deepseek_r1_1.5b_decoder_block.mlir"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--objectives", default="energy,latency,edp",
                    help="comma-separated subset to compare")
    a = ap.parse_args()
    print(f"{'workload':<9} {'preset':<13} {'objective':<8} {'base_steps':>12} "
          f"{'new_steps':>12} {'ratio':>7} same_optimum")
    differ = False
    for name, workload in WORKLOADS.items():
        for preset in PRESETS:
            arch = os.path.join(ROOT, "examples", "arch", preset + ".yaml")
            for objective in a.objectives.split(","):
                _, bs, be, bl = run(a.base, workload, arch, objective, "")
                _, ns, ne, nl = run(a.new, workload, arch, objective, "")
                same = (be, bl) == (ne, nl)
                differ |= not same
                print(f"{name:<9} {preset:<13} {objective:<8} {bs:>12} {ns:>12} "
                      f"{ns / bs:>7.3f} {'yes' if same else 'no'}")
    if differ:
        sys.exit("the builds found different optima")


if __name__ == "__main__":
    main()
