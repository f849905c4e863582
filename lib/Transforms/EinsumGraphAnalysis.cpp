//===- EinsumGraphAnalysis.cpp - linalg function -> Workload --------------===//
#include "ffm/Transforms/EinsumGraphAnalysis.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace ffm;

EinsumGraphAnalysis::EinsumGraphAnalysis(Operation *funcOp) {
  valid = succeeded(build(funcOp));
}

static bool isStaticTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape();
}

std::optional<Value> ffm::fillValue(Value value) {
  Operation *def = value.getDefiningOp();
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(def))
    return fill.getInputs()[0];
  auto generic = dyn_cast_or_null<linalg::GenericOp>(def);
  if (!generic)
    return std::nullopt;
  if (std::optional<Value> scalar = linalg::isaFillOpInterface(generic))
    // A value of the body other than a constant cannot be had outside it.
    if (!generic.getRegion().isAncestor(scalar->getParentRegion()) ||
        matchPattern(*scalar, m_Constant()))
      return scalar;
  // Upstream's check leaves out a constant of the body's own (before a
  // canonicalization hoists it): no inputs, the constant yielded.
  Block *body = generic.getBody();
  if (generic.getNumDpsInputs() != 0 || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      body->getOperations().size() != 2)
    return std::nullopt;
  Value yielded = body->getTerminator()->getOperand(0);
  if (!matchPattern(yielded, m_Constant()))
    return std::nullopt;
  return yielded;
}

bool ffm::isFill(Operation *op) {
  // A fill on buffers has no result.
  return isa<linalg::FillOp>(op) ||
         (op->getNumResults() == 1 && fillValue(op->getResult(0)));
}

/// Values that only initialise an output and are never read as data.
static bool isFreeInit(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp>(def) || fillValue(value))
    return true;
  DenseElementsAttr dense;
  return matchPattern(value, m_Constant(&dense)) && dense.isSplat();
}

int EinsumGraphAnalysis::addTensor(Value value, std::string name) {
  Tensor t;
  t.name = std::move(name);
  llvm::ArrayRef<int64_t> shape =
      cast<RankedTensorType>(value.getType()).getShape();
  t.shape.assign(shape.begin(), shape.end());
  workload.tensors.push_back(std::move(t));
  tensorIds[value] = workload.tensors.size();
  return workload.tensors.size() - 1;
}

/// Ops that only move or rearrange data (padding, slicing,
/// concatenation): the mapper leaves them in place, on DRAM data.
static bool isDataMovement(Operation *op) {
  return isa<tensor::PadOp, tensor::ExtractSliceOp, tensor::InsertSliceOp,
             tensor::ConcatOp>(op);
}

FailureOr<int> EinsumGraphAnalysis::tensorFor(Value value, Operation *user) {
  if (int id = tensorIds.lookup(value))
    return id - 1;
  // Casts between a dynamic and a static type (a body specialised to
  // given sizes) hold the same data: the argument cast to its static
  // type is that argument, a static result cast back is that result.
  if (auto cast = value.getDefiningOp<tensor::CastOp>()) {
    Value src = cast.getSource();
    if (auto arg = dyn_cast<BlockArgument>(src);
        arg && isStaticTensor(value.getType()))
      return addTensor(value, "arg" + std::to_string(arg.getArgNumber()));
    if (isStaticTensor(src.getType())) {
      FailureOr<int> id = tensorFor(src, cast);
      if (succeeded(id))
        tensorIds[value] = *id + 1;
      return id;
    }
  }
  if (!isStaticTensor(value.getType()))
    return user->emitError("ffm: dynamic shapes are not supported (operand of "
                           "type ")
           << value.getType() << ")";
  if (auto arg = dyn_cast<BlockArgument>(value))
    return addTensor(value, "arg" + std::to_string(arg.getArgNumber()));
  Operation *def = value.getDefiningOp();
  if (isa<arith::ConstantOp, tensor::EmptyOp>(def) || fillValue(value))
    return addTensor(value, "cst" + std::to_string(constCount++));
  if (isDataMovement(def)) {
    std::string kind = def->getName().stripDialect().str();
    return addTensor(value, kind + std::to_string(kindCounts[kind]++));
  }
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def)) {
    Value src = def->getOperand(0);
    FailureOr<int> source = tensorFor(src, def);
    if (failed(source))
      return failure();
    int id = addTensor(value, workload.tensors[*source].name + ".v" +
                                  std::to_string(workload.tensors.size()));
    Tensor &view = workload.tensors[id];
    view.aliasOf = *source;
    if (auto e = dyn_cast<tensor::ExpandShapeOp>(def))
      for (auto group : e.getReassociationIndices())
        view.reassociation.emplace_back(group.begin(), group.end());
    else
      for (auto group :
           cast<tensor::CollapseShapeOp>(def).getReassociationIndices())
        view.reassociation.emplace_back(group.begin(), group.end());
    return id;
  }
  return user->emitError("ffm: operand is produced by unsupported op '")
         << def->getName() << "'";
}

