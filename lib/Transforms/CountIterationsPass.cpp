//===- CountIterationsPass.cpp - --ffm-count-iterations -------------------===//
//
// Counts body executions from the loop structure alone, so that comparing
// the original with the rewritten IR checks the rewrite independently of
// MappingFromIR (which reads the same loops to recover the mapping).
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/EinsumGraphAnalysis.h"
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
/// Appends the trip counts of a loop with static bounds (one per
/// dimension of an scf.forall); failure where a bound is dynamic.
LogicalResult appendTrips(Operation *loop, SmallVectorImpl<uint64_t> &trips) {
  if (auto forOp = dyn_cast<scf::ForOp>(loop)) {
    std::optional<APInt> count = forOp.getStaticTripCount();
    if (!count)
      return failure();
    trips.push_back(count->getZExtValue());
    return success();
  }
  auto forall = cast<scf::ForallOp>(loop);
  for (auto [lb, ub, step] : llvm::zip(forall.getStaticLowerBound(),
                                       forall.getStaticUpperBound(),
                                       forall.getStaticStep())) {
    if (ShapedType::isDynamic(lb) || ShapedType::isDynamic(ub) ||
        ShapedType::isDynamic(step) || step <= 0)
      return failure();
    // In unsigned arithmetic: ub - lb may not fit in int64.
    trips.push_back(ub > lb ? ((uint64_t)ub - (uint64_t)lb - 1) /
                                      (uint64_t)step +
                                  1
                            : 0);
  }
  return success();
}

/// Prints `func`'s total and its ops' counts to `os`; failure (after an
/// error on the op) where some op cannot be counted.
LogicalResult countIterations(func::FuncOp func, llvm::raw_ostream &os) {
  std::string lines;
  llvm::raw_string_ostream body(lines);
  uint64_t total = 0;
  WalkResult walk = func.walk([&](linalg::LinalgOp op) -> WalkResult {
    if (isFill(op))
      return WalkResult::advance();
    SmallVector<uint64_t> factors;
    for (int64_t range : op.getStaticLoopRanges()) {
      if (ShapedType::isDynamic(range))
        return op->emitError("ffm-count-iterations: the op has a dynamic "
                             "loop range");
      factors.push_back(range);
    }
    for (Operation *parent = op->getParentOp(); parent != func;
         parent = parent->getParentOp()) {
      if (!isa<scf::ForOp, scf::ForallOp>(parent))
        return op->emitError("ffm-count-iterations: cannot count under '")
               << parent->getName() << "'";
      if (failed(appendTrips(parent, factors)))
        return op->emitError("ffm-count-iterations: an enclosing loop has "
                             "dynamic bounds");
    }
    // A count of 2^64 or more is an error, not a wrapped number: the
    // counts are compared between the original and the rewritten IR.
    // (A zero factor makes it 0 whatever the others are.)
    uint64_t count = 1;
    bool over = false;
    if (llvm::is_contained(factors, 0))
      count = 0;
    else
      for (uint64_t f : factors) {
        count = llvm::SaturatingMultiply(count, f, &over);
        if (over)
          return op->emitError("ffm-count-iterations: the op runs 2^64 "
                               "times or more");
      }
    auto name = op->getAttrOfType<StringAttr>(kEinsumAttr);
    body << "  " << (name ? name.getValue() : op->getName().getStringRef())
         << " " << count << "\n";
    total = llvm::SaturatingAdd(total, count, &over);
    if (over)
      return op->emitError("ffm-count-iterations: the function's ops run "
                           "2^64 times or more in all");
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  os << "iterations @" << func.getSymName() << ": " << total << "\n"
     << lines;
  return success();
}

struct CountIterationsPass
    : ffm::impl::FFMCountIterationsBase<CountIterationsPass> {
  using Base::Base;

  void runOnOperation() override {
    // Every function of the module (as a function pass nested in it would
    // see them) is counted, each error reported, in program order.
    bool failed = false;
    for (func::FuncOp func : getOperation().getOps<func::FuncOp>())
      failed |= mlir::failed(countIterations(func, llvm::outs()));
    if (failed)
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
