#!/usr/bin/env python3
"""Runs the same cases through ffm-opt and the reference mapper (accelforge).

  peer.py --root CHROOT --venv /opt/afvenv --ffm-opt build/bin/ffm-opt \
          --out bench/results/peer [--cases a,b] [--ref-timeout S]

The reference runs inside CHROOT (a Debian trixie tree made by install.sh;
Python >= 3.12 is needed by its dependencies) through ref_runner.py; ours is
`ffm-opt --ffm-fuse`. Each mapper is one child process: its wall time is
measured around it, its peak RSS is wait4's ru_maxrss and, because the
reference forks worker processes, also the largest sum of the proportional
set sizes (Pss) of its process tree, sampled every 0.1 s (`tree_MB`); the
table shows the larger of the two.

Units: the reference reports J and s; ours pJ and cycles. Per arch, energy
scale (to pJ) and clock (cycles per second) convert the reference's figures.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# reference arch -> (our arch file, pJ per reference energy unit, cycles per reference time unit)
ARCHES = {
    "simple": (os.path.join(HERE, "arch", "simple.yaml"), 1.0, 1.0),
    "tpu_v4i": (os.path.join(REPO, "examples", "arch", "tpu_v4i_like.yaml"), 1e12, 1.05e9),
}
# Our arch for cases named "...+reg": the preset plus the reference's per-MAC weight register;
# for "...+v4i": examples/arch/tpu_v4i.yaml, the transcription of the reference's spec.
OUR_ARCH_REG = os.path.join(HERE, "arch", "tpu_v4i_register.yaml")
OUR_ARCH_V4I = os.path.join(REPO, "examples", "arch", "tpu_v4i.yaml")

# Reference workloads made here (name -> function(chroot root) -> YAML text), written to a
# temporary directory inside the chroot for each run.
def mobilenet_28_valid(root):
    """The reference's examples/workloads/mobilenet_28.yaml (two blocks of pointwise 1x1,
    depthwise 3x3, pointwise) with every depthwise a valid convolution: its output ranks
    shrink by 2 per block (P1 = Q1 = 26, P2 = Q2 = 24 from a 28x28 input). As shipped,
    the depthwise outputs stay 28 wide and read the 28-wide input at p + r < 30, i.e. an
    implicit zero padding that a linalg pad would model as an op of its own; unpadded,
    both mappers see the same six Einsums. Derived from the installed file at run time,
    so nothing of it is in this repository."""
    import glob
    import re
    paths = glob.glob(os.path.join(root, "opt", "afvenv", "lib", "python3*", "site-packages",
                                   "examples", "workloads", "mobilenet_28.yaml"))
    if len(paths) != 1:
        raise RuntimeError(f"mobilenet_28.yaml not found once in the reference's venv: {paths}")
    text = open(paths[0]).read()
    for rank, size in (("P1", 26), ("Q1", 26), ("P2", 24), ("Q2", 24)):
        text, n = re.subn(rf"(?m)^(\s*){rank}: 28\s*$", rf"\g<1>{rank}: {size}", text)
        if n != 1:
            raise RuntimeError(f"mobilenet_28.yaml: rank {rank} is not `{rank}: 28` once")
    return text


GENERATED = {"mobilenet_28_valid": mobilenet_28_valid}

# name -> (ref arch, ref workload, jinja, objective, how our IR is made, run the reference unfused)
CASES = {
    "simple-matmuls2-edp": ("simple", "matmuls", {"N_EINSUMS": 2, "M": 64, "KN": 64}, "edp",
                            ("chain", "2", "64,64,64,64"), True),
    "simple-three_matmuls-edp": ("simple", "three_matmuls_annotated", {}, "edp",
                                 ("chain", "3", "128,128,128,128,128"), True),
    "tpu_v4i-matmuls2-edp": ("tpu_v4i", "matmuls", {"N_EINSUMS": 2, "M": 64, "KN": 64}, "edp",
                             ("chain", "2", "64,64,64,64"), True),
    "tpu_v4i-three_matmuls-edp": ("tpu_v4i", "three_matmuls_annotated", {}, "edp",
                                  ("chain", "3", "128,128,128,128,128"), True),
    "tpu_v4i+reg-matmuls2-edp": ("tpu_v4i", "matmuls", {"N_EINSUMS": 2, "M": 64, "KN": 64}, "edp",
                                 ("chain", "2", "64,64,64,64"), True),
    "tpu_v4i+reg-three_matmuls-edp": ("tpu_v4i", "three_matmuls_annotated", {}, "edp",
                                      ("chain", "3", "128,128,128,128,128"), True),
    "tpu_v4i-gpt3_6.7B-energy": ("tpu_v4i", "gpt3_6.7B", {}, "energy", ("einsum_ir",), False),
    "tpu_v4i+reg-gpt3_6.7B-energy": ("tpu_v4i", "gpt3_6.7B", {}, "energy", ("einsum_ir",), False),
    "tpu_v4i-gpt3_6.7B-edp": ("tpu_v4i", "gpt3_6.7B", {}, "edp", ("einsum_ir",), False),
    "tpu_v4i+v4i-matmuls2-edp": ("tpu_v4i", "matmuls", {"N_EINSUMS": 2, "M": 64, "KN": 64}, "edp",
                                 ("chain", "2", "64,64,64,64"), True),
    "tpu_v4i+v4i-three_matmuls-edp": ("tpu_v4i", "three_matmuls_annotated", {}, "edp",
                                      ("chain", "3", "128,128,128,128,128"), True),
    "tpu_v4i+v4i-gpt3_6.7B-energy": ("tpu_v4i", "gpt3_6.7B", {}, "energy", ("einsum_ir",), False),
    "tpu_v4i+v4i-gpt3_6.7B-edp": ("tpu_v4i", "gpt3_6.7B", {}, "edp", ("einsum_ir",), False),
    "simple-mobilenet_28_valid-edp": ("simple", "mobilenet_28_valid", {}, "edp", ("einsum_ir",), True),
    "tpu_v4i+v4i-mobilenet_28_valid-energy": ("tpu_v4i", "mobilenet_28_valid", {}, "energy",
                                              ("einsum_ir",), True),
    "tpu_v4i+v4i-mobilenet_28_valid-edp": ("tpu_v4i", "mobilenet_28_valid", {}, "edp",
                                           ("einsum_ir",), True),
}


def tree_rss_kb(pid):
    """Sum of the proportional set sizes (Pss: shared pages split among
    their users, so forked workers are not counted twice) over pid and its
    descendants (kB)."""
    children = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(p))
        except (OSError, ValueError, IndexError):
            pass
    total, stack = 0, [pid]
    while stack:
        q = stack.pop()
        try:
            with open(f"/proc/{q}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(q, []))
    return total


def run_child(cmd, timeout, cwd=None):
    """Runs cmd; returns (rc or None on timeout, stdout, stderr, seconds, maxrss_MB, tree_MB)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(p.pid))
            done.wait(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    timed_out = False
    deadline = t0 + timeout if timeout else None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            timed_out = True
            os.killpg(p.pid, 9)
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.05)
    secs = time.perf_counter() - t0
    done.set()
    th.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return (None if timed_out else p.returncode, out.read().decode(errors="replace"),
            err.read().decode(errors="replace"), secs, ru.ru_maxrss / 1024.0, peak[0] / 1024.0)


