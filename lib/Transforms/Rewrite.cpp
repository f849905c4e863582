//===- Rewrite.cpp - tile, fuse and place buffers per the chosen mapping --===//
#include "ffm/Transforms/Rewrite.h"
#include "ffm/Transforms/Support.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace ffm;

static constexpr llvm::StringLiteral kEinsumAttr = "ffm.einsum";

static void annotate(Operation *op, const Workload &w, int i, const Arch &arch,
                     const EinsumResult &er) {
  Builder b(op->getContext());
  op->setAttr(kEinsumAttr, b.getStringAttr(w.einsums[i].name));
  op->setAttr("ffm.mapping", toAttr(op->getContext(), er.mapping, w, i, arch));
  op->setAttr("ffm.energy_pj", b.getF64FloatAttr(er.eval.energy));
  op->setAttr("ffm.latency_cycles", b.getF64FloatAttr(er.eval.latency));
}

void ffm::annotateWithMapping(const EinsumGraphAnalysis &graph,
                              const Arch &arch, const SearchResult &result) {
  for (auto [i, op] : llvm::enumerate(graph.getOps()))
    annotate(op, graph.getWorkload(), i, arch, result.einsums[i]);
}

namespace {

/// Index of the deepest storage node of a fused intermediate (on chip on
/// both sides), or -1: the loops above it are the op's fused loops.
int fusedDepth(const EinsumResult &er, bool inputsOnly, int outputAccess) {
  int deepest = -1;
  for (auto [i, n] : llvm::enumerate(er.mapping.nodes))
    if (n.kind == MapNode::Keep && er.onChipShared[n.access] &&
        (!inputsOnly || n.access != outputAccess))
      deepest = i;
  return deepest;
}

struct MappingRewriter {
  IRRewriter &rewriter;
  const Workload &w;
  const Arch &arch;
  const EinsumGraphAnalysis &graph;

