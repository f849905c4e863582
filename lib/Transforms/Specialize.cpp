//===- Specialize.cpp - map dynamic shapes at given sizes -----------------===//
//
// Invariant: the function computes what it computed for every runtime
// size. The specialised body runs only when each dynamic argument
// dimension equals the size it was mapped at; the original ops, kept
// verbatim, run otherwise.
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/Specialize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace ffm;

/// Dynamic dimensions of the function's tensor arguments: (arg, dim).
static SmallVector<std::pair<unsigned, unsigned>>
dynamicDims(func::FuncOp func) {
  SmallVector<std::pair<unsigned, unsigned>> dims;
  for (BlockArgument arg : func.getArguments())
    if (auto t = dyn_cast<RankedTensorType>(arg.getType()))
      for (unsigned d = 0; d < t.getRank(); ++d)
        if (t.isDynamicDim(d))
          dims.push_back({arg.getArgNumber(), d});
  return dims;
}

bool ffm::hasDynamicArguments(func::FuncOp func) {
  return !dynamicDims(func).empty();
}

FailureOr<SmallVector<int64_t>> ffm::dynamicArgSizes(func::FuncOp func,
                                                     StringRef option) {
  auto dims = dynamicDims(func);
  SmallVector<int64_t> sizes;
  if (dims.empty())
    return sizes;
  if (!option.empty()) {
    SmallVector<StringRef> parts;
    option.split(parts, ',');
    for (StringRef p : parts) {
      int64_t v;
      if (p.trim().getAsInteger(10, v) || v <= 0)
        return emitError(func.getLoc(), "ffm-fuse: dim-sizes must be a "
                                        "comma-separated list of positive "
                                        "sizes, got '")
               << option << "'";
      sizes.push_back(v);
    }
  } else if (Attribute attr = func->getAttr(kDimSizesAttr)) {
    auto array = dyn_cast<DenseI64ArrayAttr>(attr);
    if (!array || llvm::any_of(array.asArrayRef(),
                               [](int64_t v) { return v <= 0; }))
      return emitError(func.getLoc(), "ffm-fuse: ffm.dim_sizes must be an "
                                      "array of positive i64 sizes "
                                      "(array<i64: 2048>), got ")
             << attr;
    sizes.assign(array.asArrayRef().begin(), array.asArrayRef().end());
  } else {
    auto [arg, dim] = dims.front();
    return emitError(func.getLoc(), "ffm: dynamic shapes need sizes to map "
                                    "at: argument ")
           << arg << " has type " << func.getArgument(arg).getType()
           << "; give the " << dims.size()
           << " dynamic argument dimension(s) sizes with dim-sizes=... or an "
              "ffm.dim_sizes attribute on the function";
  }
  if (sizes.size() != dims.size())
    return emitError(func.getLoc(), "ffm-fuse: the function's arguments have ")
           << dims.size() << " dynamic dimension(s), the sizes given are "
           << sizes.size();
  return sizes;
}

OwningOpRef<func::FuncOp> ffm::specializeToSizes(func::FuncOp func,
                                                 ArrayRef<int64_t> sizes) {
  OwningOpRef<func::FuncOp> original = func.clone();
  MLIRContext *ctx = func.getContext();
  OpBuilder b = OpBuilder::atBlockBegin(&func.front());
  const int64_t *next = sizes.begin();
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.hasStaticShape())
      continue;
    SmallVector<int64_t> shape(type.getShape());
    for (int64_t &d : shape)
      if (ShapedType::isDynamic(d))
        d = *next++;
    // Static for the ops, dynamic again for the uses: canonicalization
    // then pushes the static type through every op.
    auto fixed = tensor::CastOp::create(b, func.getLoc(),
                                        type.clone(shape), arg);
    auto back = tensor::CastOp::create(b, func.getLoc(), type, fixed);
    arg.replaceAllUsesExcept(back, fixed);
  }
  RewritePatternSet patterns(ctx);
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  (void)applyPatternsGreedily(func, std::move(patterns));
  return original;
}

void ffm::versionOnSizes(func::FuncOp func, func::FuncOp original,
                         ArrayRef<int64_t> sizes) {
  Block &body = func.front();
  Location loc = func.getLoc();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  Operation *firstOld = &body.front();
  OpBuilder b = OpBuilder::atBlockBegin(&body);
  Value all = arith::ConstantIntOp::create(b, loc, 1, 1);
  for (auto [k, ad] : llvm::enumerate(dynamicDims(func))) {
    auto [arg, dim] = ad;
    Value size = tensor::DimOp::create(b, loc, func.getArgument(arg), dim);
    Value eq = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq, size,
        arith::ConstantIndexOp::create(b, loc, sizes[k]));
    all = arith::AndIOp::create(b, loc, all, eq);
  }
  auto ifOp = scf::IfOp::create(b, loc, func.getResultTypes(), all,
                                /*addThenBlock=*/true, /*addElseBlock=*/true);
  ifOp->setAttr(kDimSizesAttr, b.getDenseI64ArrayAttr(sizes));
  // Then: the specialised ops, as they are.
  Block *thenBlock = ifOp.thenBlock();
  OpBuilder tb = OpBuilder::atBlockEnd(thenBlock);
  auto thenYield = scf::YieldOp::create(tb, loc, ret.getOperands());
  for (Operation *op = firstOld; op != ret.getOperation();) {
    Operation *following = op->getNextNode();
    op->moveBefore(thenYield);
    op = following;
  }
  // Else: the original ops, on the same arguments.
  IRMapping map;
  map.map(original.getArguments(), func.getArguments());
  OpBuilder eb = OpBuilder::atBlockEnd(ifOp.elseBlock());
  for (Operation &op : original.front().without_terminator())
    eb.clone(op, map);
  SmallVector<Value> results;
  for (Value v : original.front().getTerminator()->getOperands())
    results.push_back(map.lookupOrDefault(v));
  scf::YieldOp::create(eb, loc, results);
  ret->setOperands(ifOp.getResults());
}
