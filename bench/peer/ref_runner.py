#!/usr/bin/env python3
"""Runs one case through the reference mapper (accelforge), inside its venv.

Called by bench/peer/peer.py as a child process (so the parent can read this
process's peak RSS with wait4). Uses only accelforge's public API, as its
regression tests do: Spec.from_yaml(arch, workload, jinja_parse_data=...),
spec.mapper settings, spec.map_workload_to_arch(), mappings[0].energy() /
.latency(). Prints one JSON object on the last line of stdout.

  ref_runner.py --arch NAME --workload NAME [--jinja JSON] --objective
                energy|latency|edp [--fused 0|1] [--per-rank N]
                [--max-fused-loops N] [--jobs N] [--dump-einsums]

NAME is an attribute of accelforge.examples.arches / .workloads (the
examples shipped in the reference's wheel), or a path to a YAML file.
"""
import argparse
import json
import re
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--jinja", default="{}")
    ap.add_argument("--objective", default="energy", choices=["energy", "latency", "edp"])
    ap.add_argument("--fused", type=int, default=1)
    ap.add_argument("--per-rank", type=int, default=1)
    ap.add_argument("--max-fused-loops", type=float, default=float("inf"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--dump-einsums", action="store_true")
    ap.add_argument("--dump-workload", action="store_true",
                    help="print the parsed Einsums (for einsum_ir.py) and stop")
    a = ap.parse_args()

    # The reference writes mapping.svg into the working directory.
    import tempfile
    os.chdir(tempfile.mkdtemp(prefix="ffm-peer-"))
    t0 = time.perf_counter()
    import accelforge as af
    from accelforge.frontend.spec import Spec
    from accelforge.mapper import Metrics

    def resolve(kind, name):
        if os.path.exists(name):
            return name
        return getattr(getattr(af.examples, kind), name)

    arch = resolve("arches", a.arch)
    workload = resolve("workloads", a.workload)
    jinja = json.loads(a.jinja) or None
    af.set_n_parallel_jobs(a.jobs, print_message=False)
    t_import = time.perf_counter() - t0

    t1 = time.perf_counter()
    spec = Spec.from_yaml(arch, workload, jinja_parse_data=jinja)
    if a.dump_workload:
        print(json.dumps(dump_workload(spec.workload)))
        return
    spec.mapper.metrics = {"energy": Metrics.ENERGY, "latency": Metrics.LATENCY,
                           "edp": Metrics.ENERGY_DELAY_PRODUCT}[a.objective]
    spec.mapper.max_fused_loops_per_rank_variable = a.per_rank
    spec.mapper.max_fused_loops = a.max_fused_loops
    if not a.fused:
        # As the reference's regression test does for its unfused baseline:
        # the outermost memory keeps every tensor.
        for node in spec.arch.nodes:
            if isinstance(node, af.arch.Memory):
                node.tensors.keep = "All"
                break
    mappings = spec.map_workload_to_arch(print_progress=False)
    t_map = time.perf_counter() - t1
    m = mappings[0]
    out = {
        "energy": float(m.energy()),
        "latency": float(m.latency()),
        "n_mappings": int(len(mappings)),
        "seconds_map": t_map,
        "seconds_import": t_import,
        "version": getattr(af, "__version__", None) or _dist_version(),
    }
    if a.dump_einsums:
        out["actions"] = {str(k): float(v) for k, v in
                          m.actions(per_component=True, per_einsum=True, per_tensor=True).items()}
        out["latency_per_component"] = {str(k): float(v) for k, v in
                                        m.latency(per_component=True, per_einsum=True).items()}
    print(json.dumps(out))


def dump_workload(w):
    """The Einsums as plain data: rank sizes, and per Einsum its tensors with
    (rank, index expression) pairs in projection order and its own bounds
    on rank variables (e.g. a window's `0 <= r0 < 3`)."""
    einsums = []
    for e in w.einsums:
        tensors = []
        for ta in e.tensor_accesses:
            proj = ta.projection
            if isinstance(proj, dict):
                pairs = [[str(r), str(v)] for r, v in proj.items()]
            else:
                pairs = [[str(v).upper(), str(v)] for v in proj]
            tensors.append({"name": ta.name, "output": bool(ta.output), "projection": pairs})
        einsums.append({"name": e.name, "copy": bool(e.is_copy_operation), "tensors": tensors,
                        "iteration_space_shape": [str(c) for c in (e.iteration_space_shape or [])]})
    return {"rank_sizes": {str(k): _size(v) for k, v in (w.rank_sizes or {}).items()},
            "iteration_space_shape": {str(k): str(v) for k, v in
                                      dict(w.iteration_space_shape or {}).items()},
            "bits_per_value": str(w.bits_per_value), "einsums": einsums}


def _size(v):
    """A rank size: a number, or a product of numbers as its YAML writes
    some (GPT-3 175B's `D: 96*128`)."""
    text = str(v).replace(" ", "")
    if not re.fullmatch(r"\d+(\*\d+)*", text):
        raise ValueError(f"rank size {v!r} is not a product of integers")
    n = 1
    for f in text.split("*"):
        n *= int(f)
    return n


def _dist_version():
    from importlib.metadata import version
    return version("accelforge")


if __name__ == "__main__":
    main()
