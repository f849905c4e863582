//===- arch_yaml_fuzzer.cpp - libFuzzer target: the YAML arch loader ------===//
//
// Bytes are parsed as an architecture description. A rejected one must come
// with a message; an accepted one must satisfy the same rules the attribute
// verifier applies, and map a small matmul chain (or explain why not)
// without crashing.
//
//===----------------------------------------------------------------------===//
#include "ffm/Arch/Arch.h"
#include "ffm/Mapper/Mapper.h"
#include "../test/Unit/TestUtil.h"

#include "llvm/Support/Error.h"
#include <cstdlib>

static const ffm::Workload &chain() {
  // C = A B; E = C D: enough for fusion choices at every level.
  static const ffm::Workload w = [] {
    ffm::test::WorkloadBuilder b;
    int e0 = b.matmul("mm0", 8, 4, 6);
    int e1 = b.matmul("mm1", 8, 12, 4, b.w.einsums[e0].output.tensor);
    return b.finish({b.w.einsums[e1].output.tensor});
  }();
  return w;
}

// Debian's libLLVM/libMLIR are not instrumented, but LLVM headers inlined
// here poison allocator memory that the library then touches unpoisoned:
// user poisoning off, or every run stops on a false use-after-poison.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<ffm::Arch> arch = ffm::parseArchYaml(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.yaml");
  if (!arch) {
    if (llvm::toString(arch.takeError()).empty())
      std::abort(); // rejected without a reason
    return 0;
  }
  if (!arch->validate().empty())
    std::abort(); // the loader accepted what the verifier rejects
  ffm::SearchOptions options;
  options.maxPmappings = 20000;
  options.timeLimitSeconds = 2;
  ffm::SearchResult result = ffm::search(chain(), *arch, options);
  if (!result.error.empty())
    return 0;
  if (result.einsums.size() != chain().einsums.size())
    std::abort(); // success must map every Einsum
  return 0;
}
