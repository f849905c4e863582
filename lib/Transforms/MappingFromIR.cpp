//===- MappingFromIR.cpp - read the LoopTree back from rewritten IR -------===//
//
// Invariant: everything recovered here comes from the IR's structure. A
// loop is a temporal node (scf.for), or a spatial one (scf.forall over an
// #ffm.fanout, or an scf.for carrying one); its rank is the tensor dimension
// its induction variable offsets in the subviews of the tile's operands; a
// keep node is a buffer on an operand's chain of copies, at its level's
// memory space, placed under the loops that enclose its allocation. A loop
// over a runtime extent (dynamic shapes) runs ceildiv(extent, tile) times;
// its trip count is the one at the sizes the function was mapped at.
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/MappingFromIR.h"
#include "ffm/Mapper/Mapper.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/Specialize.h"
#include "ffm/Transforms/Support.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/EquivalenceClasses.h"

using namespace mlir;
using namespace ffm;

namespace {
struct Loop {
  Operation *op;
  Value iv;
  int64_t trips;
  MapNode::Kind kind;
  int level = -1, dim = 0;
};

/// One buffer of an operand's chain, outermost first.
struct ChainBuffer {
  Value buffer;
  /// Offsets (per dim) at which the next inner buffer or the tile reads it.
  SmallVector<OpFoldResult> offsets;
};
} // namespace

Mapping ffm::canonicalKeeps(Mapping mapping) {
  auto &nodes = mapping.nodes;
  for (size_t i = 0; i < nodes.size();) {
    size_t j = i;
    while (j < nodes.size() && nodes[j].kind == MapNode::Keep)
      ++j;
    std::stable_sort(nodes.begin() + i, nodes.begin() + j,
                     [](const MapNode &a, const MapNode &b) {
                       return std::make_pair(a.level, a.access) <
                              std::make_pair(b.level, b.access);
                     });
    i = j == i ? i + 1 : j;
  }
  return mapping;
}

bool MappingFromIR::isRewritten(func::FuncOp func) {
  bool found = false;
  func.walk([&](linalg::LinalgOp op) {
    found |= op->hasAttr(kEinsumAttr) && op.hasPureBufferSemantics();
  });
  return found;
}

Evaluation MappingFromIR::evaluate(int i, const Arch &arch) const {
  const Mapping &m = einsums[i].mapping;
  return ffm::evaluate(workload, i, arch, m, onChipAccesses(workload, i, m));
}

SmallVector<Operation *> ffm::treeAncestors(Operation *tile,
                                            func::FuncOp func) {
  SmallVector<Operation *> ancestors;
  for (Operation *p = tile->getParentOp(); p && p != func;
       p = p->getParentOp())
    if (!(isa<scf::IfOp>(p) && p->hasAttr(kDimSizesAttr)))
      ancestors.insert(ancestors.begin(), p);
  return ancestors;
}

MappingFromIR::MappingFromIR(func::FuncOp func, const Arch &arch) {
  valid = succeeded(build(func, arch));
}

/// The extent `v` has at the mapped sizes: a dynamic dimension of an
/// argument is its size in the function's ffm.dim_sizes; a clipped tile,
/// min(tile, rest), is the tile.
static std::optional<int64_t> extentAtMappedSizes(Value v) {
  if (std::optional<int64_t> c = getConstantIntValue(v))
    return c;
  if (auto min = v.getDefiningOp<affine::AffineMinOp>()) {
    std::optional<int64_t> tile;
    for (AffineExpr e : min.getAffineMap().getResults())
      if (auto c = dyn_cast<AffineConstantExpr>(e))
        tile = tile ? std::min(*tile, c.getValue()) : c.getValue();
    return tile;
  }
  auto dim = v.getDefiningOp<tensor::DimOp>();
  std::optional<int64_t> index =
      dim ? dim.getConstantIndex() : std::optional<int64_t>();
  auto arg = dim ? dyn_cast<BlockArgument>(dim.getSource()) : BlockArgument();
  auto func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
                  : func::FuncOp();
  if (!index || !func)
    return std::nullopt;
  return mappedSize(func, arg.getArgNumber(), *index);
}

