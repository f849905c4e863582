#!/usr/bin/env python3
"""Executed iterations of the rewritten IR against the original.

  bench/iterations.py            (after scripts/build.sh; bench/run.sh runs it)

For every example workload (and the DeepSeek-R1 block when ../shared/inputs
is there) on every preset and objective, counts with --ffm-count-iterations
how often each op's body runs: in the original (each Einsum's size; MACs
for a contraction) and in the --ffm-fuse output (loop trip counts times the
leaf's tile). The ratio is 1.000 when the rewrite recomputes nothing and
skips nothing; any other value is a bug. Writes
bench/results/iterations.txt.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FFM = os.path.join(ROOT, "build", "bin", "ffm-opt")
PRESETS = ["small_2level", "tpu_v4i_like", "eyeriss_like"]


def count(ir):
    """Per-function (total, {op: count}) of --ffm-count-iterations on `ir`."""
    out = subprocess.run([FFM, "--ffm-count-iterations", "-o", "/dev/null"], input=ir,
                         capture_output=True, text=True, check=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"iterations @(\S+): (\d+)", line)
        if m:
            cur = funcs.setdefault(m.group(1), [int(m.group(2)), {}])
        else:
            op, n = line.split()
            cur[1][op] = int(n)
    return funcs


def fused(path, arch, objective, rewrite):
    return subprocess.run([FFM, f"--ffm-fuse=arch-file={arch} objective={objective} "
                           f"rewrite={'true' if rewrite else 'false'}", path],
                          capture_output=True, text=True, check=True).stdout


def main():
    workloads = sorted(glob.glob(os.path.join(ROOT, "examples", "*.mlir")))
    deepseek = os.path.join(ROOT, "..", "shared", "inputs", "deepseek_r1_1.5b_decoder_block.mlir")
    if os.path.exists(deepseek):
        workloads.append(deepseek)
    lines = ["workload                 preset         objective  original   fused      ratio  ops differing",
             "-" * 98]
    bad = 0
    for wl in workloads:
        for preset in PRESETS:
            arch = os.path.join(ROOT, "examples", "arch", preset + ".yaml")
            for objective in ["energy", "latency", "edp"]:
                # rewrite=false only annotates, so the ops carry their
                # Einsum names and the counts can be matched op by op.
                before = count(fused(wl, arch, objective, False))
                after = count(fused(wl, arch, objective, True))
                for fn, (total, ops) in before.items():
                    got, got_ops = after[fn]
                    differ = sorted(op for op in set(ops) | set(got_ops) if ops.get(op) != got_ops.get(op))
                    bad += bool(differ) or got != total
                    name = os.path.basename(wl).removesuffix(".mlir")[:24]
                    lines.append(f"{name:24} {preset:14} {objective:9} {total:10d} {got:10d} "
                                 f"{got / total:6.3f}  {','.join(differ) or '-'}")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(ROOT, "bench", "results", "iterations.txt"), "w") as f:
        f.write("# bench/iterations.py: body executions of the --ffm-fuse output / of the original\n")
        f.write(text + "\n")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
