//===- FoldReshapes.cpp - reshapes between Einsums into their ranks -------===//
#include "ffm/Transforms/FoldReshapes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

/// Whether a reshape regroups dimensions larger than 1: some group of its
/// wider side holds two of them.
template <typename ReshapeOp>
static bool regroups(ReshapeOp op, ArrayRef<int64_t> wide) {
  for (const ReassociationIndices &group : op.getReassociationIndices())
    if (llvm::count_if(group, [&](int64_t d) { return wide[d] != 1; }) > 1)
      return true;
  return false;
}

static bool feedsEinsum(Value v) {
  return llvm::any_of(v.getUsers(),
                      [](Operation *u) { return isa<linalg::LinalgOp>(u); });
}

/// Reshapes with an Einsum on both sides: one at an argument or a result
/// moves no intermediate, and folding it would only rename ops.
static bool betweenEinsums(tensor::ExpandShapeOp expand) {
  return expand.getSrc().getDefiningOp<linalg::LinalgOp>() &&
         regroups(expand, expand.getResultType().getShape()) &&
         feedsEinsum(expand.getResult());
}
static bool betweenEinsums(tensor::CollapseShapeOp collapse) {
  return collapse.getSrc().getDefiningOp<linalg::LinalgOp>() &&
         regroups(collapse, collapse.getSrcType().getShape()) &&
         feedsEinsum(collapse.getResult());
}

bool ffm::hasReshapesBetweenEinsums(func::FuncOp func) {
  return func
      .walk([](Operation *op) {
        if (auto e = dyn_cast<tensor::ExpandShapeOp>(op); e && betweenEinsums(e))
          return WalkResult::interrupt();
        if (auto c = dyn_cast<tensor::CollapseShapeOp>(op);
            c && betweenEinsums(c))
          return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

void ffm::foldReshapesIntoEinsums(func::FuncOp func) {
  linalg::ControlFusionFn control = [](OpOperand *operand) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(operand->getOwner()))
      return betweenEinsums(expand);
    auto collapse = operand->get().getDefiningOp<tensor::CollapseShapeOp>();
    return collapse && isa<linalg::LinalgOp>(operand->getOwner()) &&
           betweenEinsums(collapse);
  };
  RewritePatternSet patterns(func.getContext());
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
  tensor::populateFoldTensorEmptyPatterns(patterns);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns,
                                                     func.getContext());
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                       func.getContext());
  // Not converging only leaves some reshapes in place.
  (void)applyPatternsGreedily(func, std::move(patterns));
}
