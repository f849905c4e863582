#!/usr/bin/env bash
# For each workload x preset x objective x fused-loop limit given, --ffm-fuse
# with verify=true must pass, and --ffm-evaluate of its output must print
# the report's total energy and latency (relative 1e-9), as must
# --ffm-evaluate of that output after --canonicalize (whole-buffer views
# folded away), unless it refuses by name a unit reshape that
# canonicalization rebuilt without its ffm.kept_dims (counted).
#   check_rewrite.sh FFM_OPT WORKLOAD... -- ARCH...
# FFM_OBJECTIVES and FFM_FUSED_LIMITS narrow the objectives (default
# "energy latency edp") and fused-loop limits (default "1 0").
set -euo pipefail
opt=$1; shift
workloads=(); while [ "$1" != "--" ]; do workloads+=("$1"); shift; done; shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 canon=0 refused=0
for wl in "${workloads[@]}"; do for arch in "$@"; do
  for objective in ${FFM_OBJECTIVES:-energy latency edp}; do for fused in ${FFM_FUSED_LIMITS:-1 0}; do
    "$opt" --ffm-fuse="arch-file=$arch objective=$objective max-fused-loops-per-rank=$fused verify=true report=$tmp/r.json" "$wl" -o "$tmp/out.mlir"
    "$opt" --ffm-evaluate="arch-file=$arch" "$tmp/out.mlir" -o /dev/null > "$tmp/eval.txt"
    evals=eval
    if "$opt" --canonicalize --ffm-evaluate="arch-file=$arch" "$tmp/out.mlir" -o /dev/null > "$tmp/canon.txt" 2> "$tmp/canon.err"; then
      evals="eval canon"; canon=$((canon + 1))
    elif grep -q "has lost its 'ffm.kept_dims'" "$tmp/canon.err"; then
      refused=$((refused + 1))
    else
      cat "$tmp/canon.err" >&2; echo "FAIL $wl $arch $objective $fused: --canonicalize, then --ffm-evaluate" >&2; exit 1
    fi
    for eval in $evals; do
    python3 - "$tmp/r.json" "$tmp/$eval.txt" "$wl $arch $objective $fused ($eval)" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))["functions"]
totals = dict((m.group(1), (float(m.group(2)), float(m.group(3)))) for m in
              re.finditer(r"total @(\S+): energy (\S+) pJ, latency (\S+) cycles", open(sys.argv[2]).read()))
for f in report:
    e, l = totals[f["name"]]
    for got, want in ((e, f["energy_pj"]), (l, f["latency_cycles"])):
        if abs(got - want) > 1e-9 * max(abs(got), abs(want)):
            sys.exit(f"FAIL {sys.argv[3]}: evaluated {got}, reported {want}")
PY
    done
    n=$((n + 1))
  done; done
done; done
echo "OK: $n rewrites verified and re-evaluated"
echo "after --canonicalize: $canon re-evaluated, $refused refused (unit reshape rebuilt)"
