#!/usr/bin/env python3
"""Search time against the number of Einsums, both mappers, one machine:
a stack of L GPT-3 6.7B layers (8192 tokens, 32 heads of 128, FFN 16384,
8-bit) on TPU v4i (the reference's `tpu_v4i`, ours
examples/arch/tpu_v4i.yaml), energy objective, one fused loop per rank.

The stack is written here in the reference's workload format (each layer
its own tensors, a copy Einsum between layers as its single layer starts
with one); the reference parses it and einsum_ir.py turns that parse into
our IR, so both map the same Einsums. L doubles from 1 while the reference
finishes within --ref-timeout; ours goes on to --max-layers.

  scaling.py --root /opt/ffm-peer/trixie [--max-layers 16] [--ref-timeout 1800]

Writes bench/results/peer/scaling.{json,md,svg}.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer  # noqa: E402  (run_child, chroot_cmd)

REPO = os.path.dirname(os.path.dirname(HERE))


def stack_yaml(layers):
    """The reference's workload YAML for `layers` stacked GPT-3 6.7B layers."""
    lines = [
        "workload:",
        "  rank_sizes: {B: 1, P: 8192, M: 8192, H: 32, E: 128, F: 128, D: 4096,"
        " C: 16384, J: 4096, G: 4096}",
        "  bits_per_value: {All: 8}",
        "  persistent_tensors: weight - Intermediates",
        "  einsums:",
    ]
    for l in range(layers):
        src = "I_in[b, m, d]" if l == 0 else f"FFB{l - 1}[b, m, J: d]"
        lines += [
            f'  - einsum: "I{l}[b, m, d] = {src}"',
            "    is_copy_operation: True",
        ]
        for p in "VKQ":
            lines.append(f'  - "{p}{l}[b, m, h, e] = I{l}[b, m, d] * W{p}{l}[h, e, d]"')
        lines += [
            f'  - einsum: "QK{l}[b, m, p, h] = Q{l}[b, m, h, e] * K{l}[b, M: p, h, e]"',
            f"    renames: {{input: Q{l}}}",
            f'  - "QK_softmax{l}[b, m, p, h] = QK{l}[b, m, p, h]"',
            f'  - einsum: "AV{l}[b, m, h, f] = QK_softmax{l}[b, m, p, h] * V{l}[b, M: p, h, E: f]"',
            f"    renames: {{input: QK_softmax{l}}}",
            f'  - "Z{l}[b, m, g] = AV{l}[b, m, h, f] * WZ{l}[h, f, g]"',
            f'  - "FFA{l}[b, m, c] = Z{l}[b, m, g] * WFFA{l}[g, c]"',
            f'  - "FFB{l}[b, m, j] = FFA{l}[b, m, c] * WFFB{l}[c, j]"',
        ]
    # Which tensor of an Einsum its arch rules call input, weight, output:
    # as the reference's own GPT-3 workload says.
    lines += [
        "renames:",
        "  einsums:",
        "  - name: default",
        "    tensor_accesses:",
        "    - {name: input, source: Inputs & Intermediates if len(All) == 3 else Inputs,"
        " expected_count: 1}",
        "    - {name: output, source: Outputs, expected_count: 1}",
        "    - {name: weight, source: ~(input | output),"
        " expected_count: 1 if len(All) == 3 else 0}",
    ]
    return "\n".join(lines) + "\n"


