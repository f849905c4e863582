#!/usr/bin/env python3
"""FFM scaling benchmark: Transformer stacks of growing depth.

  bench/run.sh            (installs what it needs, builds, runs this)

For stacks of 1..N layers (13 Einsums each) of a small Transformer layer,
runs `ffm-opt --ffm-fuse` on one architecture and records the search
runtime, mapspace figures (candidates built, valid pmappings, kept after
pruning, largest join frontier) and peak RSS; on chains of matmuls it also
runs the exhaustive reference and compares the optimum and the runtime, as
ratios measured in the same run; last it maps the full-size GPT-3 layer
(bench/workloads/gpt3_layer.mlir) for each objective and, when
../shared/inputs is there, the
DeepSeek-R1 decoder block for each objective (FFM_BENCH_GPT3_LIMIT seconds
each, default 3600), the CNN blocks, and GPT-3-size stacks of 1 to 16
layers for each objective (stacks.csv, stacks.png). FFM_BENCH_ONLY=
gpt3,cnn,deepseek,stacks runs only those parts. Writes bench/results/<arch>/scaling.csv,
exhaustive.csv, gpt3.csv, deepseek.csv, scaling.png, machine.txt and
prints tables.
"""
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# FFM_OPT: another ffm-opt (a copy, so that a rebuild cannot change it mid-run).
FFM = os.environ.get("FFM_OPT", os.path.join(ROOT, "build", "bin", "ffm-opt"))
GEN = os.path.join(ROOT, "bench", "gen_workloads.py")
OUT = os.path.join(ROOT, "bench", "results")
REPORTS = tempfile.mkdtemp()  # the JSON reports, never next to the inputs


def gen(args, path):
    with open(path, "w") as f:
        subprocess.run([sys.executable, GEN] + args, stdout=f, check=True)


