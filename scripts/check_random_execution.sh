#!/usr/bin/env bash
# Seeded random DAG workloads (bench/gen_workloads.py random), each fused on
# one of the architectures given (seed i on ARCH[i % #ARCH], objective
# (energy, latency, edp)[i % 3]) and executed against the original by
# run_equivalence.py.
#   check_random_execution.sh FFM_OPT RUNNER LIB_DIR FIRST LAST ARCH...
# FFM_FUSE_EXTRA adds --ffm-fuse options (max-spatial-ranks-per-dim=2).
set -euo pipefail
opt=$1 runner=$2 libdir=$3 first=$4 last=$5; shift 5
archs=("$@")
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
objectives=(energy latency edp)
n=0
for seed in $(seq "$first" "$last"); do
  wl="$tmp/random_$seed.mlir"
  python3 "$here/../bench/gen_workloads.py" random --seed "$seed" > "$wl"
  arch=${archs[$((seed % ${#archs[@]}))]}
  python3 "$here/run_equivalence.py" --ffm-opt "$opt" --runner "$runner" --lib-dir "$libdir" \
    --fuse "arch-file=$arch objective=${objectives[$((seed % 3))]} verify=true ${FFM_FUSE_EXTRA:-}" "$wl" > "$tmp/log" ||
    { echo "FAIL: seed $seed on $arch"; cat "$tmp/log"; exit 1; }
  n=$((n + 1))
done
echo "OK: $n random workloads run and agree"
