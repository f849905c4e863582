#!/usr/bin/env python3
"""Model-level differential check against the reference model (accelforge).

Random single-Einsum mappings (a matmul or an elementwise product, small
shapes) on each transcribed machine are evaluated by both models: ours with
`ffm-opt --ffm-evaluate` (one func per mapping, `#ffm.mapping` on the op),
the reference with `Spec.from_yaml(arch, workload, mapping).evaluate_mapping()`
inside its chroot (ref_eval.py). Per tensor and level, reads and writes are
compared, and MACs, energy and latency.

Every known difference between the models (docs/model.md, "Differences from
the reference model") is predicted from our own figures, and the check
demands exact agreement (1e-9 relative) with the prediction, so anything
not explained fails.

  model_diff.py [--count N] [--seed S] [--arches simple,tpu_v4i]
                [--ffm-opt build/bin/ffm-opt] [--root /opt/ffm-peer/trixie]
                [--show K] [--verbose]

Exit 0 when every compared mapping matches; prints a summary per machine.
"""
import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VENV = "/opt/afvenv"

# Our level -> the reference's component; our (level, fanout dim) -> the
# reference's (component, spatial name); units: pJ per reference energy unit,
# cycles per reference time unit.
ARCHES = {
    "simple": {
        "ours": os.path.join(HERE, "arch", "simple.yaml"),
        "ref": "simple",
        "levels": [("DRAM", "MainMemory"), ("GlobalBuffer", "GlobalBuffer")],
        "fanouts": {},
        "compute": "MAC",
        "pj": 1.0, "cycles": 1.0,
        # Our pJ per datum per level (8-bit data): the reference's per bit x 8.
        "bw": {},
    },
    "tpu_v4i": {
        "ours": os.path.join(HERE, "arch", "tpu_v4i_register.yaml"),
        "ref": "tpu_v4i",
        "levels": [("DRAM", "MainMemory"), ("GlobalBuffer", "GlobalBuffer"),
                   ("LocalBuffer", "LocalBuffer"), ("Register", "Register")],
        # ours: the GlobalBuffer's 4 children; the reference: LocalBuffer's spatial Z.
        "fanouts": {("GlobalBuffer", 0): ("LocalBuffer", "Z", 4, "none"),
                    ("LocalBuffer", 0): ("ProcessingElement", "reuse_input", 128, "inputs"),
                    ("LocalBuffer", 1): ("ProcessingElement", "reuse_output", 128, "outputs")},
        "compute": "MAC",
        "pj": 1e12, "cycles": 1.05e9,
        # bandwidth in data per cycle: ours one figure per level; the reference's
        # read / write throughputs (bits/s / 8 / 1.05e9) and how it combines them.
        "bw": {"DRAM": 584.76, "GlobalBuffer": 1950.48},
    },
}

# Einsums: ours (linalg op, our rank names, tensor names) and the reference's.
# Tensors in order: inputs..., output; each with the ranks indexing it.
OPS = {
    "matmul": {"ranks": ["m", "n", "k"],
               "tensors": [("A", ["m", "k"]), ("B", ["k", "n"]), ("Z", ["m", "n"])],
               "ours_ranks": {"m": "m", "n": "n", "k": "k"},
               "ours_tensor": {"A": "arg0", "B": "arg1", "Z": "matmul_0.out"}},
    "mul": {"ranks": ["m", "n"],
            "tensors": [("A", ["m", "n"]), ("B", ["m", "n"]), ("Z", ["m", "n"])],
            "ours_ranks": {"m": "d0", "n": "d1"},
            "ours_tensor": {"A": "arg0", "B": "arg1", "Z": "mul_0.out"}},
}
SIZES = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]
WIDE_SIZES = [64, 96, 128, 256]