  /// Tiles `op` by one block of loops of its mapping. Tile sizes are the
  /// extents the mapping leaves below the block, so they are right whatever
  /// tiling already happened above.
  FailureOr<linalg::LinalgOp> tileBlock(linalg::LinalgOp op, const Mapping &m,
                                        size_t blockBegin, size_t blockEnd) {
    const auto &nodes = m.nodes;
    SmallVector<int64_t> extent = op.getStaticLoopRanges();
    SmallVector<int64_t> size(extent.size(), 0);
    SmallVector<int64_t> order;
    bool spatial = false, reduction = false;
    SmallVector<Attribute> mapping;
    auto iterators = op.getIteratorTypesArray();
    for (size_t i = blockBegin; i < blockEnd; ++i) {
      const MapNode &n = nodes[i];
      int64_t below = 1;
      for (size_t j = i + 1; j < nodes.size(); ++j)
        if (nodes[j].isLoop() && nodes[j].rank == n.rank)
          below *= nodes[j].factor;
      if (below >= extent[n.rank] || extent[n.rank] % below)
        continue; // already this small (or not a clean split): no loop
      size[n.rank] = below;
      order.push_back(n.rank);
      if (n.kind == MapNode::Spatial) {
        spatial = true;
        mapping.push_back(FanoutAttr::get(op->getContext(),
                                          arch.levels[n.level].name, n.dim));
      }
      reduction |= iterators[n.rank] == utils::IteratorType::reduction;
    }
    if (order.empty())
      return op;
    for (int64_t r = 0, e = extent.size(); r < e; ++r)
      if (!llvm::is_contained(order, r))
        order.push_back(r);
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), size));
    options.setInterchange(order);
    // scf.forall cannot carry reductions; spatial reductions stay scf.for.
    if (spatial && !reduction) {
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      // Loops come out in interchange order; only tiled ranks make loops.
      options.setMapping(mapping);
    }
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled) || tiled->tiledOps.size() != 1)
      return op->emitError("ffm: tiling for the mapping failed");
    if (spatial && !reduction && !tiled->loops.empty())
      tiled->loops.front()->setAttr("ffm.spatial", rewriter.getUnitAttr());
    rewriter.replaceOp(op, tiled->replacements);
    return cast<linalg::LinalgOp>(tiled->tiledOps.front());
  }

  /// Copies the operand of `access` into a tensor in `level`'s memory space.
  void place(linalg::LinalgOp op, int einsum, int access, int level) {
    unsigned operand = graph.getAccessOperands(einsum)[access];
    int outputAccess = w.einsums[einsum].inputs.size();
    // An init read as data is placed with the output.
    if (access != outputAccess &&
        operand == graph.getAccessOperands(einsum)[outputAccess])
      return;
    Value value = op->getOperand(operand);
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type)
      return;
    rewriter.setInsertionPoint(op);
    Attribute space =
        LevelSpaceAttr::get(op->getContext(), arch.levels[level].name);
    auto alloc = bufferization::AllocTensorOp::create(
        rewriter, op.getLoc(), type, ValueRange{}, value, Value(), space);
    rewriter.modifyOpInPlace(op, [&] { op->setOperand(operand, alloc); });
    if (access != outputAccess)
      return;
    // The finished output tile is written back to its parent: a copy in the
    // default space, so loops around carry one memory space throughout.
    rewriter.setInsertionPointAfter(op);
    Value result = op->getResult(0);
    // Without an explicit space the copy would inherit its source's.
    auto back = bufferization::AllocTensorOp::create(
        rewriter, op.getLoc(), type, ValueRange{}, result, Value(),
        rewriter.getI64IntegerAttr(0));
    rewriter.replaceAllUsesExcept(result, back, back);
  }

  /// Walks the mapping from node `start`: each run of loops between storage
  /// nodes becomes one tiling step; each on-chip storage node a placement.
  /// The innermost temporal loops remain the op's own iteration space.
  FailureOr<linalg::LinalgOp> apply(linalg::LinalgOp op, int einsum,
                                    const Mapping &m, size_t start) {
    const auto &nodes = m.nodes;
    // Storage above the loops already applied (by fusion) is placed at the
    // op itself: the loops it would sit between are outside it now.
    for (size_t i = 0; i < start; ++i)
      if (nodes[i].kind == MapNode::Keep && nodes[i].level > 0)
        place(op, einsum, nodes[i].access, nodes[i].level);
    size_t lastSpatial = start;
    for (size_t i = start; i < nodes.size(); ++i)
      if (nodes[i].kind == MapNode::Spatial)
        lastSpatial = i + 1;
    size_t blockBegin = start;
    auto flush = [&](size_t end) -> LogicalResult {
      // A block is one loop kind over distinct ranks.
      size_t b = blockBegin;
      while (b < end) {
        size_t e = b + 1;
        while (e < end && nodes[e].kind == nodes[b].kind &&
               llvm::none_of(
                   llvm::make_range(nodes.begin() + b, nodes.begin() + e),
                   [&](const MapNode &n) { return n.rank == nodes[e].rank; }))
          ++e;
        FailureOr<linalg::LinalgOp> next = tileBlock(op, m, b, e);
        if (failed(next))
          return failure();
        op = *next;
        b = e;
      }
      blockBegin = end;
      return success();
    };
    for (size_t i = start; i < nodes.size(); ++i) {
      if (nodes[i].kind != MapNode::Keep)
        continue;
      if (failed(flush(i)))
        return failure();
      blockBegin = i + 1;
      if (nodes[i].level > 0)
        place(op, einsum, nodes[i].access, nodes[i].level);
    }
    if (lastSpatial > blockBegin && failed(flush(lastSpatial)))
      return failure();
    return op;
  }
};

} // namespace