std::vector<std::string> ffm::rankNames(linalg::LinalgOp op) {
  unsigned n = op.getNumLoops();
  if (isa<linalg::MatmulOp>(op) && n == 3)
    return {"m", "n", "k"};
  if (isa<linalg::BatchMatmulOp>(op) && n == 4)
    return {"b", "m", "n", "k"};
  if (isa<linalg::MatvecOp>(op) && n == 2)
    return {"m", "k"};
  std::vector<std::string> names;
  for (unsigned i = 0; i < n; ++i)
    names.push_back("d" + std::to_string(i));
  // Convolutions and pooling in the layer-mapping literature's letters: n
  // batch, p q output pixels, r s filter taps, c input and k output
  // channels (a depthwise channel is c).
  if (!isa<linalg::ConvolutionOpInterface>(op.getOperation()))
    return names;
  FailureOr<linalg::ConvolutionDimensions> dims =
      linalg::inferConvolutionDims(op);
  if (failed(dims))
    return names;
  auto assign = [&](ArrayRef<unsigned> loops, StringRef letters) {
    for (auto [i, loop] : llvm::enumerate(loops))
      names[loop] = i < letters.size() && loops.size() <= letters.size()
                        ? std::string(1, letters[i])
                        : ("d" + std::to_string(loop));
  };
  assign(dims->batch, "n");
  assign(dims->outputImage, "pqo");
  assign(dims->filterLoop, "rst");
  assign(dims->outputChannel, "k");
  assign(dims->inputChannel, "c");
  assign(dims->depth, "c");
  // Both a depth and an input channel would be called c.
  if (!dims->depth.empty() && !dims->inputChannel.empty())
    assign(dims->depth, "g");
  return names;
}

/// The terms `c * d_i` of a sliding-window index (`2 * d1 + d4`), or
/// failure for anything else (constants, products of dims, negatives).
static LogicalResult windowTerms(AffineExpr expr,
                                 std::vector<WindowTerm> &terms) {
  if (auto d = dyn_cast<AffineDimExpr>(expr)) {
    terms.push_back({(int)d.getPosition(), 1});
    return success();
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin)
    return failure();
  if (bin.getKind() == AffineExprKind::Add)
    return success(succeeded(windowTerms(bin.getLHS(), terms)) &&
                   succeeded(windowTerms(bin.getRHS(), terms)));
  if (bin.getKind() != AffineExprKind::Mul)
    return failure();
  auto d = dyn_cast<AffineDimExpr>(bin.getLHS());
  auto c = dyn_cast<AffineConstantExpr>(bin.getRHS());
  if (!d || !c || c.getValue() < 1)
    return failure();
  terms.push_back({(int)d.getPosition(), c.getValue()});
  return success();
}