def fuse(path, arch, extra=""):
    """One ffm-opt run: (report, wall seconds, its own peak RSS in KB) or
    (None, wall, first error line)."""
    rep = os.path.join(REPORTS, os.path.basename(path) + ".json")
    t = time.perf_counter()
    p = subprocess.Popen([FFM, f"--ffm-fuse=arch-file={arch} report={rep} rewrite=false {extra}",
                          path, "-o", "/dev/null"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    stderr = p.stderr.read()
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the
    # largest of every run so far, the exhaustive ones included).
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        return None, wall, stderr.strip().splitlines()[0]
    return json.load(open(rep))["functions"][0], wall, usage.ru_maxrss


def mapped(name, path, arch, extra, **fields):
    """Maps one workload and prints a line; its CSV row."""
    r, wall, rss = fuse(path, arch, extra)
    if r is None:
        print(f"{name}: not mapped: {rss}")
        return dict(workload=name, **fields, seconds=round(wall, 2), mapped=False)
    s = r["stats"]
    # The Einsum whose enumerations took the most steps, over every pass.
    slowest = max(r["einsums"], key=lambda e: e.get("search_steps", 0))
    print(f"{name}: {wall:.2f} s (generation {s['generate_seconds']:.2f} s, join {s['join_seconds']:.2f} s, "
          f"{s['generation_passes']} passes in {s.get('searches', 1)} searches), {s['search_steps']} steps, {s['kept']} pmappings kept, "
          f"largest frontier {s['max_frontier']}, energy {r['energy_pj']:.4g} pJ vs unfused "
          f"{r['unfused']['energy_pj']:.4g} pJ, latency {r['latency_cycles']:.4g} cycles, "
          f"{len(r['fusion_groups'])} fusion groups, peak RSS {rss / 1024:.0f} MB; most steps: "
          f"{slowest['name']} ({slowest.get('search_steps', 0)}, {slowest.get('search_seconds', 0):.2f} s)")
    return dict(workload=name, **fields, seconds=round(wall, 2), mapped=True,
                generate_seconds=round(s["generate_seconds"], 2),
                join_seconds=round(s["join_seconds"], 2), generation_passes=s["generation_passes"],
                searches=s.get("searches", 1),
                search_steps=s["search_steps"], pmappings=s["pmappings"], kept=s["kept"],
                max_frontier=s["max_frontier"], mapspace_log10=round(s["mapspace_log10"], 1),
                peak_rss_mb=round(rss / 1024, 1), energy_pj=r["energy_pj"],
                latency_cycles=r["latency_cycles"], unfused_energy_pj=r["unfused"]["energy_pj"],
                fusion_groups=len(r["fusion_groups"]), most_steps_einsum=slowest["name"],
                most_steps=slowest.get("search_steps", 0),
                most_steps_seconds=round(slowest.get("search_seconds", 0), 2))


def write_csv(name, rows):
    # Failed rows have fewer fields: the header is the union, in order.
    fields = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def deepseek(arch, limit):
    """A real third-party block, when ../shared/inputs is there (it is not
    part of this repository): every objective (deepseek.csv)."""
    path = os.path.join(ROOT, "..", "shared", "inputs", "deepseek_r1_1.5b_decoder_block.mlir")
    if not os.path.exists(path):
        return
    print(f"\n# DeepSeek-R1 1.5B decoder block (../shared/inputs), time-limit {limit} s")
    write_csv("deepseek.csv", [mapped(f"deepseek_block_{o}", path, arch,
                                      f"objective={o} time-limit={limit}", objective=o)
                               for o in ("energy", "latency", "edp")])


def cnn(arch, tmp):
    """CNN blocks at ResNet-50 / MobileNet-v2 sizes, every objective:
    fused vs unfused energy and search time (cnn.csv)."""
    limit = os.environ.get("FFM_BENCH_CNN_LIMIT", "600")
    blocks = [("resnet50_bottleneck_56x56x256",
               ["resnet", "--hw", "56", "--channels", "256", "--mid", "64"]),
              ("resnet50_bottleneck_56x56x256_stride2",
               ["resnet", "--hw", "56", "--channels", "256", "--mid", "64", "--stride", "2"]),
              ("mobilenetv2_block_56x56x24_t6",
               ["mobilenet", "--hw", "56", "--channels", "24", "--expand", "6"])]
    print(f"\n# CNN blocks (gen_workloads.py resnet|mobilenet), time-limit {limit} s")
    rows = []
    for name, args in blocks:
        path = os.path.join(tmp, name + ".mlir")
        gen(args + ["--name", name], path)
        rows += [mapped(f"{name}_{o}", path, arch, f"objective={o} time-limit={limit}",
                        objective=o) for o in ("energy", "latency", "edp")]
    write_csv("cnn.csv", rows)


def gpt3(arch, limit):
    """The headline workload: the full-size GPT-3 6.7B layer of the FFM
    paper, every objective (gpt3.csv)."""
    path = os.path.join(ROOT, "bench", "workloads", "gpt3_layer.mlir")
    print(f"\n# GPT-3 6.7B layer (bench/workloads/gpt3_layer.mlir, 13 Einsums), time-limit {limit} s")
    write_csv("gpt3.csv", [mapped(f"gpt3_layer_{o}", path, arch,
                                  f"objective={o} time-limit={limit}", objective=o)
                           for o in ("energy", "latency", "edp")])


def stacks(arch, tmp, limit):
    """GPT-3-size Transformer stacks (8192 tokens, D = 4096, 32 heads of 128,
    FFN 16384; 13 Einsums a layer) of 1, 2, 4, 8 and 16 layers, every
    objective: time, peak RSS and the search's effort per layer count, and
    the time each layer adds after the first (stacks.csv, stacks.png)."""
    counts = [int(c) for c in os.environ.get("FFM_BENCH_STACKS", "1,2,4,8,16").split(",")]
    print(f"\n# GPT-3-size stacks (8192 tokens, D 4096, 32x128 heads, FFN 16384), time-limit {limit} s")
    print(f"{'objective':>9} {'layers':>6} {'einsums':>7} {'seconds':>8} {'s/layer>1':>9} {'rss_MB':>7} {'steps':>11} {'kept':>9} {'frontier':>8}")
    rows = []
    for o in ("energy", "latency", "edp"):
        first = None
        for n in counts:
            path = os.path.join(tmp, f"gpt3stack{n}.mlir")
            if not os.path.exists(path):
                gen(["transformer", "--layers", str(n), "--tokens", "8192", "--model", "4096",
                     "--heads", "32", "--head-dim", "128", "--ffn", "16384",
                     "--name", f"gpt3stack{n}"], path)
            r, wall, rss = fuse(path, arch, f"objective={o} time-limit={limit}")
            if r is None:
                print(f"{o:>9} {n:>6} failed: {rss}")
                rows.append(dict(objective=o, layers=n, einsums=13 * n, seconds=round(wall, 3),
                                 error=rss))
                break
            s = r["stats"]
            if first is None:
                first = (n, wall)
            # The time each layer adds beyond the first run's: flat or
            # falling means growth no worse than linear.
            per = (wall - first[1]) / (n - first[0]) if n > first[0] else float("nan")
            rows.append(dict(objective=o, layers=n, einsums=13 * n, seconds=round(wall, 3),
                             seconds_per_added_layer=round(per, 3) if per == per else "",
                             peak_rss_mb=round(rss / 1024, 1), search_steps=s["search_steps"],
                             kept=s["kept"], max_frontier=s["max_frontier"],
                             energy_pj=r["energy_pj"], latency_cycles=r["latency_cycles"], error=""))
            print(f"{o:>9} {n:>6} {13 * n:>7} {wall:>8.2f} {per:>9.2f} {rss / 1024:>7.1f} {s['search_steps']:>11} {s['kept']:>9} {s['max_frontier']:>8}")
    write_csv("stacks.csv", rows)
    plot_stacks(rows)


def plot_stacks(rows):
    """stacks.png from stacks.csv's rows: time and peak RSS per layer count."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(1, 2, figsize=(11, 4))
        for o in ("energy", "latency", "edp"):
            ok = [r for r in rows if r["objective"] == o and not r["error"]]
            ax[0].plot([int(r["layers"]) for r in ok], [float(r["seconds"]) for r in ok], "o-", label=o)
            ax[1].plot([int(r["layers"]) for r in ok], [float(r["peak_rss_mb"]) for r in ok], "o-", label=o)
        ax[0].set_xlabel("layers (13 Einsums each)")
        ax[0].set_ylabel("ffm-fuse seconds")
        ax[0].set_title("GPT-3-size stacks: search time")
        ax[1].set_xlabel("layers (13 Einsums each)")
        ax[1].set_ylabel("peak RSS (MB)")
        ax[1].set_title("GPT-3-size stacks: memory")
        for a in ax:
            a.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "stacks.png"), dpi=100)
    except ImportError:
        print("(matplotlib missing: no plot; bench/run.sh installs python3-matplotlib)")


def main():
    global OUT
    arch = os.path.join(ROOT, "examples", "arch", sys.argv[1] if len(sys.argv) > 1 else "small_2level.yaml")
    layers = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    # One directory per architecture, so that the runs of several coexist.
    OUT = os.path.join(OUT, os.path.splitext(os.path.basename(arch))[0])
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp()
    machine = f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, {platform.platform()}"
    only = os.environ.get("FFM_BENCH_ONLY")
    if only:
        for part in only.split(","):
            if part == "cnn":
                cnn(arch, tmp)
            elif part == "deepseek":
                deepseek(arch, os.environ.get("FFM_BENCH_GPT3_LIMIT", "3600"))
            elif part == "gpt3":
                gpt3(arch, os.environ.get("FFM_BENCH_GPT3_LIMIT", "3600"))
            elif part == "stacks":
                stacks(arch, tmp, os.environ.get("FFM_BENCH_GPT3_LIMIT", "3600"))
            else:
                sys.exit(f"FFM_BENCH_ONLY: unknown part '{part}' (gpt3, cnn, deepseek, stacks)")
        return
    rows = []
    print(f"# ffm-opt --ffm-fuse scaling on {os.path.basename(arch)}; machine: {machine}")
    print(f"{'layers':>6} {'einsums':>7} {'seconds':>8} {'log10_space':>11} {'steps':>11} {'candidates':>11} {'pmappings':>10} {'kept':>7} {'frontier':>8} {'groups':>6} {'rss_MB':>7}")
    for n in range(1, layers + 1):
        path = os.path.join(tmp, f"stack{n}.mlir")
        gen(["transformer", "--layers", str(n), "--tokens", "8", "--model", "16", "--heads", "2",
             "--head-dim", "4", "--ffn", "32", "--name", f"stack{n}"], path)
        r, wall, rss = fuse(path, arch)
        if r is None:
            print(f"{n:>6} failed: {rss}")
            break
        s = r["stats"]
        row = dict(layers=n, einsums=13 * n, seconds=round(wall, 3),
                   mapspace_log10=round(s["mapspace_log10"], 1), search_steps=s["search_steps"],
                   candidates=s["candidates"],
                   pmappings=s["pmappings"], kept=s["kept"], max_frontier=s["max_frontier"],
                   fusion_groups=len(r["fusion_groups"]), peak_rss_mb=round(rss / 1024, 1),
                   energy_pj=r["energy_pj"], unfused_energy_pj=r["unfused"]["energy_pj"])
        rows.append(row)
        print(f"{n:>6} {13 * n:>7} {wall:>8.2f} {s['mapspace_log10']:>11.1f} {s['search_steps']:>11} {s['candidates']:>11} {s['pmappings']:>10} {s['kept']:>7} "
              f"{s['max_frontier']:>8} {len(r['fusion_groups']):>6} {rss / 1024:>7.1f}")
    write_csv("scaling.csv", rows)

    print("\n# FFM vs exhaustive on chains of 16x16 matmuls (same mapspace, same run)")
    print(f"{'matmuls':>7} {'ffm_s':>8} {'exh_s':>8} {'speedup':>8} {'same_optimum':>12}")
    ex_rows = []
    for n in range(2, 6):
        path = os.path.join(tmp, f"chain{n}.mlir")
        gen(["chain", "--n", str(n), "--dims", ",".join(["16"] * (n + 2)), "--name", f"chain{n}"], path)
        a, ta, _ = fuse(path, arch)
        b, tb, err = fuse(path, arch, "search=exhaustive max-pmappings=20000000 time-limit=300")
        if a is None or b is None:
            print(f"{n:>7} {ta:>8.2f} {'-':>8} {'-':>8} exhaustive did not finish: {err}")
            ex_rows.append(dict(matmuls=n, ffm_seconds=round(ta, 3), exhaustive_seconds="", speedup="",
                                same_optimum=""))
            continue
        same = a["energy_pj"] == b["energy_pj"]
        print(f"{n:>7} {ta:>8.2f} {tb:>8.2f} {tb / ta:>8.1f} {str(same):>12}")
        ex_rows.append(dict(matmuls=n, ffm_seconds=round(ta, 3), exhaustive_seconds=round(tb, 3),
                            speedup=round(tb / ta, 2), same_optimum=same))
    write_csv("exhaustive.csv", ex_rows)
    limit = os.environ.get("FFM_BENCH_GPT3_LIMIT", "3600")
    gpt3(arch, limit)
    deepseek(arch, limit)
    cnn(arch, tmp)
    stacks(arch, tmp, limit)
    with open(os.path.join(OUT, "machine.txt"), "w") as f:
        f.write(machine + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(1, 3, figsize=(15, 4))
        x = [r["einsums"] for r in rows]
        ax[0].plot(x, [r["seconds"] for r in rows], "o-")
        ax[0].set_xlabel("Einsums")
        ax[0].set_ylabel("ffm-fuse seconds (search)")
        ax[0].set_title("Runtime vs workload size")
        ax[1].semilogy(x, [r["search_steps"] for r in rows], "d-", label="search steps")
        ax[1].semilogy(x, [r["candidates"] for r in rows], "o-", label="candidates")
        ax[1].semilogy(x, [r["kept"] for r in rows], "s-", label="kept after pruning")
        ax[1].semilogy(x, [r["max_frontier"] for r in rows], "^-", label="largest frontier")
        ax[1].set_xlabel("Einsums")
        ax[1].legend()
        ax[1].set_title("Search effort (log)")
        ax[2].plot(x, [r["mapspace_log10"] for r in rows], "o-")
        ax[2].set_xlabel("Einsums")
        ax[2].set_ylabel("log10(raw fused mapspace)")
        ax[2].set_title("Mapspace size (counted)")
        fig.tight_layout()
        fig.savefig(os.path.join(OUT, "scaling.png"), dpi=100)
    except ImportError:
        print("(matplotlib missing: no plot; bench/run.sh installs python3-matplotlib)")


if __name__ == "__main__":
    main()