LogicalResult ffm::rewriteToMapping(func::FuncOp func,
                                    const EinsumGraphAnalysis &graph,
                                    const Arch &arch,
                                    const SearchResult &result) {
  const Workload &w = graph.getWorkload();
  IRRewriter rewriter(func.getContext());
  MappingRewriter mr{rewriter, w, arch, graph};
  SmallVector<linalg::LinalgOp> ops(graph.getOps().begin(),
                                    graph.getOps().end());
  for (auto [i, op] : llvm::enumerate(ops))
    annotate(op, w, i, arch, result.einsums[i]);

  for (const std::vector<int> &group : result.groups) {
    int last = group.back();
    const EinsumResult &consumerResult = result.einsums[last];
    linalg::LinalgOp consumer = ops[last];
    if (group.size() == 1) {
      if (failed(mr.apply(consumer, last, consumerResult.mapping, 0)))
        return failure();
      continue;
    }
    // Tile the last Einsum by its fused loops and pull its producers in.
    int depth = fusedDepth(consumerResult, /*inputsOnly=*/true,
                           w.einsums[last].inputs.size());
    const auto &nodes = consumerResult.mapping.nodes;
    SmallVector<int64_t> bounds = consumer.getStaticLoopRanges();
    SmallVector<int64_t> size(bounds.size(), 0);
    SmallVector<int64_t> order;
    for (int i = 0; i < depth; ++i) {
      const MapNode &n = nodes[i];
      if (!n.isLoop())
        continue;
      size[n.rank] =
          size[n.rank] ? size[n.rank] / n.factor : bounds[n.rank] / n.factor;
      if (!llvm::is_contained(order, n.rank))
        order.push_back(n.rank);
    }
    for (int64_t r = 0, e = bounds.size(); r < e; ++r)
      if (!llvm::is_contained(order, r))
        order.push_back(r);
    llvm::DenseSet<Operation *> members;
    for (int i : group)
      members.insert(ops[i]);
    scf::SCFTileAndFuseOptions options;
    options.tilingOptions.setTileSizes(
        getAsIndexOpFoldResult(func.getContext(), size));
    options.tilingOptions.setInterchange(order);
    // Only the group's Einsums are fused. An init (a fill) is not: under a
    // fused reduction loop it would reset the partial sums every iteration;
    // outside, the loop's iter_args carry it.
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          if (!isDestination && members.contains(producer.getOwner()))
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          return std::nullopt;
        });
    rewriter.setInsertionPoint(consumer);
    FailureOr<scf::SCFTileAndFuseResult> fused =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(consumer.getOperation()), options);
    if (failed(fused))
      return consumer->emitError("ffm: tiling and fusing the group failed");
    for (auto [orig, repl] : fused->replacements)
      rewriter.replaceAllUsesWith(orig, repl);
    for (int i : llvm::reverse(group))
      if (ops[i]->use_empty())
        rewriter.eraseOp(ops[i]);
    // Each tiled op continues with the part of its mapping below the loops
    // it shares with the group.
    for (Operation *tiledOp : fused->tiledAndFusedOps) {
      auto name = tiledOp->getAttrOfType<StringAttr>(kEinsumAttr);
      auto linalgOp = dyn_cast<linalg::LinalgOp>(tiledOp);
      if (!name || !linalgOp)
        continue;
      int i = llvm::find_if(
                  w.einsums,
                  [&](const Einsum &e) { return e.name == name.getValue(); }) -
              w.einsums.begin();
      const EinsumResult &er = result.einsums[i];
      int start =
          fusedDepth(er, /*inputsOnly=*/false, w.einsums[i].inputs.size());
      if (failed(mr.apply(linalgOp, i, er.mapping, std::max(start, 0))))
        return failure();
    }
  }
  // Tile-and-fuse leaves the untiled producers behind when slices of them
  // remain; once nothing reads them they go.
  if (failed(applyPatternsGreedily(func, FrozenRewritePatternSet())))
    return emitError(func.getLoc(),
                     "ffm: cleaning up after the rewrite failed");
  return success();
}