/// A loop's upper bound at the mapped sizes: a constant, or the runtime
/// trip count ceildiv(extent, tile) the code generator emits for a rank
/// with a runtime extent (the extent itself for one-point tiles).
static std::optional<int64_t> tripsAtMappedSizes(OpFoldResult ub) {
  if (std::optional<int64_t> c = getConstantIntValue(ub))
    return c;
  Value v = cast<Value>(ub);
  auto apply = v.getDefiningOp<affine::AffineApplyOp>();
  if (!apply)
    return extentAtMappedSizes(v);
  AffineMap map = apply.getAffineMap();
  if (map.getNumResults() != 1 || map.getNumInputs() != 1)
    return std::nullopt;
  auto div = dyn_cast<AffineBinaryOpExpr>(map.getResult(0));
  if (!div || div.getKind() != AffineExprKind::CeilDiv ||
      !isa<AffineDimExpr, AffineSymbolExpr>(div.getLHS()))
    return std::nullopt;
  auto tile = dyn_cast<AffineConstantExpr>(div.getRHS());
  std::optional<int64_t> extent =
      extentAtMappedSizes(apply.getMapOperands()[0]);
  if (!tile || tile.getValue() <= 0 || !extent)
    return std::nullopt;
  return (*extent + tile.getValue() - 1) / tile.getValue();
}

static FailureOr<Loop> loopOf(Operation *op, const Arch &arch) {
  Loop loop{op, Value(), 0, MapNode::Temporal};
  Attribute fanout;
  if (auto f = dyn_cast<scf::ForOp>(op)) {
    auto lb = getConstantIntValue(f.getLowerBound());
    auto ub = tripsAtMappedSizes(f.getUpperBound());
    auto step = getConstantIntValue(f.getStep());
    if (!lb || !ub || !step || *step <= 0)
      return op->emitError("ffm: loop bounds of a LoopTree are constants, "
                           "or runtime trip counts of a dynamic extent the "
                           "function's ffm.dim_sizes sizes");
    loop.iv = f.getInductionVar();
    loop.trips = (*ub - *lb + *step - 1) / *step;
    fanout = op->getAttr(kFanoutAttr);
  } else if (auto f = dyn_cast<scf::ForallOp>(op)) {
    if (f.getRank() != 1 || !f.getMapping() || f.getMapping()->size() != 1)
      return op->emitError("ffm: a spatial loop is a one-dimensional "
                           "scf.forall mapped to one #ffm.fanout");
    auto ub = tripsAtMappedSizes(f.getMixedUpperBound()[0]);
    auto lb = getConstantIntValue(f.getMixedLowerBound()[0]);
    auto step = getConstantIntValue(f.getMixedStep()[0]);
    if (!lb || !ub || !step || *step <= 0)
      return op->emitError("ffm: loop bounds of a LoopTree are constants, "
                           "or runtime trip counts of a dynamic extent the "
                           "function's ffm.dim_sizes sizes");
    loop.iv = f.getInductionVar(0);
    loop.trips = (*ub - *lb + *step - 1) / *step;
    fanout = (*f.getMapping())[0];
  } else {
    return op->emitError("ffm: '")
           << op->getName() << "' is not a node of a LoopTree";
  }
  if (!fanout)
    return loop;
  auto f = dyn_cast<FanoutAttr>(fanout);
  if (!f)
    return op->emitError("ffm: a spatial loop names an #ffm.fanout");
  loop.kind = MapNode::Spatial;
  loop.level = arch.levelIndex(f.getLevel());
  loop.dim = f.getDim();
  if (loop.level < 0)
    return op->emitError("ffm: fanout of level '")
           << f.getLevel() << "', which the architecture does not have";
  return loop;
}

/// `v` under the memref.casts that --canonicalize puts between a buffer
/// and its uses (a folded view's layout), which change no element.
/// An unranked source has no shape to read tiles of: the cast is then the
/// tensor's buffer.
static Value underCasts(Value v) {
  while (auto cast = v.getDefiningOp<memref::CastOp>()) {
    if (!isa<MemRefType>(cast.getSource().getType()))
      break;
    v = cast.getSource();
  }
  return v;
}

