//===- CountIterationsPass.cpp - --ffm-count-iterations -------------------===//
//
// Counts body executions from the loop structure alone, so that comparing
// the original with the rewritten IR checks the rewrite independently of
// MappingFromIR (which reads the same loops to recover the mapping).
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Support.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace ffm {
#define GEN_PASS_DEF_FFMCOUNTITERATIONS
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {
/// Trip count of a loop with static bounds, or nullopt.
std::optional<uint64_t> staticTrips(Operation *loop) {
  if (auto forOp = dyn_cast<scf::ForOp>(loop)) {
    std::optional<APInt> trips = forOp.getStaticTripCount();
    if (!trips)
      return std::nullopt;
    return trips->getZExtValue();
  }
  auto forall = cast<scf::ForallOp>(loop);
  uint64_t trips = 1;
  for (auto [lb, ub, step] : llvm::zip(forall.getStaticLowerBound(),
                                       forall.getStaticUpperBound(),
                                       forall.getStaticStep())) {
    if (ShapedType::isDynamic(lb) || ShapedType::isDynamic(ub) ||
        ShapedType::isDynamic(step) || step <= 0)
      return std::nullopt;
    // Saturated: the caller's product then overflows and says so.
    trips = llvm::SaturatingMultiply(
        trips, ub > lb ? (static_cast<uint64_t>(ub - lb) + step - 1) / step
                       : uint64_t(0));
  }
  return trips;
}

struct CountIterationsPass
    : ffm::impl::FFMCountIterationsBase<CountIterationsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::string lines;
    llvm::raw_string_ostream body(lines);
    uint64_t total = 0;
    WalkResult walk = func.walk([&](linalg::LinalgOp op) -> WalkResult {
      if (isa<linalg::FillOp>(op))
        return WalkResult::advance();
      // A count past 64 bits is an error, not a wrapped number: the
      // counts are compared between the original and the rewritten IR.
      uint64_t count = 1;
      bool over = false;
      auto overflows = [&] {
        return op->emitError("ffm-count-iterations: the op runs more than "
                             "2^64 times");
      };
      for (int64_t range : op.getStaticLoopRanges()) {
        if (ShapedType::isDynamic(range))
          return op->emitError("ffm-count-iterations: the op has a dynamic "
                               "loop range");
        count = llvm::SaturatingMultiply(count, (uint64_t)range, &over);
        if (over)
          return overflows();
      }
      for (Operation *parent = op->getParentOp(); parent != func;
           parent = parent->getParentOp()) {
        if (!isa<scf::ForOp, scf::ForallOp>(parent))
          return op->emitError("ffm-count-iterations: cannot count under '")
                 << parent->getName() << "'";
        std::optional<uint64_t> trips = staticTrips(parent);
        if (!trips)
          return op->emitError("ffm-count-iterations: an enclosing loop has "
                               "dynamic bounds");
        count = llvm::SaturatingMultiply(count, *trips, &over);
        if (over)
          return overflows();
      }
      auto name = op->getAttrOfType<StringAttr>(kEinsumAttr);
      body << "  " << (name ? name.getValue() : op->getName().getStringRef())
           << " " << count << "\n";
      total = llvm::SaturatingAdd(total, count, &over);
      if (over)
        return op->emitError("ffm-count-iterations: the function's ops run "
                             "more than 2^64 times in all");
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    llvm::outs() << "iterations @" << func.getSymName() << ": " << total
                 << "\n"
                 << lines;
    markAllAnalysesPreserved();
  }
};
} // namespace
