//===- mlir_fuzzer.cpp - libFuzzer target: MLIR source through ffm-fuse ---===//
//
// Bytes are parsed as MLIR source, verified, then run through
// --ffm-einsum-graph and --ffm-fuse (search, rewrite and the verifier after
// each pass). Any outcome is fine except a crash, a hang, or a failure that
// reports no error: a pass that fails silently would leave the user with
// nothing to act on.
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Support.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/SourceMgr.h"
#include <cstdlib>

static mlir::DialectRegistry &registry() {
  static mlir::DialectRegistry *r = [] {
    auto *r = new mlir::DialectRegistry;
    mlir::registerAllDialects(*r);
    mlir::registerAllExtensions(*r);
    ffm::registerFFMDialects(*r);
    ffm::registerFFMPasses();
    return r;
  }();
  return *r;
}

// Debian's libLLVM/libMLIR are not instrumented, but LLVM headers inlined
// here poison allocator memory that the library then touches unpoisoned:
// user poisoning off, or every run stops on a false use-after-poison.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // ffm-opt rejects these before parsing (MLIR's parser recurses per level,
  // and crashes on a linalg op's properties that are no dictionary).
  if (ffm::findExcessiveNesting(text) || ffm::findNonDictionaryProperties(text))
    return 0;
  mlir::MLIRContext context(registry(),
                            mlir::MLIRContext::Threading::DISABLED);
  bool sawError = false;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    sawError |= d.getSeverity() == mlir::DiagnosticSeverity::Error;
    return mlir::success();
  });
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::Operation *> op =
      mlir::parseSourceFile(sources, &context);
  if (!op)
    return 0;
  mlir::PassManager pm(&context, op.get()->getName().getStringRef());
  // Small budgets keep every input fast; hitting one is a diagnosed outcome.
  if (mlir::failed(mlir::parsePassPipeline(
          "any(func.func(ffm-einsum-graph,ffm-fuse{max-pmappings=20000 "
          "time-limit=2}))",
          pm)))
    std::abort();
  if (mlir::failed(pm.run(op.get())) && !sawError)
    std::abort(); // failed without telling the user why
  return 0;
}
