//===- EinsumGraphPass.cpp - --ffm-einsum-graph ---------------------------===//
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace ffm {
#define GEN_PASS_DEF_FFMEINSUMGRAPH
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {
struct EinsumGraphPass : ffm::impl::FFMEinsumGraphBase<EinsumGraphPass> {
  using Base::Base;

  void runOnOperation() override {
    if (format != "text" && format != "dot") {
      emitError(getOperation().getLoc(), "ffm-einsum-graph: unknown format '")
          << format << "' (expected text or dot)";
      return signalPassFailure();
    }
    auto &graph = getAnalysis<EinsumGraphAnalysis>();
    if (!graph.isValid())
      return signalPassFailure();
    if (format == "dot")
      graph.getWorkload().printDot(llvm::outs());
    else
      graph.getWorkload().print(llvm::outs());
    markAllAnalysesPreserved();
  }
};
} // namespace
