#!/usr/bin/env bash
# Seeded random DAG workloads (bench/gen_workloads.py random) through
# check_rewrite.sh on every architecture given. Seed i runs the objective
# (energy, latency, edp)[i % 3] with fused-loop limit i % 2, so the set
# covers every objective and both limits.
#   check_random_rewrites.sh FFM_OPT FIRST_SEED LAST_SEED ARCH...
set -euo pipefail
opt=$1 first=$2 last=$3; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
objectives=(energy latency edp)
n=0 canon=0 refused=0
for seed in $(seq "$first" "$last"); do
  python3 "$here/../bench/gen_workloads.py" random --seed "$seed" > "$tmp/random_$seed.mlir"
  FFM_OBJECTIVES=${objectives[$((seed % 3))]} FFM_FUSED_LIMITS=$((seed % 2)) \
    bash "$here/check_rewrite.sh" "$opt" "$tmp/random_$seed.mlir" -- "$@" > "$tmp/log" ||
    { echo "FAIL: seed $seed (bench/gen_workloads.py random --seed $seed)"; cat "$tmp/log"; exit 1; }
  counts=$(sed -n 's/^after --canonicalize: \([0-9]*\) re-evaluated, \([0-9]*\) refused.*/\1 \2/p' "$tmp/log")
  [ -n "$counts" ] ||
    { echo "FAIL: seed $seed: check_rewrite.sh printed no --canonicalize counts"; cat "$tmp/log"; exit 1; }
  read -r c r <<< "$counts"
  canon=$((canon + c)) refused=$((refused + r))
  n=$((n + 1))
done
echo "OK: $n random workloads on $# architectures"
echo "after --canonicalize: $canon re-evaluated, $refused refused (unit reshape rebuilt)"
