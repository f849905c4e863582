//===- Specialize.cpp - map dynamic shapes at given sizes -----------------===//
//
// Invariant: the function computes what it computed for every runtime
// size. Either the rewritten body walks every dynamic rank by its runtime
// extent (dynamicRankExtents, servesEverySize), or the specialised body
// runs only when each dynamic argument dimension equals the size it was
// mapped at and the original ops, kept verbatim, run otherwise.
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/Specialize.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include <map>
#include <set>

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

bool ffm::parseDimSizes(StringRef option, SmallVectorImpl<int64_t> &sizes) {
  SmallVector<StringRef> parts;
  option.split(parts, ',');
  for (StringRef p : parts) {
    int64_t v;
    if (p.trim().getAsInteger(10, v) || v <= 0)
      return false;
    sizes.push_back(v);
  }
  return true;
}

FailureOr<SmallVector<int64_t>>
ffm::dynamicArgSizes(func::FuncOp func, ArrayRef<int64_t> optionSizes) {
  auto dims = dynamicDims(func);
  SmallVector<int64_t> sizes;
  if (dims.empty())
    return sizes;
  // The function's own sizes win: the option is the default for the
  // functions without them, so one run serves functions with different
  // numbers of dynamic dimensions.
  if (Attribute attr = func->getAttr(kDimSizesAttr)) {
    auto array = dyn_cast<DenseI64ArrayAttr>(attr);
    if (!array || llvm::any_of(array.asArrayRef(),
                               [](int64_t v) { return v <= 0; }))
      return emitError(func.getLoc(), "ffm-fuse: ffm.dim_sizes must be an "
                                      "array of positive i64 sizes "
                                      "(array<i64: 2048>), got ")
             << attr;
    sizes.assign(array.asArrayRef().begin(), array.asArrayRef().end());
  } else if (!optionSizes.empty()) {
    sizes.assign(optionSizes.begin(), optionSizes.end());
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
  // Which loops are dynamic as written: once specialised, every loop is
  // static, and a rank whose runtime extent no argument gives would be
  // walked at its mapped size only (dynamicRankExtents checks).
  func.walk([&](linalg::LinalgOp op) {
    SmallVector<int64_t> dynamic;
    for (auto [r, bound] : llvm::enumerate(op.getStaticLoopRanges()))
      if (ShapedType::isDynamic(bound))
        dynamic.push_back(r);
    op->setAttr(kDynamicLoopsAttr,
                DenseI64ArrayAttr::get(ctx, dynamic));
  });
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
  FrozenRewritePatternSet frozen(std::move(patterns));
  (void)applyPatternsGreedily(func, frozen);
  // Canonicalization leaves a concatenation of (cast) static operands with
  // its dynamic result type: give it the static one (cast back for its
  // uses) and let canonicalization carry that on, as far as it goes.
  for (bool refined = true; refined;) {
    refined = false;
    func.walk([&](tensor::ConcatOp concat) {
      // Its operands, looking through casts that only made them dynamic.
      SmallVector<Value> inputs;
      for (Value in : concat.getInputs()) {
        auto cast = in.getDefiningOp<tensor::CastOp>();
        inputs.push_back(cast && tensor::canFoldIntoConsumerOp(cast)
                             ? cast.getSource()
                             : in);
      }
      RankedTensorType inferred = tensor::ConcatOp::inferResultType(
          concat.getDim(), ValueRange(inputs).getTypes());
      if (!inferred.hasStaticShape() || inferred == concat.getType())
        return;
      OpBuilder cb(concat);
      auto fixed = tensor::ConcatOp::create(cb, concat.getLoc(),
                                            concat.getDim(), inputs);
      auto back = tensor::CastOp::create(cb, concat.getLoc(),
                                         concat.getType(), fixed);
      concat.replaceAllUsesWith(back.getResult());
      concat.erase();
      refined = true;
    });
    if (refined)
      (void)applyPatternsGreedily(func, frozen);
  }
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

std::optional<RankExtents>
ffm::dynamicRankExtents(func::FuncOp func, const EinsumGraphAnalysis &graph) {
  const Workload &w = graph.getWorkload();
  // Tensor dimensions are (tensor, dim); ranks are (-1 - einsum, rank).
  using Key = std::pair<int, int>;
  llvm::EquivalenceClasses<Key> classes;
  DenseSet<Key> unsupported, staticArg;
  std::map<Key, std::pair<BlockArgument, unsigned>> dynamicArg;
  auto rankKey = [](int i, int r) { return Key{-1 - i, r}; };
  for (auto [i, e] : llvm::enumerate(w.einsums))
    for (const TensorAccess *acc : e.accesses()) {
      for (auto [d, r] : llvm::enumerate(acc->dimRanks)) {
        Key dim{acc->tensor, (int)d};
        classes.insert(dim);
        if (r >= 0)
          classes.unionSets(dim, rankKey(i, r));
        if (acc->view >= 0)
          unsupported.insert(dim);
      }
      for (const auto &terms : acc->windows)
        for (const WindowTerm &t : terms) {
          classes.insert(rankKey(i, t.rank));
          unsupported.insert(rankKey(i, t.rank));
        }
    }
  // The data a dynamic rank walks is an argument or an Einsum's result:
  // views, moved data and constants are at the mapped sizes only.
  DenseSet<int> fromArgument;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      continue;
    for (Operation *user : arg.getUsers()) {
      auto cast = dyn_cast<tensor::CastOp>(user);
      int t = cast ? graph.tensorOf(cast.getResult()) : -1;
      if (t < 0)
        continue;
      fromArgument.insert(t);
      for (unsigned d = 0; d < type.getRank(); ++d) {
        classes.insert({t, (int)d});
        if (type.isDynamicDim(d))
          dynamicArg.try_emplace({t, (int)d}, arg, d);
        else
          staticArg.insert({t, (int)d});
      }
    }
  }
  for (auto [t, tensor] : llvm::enumerate(w.tensors))
    if (tensor.aliasOf >= 0 || tensor.escapes ||
        (tensor.producer < 0 && !fromArgument.contains(t)))
      for (size_t d = 0; d < tensor.shape.size(); ++d)
        unsupported.insert({(int)t, (int)d});
  for (const Workload::Move &m : w.moves)
    for (int t : llvm::concat<const int>(m.from, ArrayRef<int>(m.to)))
      for (size_t d = 0; t >= 0 && d < w.tensors[t].shape.size(); ++d)
        unsupported.insert({t, (int)d});

  // Per class leader: the argument dimension giving its runtime extent.
  std::map<Key, std::pair<BlockArgument, unsigned>> source;
  for (auto &[key, arg] : dynamicArg)
    source.try_emplace(classes.getLeaderValue(key), arg);
  for (const Key &key : staticArg)
    source.erase(classes.getLeaderValue(key));
  for (const Key &key : unsupported)
    if (classes.contains(key) &&
        source.count(classes.getLeaderValue(key)))
      return std::nullopt;
  // Every dynamic argument dimension must size some rank: one that only
  // sizes data no Einsum reads (an output shaped like an argument never
  // read) would be left at its mapped size.
  std::set<std::pair<unsigned, unsigned>> sized;
  for (auto &[key, arg] : dynamicArg)
    if (source.count(classes.getLeaderValue(key)))
      sized.insert({arg.first.getArgNumber(), arg.second});
  for (auto [arg, dim] : dynamicDims(func))
    if (!sized.count({arg, dim}))
      return std::nullopt;

  RankExtents extents(w.einsums.size());
  OpBuilder b = OpBuilder::atBlockBegin(&func.front());
  std::map<Key, Value> dims;
  for (auto [i, e] : llvm::enumerate(w.einsums)) {
    extents[i].resize(e.ranks.size());
    for (size_t r = 0; r < e.ranks.size(); ++r) {
      Key key = rankKey(i, r);
      if (!classes.contains(key))
        continue;
      Key leader = classes.getLeaderValue(key);
      auto it = source.find(leader);
      if (it == source.end())
        continue;
      Value &dim = dims[leader];
      if (!dim)
        dim = tensor::DimOp::create(b, func.getLoc(), it->second.first,
                                    it->second.second);
      extents[i][r] = dim;
    }
    // A loop dynamic as written that no argument sizes would run at its
    // mapped size at every runtime size.
    auto dynamic =
        graph.getOps()[i]->getAttrOfType<DenseI64ArrayAttr>(kDynamicLoopsAttr);
    if (!dynamic)
      return std::nullopt; // not known: the guard keeps it correct
    for (int64_t r : dynamic.asArrayRef())
      if (r >= (int64_t)extents[i].size() || !extents[i][r])
        return std::nullopt;
  }
  return extents;
}

bool ffm::sizesOnlyShapeTensors(func::FuncOp original) {
  // A size read as a value (a mean's 1/N, a mask's length) is folded to
  // its mapped value by the specialisation.
  WalkResult r = original.walk([](tensor::DimOp dim) {
    return llvm::all_of(dim->getUsers(),
                        [](Operation *u) { return isa<tensor::EmptyOp>(u); })
               ? WalkResult::advance()
               : WalkResult::interrupt();
  });
  return !r.wasInterrupted();
}

void ffm::dropDynamicLoopMarks(func::FuncOp func) {
  func.walk([](Operation *op) { op->removeAttr(kDynamicLoopsAttr); });
}

bool ffm::servesEverySize(func::FuncOp func) {
  // A cast to a static type and back to the type it came from is no cast.
  func.walk([](tensor::CastOp cast) {
    auto inner = cast.getSource().getDefiningOp<tensor::CastOp>();
    if (inner && inner.getSource().getType() == cast.getType())
      cast.replaceAllUsesWith(inner.getSource());
  });
  // Later casts first: erasing one may leave its source cast unused.
  SmallVector<tensor::CastOp> casts;
  func.walk([&](tensor::CastOp c) { casts.push_back(c); });
  bool atMappedSizes = false;
  for (tensor::CastOp c : llvm::reverse(casts)) {
    if (c->use_empty()) {
      c->erase();
      continue;
    }
    auto from = cast<RankedTensorType>(c.getSource().getType());
    auto to = cast<RankedTensorType>(c.getType());
    for (int64_t d = 0; d < from.getRank(); ++d)
      atMappedSizes |= from.isDynamicDim(d) && !to.isDynamicDim(d);
  }
  return !atMappedSizes;
}

std::optional<int64_t> ffm::mappedSize(func::FuncOp func, unsigned arg,
                                       unsigned dim) {
  auto sizes = func->getAttrOfType<DenseI64ArrayAttr>(kDimSizesAttr);
  if (!sizes)
    return std::nullopt;
  size_t k = 0;
  for (auto [a, d] : dynamicDims(func)) {
    if (k >= (size_t)sizes.size())
      return std::nullopt;
    if (a == arg && d == dim)
      return sizes[k];
    ++k;
  }
  return std::nullopt;
}