def ref_workload(args, wl):
    """The reference's name or in-chroot path for workload wl (GENERATED ones written once per run)."""
    if wl not in GENERATED:
        return wl
    if not getattr(args, "ref_tmp", None):
        args.ref_tmp = tempfile.mkdtemp(prefix="ffm-peer-", dir=os.path.join(args.root, "tmp"))
    path = os.path.join(args.ref_tmp, wl + ".yaml")
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write(GENERATED[wl](args.root))
    return "/" + os.path.relpath(path, args.root)


def chroot_cmd(args, py_args):
    return ["chroot", args.root, os.path.join(args.venv, "bin", "python"), "/opt/peer/ref_runner.py"] + py_args


def make_ir(args, name, case, workdir):
    _, wl, jinja, _, how, _ = case
    path = os.path.join(workdir, name + ".mlir")
    if how[0] == "chain":
        ir = subprocess.run([sys.executable, os.path.join(REPO, "bench", "gen_workloads.py"), "chain",
                             "--n", how[1], "--dims", how[2], "--name", "chain"],
                            check=True, capture_output=True, text=True).stdout
    else:
        rc, so, se, *_ = run_child(chroot_cmd(args, ["--arch", case[0], "--workload", ref_workload(args, wl),
                                                     "--jinja", json.dumps(jinja), "--dump-workload"]), 600)
        if rc != 0:
            raise RuntimeError(f"workload dump failed: {se[-2000:]}")
        wj = os.path.join(workdir, name + ".workload.json")
        with open(wj, "w") as f:
            f.write(so.strip().splitlines()[-1])
        ir = subprocess.run([sys.executable, os.path.join(HERE, "einsum_ir.py"), wj, "--name", "workload"],
                            check=True, capture_output=True, text=True).stdout
    with open(path, "w") as f:
        f.write(ir)
    return path


