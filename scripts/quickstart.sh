#!/usr/bin/env bash
# Installs what is missing, builds, and maps the shipped attention head onto
# the small two-level example accelerator: prints the fused, tiled IR and
# writes the JSON report to build/quickstart-report.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/build.sh" >/dev/null
build="${FFM_BUILD_DIR:-$root/build}"
"$build/bin/ffm-opt" --ffm-einsum-graph "$root/examples/attention_head.mlir" -o /dev/null
"$build/bin/ffm-opt" \
  --ffm-fuse="arch-file=$root/examples/arch/small_2level.yaml report=$build/quickstart-report.json" \
  "$root/examples/attention_head.mlir"
python3 - "$build/quickstart-report.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["functions"][0]
print(f"// {f['name']}: fused {f['energy_pj']:.0f} pJ, {f['latency_cycles']:.0f} cycles; "
      f"best unfused {f['unfused']['energy_pj']:.0f} pJ; groups {f['fusion_groups']}")
PY