def factors(n):
    out, p = [], 2
    while n > 1:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def gen_case(rng, arch_name):
    """One random mapping: (op, shape, nodes). Nodes, outermost first:
    ("keep", tensor, level) | ("for", rank, count) | ("par", rank, count, level, dim)."""
    A = ARCHES[arch_name]
    op = rng.choice(["matmul", "matmul", "matmul", "mul"])
    O = OPS[op]
    # On machines with bandwidths, a quarter of the cases are large and
    # spread wide, so that memory, not compute, bounds their latency.
    wide = bool(A["bw"]) and rng.random() < 0.25
    shape = {r: rng.choice(WIDE_SIZES if wide else SIZES) for r in O["ranks"]}
    levels = [l for l, _ in A["levels"]]
    indexes = {t: rs for t, rs in O["tensors"]}
    tensors = [t for t, _ in O["tensors"]]
    # Spatial: per fanout dimension maybe one rank, as our reuse rule allows.
    remaining = dict(shape)
    spatial = {}  # (level, dim) -> (rank, count)
    used_ranks = set()
    for (lvl, dim), (_, _, fan, reuse) in sorted(A["fanouts"].items()):
        if rng.random() < (0.05 if wide else 0.3):
            continue
        cands = []
        for r in O["ranks"]:
            if r in used_ranks or remaining[r] == 1:
                continue
            unindexed_in = [t for t in tensors[:-1] if r not in indexes[t]]
            unindexed_out = r not in indexes[tensors[-1]]
            if reuse == "inputs" and not unindexed_in:
                continue
            if reuse == "outputs" and not unindexed_out:
                continue
            # A reduction rank over a fanout that does not reduce: the models
            # count the output's first reads differently (difference 4); not
            # generated (docs/model.md).
            if reuse == "none" and unindexed_out:
                continue
            cands.append(r)
        if not cands:
            continue
        r = rng.choice(cands)
        ds = [d for d in divisors(remaining[r]) if 1 < d <= fan] or [1]
        c = max(ds) if wide else rng.choice(ds)
        if c > 1:
            spatial[(lvl, dim)] = (r, c)
            remaining[r] //= c
            used_ranks.add(r)
    # Temporal: the rest of each rank's prime factors spread over the levels.
    reg = "Register" in levels
    temporal = {l: {} for l in levels}
    for r in O["ranks"]:
        slots = [l for l in levels if not (l == "Register" and r in indexes["B"])]
        for p in factors(remaining[r]):
            l = rng.choice(slots)
            temporal[l][r] = temporal[l].get(r, 1) * p
    nodes = []
    for li, l in enumerate(levels):
        if li == 0:
            keeps = tensors[:]
        elif l == "LocalBuffer":
            keeps = tensors[:]  # keep rule: inputs and outputs
        elif l == "Register":
            keeps = ["B"]
        else:
            keeps = [t for t in tensors if rng.random() < 0.6]
        block = [("keep", t, l) for t in keeps]
        loops = [("for", r, c) for r, c in temporal[l].items()]
        rng.shuffle(loops)
        if l == "Register":
            block = block + loops  # the register's tile is one datum
        else:
            block = block + loops
            if li > 0:
                rng.shuffle(block)
            else:
                block = block[:len(keeps)] + loops
        nodes += block
        for (fl, dim), (r, c) in sorted(spatial.items()):
            if fl == l:
                nodes.append(("par", r, c, l, dim))
    return {"op": op, "shape": shape, "nodes": nodes}


