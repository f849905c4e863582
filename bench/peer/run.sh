#!/usr/bin/env bash
# One command: install the reference mapper, build ffm-opt if needed, run
# every case through both, write bench/results/peer/{table.md,results.json,
# machine.txt,reference_version.txt}.
#
#   bash bench/peer/run.sh [case,case,...]
#   PEER_REF_TIMEOUT (s, default 1800) bounds each reference run.
# Given cases, only their rows are run and replaced. Exits non-zero when
# ffm-opt fails on a case (a reference past its limit is only a row).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ROOT="${FFM_PEER_ROOT:-/opt/ffm-peer/trixie}"
out="$root/bench/results/peer"

bash "$here/install.sh"
[ -x "$root/build/bin/ffm-opt" ] || bash "$root/scripts/build.sh"

mkdir -p "$out"
info="$(
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "reference python: $(chroot "$ROOT" /opt/afvenv/bin/python --version) (Debian trixie tree, chroot)"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
)"
# Rows of some cases merge into the committed table, whose other rows keep
# their machine on record: this run's is added below it.
if [ $# -gt 0 ] && [ -f "$out/machine.txt" ]; then
  printf '\nmerged run of %s (other rows from the runs above):\n%s\n' "$1" "$info" >> "$out/machine.txt"
else
  printf '%s\n' "$info" > "$out/machine.txt"
fi

# Some cases: their rows replace the committed ones, the others stay.
cases=()
[ $# -gt 0 ] && cases=(--cases "$1" --merge)
status=0
python3 "$here/peer.py" --root "$ROOT" --ffm-opt "$root/build/bin/ffm-opt" --out "$out" \
  --ref-timeout "${PEER_REF_TIMEOUT:-1800}" "${cases[@]}" || status=$?
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
exit "$status"
