#!/usr/bin/env bash
# Configures and builds ffm-mlir against Debian's LLVM/MLIR 22 in ./build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/deps.sh"
build="${FFM_BUILD_DIR:-$root/build}"
cmake -G Ninja -S "$root" -B "$build" \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
  ${FFM_CMAKE_ARGS:-} >/dev/null
ninja -C "$build"