def run_ours(args, arch_file, ir, objective, report):
    cmd = [args.ffm_opt, f"--ffm-fuse=arch-file={arch_file} objective={objective} "
           f"max-fused-loops-per-rank={args.per_rank} report={report} rewrite=false"
           + (f" time-limit={args.our_timeout}" if args.our_timeout else ""), ir, "-o", "/dev/null"]
    rc, so, se, secs, rss, tree = run_child(cmd, args.our_timeout + 60 if args.our_timeout else None)
    res = {"rc": rc, "seconds": secs, "rss_MB": rss, "tree_MB": tree}
    if rc == 0:
        with open(report) as f:
            fn = json.load(f)["functions"][0]
        res.update(energy_pJ=fn["energy_pj"], latency_cycles=fn["latency_cycles"],
                   unfused_energy_pJ=fn["unfused"]["energy_pj"],
                   unfused_latency_cycles=fn["unfused"]["latency_cycles"],
                   groups=fn.get("fusion_groups"))
    else:
        # The diagnostic itself, not the path it starts with (the table
        # keeps 80 characters).
        lines = se.strip().splitlines()
        errors = [l[l.index("error:"):] for l in lines if "error:" in l]
        res["error"] = errors or lines[-3:]
    return res


REF_CACHE = {}


def ref_key(case, fused):
    return json.dumps([case[0], case[1], case[2], case[3], bool(fused)], sort_keys=True)


def run_ref(args, case, fused):
    """The reference once per (arch, workload, objective, fused) in a run:
    cases that differ only in our arch share its result."""
    key = ref_key(case, fused)
    if key not in REF_CACHE:
        REF_CACHE[key] = dict(_run_ref(args, case, fused))
        return REF_CACHE[key]
    return dict(REF_CACHE[key], shared=True)


def _run_ref(args, case, fused):
    arch, wl, jinja, objective, _, _ = case
    _, escale, clock = ARCHES[arch]
    cmd = chroot_cmd(args, ["--arch", arch, "--workload", ref_workload(args, wl), "--jinja", json.dumps(jinja),
                            "--objective", objective, "--fused", "1" if fused else "0",
                            "--per-rank", str(args.per_rank), "--jobs", str(args.jobs)])
    rc, so, se, secs, rss, tree = run_child(cmd, args.ref_timeout)
    res = {"rc": rc, "seconds": secs, "rss_MB": rss, "tree_MB": tree}
    if rc == 0:
        r = json.loads(so.strip().splitlines()[-1])
        res.update(energy_pJ=r["energy"] * escale, latency_cycles=r["latency"] * clock,
                   seconds_map=r["seconds_map"], seconds_import=r["seconds_import"], version=r["version"])
    elif rc is None:
        res["error"] = [f"timeout after {args.ref_timeout} s"]
    else:
        res["error"] = se.strip().splitlines()[-3:]
    return res


