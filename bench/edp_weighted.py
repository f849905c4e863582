#!/usr/bin/env python3
"""EDP by exact weighted searches (Dinkelbach), through ffm-opt unchanged.

  edp_weighted.py FFM_OPT ARCH.yaml WORKLOAD.mlir [EXTRA_FUSE_OPTIONS]

The EDP optimum (E0, L0) is least on E + lambda L at lambda = E0 / L0, so
searches of E + lambda_k L, lambda_k the best mapping's slope so far,
improve the EDP strictly until the weighted optimum is twice that
mapping's energy, which proves it. A weighted search is an energy search
with lambda pJ of leakage per cycle on the first level (one instance).
Prints each iteration's figures, time and steps, and the totals
(bench/results/probes-2026-12-07.txt, probe 1).
"""
import json, subprocess, sys, time, re, os
ffm, arch, wl = sys.argv[1], sys.argv[2], sys.argv[3]
extra = sys.argv[4] if len(sys.argv) > 4 else ""
src = open(arch).read()
def run(lam):
    y = "/tmp/edp-weighted-arch-%d.yaml" % os.getpid()
    # leakage on the first level (DRAM, one instance): + lam pJ per cycle
    lines = src.split("\n"); out = []; done = False
    for l in lines:
        out.append(l)
        if not done and re.match(r"\s*- name:", l):
            ind = re.match(r"(\s*)- ", l).group(1) + "  "
            out.append(ind + "leakage: %r" % lam); done = True
    open(y, "w").write("\n".join(out))
    t = time.time()
    p = subprocess.run([ffm, "--ffm-fuse=arch-file=%s rewrite=false objective=energy report=/tmp/edp-weighted-report.json %s" % (y, extra), wl, "-o", "/dev/null"], capture_output=True, text=True)
    dt = time.time() - t
    if p.returncode: print(p.stderr); sys.exit(1)
    f = json.load(open("/tmp/edp-weighted-report.json"))["functions"][0]
    Ew, L = f["energy_pj"], f["latency_cycles"]
    return Ew - lam * L, L, Ew, dt, f["stats"]["search_steps"]
lam = 0.0; total = 0; steps = 0; best = None
for it in range(10):
    E, L, C, dt, st = run(lam)
    total += dt; steps += st
    print("it %d lam %.6g E %.6g L %.6g EDP %.8g C %.8g  %.2fs %d steps" % (it, lam, E, L, E*L, C, dt, st))
    if best and C >= 2 * best[0] * (1 - 1e-9):
        print("proved: EDP %.8g" % (best[0]*best[1])); break
    if best is None or E*L < best[0]*best[1]: best = (E, L)
    lam = best[0] / best[1]
print("total %.2fs %d steps" % (total, steps))