/// The buffer `view` reads from, and at which offsets: a subview of it, or
/// the buffer itself at its origin (a view of the whole buffer, which
/// --canonicalize folds away).
/// None for an unranked buffer (a copy's other side may be one).
static std::optional<ChainBuffer> viewed(Value view) {
  view = underCasts(view);
  if (auto sub = view.getDefiningOp<memref::SubViewOp>())
    return ChainBuffer{underCasts(sub.getSource()), sub.getMixedOffsets()};
  auto type = dyn_cast<MemRefType>(view.getType());
  if (!type)
    return std::nullopt;
  OpFoldResult zero = Builder(view.getContext()).getIndexAttr(0);
  return ChainBuffer{view, SmallVector<OpFoldResult>(type.getRank(), zero)};
}

/// The value under the memref reshapes that only add or drop unit
/// dimensions and the transposes of unit tiles (LoopTreeCodegen's asView),
/// and per dimension of `v` its dimension there, or -1 for a unit
/// dimension it does not have. Null where a group of unit dimensions lost
/// the code generator's mark of the kept one (a rewrite such as
/// --canonicalize rebuilt the reshape), or a transpose has none (the code
/// generator marks every one it makes): which dimension the tile walks is
/// then a guess.
static Value peelUnitReshapes(Value v, SmallVectorImpl<int> &dims) {
  dims.clear();
  for (int d = 0, e = cast<ShapedType>(v.getType()).getRank(); d < e; ++d)
    dims.push_back(d);
  while (true) {
    Operation *def = v.getDefiningOp();
    // The code generator's transpose of a unit tile (LoopTreeCodegen's
    // asView): each dimension the view keeps comes from the one the
    // permutation names; without that mark, which of them is the tensor's
    // is unknown.
    if (auto t = dyn_cast_or_null<memref::TransposeOp>(def)) {
      auto kept = t->getAttrOfType<DenseBoolArrayAttr>(kKeptDimsAttr);
      AffineMap perm = t.getPermutation();
      if (!kept || kept.size() != (int64_t)perm.getNumResults())
        return Value();
      for (int &d : dims)
        d = d >= 0 && kept[d] ? (int)perm.getDimPosition(d) : -1;
      v = t.getIn();
      continue;
    }
    SmallVector<ReassociationIndices> groups;
    bool expand;
    if (auto e = dyn_cast_or_null<memref::ExpandShapeOp>(def)) {
      groups = e.getReassociationIndices();
      expand = true;
    } else if (auto c = dyn_cast_or_null<memref::CollapseShapeOp>(def)) {
      groups = c.getReassociationIndices();
      expand = false;
    } else {
      return v;
    }
    Value src = def->getOperand(0);
    ArrayRef<int64_t> wide =
        cast<ShapedType>(expand ? v.getType() : src.getType()).getShape();
    // Within each group, the dimension the code generator marked kept (a
    // tile's extents may all be 1), else the one larger than 1, is the one
    // on the narrow side.
    auto kept = def->getAttrOfType<DenseBoolArrayAttr>(kKeptDimsAttr);
    if (kept && kept.size() != (int64_t)wide.size())
      kept = {};
    SmallVector<int> under(cast<ShapedType>(v.getType()).getRank(), -1);
    for (auto [g, group] : llvm::enumerate(groups)) {
      int64_t pick = group.front();
      for (int64_t d : group)
        if (kept ? kept[d] : wide[d] != 1)
          pick = d;
      if (!kept && group.size() > 1 &&
          llvm::all_of(group, [&](int64_t d) { return wide[d] == 1; }))
        return Value();
      if (expand)
        under[pick] = g;
      else
        under[g] = pick;
    }
    for (int &d : dims)
      d = d >= 0 ? under[d] : -1;
    v = src;
  }
}

/// Whether `buffer` is a tile's buffer: an allocation, or a clipped view
/// at its origin of one (the last tile of a runtime extent).
static bool isTileBuffer(Value buffer) {
  if (auto sub = buffer.getDefiningOp<memref::SubViewOp>())
    return sub.getSource().getDefiningOp<memref::AllocOp>() &&
           llvm::all_of(sub.getMixedOffsets(),
                        [](OpFoldResult o) { return isZeroInteger(o); });
  return (bool)buffer.getDefiningOp<memref::AllocOp>();
}