def obj(e, l, objective):
    return {"energy": e, "latency": l, "edp": e * l}[objective]


def fmt(x, spec=".4g"):
    return "—" if x is None else format(x, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--venv", default="/opt/afvenv")
    ap.add_argument("--ffm-opt", default=os.path.join(REPO, "build", "bin", "ffm-opt"))
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "results", "peer"))
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--per-rank", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--ref-timeout", type=float, default=1800)
    ap.add_argument("--our-timeout", type=float, default=1800)
    ap.add_argument("--merge", action="store_true",
                    help="add to the results.json in --out; its reference runs are reused for equal configurations")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(os.path.join(a.root, "opt", "peer"), exist_ok=True)
    shutil.copy(os.path.join(HERE, "ref_runner.py"), os.path.join(a.root, "opt", "peer", "ref_runner.py"))
    work = tempfile.mkdtemp(prefix="ffm-peer-")
    results = {}
    if a.merge and os.path.exists(os.path.join(a.out, "results.json")):
        with open(os.path.join(a.out, "results.json")) as f:
            results = json.load(f)
        for name, r in results.items():
            if name in CASES:
                REF_CACHE.setdefault(ref_key(CASES[name], True), r["reference"])
                if r.get("reference_unfused"):
                    REF_CACHE.setdefault(ref_key(CASES[name], False), r["reference_unfused"])
    for name in a.cases.split(","):
        case = CASES[name]
        arch_file = (OUR_ARCH_REG if "+reg" in name else OUR_ARCH_V4I if "+v4i" in name
                     else ARCHES[case[0]][0])
        print(f"== {name}", flush=True)
        ir = make_ir(a, name, case, work)
        ours = run_ours(a, arch_file, ir, case[3], os.path.join(work, name + ".report.json"))
        print("  ours:", json.dumps({k: v for k, v in ours.items() if k != "groups"}), flush=True)
        ref = run_ref(a, case, True)
        print("  reference:", json.dumps(ref), flush=True)
        ref_unfused = run_ref(a, case, False) if case[5] else None
        if ref_unfused:
            print("  reference unfused:", json.dumps(ref_unfused), flush=True)
        results[name] = {"case": {"arch": case[0], "our_arch": os.path.relpath(arch_file, REPO),
                                  "workload": case[1], "jinja": case[2], "objective": case[3]},
                         "ours": ours, "reference": ref, "reference_unfused": ref_unfused}
        with open(os.path.join(a.out, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    write_table(a, results)
    # Our failures fail the run (a reference past its time limit is a row).
    failed = [name for name in a.cases.split(",") if results[name]["ours"].get("rc") != 0]
    if failed:
        print("ffm-opt failed on: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def write_table(a, results):
    version = next((r["reference"].get("version") for r in results.values()
                    if r["reference"].get("version")), None)
    lines = [
        "# ffm-opt vs the reference mapper (accelforge " + str(version) + ")",
        "",
        f"Produced by `bash bench/peer/run.sh`. Fused-loop limit: {a.per_rank} per rank on both sides"
        " (the reference's `max_fused_loops_per_rank_variable`; its total `max_fused_loops` left unlimited);"
        f" the reference with {a.jobs} worker processes, ffm-opt with its default threads; reference time limit"
        f" {a.ref_timeout:g} s in the latest run. Energy in pJ, latency in cycles (the reference's J and s converted by"
        " the arch's scale and clock). Rows run alone or merged from several runs"
        " (`--merge`, and `bash bench/peer/run.sh CASES`): `machine.txt` gives each run's machine and load, `results.json`"
        " every row's figures. ffm-opt searches its default mapspace (`node-depths=false`: a keep node heads"
        " its level's block), which the reference's contains (docs/mapspace.md), and the two models differ"
        " where docs/model.md says; the same optimum on both is what the objective ratio checks. `time` is the wall time of the whole process (the reference's"
        " includes ~1-4 s of Python imports, `import s`), `RSS` the larger of wait4's peak RSS and the peak Pss summed over its process tree (the reference forks workers), in MB.",
        "Ratios are ours / the reference's; an objective ratio of 1.000 is the same optimum."
        " `=`: the reference figures of another row with the same reference configuration (the reference runs once per configuration)."
        " `+reg` rows use `bench/peer/arch/tpu_v4i_register.yaml` (our preset plus the reference's"
        " zero-energy per-MAC weight register) instead of `examples/arch/tpu_v4i_like.yaml`;"
        " `+v4i` rows `examples/arch/tpu_v4i.yaml` (the reference's spec transcribed: register,"
        " scalar unit, separate ports, class rules; docs/arch.md).",
        "",
        "| case | objective | ours time s | ref time s (import s) | time ratio | ours RSS MB | ref RSS MB |"
        " ours energy | ref energy | ours latency | ref latency | objective ratio | ours unfused E / L | ref unfused E / L |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        o, f, u = r["ours"], r["reference"], r["reference_unfused"]
        objective = r["case"]["objective"]
        ok_o, ok_f = o.get("rc") == 0, f.get("rc") == 0
        tr = fmt(o["seconds"] / f["seconds"], ".3g") if ok_o and ok_f else "—"
        orat = (fmt(obj(o["energy_pJ"], o["latency_cycles"], objective)
                    / obj(f["energy_pJ"], f["latency_cycles"], objective), ".4f") if ok_o and ok_f else "—")
        ref_time = (f"{f['seconds']:.2f} ({f['seconds_import']:.1f})" + (" =" if f.get("shared") else "") if ok_f else
                    "; ".join(f.get("error", ["failed"]))[:80])
        our_time = f"{o['seconds']:.2f}" if ok_o else "; ".join(o.get("error", ["failed"]))[:80]
        uf = (f"{fmt(u['energy_pJ'])} / {fmt(u['latency_cycles'])}" if u and u.get("rc") == 0 else "not run")
        lines.append(
            f"| {name} | {objective} | {our_time} | {ref_time} | {tr} | "
            f"{fmt(max(o['rss_MB'], o['tree_MB']), '.0f')} | {fmt(max(f['rss_MB'], f['tree_MB']), '.0f')} | "
            f"{fmt(o.get('energy_pJ'))} | {fmt(f.get('energy_pJ'))} | {fmt(o.get('latency_cycles'))} | "
            f"{fmt(f.get('latency_cycles'))} | {orat} | "
            f"{fmt(o.get('unfused_energy_pJ'))} / {fmt(o.get('unfused_latency_cycles'))} | {uf} |")
    lines += ["", "Cases: the reference's arch and workload (its examples, as its regression test"
              " names them) and ours: `" + "`, `".join(sorted({r['case']['our_arch'] for r in results.values()}))
              + "`; matmul chains from `bench/gen_workloads.py chain`, the GPT-3 layer (10 Einsums) and"
              " MobileNet (6) from `bench/peer/einsum_ir.py` (the reference's own parse of its workload)."
              " `mobilenet_28_valid`: the reference's `mobilenet_28` with valid (unpadded) depthwise"
              " convolutions, 28x28 -> 26x26 -> 24x24 (`bench/peer/README.md`).", ""]
    with open(os.path.join(a.out, "table.md"), "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(a.out, "reference_version.txt"), "w") as f:
        f.write(f"accelforge {version}\n")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
