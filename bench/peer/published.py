#!/usr/bin/env python3
"""Our mapper against the figures the FFM authors' reference implementation
publishes in its regression tests (accelforge 1.0.467,
tests/regression_reference.json: energy and latency of the optimal mapping
for EDP, one fused loop per rank, fused and unfused), for every case our
presets can express. Runs `ffm-opt`; the reference need not be installed.

Energy and latency must be within `--tolerance` (2%) of the published
figure, and equal (to rounding) where both models evaluate the same
mapping the same way (`exact`). docs/arch.md lists the cases and says
where and why the figures differ.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# The reference's units: `simple` is in pJ and cycles already; `tpu_v4i` in
# J and s (1.05 GHz).
SCALE = {"simple": (1.0, 1.0), "tpu_v4i": (1e12, 1.05e9)}
ARCH = {"simple": os.path.join(HERE, "arch", "simple.yaml"),
        "tpu_v4i": os.path.join(REPO, "examples", "arch", "tpu_v4i.yaml")}

# (reference key, our workload: chain Einsums and dims, exact,
#  published (fused E, fused L, unfused E, unfused L))
CASES = [
    ("simple|matmuls|KN=64,M=64,N_EINSUMS=2", (2, "64,64,64,64"), True,
     (17235968.0, 524288.0, 17235968.0, 524288.0)),
    ("simple|three_matmuls_annotated", (3, "128,128,128,128,128"), True,
     (207224832.0, 6291456.0, 207224832.0, 6291456.0)),
    ("tpu_v4i|matmuls|KN=64,M=64,N_EINSUMS=2", (2, "64,64,64,64"), False,
     (1.8229493921710631e-06, 3.0476190460149155e-08,
      2.144731152171063e-06, 4.002605891173516e-08)),
    ("tpu_v4i|three_matmuls_annotated", (3, "128,128,128,128,128"), False,
     (1.0558373985026378e-05, 1.467361556706237e-07,
      1.313262806502638e-05, 2.4015633925955626e-07)),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ffm-opt", default=os.path.join(REPO, "build", "bin", "ffm-opt"))
    ap.add_argument("--tolerance", type=float, default=0.02)
    args = ap.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for key, (n, dims), exact, published in CASES:
            arch = key.split("|")[0]
            escale, clock = SCALE[arch]
            ir = os.path.join(tmp, "chain.mlir")
            with open(ir, "w") as f:
                f.write(subprocess.run(
                    [sys.executable, os.path.join(REPO, "bench", "gen_workloads.py"), "chain",
                     "--n", str(n), "--dims", dims, "--name", "chain"],
                    check=True, capture_output=True, text=True).stdout)
            report = os.path.join(tmp, "report.json")
            subprocess.run([args.ffm_opt,
                            f"--ffm-fuse=arch-file={ARCH[arch]} objective=edp "
                            f"max-fused-loops-per-rank=1 report={report} rewrite=false",
                            ir, "-o", os.devnull], check=True)
            with open(report) as f:
                fn = json.load(f)["functions"][0]
            ours = (fn["energy_pj"], fn["latency_cycles"],
                    fn["unfused"]["energy_pj"], fn["unfused"]["latency_cycles"])
            theirs = [p * (escale if i % 2 == 0 else clock) for i, p in enumerate(published)]
            tol = 1e-9 if exact else args.tolerance
            for what, o, t in zip(("fused energy", "fused latency", "unfused energy",
                                   "unfused latency"), ours, theirs):
                ratio = o / t
                ok = abs(ratio - 1) <= tol
                failures += not ok
                print(f"{key}: {what}: ours {o:.6g}, published {t:.6g}, ratio {ratio:.4f}"
                      f"{'' if ok else f'  FAIL (tolerance {tol:g})'}")
    print("published: OK" if not failures else f"published: {failures} figures outside tolerance")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