def ours_func(i, case, archname):
    O = OPS[case["op"]]
    s = case["shape"]
    tn, rn = O["ours_tensor"], O["ours_ranks"]
    parts = []
    for n in case["nodes"]:
        if n[0] == "keep":
            parts.append(f"keep {tn[n[1]]} in {n[2]}")
        elif n[0] == "for":
            parts.append(f"for {rn[n[1]]} : {n[2]}")
        else:
            parts.append(f"par {rn[n[1]]} : {n[2]} in {n[3]}[{n[4]}]")
    attr = "#ffm.mapping<[" + ", ".join(parts) + "]>"
    if case["op"] == "matmul":
        ta, tb, tz = f"tensor<{s['m']}x{s['k']}xf32>", f"tensor<{s['k']}x{s['n']}xf32>", f"tensor<{s['m']}x{s['n']}xf32>"
        body = (f"  %0 = linalg.matmul {{ffm.mapping = {attr}}}\n"
                f"      ins(%a, %b : {ta}, {tb}) outs(%e : {tz}) -> {tz}\n")
    else:
        ta = tb = tz = f"tensor<{s['m']}x{s['n']}xf32>"
        body = (f"  %0 = linalg.mul {{ffm.mapping = {attr}}}\n"
                f"      ins(%a, %b : {ta}, {tb}) outs(%e : {tz}) -> {tz}\n")
    return (f"func.func @f{i}(%a: {ta}, %b: {tb}) -> {tz} {{\n"
            f"  %e = tensor.empty() : {tz}\n{body}  return %0 : {tz}\n}}\n")


def ref_workload(case):
    O = OPS[case["op"]]
    lines = ["workload:", "  iteration_space_shape:"]
    for r in O["ranks"]:
        lines.append(f"    {r}: 0 <= {r} < {case['shape'][r]}")
    lines += ["  bits_per_value: {All: 8}", "  einsums:", "  - name: E",
              "    tensor_accesses:"]
    for t, rs in O["tensors"]:
        out = ", output: True" if t == "Z" else ""
        lines.append(f"    - {{name: {t}, projection: [{', '.join(rs)}]{out}}}")
    lines.append("    renames: {input: A, weight: B, output: Z}")
    return "\n".join(lines) + "\n"


def ref_mapping(case, archname):
    A = ARCHES[archname]
    comp = dict(A["levels"])
    cur = dict(case["shape"])
    lines = ["mapping:", "  nodes:"]
    for n in case["nodes"]:
        if n[0] == "keep":
            lines.append(f"  - !Storage {{tensors: [{n[1]}], component: {comp[n[2]]}}}")
        elif n[0] == "for":
            cur[n[1]] //= n[2]
            lines.append(f"  - !Temporal {{rank_variable: {n[1]}, tile_shape: {cur[n[1]]}}}")
        else:
            cur[n[1]] //= n[2]
            c, name = A["fanouts"][(n[3], n[4])][:2]
            lines.append(f"  - !Spatial {{rank_variable: {n[1]}, tile_shape: {cur[n[1]]}, "
                         f"name: {name}, component: {c}}}")
    lines.append(f"  - !Compute {{einsum: E, component: {A['compute']}}}")
    return "\n".join(lines) + "\n"


def run_ours(ffm_opt, archname, cases, tmp):
    path = os.path.join(tmp, f"ours_{archname}.mlir")
    with open(path, "w") as f:
        for i, c in enumerate(cases):
            f.write(ours_func(i, c, archname))
    p = subprocess.run([ffm_opt, "--mlir-disable-threading",
                        f"--ffm-evaluate=arch-file={ARCHES[archname]['ours']}", path,
                        "-o", os.devnull], capture_output=True, text=True)
    res = [None] * len(cases)
    cur = {"acc": {}}
    for line in p.stdout.splitlines():
        m = re.match(r"einsum \S+: energy (\S+) pJ, latency (\S+) cycles, macs (\S+)", line)
        if m:
            cur = {"energy": float(m[1]), "latency": float(m[2]), "macs": float(m[3]), "acc": {}}
            continue
        m = re.match(r"\s+(\S+) (.+): reads (\S+) writes (\S+)$", line)
        if m:
            cur["acc"][(m[1], m[2])] = (float(m[3]), float(m[4]))
            continue
        m = re.match(r"total @f(\d+):", line)
        if m:
            res[int(m[1])] = cur
            cur = {"acc": {}}
    errors = {}
    for line in p.stderr.splitlines():
        m = re.search(r"ours_\w+\.mlir:(\d+):.*error: (.*)", line)
        if m:
            errors[int(m[1])] = m[2]
    return res, errors, p