/// Each tensor dimension must be walked by exactly one rank variable, by a
/// sliding window (a sum of ranks with positive strides, as convolutions
/// and pooling index their input), or be a unit dimension indexed by the
/// constant 0 (TOSA's broadcasts). No rank may walk two dimensions.
FailureOr<TensorAccess> ffm::accessFromMap(linalg::LinalgOp op, AffineMap map,
                                           int tensor,
                                           ArrayRef<int64_t> shape) {
  TensorAccess access;
  access.tensor = tensor;
  // Ranks walking a dimension so far, alone or in a window.
  llvm::SmallBitVector used(map.getNumDims());
  auto use = [&](unsigned rank) {
    bool twice = used.test(rank);
    used.set(rank);
    return !twice;
  };
  auto usesTwice = [&]() {
    return op.emitError("ffm: indexing map ")
           << AffineMapAttr::get(map)
           << " uses a rank twice; diagonal accesses are not supported";
  };
  std::vector<std::vector<WindowTerm>> windows(map.getNumResults());
  for (auto [dim, expr] : llvm::enumerate(map.getResults())) {
    if (auto d = dyn_cast<AffineDimExpr>(expr)) {
      if (!use(d.getPosition()))
        return usesTwice();
      access.dimRanks.push_back(d.getPosition());
      continue;
    }
    auto c = dyn_cast<AffineConstantExpr>(expr);
    if (c && c.getValue() == 0 && shape[dim] == 1) {
      access.dimRanks.push_back(-1);
      continue;
    }
    if (failed(windowTerms(expr, windows[dim])))
      return op.emitError("ffm: indexing map ")
             << AffineMapAttr::get(map) << " indexes dimension " << dim
             << " by an expression that is neither a rank, a sliding window "
                "(a sum of ranks with positive strides) nor a unit dimension";
    for (const WindowTerm &t : windows[dim])
      if (!use(t.rank))
        return usesTwice();
    access.dimRanks.push_back(TensorAccess::kWindow);
  }
  if (llvm::is_contained(access.dimRanks, TensorAccess::kWindow))
    access.windows = std::move(windows);
  return access;
}

TensorAccess EinsumGraphAnalysis::seeThroughReshape(TensorAccess access) {
  if (workload.tensors[access.tensor].aliasOf < 0)
    return access;
  std::vector<int> dims = workload.rootDims(access.tensor);
  // A reshape down to nothing but unit dimensions has no dimension to
  // fuse along: it stays a view, as does one that merges dimensions.
  if (llvm::is_contained(dims, Workload::kMergedDim) ||
      llvm::all_of(dims, [](int d) { return d < 0; }))
    return access;
  int root = workload.rootOf(access.tensor);
  TensorAccess through =
      access.onDims(dims, workload.tensors[root].shape.size());
  through.tensor = root;
  through.view = access.tensor;
  return through;
}

/// Whether `v` is computed in `body` from none of its arguments: from the
/// iteration's indices and values defined outside alone.
static bool independentOfArguments(Value v, Block *body) {
  SmallVector<Value> work{v};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (!seen.insert(x).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(x)) {
      if (arg.getOwner() == body)
        return false;
      continue;
    }
    Operation *def = x.getDefiningOp();
    if (def->getBlock() != body)
      continue;
    if (def->getNumRegions())
      return false;
    llvm::append_range(work, def->getOperands());
  }
  return true;
}

/// Whether `cond` is the rewrite's test for a tile's first iteration: a
/// conjunction of `index == 0` over (offset) iteration indices, computed
/// from no payload argument.
static bool testsFirstIteration(Value cond, Block *body) {
  if (auto both = cond.getDefiningOp<arith::AndIOp>())
    return testsFirstIteration(both.getLhs(), body) &&
           testsFirstIteration(both.getRhs(), body);
  auto cmp = cond.getDefiningOp<arith::CmpIOp>();
  if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq)
    return false;
  Value lhs = cmp.getLhs(), rhs = cmp.getRhs();
  if (matchPattern(lhs, m_Zero()))
    std::swap(lhs, rhs);
  return matchPattern(rhs, m_Zero()) && independentOfArguments(lhs, body);
}