/// The allocation under `buffer` (through a clipped view at its origin).
static Operation *allocationOf(Value buffer) {
  if (auto sub = buffer.getDefiningOp<memref::SubViewOp>())
    buffer = sub.getSource();
  return buffer.getDefiningOp();
}

/// The buffer a tile buffer is filled from or written back to: by a copy
/// of the buffer itself or, where the last tile of a runtime extent is
/// clipped, of its clipped view at the origin. A copy also fills (or
/// drains) the next inner buffer, which a clipped view makes look like a
/// parent's view: the parent is the one allocated before, around.
static std::optional<ChainBuffer> parentOf(Value buffer) {
  // DRAM holds whole tensors: nothing is above it.
  if (!isa_and_nonnull<LevelSpaceAttr>(
          cast<MemRefType>(buffer.getType()).getMemorySpace()))
    return std::nullopt;
  Operation *mine = allocationOf(buffer);
  auto before = [&](Value other) {
    Operation *theirs = allocationOf(other);
    if (!theirs || !mine)
      return true;
    Operation *around = theirs->getBlock()->findAncestorOpInBlock(*mine);
    return around && around != theirs && theirs->isBeforeInBlock(around);
  };
  // The buffer's uses, and those of its casts.
  SmallVector<Value> selves{buffer};
  for (size_t i = 0; i < selves.size(); ++i)
    for (Operation *user : selves[i].getUsers())
      if (auto cast = dyn_cast<memref::CastOp>(user))
        selves.push_back(cast.getResult());
  for (Value self : selves) {
    for (Operation *user : self.getUsers()) {
      if (auto sub = dyn_cast<memref::SubViewOp>(user))
        if (sub.getSource() == self && isTileBuffer(sub.getResult()))
          if (std::optional<ChainBuffer> p = parentOf(sub.getResult()))
            return p;
      auto copy = dyn_cast<memref::CopyOp>(user);
      if (!copy)
        continue;
      Value other = underCasts(copy.getTarget() == self ? copy.getSource()
                                                        : copy.getTarget());
      if (other == buffer || !before(other))
        continue;
      if (std::optional<ChainBuffer> p = viewed(other))
        return p;
    }
  }
  return std::nullopt;
}

/// Induction variables an offset is computed from.
static void ivsOf(OpFoldResult ofr, SmallVectorImpl<Value> &out) {
  auto v = dyn_cast<Value>(ofr);
  if (!v)
    return;
  if (auto apply = v.getDefiningOp<affine::AffineApplyOp>()) {
    for (Value operand : apply.getMapOperands())
      ivsOf(operand, out);
    return;
  }
  out.push_back(v);
}

/// The coefficient of `iv` in an offset (the extent one iteration of its
/// loop advances the dimension), or nullopt when `iv` is not a plain term.
static std::optional<int64_t> strideOf(OpFoldResult ofr, Value iv) {
  auto v = dyn_cast<Value>(ofr);
  if (!v)
    return std::nullopt;
  if (v == iv)
    return 1;
  auto apply = v.getDefiningOp<affine::AffineApplyOp>();
  if (!apply || apply.getAffineMap().getNumResults() != 1)
    return std::nullopt;
  AffineMap map = apply.getAffineMap();
  MLIRContext *ctx = map.getContext();
  // Offsets are sums of dims times constants: the coefficient is the
  // difference made by setting iv's dims to 1 instead of 0.
  auto valueWith = [&](int64_t one) -> std::optional<int64_t> {
    SmallVector<AffineExpr> dims;
    for (Value operand : apply.getMapOperands())
      dims.push_back(getAffineConstantExpr(operand == iv ? one : 0, ctx));
    AffineExpr e = map.getResult(0).replaceDimsAndSymbols(
        dims, SmallVector<AffineExpr>(map.getNumSymbols(),
                                      getAffineConstantExpr(0, ctx)));
    if (auto c = dyn_cast<AffineConstantExpr>(e))
      return c.getValue();
    return std::nullopt;
  };
  if (!llvm::is_contained(apply.getMapOperands(), iv))
    return std::nullopt;
  std::optional<int64_t> at1 = valueWith(1), at0 = valueWith(0);
  if (!at1 || !at0)
    return std::nullopt;
  return *at1 - *at0;
}