def svg(rows, path):
    """A log-log plot of search time against Einsums, one line per mapper."""
    pts = {k: [(r["einsums"], r[k]["seconds"]) for r in rows
               if r.get(k, {}).get("rc") == 0] for k in ("ours", "reference")}
    xs = [x for p in pts.values() for x, _ in p]
    ys = [y for p in pts.values() for _, y in p]
    if not xs:
        return
    import math
    W, H, M = 560, 360, 60
    lx0, lx1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    ly0, ly1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    X = lambda x: M + (math.log10(x) - lx0) / (lx1 - lx0) * (W - 2 * M)
    Y = lambda y: H - M + (ly0 - math.log10(y)) / (ly1 - ly0) * (H - 2 * M)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<line x1="{M}" y1="{H - M}" x2="{W - M}" y2="{H - M}" stroke="black"/>',
           f'<line x1="{M}" y1="{M}" x2="{M}" y2="{H - M}" stroke="black"/>',
           f'<text x="{W / 2}" y="{H - 20}" text-anchor="middle">Einsums (GPT-3 6.7B layers x 10)</text>',
           f'<text x="15" y="{H / 2}" transform="rotate(-90 15 {H / 2})" text-anchor="middle">search time, s</text>']
    for e in range(ly0, ly1 + 1):
        out.append(f'<text x="{M - 6}" y="{Y(10 ** e) + 4}" text-anchor="end">1e{e}</text>')
        out.append(f'<line x1="{M}" y1="{Y(10 ** e)}" x2="{W - M}" y2="{Y(10 ** e)}" stroke="#ddd"/>')
    for x in sorted(set(xs)):
        out.append(f'<text x="{X(x)}" y="{H - M + 16}" text-anchor="middle">{x}</text>')
    for (k, colour) in (("ours", "#1f77b4"), ("reference", "#d62728")):
        p = sorted(pts[k])
        if p:
            out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                       % (colour, " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y in p)))
            out += [f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3" fill="{colour}"/>' for x, y in p]
            out.append(f'<text x="{X(p[-1][0]) + 6}" y="{Y(p[-1][1]) + 4}" fill="{colour}">'
                       f'{"ffm-opt" if k == "ours" else "accelforge"}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--venv", default="/opt/afvenv")
    ap.add_argument("--ffm-opt", default=os.path.join(REPO, "build", "bin", "ffm-opt"))
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "peer"))
    ap.add_argument("--max-layers", type=int, default=16)
    ap.add_argument("--ref-timeout", type=float, default=1800)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--reuse-reference", action="store_true",
                    help="take the reference's figures from the scaling.json in --out "
                         "(layer counts it has) and run ours only")
    a = ap.parse_args()
    previous = {}
    if a.reuse_reference and os.path.exists(os.path.join(a.out, "scaling.json")):
        with open(os.path.join(a.out, "scaling.json")) as f:
            previous = {r["layers"]: r.get("reference") for r in json.load(f)}
    os.makedirs(os.path.join(a.root, "opt", "peer"), exist_ok=True)
    shutil.copy(os.path.join(HERE, "ref_runner.py"), os.path.join(a.root, "opt", "peer", "ref_runner.py"))
    work = tempfile.mkdtemp(prefix="ffm-scaling-")
    arch = os.path.join(REPO, "examples", "arch", "tpu_v4i.yaml")
    a.per_rank, a.our_timeout = 1, 1800  # what peer.run_ours reads
    rows, ref_alive, layers = [], True, 1
    while layers <= a.max_layers:
        name = f"gpt3_6.7B_x{layers}"
        yaml_in_root = f"/opt/peer/{name}.yaml"
        with open(os.path.join(a.root, yaml_in_root.lstrip("/")), "w") as f:
            f.write(stack_yaml(layers))
        rc, so, se, *_ = peer.run_child(peer.chroot_cmd(a, [
            "--arch", "tpu_v4i", "--workload", yaml_in_root, "--dump-workload"]), 600)
        if rc != 0:
            sys.exit(f"scaling: the reference could not parse {name}: {se[-2000:]}")
        wj = os.path.join(work, name + ".json")
        with open(wj, "w") as f:
            f.write(so.strip().splitlines()[-1])
        ir = os.path.join(work, name + ".mlir")
        with open(ir, "w") as f:
            f.write(subprocess.run([sys.executable, os.path.join(HERE, "einsum_ir.py"), wj,
                                         "--name", "workload"], check=True,
                                        capture_output=True, text=True).stdout)
        einsums = len(json.load(open(wj))["einsums"])
        row = {"layers": layers, "einsums": einsums,
               "ours": peer.run_ours(a, arch, ir, "energy", os.path.join(work, name + ".report.json"))}
        print(f"{name}: ours {json.dumps(row['ours'])}", flush=True)
        if previous.get(layers):
            row["reference"] = dict(previous[layers], reused=True)
            ref_alive = row["reference"].get("rc") == 0
        elif ref_alive:
            rc, so, se, secs, rss, tree = peer.run_child(peer.chroot_cmd(a, [
                "--arch", "tpu_v4i", "--workload", yaml_in_root, "--objective", "energy",
                "--per-rank", "1", "--jobs", str(a.jobs)]), a.ref_timeout)
            ref = {"rc": rc, "seconds": secs, "rss_MB": rss, "tree_MB": tree}
            if rc == 0:
                r = json.loads(so.strip().splitlines()[-1])
                ref.update(energy_pJ=r["energy"] * 1e12, latency_cycles=r["latency"] * 1.05e9,
                           seconds_import=r["seconds_import"], version=r["version"])
            else:
                ref["error"] = (f"timeout after {a.ref_timeout:g} s" if rc is None
                                else se.strip().splitlines()[-3:])
                ref_alive = False
            row["reference"] = ref
            print(f"{name}: reference {json.dumps(ref)}", flush=True)
        rows.append(row)
        with open(os.path.join(a.out, "scaling.json"), "w") as f:
            json.dump(rows, f, indent=1)
        layers *= 2
    md = ["# Search time vs Einsums: GPT-3 6.7B layers stacked, TPU v4i, energy",
          "",
          "Produced by `bench/peer/scaling.py` (one machine, one run; `machine.txt`)."
          f" The reference with {a.jobs} worker processes and a {a.ref_timeout:g} s limit;"
          " ours `examples/arch/tpu_v4i.yaml`. Plot: `scaling.svg`.",
          "",
          "| layers | Einsums | ours s | ours RSS MB | ref s | ref RSS MB | time ratio | energy ratio |",
          "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, f = r["ours"], r.get("reference")
        ok_o, ok_f = o.get("rc") == 0, bool(f) and f.get("rc") == 0
        md.append("| {} | {} | {} | {} | {} | {} | {} | {} |".format(
            r["layers"], r["einsums"],
            f"{o['seconds']:.2f}" if ok_o else "failed",
            f"{max(o['rss_MB'], o['tree_MB']):.0f}" if ok_o else "—",
            f"{f['seconds']:.1f}" if ok_f else ("not run" if not f else
                                                 (lambda e: e if isinstance(e, str) else "; ".join(e))(
                                                     f.get("error", "failed"))),
            f"{max(f['rss_MB'], f['tree_MB']):.0f}" if ok_f else "—",
            f"{o['seconds'] / f['seconds']:.4f}" if ok_o and ok_f else "—",
            f"{o['energy_pJ'] / f['energy_pJ']:.4f}" if ok_o and ok_f else "—"))
    with open(os.path.join(a.out, "scaling.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    svg(rows, os.path.join(a.out, "scaling.svg"))
    print("\n".join(md))


if __name__ == "__main__":
    main()
