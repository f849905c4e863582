#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer in
# ./build-asan and runs the whole test suite there (lit + GoogleTest). Tests
# that need an uninstrumented host (stock mlir-opt loading the plugin, the
# out-of-tree consumer) are marked UNSUPPORTED: asan.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FFM_ASAN_BUILD_DIR:-$root/build-asan}"
# Debian's libLLVM/libMLIR are not instrumented, while LLVM headers inlined
# in our code poison allocator memory the library later touches: user
# poisoning off avoids false use-after-poison reports. Leaks are checked.
export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
FFM_BUILD_DIR="$build" CMAKE_BUILD_TYPE=RelWithDebInfo \
  FFM_CMAKE_ARGS="-DFFM_SANITIZERS=address;undefined ${FFM_CMAKE_ARGS:-}" \
  bash "$root/scripts/build.sh"
ninja -C "$build" check-ffm