/// The value the payload steps from. The rewrite's leaf of an op whose init
/// is data steps from `select(first iteration, init, acc)`
/// (LoopTreeCodegen's emitLeafReadingInit), so its step is the op's own.
static Value accumulatorOf(linalg::LinalgOp op, bool isTile) {
  BlockArgument acc = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  if (!isTile || !acc.hasOneUse())
    return acc;
  auto select = dyn_cast<arith::SelectOp>(*acc.getUsers().begin());
  auto init = select ? dyn_cast<BlockArgument>(select.getTrueValue()) : nullptr;
  if (!init || select.getFalseValue() != acc ||
      init.getOwner() != acc.getOwner() ||
      !testsFirstIteration(select.getCondition(), acc.getOwner()))
    return acc;
  return select.getResult();
}

/// Whether the payload's output is the same whatever order its reduction
/// loops run in (up to rounding): one add, mul, max or min (or bitwise op)
/// of the accumulator, used there alone (extended first, the step's
/// result truncated: a sum in a wider type), and a value of the inputs; or
/// a max or min written as an ordering compare and a select of the two. A
/// mapping interchanges, splits and spreads the reduction loops of an
/// Einsum with two or more; another step (a scan's `acc * 0.5 + x`, a
/// subtraction) may change the result. (The loops over one rank keep its
/// order, but a fanout spreading it would not: Einsum::orderedReduction.)
static bool reordersSafely(linalg::LinalgOp op, bool isTile) {
  Value acc = accumulatorOf(op, isTile);
  Value result = op.getBlock()->getTerminator()->getOperand(0);
  while (isa_and_nonnull<arith::TruncFOp, arith::TruncIOp>(
      result.getDefiningOp()))
    result = result.getDefiningOp()->getOperand(0);
  Operation *step = result.getDefiningOp();
  if (!step)
    return false;
  // The accumulator through the exact extensions that take it alone.
  Value held = acc;
  while (held.hasOneUse() &&
         isa<arith::ExtFOp, arith::ExtSIOp, arith::ExtUIOp>(
             *held.getUsers().begin()))
    held = held.getUsers().begin()->getResult(0);
  if (isa<arith::AddFOp, arith::AddIOp, arith::MulFOp, arith::MulIOp,
          arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
          arith::MinNumFOp, arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp,
          arith::MinUIOp, arith::AndIOp, arith::OrIOp, arith::XOrIOp>(step) ||
      llvm::is_contained({"complex.add", "complex.mul"},
                         step->getName().getStringRef()))
    return held.hasOneUse() && *held.getUsers().begin() == step;
  auto select = dyn_cast<arith::SelectOp>(step);
  if (!select)
    return false;
  Value a = select.getTrueValue(), b = select.getFalseValue();
  Operation *cmp = select.getCondition().getDefiningOp();
  // Only an ordering (greater or less, signed, unsigned, ordered or not)
  // keeps the greater or the lesser of the two.
  StringRef predicate;
  if (auto f = dyn_cast_or_null<arith::CmpFOp>(cmp))
    predicate = arith::stringifyCmpFPredicate(f.getPredicate());
  if (auto i = dyn_cast_or_null<arith::CmpIOp>(cmp))
    predicate = arith::stringifyCmpIPredicate(i.getPredicate());
  bool ordering = llvm::any_of(
      ArrayRef<StringRef>{"gt", "ge", "lt", "le"},
      [&](StringRef order) { return predicate.ends_with(order); });
  return ordering && (a == acc) != (b == acc) &&
         llvm::is_contained(cmp->getOperands(), a) &&
         llvm::is_contained(cmp->getOperands(), b) &&
         llvm::all_of(acc.getUsers(), [&](Operation *user) {
           return user == select || user == cmp;
         });
}

