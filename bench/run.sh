#!/usr/bin/env bash
# One command for the benchmark: installs what it needs, builds, runs, and
# leaves CSV, PNG and the printed tables in bench/results/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/build.sh" >/dev/null
if ! /usr/bin/python3 -c "import matplotlib" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-matplotlib >/dev/null
fi
arch="${1:-small_2level.yaml}"
out="$root/bench/results/${arch%.yaml}"
mkdir -p "$out"
/usr/bin/python3 "$root/bench/run_bench.py" "$@" | tee "$out/bench.txt"
# Body executions of the rewritten IR against the original, every example,
# preset and objective: results/iterations.txt (exits non-zero unless 1.000).
/usr/bin/python3 "$root/bench/iterations.py" > /dev/null
