#!/usr/bin/env python3
"""Evaluates fixed mappings with the reference model (accelforge), inside its venv.

Called by bench/peer/model_diff.py through chroot. Reads a JSON file: a list
of cases {"arch": NAME or path, "workload": YAML text, "mapping": YAML text};
writes a JSON list, one result per case: {"ok": true, "energy", "latency",
"actions": {"component|tensor|action": count in bits}, "latency_per_component"}
or {"ok": false, "error": "..."}.

The reference's public API for a given mapping: Spec.from_yaml(arch,
workload, mapping) then spec.evaluate_mapping() (accelforge/model/main.py),
which returns the same Mappings object as its mapper, with .energy(),
.latency() and .actions(per_component=True, per_einsum=True, per_tensor=True).

  ref_eval.py IN.json OUT.json
"""
import json
import os
import sys
import tempfile


def main():
    src, dst = sys.argv[1], sys.argv[2]
    with open(src) as f:
        cases = json.load(f)
    # The reference may write files (mapping renders) into the working directory.
    work = tempfile.mkdtemp(prefix="ffm-model-diff-")
    os.chdir(work)
    import accelforge as af
    from accelforge.frontend.spec import Spec

    out = []
    for i, c in enumerate(cases):
        arch = c["arch"]
        if not os.path.exists(arch):
            arch = getattr(af.examples.arches, arch)
        wl, mp = os.path.join(work, f"w{i}.yaml"), os.path.join(work, f"m{i}.yaml")
        with open(wl, "w") as f:
            f.write(c["workload"])
        with open(mp, "w") as f:
            f.write(c["mapping"])
        try:
            spec = Spec.from_yaml(arch, wl, mp)
            r = spec.evaluate_mapping()
            acts = r.actions(per_component=True, per_einsum=True, per_tensor=True)
            lat = r.latency(per_component=True, per_einsum=True)
            out.append({
                "ok": True,
                "energy": float(r.energy()),
                "latency": float(r.latency()),
                "actions": {f"{k[1]}|{k[2]}|{k[3]}": float(v) for k, v in acts.items()},
                "latency_per_component": {str(k[1]): float(v) for k, v in lat.items()},
            })
        except Exception as e:  # a mapping the reference rejects
            out.append({"ok": False, "error": f"{type(e).__name__}: {e}"[:500]})
    with open(dst, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