LogicalResult ffm::markOrdered(linalg::LinalgOp op, Einsum &einsum,
                               bool isTile) {
  // The ranks the output does not index, whatever the iterator types say.
  unsigned reductions =
      llvm::count_if(llvm::seq<int>(0, einsum.ranks.size()),
                     [&](int r) { return einsum.isReduction(r); });
  bool safe = reductions == 0 || reordersSafely(op, isTile);
  einsum.orderedReduction = reductions == 1 && !safe;
  if (reductions > 1 && !safe)
    return op.emitError("ffm: the payload's result over ")
           << reductions
           << " reduction ranks may depend on the order they are visited "
              "in (its accumulator is not combined by one add, mul, max, "
              "min or bitwise step): a mapping reorders them; collapse "
              "them into one rank, or reduce one rank per op";
  return success();
}

static LogicalResult staticResults(Operation &op) {
  for (Type t : op.getResultTypes())
    if (isa<ShapedType>(t) && !isStaticTensor(t))
      return op.emitError("ffm: dynamic shapes are not supported (result of "
                          "type ")
             << t << ")";
  return success();
}

LogicalResult
EinsumGraphAnalysis::forEachTensor(Operation &op,
                                   llvm::function_ref<void(int)> fn) {
  for (Value v : op.getOperands()) {
    if (!isa<RankedTensorType>(v.getType()))
      continue;
    FailureOr<int> id = tensorFor(v, &op);
    if (failed(id))
      return failure();
    fn(*id);
  }
  return success();
}

