#!/usr/bin/env bash
# Seeded convolution chains whose channels grow (bench/gen_workloads.py
# convchain --widen: kernels 2-3, strides and dilations 1-2, odd sizes),
# each fused on every architecture given for energy, latency and EDP with
# verify=true and executed against the original by run_equivalence.py;
# counts the runs whose mapping fuses through a window (a halo loop).
#   check_halo_execution.sh FFM_OPT RUNNER LIB_DIR FIRST LAST ARCH...
set -euo pipefail
opt=$1 runner=$2 libdir=$3 first=$4 last=$5; shift 5
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0 halo=0
for seed in $(seq "$first" "$last"); do
  wl="$tmp/conv_$seed.mlir"
  python3 "$here/../bench/gen_workloads.py" convchain --widen --seed "$seed" > "$wl"
  for arch in "$@"; do
    for objective in energy latency edp; do
      fuse="arch-file=$arch objective=$objective verify=true"
      "$opt" --ffm-fuse="$fuse" "$wl" > "$tmp/fused.mlir"
      if grep -q ' halo [0-9]* step ' "$tmp/fused.mlir"; then halo=$((halo + 1)); fi
      python3 "$here/run_equivalence.py" --ffm-opt "$opt" --runner "$runner" \
        --lib-dir "$libdir" --fuse "$fuse" "$wl" > "$tmp/log" ||
        { echo "FAIL: seed $seed on $arch ($objective)"; cat "$tmp/log"; exit 1; }
      n=$((n + 1))
    done
  done
done
echo "OK: $n convolution chains run and agree, $halo with halo loops"