def run_ref(root, archname, cases, tmp_in_root):
    work = tempfile.mkdtemp(prefix="md-", dir=os.path.join(root, "tmp"))
    try:
        data = [{"arch": ARCHES[archname]["ref"], "workload": ref_workload(c),
                 "mapping": ref_mapping(c, archname)} for c in cases]
        with open(os.path.join(work, "in.json"), "w") as f:
            json.dump(data, f)
        shutil.copy(os.path.join(HERE, "ref_eval.py"), os.path.join(work, "ref_eval.py"))
        inner = "/" + os.path.relpath(work, root)
        p = subprocess.run(["chroot", root, VENV + "/bin/python", inner + "/ref_eval.py",
                            inner + "/in.json", inner + "/out.json"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"reference failed:\n{p.stderr[-3000:]}")
        with open(os.path.join(work, "out.json")) as f:
            return json.load(f)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stationarity(case):
    """Per keep node (tensor, level): our stationarity factor, the product of
    the innermost run of temporal loops above it over ranks that do not
    index the tensor (spatial loops and storage nodes are transparent to the
    run), as docs/model.md defines fills. The reference refetches the tile
    on every iteration of every temporal loop above it (difference 1)."""
    idx = {t: rs for t, rs in OPS[case["op"]]["tensors"]}
    s = {}
    nodes = case["nodes"]
    for i, n in enumerate(nodes):
        if n[0] != "keep":
            continue
        f = 1
        for m in reversed(nodes[:i]):
            if m[0] == "for":
                if m[1] in idx[n[1]]:
                    break
                f *= m[2]
        s[(n[1], n[2])] = f
    return s


def weight_multicast(case, archname):
    """Product of the spatial loops on fanout dimensions that our model lets
    share an input the reference does not share (difference 3): our
    `inputs` reuse covers every input, the reference's `reuse: input` only
    the tensor renamed `input` (A). Per tensor."""
    A = ARCHES[archname]
    idx = {t: rs for t, rs in OPS[case["op"]]["tensors"]}
    f = {}
    for n in case["nodes"]:
        if n[0] == "par" and A["fanouts"][(n[3], n[4])][3] == "inputs":
            for t in ("B",):
                if n[1] not in idx[t]:
                    f[t] = f.get(t, 1) * n[2]
    return f


def predict_ref(case, archname, ours):
    """The reference's reads/writes per (level, tensor), predicted from ours
    and the documented differences. Returns {(our level, tensor): (r, w)}."""
    A = ARCHES[archname]
    O = OPS[case["op"]]
    levels = [l for l, _ in A["levels"]]
    s = stationarity(case)
    wm = weight_multicast(case, archname)
    pred = {}
    for t, _ in O["tensors"]:
        tn = O["ours_tensor"][t]
        chain = [l for l in levels if (t, l) in s]  # outermost first
        acc = {l: ours["acc"].get((l, tn), (0.0, 0.0)) for l in chain}
        # s of the next inner node of the same tensor (1 below the innermost)
        s_child = {l: (s[(t, chain[j + 1])] if j + 1 < len(chain) else 1)
                   for j, l in enumerate(chain)}
        if t != "Z":
            for j, l in enumerate(chain):
                r, w = acc[l]
                r *= s_child[l]
                # the parent of the last node feeding the register (weight)
                if t in wm and j + 1 < len(chain) and chain[j + 1] == "Register":
                    r *= wm[t]
                pred[(l, t)] = (r, w * s[(t, l)])
        else:
            # Outputs. Ours: written `demand` times, read demand - R times.
            # Reference: the backing node likewise; every inner node is
            # written demand + refills (the parent's demand - R: updates
            # that find a partial sum there) and read as often, its drains
            # included (difference 2).
            refd = {}
            for j, l in enumerate(reversed(chain)):
                r, w = acc[l]
                demand = w * s_child[l]
                R = (w - r) * s[(t, l)]
                refd[l] = (demand, R)
            refill = 0.0  # partial sums a node receives from its parent
            for j, l in enumerate(chain):
                demand, R = refd[l]
                if j == 0:
                    pred[(l, t)] = (demand - R, demand)
                else:
                    pred[(l, t)] = (demand + refill, demand + refill)
                # its child is refilled with every update that finds a
                # partial sum here: not a residency's first, or refilled
                refill = demand - R + refill
    return pred


def our_energies(archname):
    import yaml
    with open(ARCHES[archname]["ours"]) as f:
        a = yaml.safe_load(f)
    lv = {l["name"]: (float(l.get("read_energy", 0)), float(l.get("write_energy", 0)),
                      l.get("bandwidth")) for l in a["levels"]}
    return lv, float(a["compute"]["mac_energy"])


# The reference's bandwidths (data per cycle) where they differ from ours
# (difference 5): the tpu_v4i GlobalBuffer's write port is half its read
# port, and it takes the slower of its separate ports (total_latency:
# max(...)); DRAM has one figure for both, and its reads and writes add up.
# Exact figures (bytes/s / 1.05 GHz); ours are rounded to 2 decimals.
REF_PORTS = {("tpu_v4i", "GlobalBuffer"): (2048e9 / 1.05e9, 1024e9 / 1.05e9, "max"),
             ("tpu_v4i", "DRAM"): (614e9 / 1.05e9, 614e9 / 1.05e9, "sum")}


def compare(archname, cases, ours, ref, errors, show, verbose):
    A = ARCHES[archname]
    lv, mac_e = our_energies(archname)
    stats = {"compared": 0, "ours_rejected": 0, "ref_rejected": 0, "failed": 0,
             "counts_equal_raw": 0, "energy_equal_raw": 0, "memory_bound": 0,
             "stationarity": 0, "output_traffic": 0, "weight_multicast": 0,
             "port_latency": 0}
    fails = []
    for i, (c, o, r) in enumerate(zip(cases, ours, ref)):
        if o is None:
            stats["ours_rejected"] += 1
            continue
        if not r["ok"]:
            stats["ref_rejected"] += 1
            fails.append((i, [f"reference rejects a mapping we accept: {r['error']}"]))
            continue
        stats["compared"] += 1
        O = OPS[c["op"]]
        pred = predict_ref(c, archname, o)
        bad, raw_equal = [], True
        e_pred = o["macs"] * mac_e
        spatial = math.prod(n[2] for n in c["nodes"] if n[0] == "par")
        lat_pred = o["macs"] / spatial
        for ol, rl in A["levels"]:
            traffic = [0.0, 0.0]
            for t, _ in O["tensors"]:
                tn = O["ours_tensor"][t]
                ours_rw = o["acc"].get((ol, tn), (0.0, 0.0))
                p = pred.get((ol, t), (0.0, 0.0))
                got = (r["actions"].get(f"{rl}|{t}|read", 0.0) / 8,
                       r["actions"].get(f"{rl}|{t}|write", 0.0) / 8)
                if tuple(ours_rw) != got:
                    raw_equal = False
                if not all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(p, got)):
                    bad.append(f"{ol} {t}: ours r{ours_rw[0]:g} w{ours_rw[1]:g}, "
                               f"predicted r{p[0]:g} w{p[1]:g}, reference r{got[0]:g} w{got[1]:g}")
                e_pred += p[0] * lv[ol][0] + p[1] * lv[ol][1]
                traffic[0] += p[0]
                traffic[1] += p[1]
            if lv[ol][2]:
                rp, wp, how = REF_PORTS.get((archname, ol), (None, None, None))
                if how == "max":
                    lat_pred = max(lat_pred, traffic[0] / rp, traffic[1] / wp)
                elif how == "sum":
                    lat_pred = max(lat_pred, traffic[0] / rp + traffic[1] / wp)
                else:
                    lat_pred = max(lat_pred, (traffic[0] + traffic[1]) / float(lv[ol][2]))
        s = stationarity(c)
        if any(v > 1 for (t, l), v in s.items()):
            stats["stationarity"] += 1
        if any(l != A["levels"][0][0] for (t, l) in s if t == "Z"):
            stats["output_traffic"] += 1
        if weight_multicast(c, archname):
            stats["weight_multicast"] += 1
        stats["counts_equal_raw"] += raw_equal
        rmacs = r["actions"].get(f"{A['compute']}|None|compute", 0.0)
        if rmacs != o["macs"]:
            bad.append(f"MACs: ours {o['macs']:g}, reference {rmacs:g}")
        e_ref = r["energy"] * A["pj"]
        if math.isclose(e_ref, o["energy"], rel_tol=1e-9):
            stats["energy_equal_raw"] += 1
        if not math.isclose(e_ref, e_pred, rel_tol=1e-6):
            bad.append(f"energy: ours {o['energy']:g}, predicted {e_pred:g}, reference {e_ref:g}")
        l_ref = r["latency"] * A["cycles"]
        compute_bound = math.isclose(o["latency"], o["macs"] / spatial, rel_tol=1e-9)
        if not compute_bound:
            stats["memory_bound"] += 1
        if not math.isclose(lat_pred, o["latency"], rel_tol=1e-9):
            stats["port_latency"] += 1
        # By definition equal when ours is compute-bound and the reference's
        # extra traffic keeps it so; else its ports decide (difference 5).
        if not math.isclose(l_ref, lat_pred, rel_tol=1e-6):
            bad.append(f"latency: ours {o['latency']:g}, predicted {lat_pred:g}, reference {l_ref:g}")
        if bad:
            fails.append((i, bad))
    stats["failed"] = len(fails)
    for i, bad in fails[:show]:
        c = cases[i]
        print(f"  MISMATCH {archname} #{i} {c['op']} {c['shape']}")
        print("    " + ours_func(i, c, archname).split("ffm.mapping = ")[1].split("}")[0])
        for b in bad:
            print("    " + b)
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=300, help="mappings per machine")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--arches", default=",".join(ARCHES))
    ap.add_argument("--ffm-opt", default=os.path.join(REPO, "build", "bin", "ffm-opt"))
    ap.add_argument("--root", default=os.environ.get("FFM_PEER_ROOT", "/opt/ffm-peer/trixie"))
    ap.add_argument("--show", type=int, default=5, help="mismatches to print per machine")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.root, VENV.lstrip("/"), "bin", "python")):
        sys.exit(f"the reference is not installed in {a.root} (bash bench/peer/install.sh)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.arches.split(","):
            rng = random.Random(f"{a.seed}-{name}")
            cases = [gen_case(rng, name) for _ in range(a.count)]
            ours, errors, p = run_ours(a.ffm_opt, name, cases, tmp)
            ref = run_ref(a.root, name, cases, tmp)
            st = compare(name, cases, ours, ref, errors, a.show, a.verbose)
            print(f"{name}: {st['compared']} of {len(cases)} mappings compared "
                  f"({st['ours_rejected']} rejected by ours, {st['ref_rejected']} by the reference); "
                  f"mismatches {st['failed']}")
            print(f"  identical to ours without any correction: MACs in all compared, every "
                  f"read/write count in {st['counts_equal_raw']}, energy in {st['energy_equal_raw']}, "
                  f"latency in {st['compared'] - st['port_latency']}")
            print(f"  explained: stationarity {st['stationarity']}, output child traffic "
                  f"{st['output_traffic']}, weight multicast {st['weight_multicast']}, "
                  f"memory-bound {st['memory_bound']}, port latency {st['port_latency']}")
            if st["ours_rejected"] and a.verbose:
                print("  ours rejected:", list(errors.values())[:3])
            ok = ok and st["failed"] == 0 and st["compared"] > 0 and st["ours_rejected"] == 0
    print("model-diff: OK" if ok else "model-diff: FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