LogicalResult MappingFromIR::build(func::FuncOp func, const Arch &arch) {
  workload.name = func.getSymName().str();
  SmallVector<linalg::LinalgOp> tiles;
  func.walk<WalkOrder::PreOrder>([&](linalg::LinalgOp op) {
    if (op->hasAttr(kEinsumAttr) && op.hasPureBufferSemantics())
      tiles.push_back(op);
  });
  DenseMap<Value, int> tensorOfRoot;
  llvm::EquivalenceClasses<int> together;
  DenseMap<Operation *, int> firstUnder;  // loop or root -> Einsum
  unsigned inputs = 0;

  auto rootTensor = [&](Value root, std::string name,
                        ArrayRef<int64_t> shape) {
    auto [it, fresh] = tensorOfRoot.try_emplace(root, workload.tensors.size());
    if (fresh) {
      Tensor t;
      t.name = std::move(name);
      t.shape.assign(shape.begin(), shape.end());
      workload.tensors.push_back(std::move(t));
    }
    return it->second;
  };

  struct TileState {
    SmallVector<Loop> loops;
    DenseMap<Value, int> rankOfIv;
    /// Per loop, how far one iteration advances its rank (from the offsets
    /// of a dimension the rank walks alone, or through a shared buffer).
    DenseMap<Value, int64_t> strideOfIv;
    /// Loops that walk the rank through a consumer's window on a shared
    /// buffer: halo loops (MapNode::haloSpan), with their step.
    DenseMap<Value, int64_t> haloOfIv;
    SmallVector<SmallVector<ChainBuffer>> chains;
    SmallVector<int64_t> extents;
    int unit = 0; // Arch::unit
  };
  std::vector<TileState> states(tiles.size());
  for (auto [i, tile] : llvm::enumerate(tiles)) {
    // A tile's buffers have shapes to tile (an unranked one has none).
    if (llvm::any_of(tile->getOperandTypes(), [](Type t) {
          return isa<UnrankedMemRefType>(t);
        }))
      return tile->emitError("ffm: a tile's operands are ranked buffers");
    together.insert(i);
    auto name = tile->getAttrOfType<StringAttr>(kEinsumAttr);
    int unit = 0;
    if (auto unitName = tile->getAttrOfType<StringAttr>(kUnitAttr)) {
      unit = arch.unitIndex(unitName.getValue());
      if (unit < 0)
        return tile->emitError("ffm: tile runs on compute unit '")
               << unitName.getValue()
               << "', which the architecture does not have";
    }
    // The loops above the tile, outermost first.
    SmallVector<Loop> loops;
    for (Operation *p : treeAncestors(tile, func)) {
      FailureOr<Loop> loop = loopOf(p, arch);
      if (failed(loop))
        return failure();
      loops.push_back(*loop);
    }
    for (const Loop &loop : loops) {
      auto [it, fresh] = firstUnder.try_emplace(loop.op, i);
      if (!fresh)
        together.unionSets(it->second, i);
    }

    Einsum e;
    e.name = name.getValue().str();
    e.opName = tile->getName().getStringRef().str();
    std::vector<std::string> names = rankNames(tile);
    SmallVector<int64_t> extents = tile.getStaticLoopRanges();
    for (auto [r, n] : llvm::enumerate(names))
      e.ranks.push_back({n, extents[r]});

    // Each operand's chain of buffers, and the ranks its offsets walk.
    DenseMap<Value, int> rankOfIv;
    DenseMap<Value, int64_t> strideOfIv;
    SmallVector<SmallVector<ChainBuffer>> chains;
    SmallVector<OpOperand *> operands;
    for (OpOperand *in : tile.getDpsInputOperands())
      if (isa<MemRefType>(in->get().getType()))
        operands.push_back(in);
    operands.push_back(tile.getDpsInitOperand(0));
    for (OpOperand *operand : operands) {
      AffineMap map = tile.getMatchingIndexingMap(operand);
      FailureOr<TensorAccess> parsed = accessFromMap(
          tile, map, -1,
          cast<ShapedType>(operand->get().getType()).getShape());
      if (failed(parsed))
        return failure();
      TensorAccess access = std::move(*parsed);
      // A tile reshaped for the op (unit dimensions added or dropped): the
      // access is on the dimensions of the buffers underneath.
      SmallVector<int> dims;
      Value data = peelUnitReshapes(operand->get(), dims);
      if (!data)
        return tile->emitError(
            "ffm: a reshape or transpose of a tile's unit dimensions has "
            "lost its '")
               << kKeptDimsAttr
               << "' (rebuilt by a rewrite after --ffm-fuse): which of them "
                  "the tile walks is unknown";
      if (data != operand->get())
        access = access.onDims(dims, cast<ShapedType>(data.getType()).getRank());
      SmallVector<ChainBuffer> chain;
      std::optional<ChainBuffer> link = viewed(data);
      while (link) {
        // A tile buffer read through its clipped view (a runtime extent's
        // last tile) is the allocation under it, as its writer's chain has.
        if (isTileBuffer(link->buffer))
          if (auto sub = link->buffer.getDefiningOp<memref::SubViewOp>())
            link->buffer = sub.getSource();
        chain.insert(chain.begin(), *link);
        link = isTileBuffer(link->buffer) ? parentOf(link->buffer)
                                          : std::nullopt;
      }
      for (const ChainBuffer &c : chain)
        for (auto [d, offset] : llvm::enumerate(c.offsets)) {
          SmallVector<Value> ivs;
          ivsOf(offset, ivs);
          int r = access.dimRanks[d];
          // A window's offset mixes the loops of its ranks; each of them
          // also walks a dimension of its own in some operand.
          if (r < 0)
            continue;
          for (Value iv : ivs) {
            auto [it, fresh] = rankOfIv.try_emplace(iv, r);
            if (!fresh && it->second != r)
              return tile->emitError("ffm: a loop walks two ranks of '")
                     << e.name << "'";
            if (std::optional<int64_t> stride = strideOf(offset, iv))
              strideOfIv.try_emplace(iv, *stride);
          }
        }
      // The tensor: its outermost buffer (a result of an earlier group read
      // back as a buffer is that group's buffer).
      Value root = chain.front().buffer;
      if (auto toBuffer = root.getDefiningOp<bufferization::ToBufferOp>())
        if (auto toTensor =
                toBuffer.getTensor().getDefiningOp<bufferization::ToTensorOp>())
          root = toTensor.getBuffer();
      auto type = cast<MemRefType>(root.getType());
      bool isOutput = operand == tile.getDpsInitOperand(0);
      std::string tensorName;
      if (isOutput)
        tensorName = e.name + ".out";
      else if (auto toBuffer = root.getDefiningOp<bufferization::ToBufferOp>();
               toBuffer && isa<BlockArgument>(toBuffer.getTensor()))
        tensorName =
            "arg" + std::to_string(
                        cast<BlockArgument>(toBuffer.getTensor()).getArgNumber());
      else
        tensorName = "in" + std::to_string(inputs++);
      access.tensor = rootTensor(root, tensorName, type.getShape());
      if (isOutput) {
        workload.tensors[access.tensor].name = tensorName;
        workload.tensors[access.tensor].producer = i;
        e.output = access;
      } else {
        e.inputs.push_back(access);
      }
      if (isa_and_nonnull<LevelSpaceAttr>(type.getMemorySpace())) {
        auto [it, fresh] = firstUnder.try_emplace(root.getDefiningOp(), i);
        if (!fresh)
          together.unionSets(it->second, i);
      }
      chains.push_back(std::move(chain));
    }
    // As the Einsum graph marks it, so a tree spreading a scan's rank is
    // refused rather than priced as partial sums.
    if (failed(markOrdered(tile, e, /*isTile=*/true)))
      return failure();

    // Halo loops are found below, through the buffers tiles share.
    states[i] = TileState{std::move(loops),
                          std::move(rankOfIv),
                          std::move(strideOfIv),
                          DenseMap<Value, int64_t>(),
                          std::move(chains),
                          std::move(extents),
                          unit};
    workload.einsums.push_back(std::move(e));
  }

  // A loop above a fused intermediate's on-chip buffer, and above nothing
  // else of a tile, walks the same dimension of that buffer in every tile
  // that shares it: known in one, it is known in all.
  for (bool changed = true; changed;) {
    changed = false;
    for (auto [x, sx] : llvm::enumerate(states))
      for (auto [y, sy] : llvm::enumerate(states))
        for (auto [ax, cx] : llvm::enumerate(sx.chains))
          for (auto [ay, cy] : llvm::enumerate(sy.chains)) {
            Value root = cx.front().buffer;
            if (x == y || root != cy.front().buffer ||
                !isa_and_nonnull<LevelSpaceAttr>(
                    cast<MemRefType>(root.getType()).getMemorySpace()))
              continue;
            const TensorAccess *acx = workload.einsums[x].accesses()[ax];
            const TensorAccess *acy = workload.einsums[y].accesses()[ay];
            for (const Loop &loop : sx.loops) {
              // Known ranks are looked at again: a loop may walk a
              // projection of x directly and still be a halo loop.
              auto it = sy.rankOfIv.find(loop.iv);
              if (it == sy.rankOfIv.end() || it->second < 0)
                continue;
              auto yStride = sy.strideOfIv.find(loop.iv);
              auto d = llvm::find(acy->dimRanks, it->second);
              int r = -1;
              std::optional<int64_t> stride;
              bool halo = false;
              if (d != acy->dimRanks.end()) {
                r = acx->dimRanks[d - acy->dimRanks.begin()];
                if (yStride != sy.strideOfIv.end())
                  stride = yStride->second;
              } else if (yStride != sy.strideOfIv.end()) {
                // y reads the buffer through a window over the loop's
                // rank: x walks that dimension with overlapping tiles,
                // c times y's stride apart (docs/rewrite.md).
                for (auto [h, window] : llvm::enumerate(acy->windows))
                  for (const WindowTerm &t : window)
                    if (t.rank == it->second && h < acx->dimRanks.size()) {
                      r = acx->dimRanks[h];
                      stride = t.coeff * yStride->second;
                      halo = true;
                    }
              }
              if (r < 0)
                continue;
              auto [rk, freshRank] = sx.rankOfIv.try_emplace(loop.iv, r);
              if (rk->second != r)
                continue;
              bool freshHalo =
                  halo && sx.haloOfIv.try_emplace(loop.iv, *stride).second;
              bool freshStride =
                  stride && sx.strideOfIv.try_emplace(loop.iv, *stride).second;
              changed |= freshRank || freshStride || freshHalo;
            }
          }
  }

  for (auto [i, tile] : llvm::enumerate(tiles)) {
    TileState &st = states[i];
    Einsum &e = workload.einsums[i];
    auto &loops = st.loops;
    auto &rankOfIv = st.rankOfIv;
    auto &chains = st.chains;
    auto &extents = st.extents;
    // Loops: their ranks and trip counts; rank bounds follow.
    RecoveredEinsum rec;
    rec.tile = tile;
    rec.mapping.unit = st.unit;
    rec.executions = 1;
    for (int64_t x : extents)
      rec.executions *= x;
    SmallVector<MapNode> loopNodes;
    for (const Loop &loop : loops) {
      auto it = rankOfIv.find(loop.iv);
      if (it == rankOfIv.end() || it->second < 0)
        return loop.op->emitError("ffm: this loop offsets no operand of '")
               << e.name << "'";
      MapNode n;
      n.kind = loop.kind;
      n.rank = it->second;
      n.factor = loop.trips;
      n.level = loop.level;
      n.dim = loop.dim;
      if (auto halo = st.haloOfIv.find(loop.iv); halo != st.haloOfIv.end())
        n.haloStep = halo->second;
      loopNodes.push_back(n);
      e.ranks[n.rank].bound *= loop.trips;
      rec.executions *= loop.trips;
    }
    // A halo loop's span is what the loops below it cover: its rank's
    // recovered bound (count * span) is the one the model charges. Tiles
    // as long as their step are disjoint and cover the rank: a plain loop,
    // which a window loop reads as its own (fusionKey).
    for (MapNode &n : loopNodes)
      if (n.haloStep > 0 && n.factor > 0) {
        n.haloSpan = e.ranks[n.rank].bound / n.factor;
        n = n.asRun();
      }
    // Keep nodes: per chain buffer, under the loops enclosing it.
    std::vector<std::vector<MapNode>> keepsAt(loops.size() + 1);
    for (auto [a, chain] : llvm::enumerate(chains))
      for (const ChainBuffer &c : chain) {
        MapNode n;
        n.kind = MapNode::Keep;
        n.access = a;
        auto space = cast<MemRefType>(c.buffer.getType()).getMemorySpace();
        if (auto level = dyn_cast_or_null<LevelSpaceAttr>(space)) {
          n.level = arch.levelIndex(level.getLevel());
          if (n.level <= 0)
            return tile->emitError("ffm: buffer in unknown level '")
                   << level.getLevel() << "'";
        } else {
          n.level = 0;
        }
        size_t depth = 0;
        if (Operation *def = c.buffer.getDefiningOp())
          while (depth < loops.size() && loops[depth].op->isAncestor(def))
            ++depth;
        keepsAt[depth].push_back(n);
      }
    for (size_t d = 0; d <= loops.size(); ++d) {
      for (const MapNode &n : keepsAt[d])
        rec.mapping.nodes.push_back(n);
      if (d < loops.size())
        rec.mapping.nodes.push_back(loopNodes[d]);
    }
    // A tile wider than one point loops over the rest itself, innermost.
    for (auto [r, extent] : llvm::enumerate(extents))
      if (extent > 1) {
        MapNode n;
        n.rank = r;
        n.factor = extent;
        rec.mapping.nodes.push_back(n);
      }
    rec.mapping = canonicalKeeps(std::move(rec.mapping));
    einsums.push_back(std::move(rec));
  }

  // Fused intermediates' full shapes come from their producers' bounds,
  // and a dynamic dimension's from the bound of the rank walking it;
  // results returned by the function end in DRAM.
  for (const Einsum &e : workload.einsums) {
    Tensor &t = workload.tensors[e.output.tensor];
    for (auto [d, r] : llvm::enumerate(e.output.dimRanks))
      if (r >= 0 && d < t.shape.size())
        t.shape[d] = e.ranks[r].bound;
    // A halo loop's tiles reach step * (count - 1) + span of the dimension.
    const RecoveredEinsum &rec = einsums[&e - &workload.einsums[0]];
    for (const MapNode &n : rec.mapping.nodes)
      if (n.isLoop() && n.isHalo())
        for (auto [d, r] : llvm::enumerate(e.output.dimRanks))
          if (r == n.rank && d < t.shape.size())
            t.shape[d] = n.haloStep * (n.factor - 1) + n.haloSpan;
    for (const TensorAccess *acc : e.accesses()) {
      Tensor &in = workload.tensors[acc->tensor];
      for (auto [d, r] : llvm::enumerate(acc->dimRanks))
        if (r >= 0 && d < in.shape.size() && ShapedType::isDynamic(in.shape[d]))
          in.shape[d] = e.ranks[r].bound;
    }
  }
  // Results leave through the return, or through the yield of a body
  // specialised to given sizes.
  func.walk([&](Operation *ret) {
    bool leaves = isa<func::ReturnOp>(ret) ||
                  (isa<scf::YieldOp>(ret) &&
                   ret->getParentOp()->hasAttr(kDimSizesAttr));
    if (!leaves)
      return;
    for (Value v : ret->getOperands())
      if (auto toTensor = v.getDefiningOp<bufferization::ToTensorOp>()) {
        auto it = tensorOfRoot.find(toTensor.getBuffer());
        if (it != tensorOfRoot.end())
          workload.tensors[it->second].isOutput = true;
      }
  });
  workload.buildEdges();

  for (auto it = together.begin(); it != together.end(); ++it) {
    if (!(*it)->isLeader())
      continue;
    std::vector<int> group;
    for (auto m = together.member_begin(**it); m != together.member_end(); ++m)
      group.push_back(*m);
    llvm::sort(group);
    groups.push_back(std::move(group));
  }
  llvm::sort(groups);
  return success();
}
