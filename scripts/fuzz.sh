#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in ./build-fuzz and
# runs each for FUZZ_SECONDS (default 600) from a seed corpus made of the lit
# tests and the shipped architectures. Crashes are left in
# build-fuzz/artifacts; keep each as a regression input under test/.
#   scripts/fuzz.sh [mlir|arch]...   (default: both, one after the other)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FFM_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-600}"
FFM_EXTRA_PKGS="clang-22 libclang-rt-22-dev" bash "$root/scripts/deps.sh"
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit -DFFM_ENABLE_FUZZERS=ON >/dev/null
ninja -C "$build" ffm-mlir_fuzzer ffm-arch_yaml_fuzzer

# Seeds: every `// -----` split of every lit test, every arch YAML.
seeds="$build/seeds"
rm -rf "$seeds" && mkdir -p "$seeds/mlir" "$seeds/arch" "$build/artifacts"
python3 - "$root" "$seeds" <<'PY'
import pathlib, sys
root, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for f in sorted(list((root / "test").rglob("*.mlir")) + list((root / "examples").glob("*.mlir"))
                + list((root / "examples/arch").glob("*.mlir"))):
    for part in f.read_bytes().split(b"// -----"):
        (seeds / "mlir" / f"seed{n}.mlir").write_bytes(part)
        n += 1
for i, f in enumerate(sorted(list((root / "examples/arch").glob("*.yaml"))
                             + list((root / "test").rglob("*.yaml")))):
    (seeds / "arch" / f"seed{i}.yaml").write_bytes(f.read_bytes())
PY

run() { # name, corpus dir, extra flags
  local name="$1" corpus="$build/corpus/$1"
  mkdir -p "$corpus"
  echo "== fuzzing $name for ${seconds}s"
  # stdout (the Einsum graph printer) is closed; libFuzzer reports on stderr.
  local status=0
  "$build/bin/ffm-${name}_fuzzer" "$corpus" "$seeds/$2" \
    -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
    -close_fd_mask=1 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$name-" "${@:3}" \
    >"$build/fuzz-$name.log" 2>&1 || status=$?
  grep -aE "^(#[0-9]+ *DONE|Done|stat::|==[0-9]+==ERROR|SUMMARY)" "$build/fuzz-$name.log" || true
  [ "$status" -eq 0 ] || { echo "ffm-${name}_fuzzer failed ($status): see $build/fuzz-$name.log" >&2; return 1; }
}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(mlir arch)
for t in "${targets[@]}"; do
  case "$t" in
  mlir) run mlir mlir -max_len=8192 -dict="$root/fuzz/mlir.dict" ;;
  arch) run arch_yaml arch -max_len=2048 ;;
  *) echo "unknown target $t (mlir or arch)" >&2; exit 2 ;;
  esac
done