LogicalResult EinsumGraphAnalysis::build(Operation *funcOp) {
  auto func = dyn_cast<func::FuncOp>(funcOp);
  if (!func)
    return funcOp->emitError("ffm: the Einsum graph is built per func.func");
  workload.name = func.getSymName().str();
  if (func.isExternal())
    return success();
  if (!func.getBody().hasOneBlock())
    return emitError(func.getLoc(),
                     "ffm: functions with control flow (several blocks) "
                     "are not supported");
  // An encoding (a sparse format, a layout) says how elements are stored:
  // the model prices dense tiles, and the rewrite's buffers would drop it.
  auto encoded = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.getEncoding();
  };
  for (BlockArgument arg : func.getArguments())
    if (encoded(arg.getType()))
      return emitError(func.getLoc(), "ffm: tensors with an encoding are "
                                      "not supported (argument ")
             << arg.getArgNumber() << " has type " << arg.getType() << ")";
  WalkResult encodings = func.getBody().walk([&](Operation *op) {
    for (Type t : op->getResultTypes())
      if (encoded(t)) {
        op->emitError("ffm: tensors with an encoding are not supported "
                      "(result of type ")
            << t << ")";
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  if (encodings.wasInterrupted())
    return failure();
  // A dynamic argument is fine once cast to a static type before its uses
  // (ffm-fuse's dim-sizes specialises the body so).
  for (BlockArgument arg : func.getArguments()) {
    if (!isa<TensorType>(arg.getType()) || isStaticTensor(arg.getType()) ||
        llvm::all_of(arg.getUsers(), [](Operation *user) {
          auto cast = dyn_cast<tensor::CastOp>(user);
          return cast && isStaticTensor(cast.getType());
        }))
      continue;
    // No size given fixes a rank: dim-sizes= is no help there.
    if (isa<UnrankedTensorType>(arg.getType()))
      return emitError(func.getLoc(),
                       "ffm: unranked tensors are not supported (argument ")
             << arg.getArgNumber() << " has type " << arg.getType() << ")";
    return emitError(func.getLoc(),
                     "ffm: dynamic shapes are not supported (argument ")
           << arg.getArgNumber() << " has type " << arg.getType()
           << "); ffm-fuse maps them at sizes given by dim-sizes=... or "
              "an ffm.dim_sizes attribute on the function";
  }

  for (Operation &op : func.getBody().front()) {
    if (auto cast = dyn_cast<tensor::CastOp>(op);
        cast && (isStaticTensor(cast.getSource().getType()) ||
                 isStaticTensor(cast.getType())))
      continue; // read through by tensorFor()
    if (isa<arith::ConstantOp, tensor::EmptyOp, tensor::ExpandShapeOp,
            tensor::CollapseShapeOp>(op) ||
        // A fill on tensors only: one on buffers is bufferized input.
        (op.getNumResults() == 1 && fillValue(op.getResult(0)))) {
      if (failed(staticResults(op)))
        return failure();
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (failed(forEachTensor(op, [&](int id) {
            workload.tensors[workload.rootOf(id)].isOutput = true;
          })))
        return failure();
      continue;
    }
    if (isDataMovement(&op)) {
      if (failed(staticResults(op)))
        return failure();
      // Its operands must be in DRAM when it runs, and no fusion group may
      // run around it.
      Workload::Move move{op.getName().getStringRef().str(), {}, -1};
      if (failed(forEachTensor(op, [&](int id) {
            workload.tensors[workload.rootOf(id)].escapes = true;
            move.from.push_back(id);
          })))
        return failure();
      move.to = *tensorFor(op.getResult(0), &op);
      workload.moves.push_back(std::move(move));
      workload.barriers.push_back(workload.einsums.size());
      continue;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp) {
      bool touchesTensors =
          llvm::any_of(op.getOperandTypes(), llvm::IsaPred<ShapedType>) ||
          llvm::any_of(op.getResultTypes(), llvm::IsaPred<ShapedType>) ||
          op.getNumRegions() > 0;
      if (touchesTensors) {
        // A call's body is another function's workload: inlined, its ops
        // are this one's and may fuse with them (a declaration has none).
        auto call = dyn_cast<CallOpInterface>(op);
        auto callee = call ? dyn_cast_or_null<CallableOpInterface>(
                                 call.resolveCallable())
                           : CallableOpInterface();
        bool inlinable = callee && callee.getCallableRegion() &&
                         !callee.getCallableRegion()->empty();
        return op.emitError("ffm: unsupported op '")
               << op.getName() << "' in the workload"
               << (inlinable ? "; inline the calls first (--inline)" : "");
      }
      continue;
    }
    if (!linalgOp.hasPureTensorSemantics())
      return op.emitError("ffm: linalg ops must work on tensors (run before "
                          "bufferization)");
    if (op.getNumResults() != 1)
      return op.emitError("ffm: linalg ops with ")
             << op.getNumResults()
             << " results are not supported; one output per Einsum (an "
                "argmax, say: reduce the maximum in one op, then the index "
                "where it is reached in another)";
    for (Operation &inner : linalgOp.getBlock()->without_terminator()) {
      if (inner.getNumRegions() > 0)
        return op.emitError("ffm: the payload holds '")
               << inner.getName() << "', an op with regions we cannot model";
      // A mapping runs the iterations in another order, some at once
      // (scf.forall) and a halo's twice: only a body without effects
      // computes the same.
      if (!isMemoryEffectFree(&inner)) {
        InFlightDiagnostic diag =
            op.emitError("ffm: the payload holds '")
            << inner.getName()
            << "', which may read or write memory: a mapping reorders, "
               "parallelises and repeats iterations";
        // The inliner sees into the callee, where the effects are known.
        if (auto call = dyn_cast<CallOpInterface>(inner))
          if (auto callee = dyn_cast_or_null<FunctionOpInterface>(
                  call.resolveCallable());
              callee && !callee.isExternal())
            diag << " (a callee without effects is mapped once inlined: "
                    "--inline first)";
        return diag;
      }
    }
    for (Type t : op.getOperandTypes())
      if (isa<ShapedType>(t) && !isStaticTensor(t))
        return op.emitError("ffm: dynamic shapes are not supported (operand "
                            "of type ")
               << t << ")";
    SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
    if (bounds.size() > Einsum::kMaxRanks ||
        op.getNumOperands() > Einsum::kMaxOperands)
      return op.emitError("ffm: linalg ops with more than ")
             << Einsum::kMaxRanks << " loops or " << Einsum::kMaxOperands
             << " operands are not supported (this one has " << bounds.size()
             << " and " << op.getNumOperands() << ")";
    // The model counts in doubles and the rewrite's trip counts round
    // up in index arithmetic: past 2^53 neither is exact.
    constexpr int64_t kMaxBound = int64_t(1) << 53;
    for (int64_t b : bounds) {
      if (b <= 0)
        return op.emitError("ffm: loop bound ")
               << b << " is not a positive static size";
      if (b > kMaxBound)
        return op.emitError("ffm: loop bound ")
               << b << " is larger than 2^53 (" << kMaxBound
               << "), past which sizes are not counted exactly";
    }

    // A tensor the payload reads by itself (the tensor.extract of a
    // gather, a reverse or a resize) is read where no map says: it must be
    // whole, in DRAM, before this op runs, as a data movement op's operands
    // are. (The model does not count these reads.)
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(op.getRegions(), captured);
    bool readsAround = false;
    for (Value v : captured) {
      while (!tensorIds.lookup(v) && v.getDefiningOp() &&
             isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                 tensor::CastOp>(v.getDefiningOp()))
        v = v.getDefiningOp()->getOperand(0);
      // An argument or a constant is in DRAM already.
      int id = tensorIds.lookup(v);
      if (!id)
        continue;
      Tensor &root = workload.tensors[workload.rootOf(id - 1)];
      if (root.producer >= 0) {
        root.escapes = true;
        readsAround = true;
      }
    }
    if (readsAround)
      workload.barriers.push_back(workload.einsums.size());

    Einsum einsum;
    SmallVector<unsigned> operands;
    std::string kind = op.getName().stripDialect().str();
    einsum.name = kind + "_" + std::to_string(kindCounts[kind]++);
    einsum.opName = op.getName().getStringRef().str();
    std::vector<std::string> names = rankNames(linalgOp);
    for (auto [i, b] : llvm::enumerate(bounds))
      einsum.ranks.push_back({names[i], b});

    for (OpOperand *in : linalgOp.getDpsInputOperands()) {
      if (!isa<RankedTensorType>(in->get().getType()))
        continue; // scalars (fill values, captured constants) are not data
      FailureOr<int> id = tensorFor(in->get(), &op);
      if (failed(id))
        return failure();
      FailureOr<TensorAccess> access =
          accessFromMap(linalgOp, linalgOp.getMatchingIndexingMap(in), *id,
                    workload.tensors[*id].shape);
      if (failed(access))
        return failure();
      einsum.inputs.push_back(seeThroughReshape(*access));
      operands.push_back(in->getOperandNumber());
    }
    OpOperand *init = linalgOp.getDpsInitOperand(0);
    AffineMap outMap = linalgOp.getMatchingIndexingMap(init);
    if (!outMap.isProjectedPermutation())
      return op.emitError("ffm: output indexing map ")
             << AffineMapAttr::get(outMap) << " is not a projected permutation"
             << (llvm::any_of(outMap.getResults(), llvm::IsaPred<AffineConstantExpr>)
                     ? " (for a unit dimension kept by a reduction: reduce "
                       "into the tensor without it, then tensor.expand_shape)"
                     : "");
    // A non-trivial init whose value the payload reads is real input data.
    if (!isFreeInit(init->get()) &&
        linalgOp.payloadUsesValueFromOperand(init)) {
      FailureOr<int> id = tensorFor(init->get(), &op);
      if (failed(id))
        return failure();
      FailureOr<TensorAccess> access =
          accessFromMap(linalgOp, outMap, *id, workload.tensors[*id].shape);
      if (failed(access))
        return failure();
      einsum.inputs.push_back(seeThroughReshape(*access));
      operands.push_back(init->getOperandNumber());
    }
    operands.push_back(init->getOperandNumber());
    int out = addTensor(op.getResult(0), einsum.name + ".out");
    workload.tensors[out].producer = workload.einsums.size();
    FailureOr<TensorAccess> outAccess =
        accessFromMap(linalgOp, outMap, out, workload.tensors[out].shape);
    if (failed(outAccess))
      return failure();
    einsum.output = *outAccess;
    if (failed(markOrdered(linalgOp, einsum, /*isTile=*/false)))
      return failure();
    workload.einsums.push_back(std::move(einsum));
    ops.push_back(linalgOp);
    accessOperands.push_back(std::move(operands));
  }
  workload.buildEdges();
  return success();
}
