//===- LoopTreeCodegen.cpp - emit each fusion group as its LoopTree -------===//
//
// Invariant: the emitted IR is the chosen mapping, node for node
// (DESIGN.md section 7, docs/rewrite.md). Each fusion group becomes one loop
// tree on buffers: the loops its members share (those above the outermost
// on-chip node of each fused intermediate, as the compatibility keys say)
// exist once; below them each member continues with the rest of its own
// mapping. Every loop of a mapping is one scf.for or scf.forall with the
// mapping's trip count; every on-chip keep node is one memref.alloc in its
// level's memory space at the node's place, filled from its parent buffer;
// every Einsum's tile is computed once per iteration of its own loops.
// A rank with a runtime extent (dynamic shapes) is walked by the same
// loops with runtime trip counts, its last tile clipped. MappingFromIR
// reads all of this back.
//
//===----------------------------------------------------------------------===//
#include "ffm/Transforms/Rewrite.h"
#include "ffm/Transforms/Support.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace ffm;

static void annotate(Operation *op, const Workload &w, int i, const Arch &arch,
                     const EinsumResult &er) {
  Builder b(op->getContext());
  op->setAttr(kEinsumAttr, b.getStringAttr(w.einsums[i].name));
  op->setAttr(kMappingAttr, toAttr(op->getContext(), er.mapping, w, i, arch));
  op->setAttr("ffm.energy_pj", b.getF64FloatAttr(er.eval.energy));
  op->setAttr("ffm.latency_cycles", b.getF64FloatAttr(er.eval.latency));
  if (arch.numUnits() > 1)
    op->setAttr(kUnitAttr,
                b.getStringAttr(arch.unit(er.mapping.unit).displayName()));
}

void ffm::annotateWithMapping(const EinsumGraphAnalysis &graph,
                              const Arch &arch, const SearchResult &result) {
  for (auto [i, op] : llvm::enumerate(graph.getOps()))
    annotate(op, graph.getWorkload(), i, arch, result.einsums[i]);
}

namespace {

/// A term of a rank's offset: a loop's induction variable times the extent
/// that one of its iterations covers.
struct Term {
  Value iv;
  int64_t step;
};

/// A buffer holding one tensor's tile for one member, and where its origin
/// sits: per rank of the member, how many offset terms of the rank were in
/// scope when it was created (none: the whole tensor).
struct Buffer {
  Value memref;
  SmallVector<size_t> originTerms;
  SmallVector<int64_t> shape;
  bool isOutput = false;
  /// Runtime sizes where a rank's extent is dynamic (clipped tiles); empty
  /// when the buffer is `shape` throughout.
  SmallVector<OpFoldResult> sizes;
};

/// What one member sees at a point of the tree.
struct MemberState {
  int einsum = -1;
  /// Next node of its mapping to emit.
  size_t cursor = 0;
  /// Offset terms per rank, outermost first.
  SmallVector<SmallVector<Term>> terms;
  /// Buffers per access, outermost first.
  SmallVector<SmallVector<Buffer>> buffers;
  /// Per rank with a runtime extent, the extent of its current tile (the
  /// whole extent above its loops, then clipped by each); null when static.
  SmallVector<Value> remaining;
};

struct GroupEmitter {
  GroupEmitter(IRRewriter &rewriter, const Workload &w, const Arch &arch,
               const EinsumGraphAnalysis &graph, const SearchResult &result,
               ArrayRef<int> members, const RankExtents *dynamic = nullptr)
      : rewriter(rewriter), w(w), arch(arch), graph(graph), result(result),
        members(members), loc(graph.getOps()[members.back()]->getLoc()),
        dynamic(dynamic) {}

  IRRewriter &rewriter;
  const Workload &w;
  const Arch &arch;
  const EinsumGraphAnalysis &graph;
  const SearchResult &result;
  ArrayRef<int> members;
  Location loc;
  /// Runtime extents of dynamic ranks, or null: all ranks static.
  const RankExtents *dynamic;

  /// The runtime extent of rank `r` of Einsum `i`, or null when static.
  Value runtimeExtent(int i, int r) const {
    return dynamic ? (*dynamic)[i][r] : Value();
  }

  /// Loops of each member (node indices), and the class of each: members
  /// share a loop when their loops at the same depth are in one class.
  DenseMap<int, SmallVector<size_t>> loops;
  llvm::EquivalenceClasses<std::pair<int, size_t>> classes;
  /// Fused intermediates: tensor -> (depth of its outermost on-chip node).
  DenseMap<int, size_t> fusedDepth;
  /// Per member, the node index of each fused intermediate's outermost node.
  DenseMap<std::pair<int, int>, size_t> sharedNode;
  /// DRAM buffers of the group, per workload tensor.
  DenseMap<int, Value> dram;
  /// Outputs that leave the group through DRAM, in member order.
  SmallVector<std::pair<int, Value>> results;

  /// The member whose read of an earlier member's result made the tree
  /// unemittable (buildTree() failed on it), or -1.
  int blockedReader = -1;

  InFlightDiagnostic error(int einsum) {
    return graph.getOps()[einsum]->emitError("ffm-fuse: ");
  }

  const Mapping &mappingOf(int i) const { return result.einsums[i].mapping; }
  int outputAccess(int i) const { return w.einsums[i].inputs.size(); }

  /// The access of Einsum `i` that reads or writes `tensor`, or -1.
  int accessOf(int i, int tensor) const {
    auto accesses = w.einsums[i].accesses();
    for (auto [a, acc] : llvm::enumerate(accesses))
      if (acc->tensor == tensor)
        return a;
    return -1;
  }

  size_t outerKeep(int i, int access) const {
    const auto &nodes = mappingOf(i).nodes;
    for (auto [n, node] : llvm::enumerate(nodes))
      if (node.kind == MapNode::Keep && node.access == access)
        return n;
    return nodes.size();
  }

  size_t loopsAbove(int i, size_t node) const {
    return llvm::count_if(
        ArrayRef<MapNode>(mappingOf(i).nodes).take_front(node),
        [](const MapNode &n) { return n.isLoop(); });
  }

  bool isMember(int i) const { return llvm::is_contained(members, i); }

  /// Builds the loop classes from the fused intermediates' depths.
  LogicalResult buildTree() {
    for (int i : members) {
      for (auto [n, node] : llvm::enumerate(mappingOf(i).nodes))
        if (node.isLoop())
          loops[i].push_back(n);
      for (size_t d = 0; d < loops[i].size(); ++d)
        classes.insert({i, d});
    }
    for (int p : members) {
      int out = outputAccess(p);
      if (!result.einsums[p].onChipShared[out])
        continue;
      int tensor = w.einsums[p].output.tensor;
      size_t pNode = outerKeep(p, out);
      size_t depth = loopsAbove(p, pNode);
      fusedDepth[tensor] = depth;
      sharedNode[{p, tensor}] = pNode;
      for (int c : w.tensors[tensor].consumers) {
        int a = accessOf(c, tensor);
        if (!isMember(c) || a < 0 || !result.einsums[c].onChipShared[a])
          return error(p) << "intermediate '" << w.tensors[tensor].name
                          << "' is kept on chip, but its consumer '"
                          << w.einsums[c].name
                          << "' is not in its fusion group";
        size_t cNode = outerKeep(c, a);
        if (loopsAbove(c, cNode) != depth)
          return error(c) << "intermediate '" << w.tensors[tensor].name
                          << "' is fused under " << loopsAbove(c, cNode)
                          << " loops here but under " << depth
                          << " in its producer";
        sharedNode[{c, tensor}] = cNode;
        for (size_t d = 0; d < depth; ++d)
          classes.unionSets({p, d}, {c, d});
      }
    }
    return checkDependences();
  }

  /// Loops of `a` and `b` emitted as one.
  size_t sharedLoops(int a, int b) const {
    size_t d = 0;
    while (d < loops.lookup(a).size() && d < loops.lookup(b).size() &&
           classes.isEquivalent({a, d}, {b, d}))
      ++d;
    return d;
  }

  /// The edge through which `c` reads `tensor` from `p`.
  const Edge *edgeOf(int p, int c, int tensor) const {
    for (const Edge &e : w.edges)
      if (e.producer == p && e.consumer == c && e.tensor == tensor)
        return &e;
    return nullptr;
  }

  /// A member reads what an earlier member writes. Under the loops they
  /// share, it must read only what the producer finished in the same
  /// iteration: every shared loop walks, in the consumer, the dimension of
  /// the tensor that the producer's loop writes (through a reshape, the
  /// dimension that rank lands in); the consumer may not copy the tensor on
  /// chip above them; and where the tensor goes through DRAM, the producer
  /// must write it back within the shared iteration (its outermost on-chip
  /// node of it below them). The DRAM node itself is the backing store, not
  /// a copy.
  LogicalResult checkDependences() {
    for (int c : members)
      for (auto [a, acc] : llvm::enumerate(w.einsums[c].accesses())) {
        if ((int)a == outputAccess(c))
          continue;
        int root = w.rootOf(acc->tensor);
        int p = w.tensors[root].producer;
        if (p < 0 || !isMember(p))
          continue;
        size_t shared = sharedLoops(p, c);
        const Edge *edge = edgeOf(p, c, acc->tensor);
        // The loops above the tensor's node where it is fused on chip:
        // their keys matched.
        auto it = sharedNode.find({c, acc->tensor});
        size_t keyedLoops =
            it != sharedNode.end() ? fusedDepth.lookup(acc->tensor) : 0;
        for (size_t d = 0; d < shared; ++d) {
          const MapNode &pl = mappingOf(p).nodes[loops[p][d]];
          const MapNode &cl = mappingOf(c).nodes[loops[c][d]];
          auto cDim = llvm::find(acc->dimRanks, cl.rank);
          // A loop over a rank of one of the consumer's windows is shared
          // with the producer's halo loop over that dimension: each
          // iteration produces exactly the overlapping tile it reads. Or
          // with a plain loop, where the tensor is fused on chip below
          // them: their keys matched, so the window's tiles are disjoint
          // and cover the dimension as the producer's do (fusionKey).
          int64_t dim = cDim - acc->dimRanks.begin();
          if (cDim == acc->dimRanks.end() && (pl.isHalo() || d < keyedLoops))
            for (auto [h, window] : llvm::enumerate(acc->windows))
              if (llvm::any_of(window, [&](const WindowTerm &t) {
                    return t.rank == cl.rank;
                  }))
                dim = h;
          if (!edge || dim >= (int64_t)acc->dimRanks.size() ||
              edge->producerRanks[dim] != pl.rank)
            return blockedReader = c, error(c)
                   << "cannot emit the fused mapping: loop " << d
                   << " is shared with producer '" << w.einsums[p].name
                   << "' but does not walk '" << w.tensors[acc->tensor].name
                   << "' along one dimension in both, so a tile would be "
                      "read before it is complete";
        }
        for (auto [n, node] : llvm::enumerate(mappingOf(c).nodes))
          if (node.kind == MapNode::Keep && node.access == (int)a &&
              node.level > 0 &&
              (it == sharedNode.end() || it->second != n) &&
              loopsAbove(c, n) < shared)
            return blockedReader = c, error(c)
                                      << "cannot emit the fused mapping: '"
                            << w.tensors[acc->tensor].name
                            << "' is copied in above loops shared with its "
                               "producer '"
                            << w.einsums[p].name << "'";
        if (it != sharedNode.end())
          continue;
        for (auto [n, node] : llvm::enumerate(mappingOf(p).nodes))
          if (node.kind == MapNode::Keep && node.access == outputAccess(p) &&
              node.level > 0 && loopsAbove(p, n) < shared)
            return blockedReader = c, error(p)
                                      << "cannot emit the fused mapping: '"
                            << w.tensors[root].name
                            << "' is written back to DRAM after the loops "
                               "it shares with its consumer '"
                            << w.einsums[c].name << "'";
      }
    return success();
  }

  //===--------------------------------------------------------------------===//
  // IR helpers
  //===--------------------------------------------------------------------===//

  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  }

  /// Sum of `terms` as one affine.apply (a constant 0 when empty).
  OpFoldResult offset(ArrayRef<Term> terms) {
    if (terms.empty())
      return rewriter.getIndexAttr(0);
    AffineExpr e = getAffineConstantExpr(0, rewriter.getContext());
    SmallVector<Value> ivs;
    for (auto [k, t] : llvm::enumerate(terms)) {
      e = e + getAffineDimExpr(k, rewriter.getContext()) * t.step;
      ivs.push_back(t.iv);
    }
    return affine::AffineApplyOp::create(
               rewriter, loc, AffineMap::get(ivs.size(), 0, e), ivs)
        .getResult();
  }

  /// The part of `buffer` that a tile created now (terms of `s`) covers.
  Value subview(const MemberState &s, const TensorAccess &acc,
                const Buffer &buffer, ArrayRef<int64_t> sizes) {
    return subview(s, acc, buffer,
                   getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  }
  Value subview(const MemberState &s, const TensorAccess &acc,
                const Buffer &buffer, ArrayRef<OpFoldResult> sizes) {
    SmallVector<OpFoldResult> offsets, strides;
    auto termsOf = [&](int r) {
      return ArrayRef<Term>(s.terms[r]).drop_front(buffer.originTerms[r]);
    };
    for (auto [d, r] : llvm::enumerate(acc.dimRanks)) {
      SmallVector<Term> terms;
      if (r >= 0)
        llvm::append_range(terms, termsOf(r));
      // A window's tile starts where its ranks' tiles start, each scaled by
      // its stride or dilation.
      if (r == TensorAccess::kWindow)
        for (const WindowTerm &wt : acc.windows[d])
          for (Term t : termsOf(wt.rank))
            terms.push_back({t.iv, t.step * wt.coeff});
      offsets.push_back(offset(terms));
      strides.push_back(rewriter.getIndexAttr(1));
    }
    return memref::SubViewOp::create(rewriter, loc, buffer.memref, offsets,
                                     sizes, strides);
  }

  /// Extent of rank `r` that the loops below node `n` of Einsum `i` cover.
  int64_t extentBelow(int i, int r, size_t n) {
    const auto &nodes = mappingOf(i).nodes;
    int64_t extent = 1;
    for (size_t j = n + 1; j < nodes.size(); ++j)
      if (nodes[j].isLoop() && nodes[j].rank == r)
        extent *= nodes[j].factor;
    return extent;
  }

  SmallVector<int64_t> tileBelow(int i, const TensorAccess &acc, size_t n) {
    SmallVector<int64_t> shape;
    for (size_t d = 0; d < acc.dimRanks.size(); ++d)
      shape.push_back(acc.extent(d, [&](int r) { return extentBelow(i, r, n); }));
    return shape;
  }

  Buffer makeBuffer(const MemberState &s, const TensorAccess &acc, Value v,
                    ArrayRef<int64_t> shape, bool isOutput) {
    Buffer b{v, {}, SmallVector<int64_t>(shape), isOutput};
    for (const auto &terms : s.terms)
      b.originTerms.push_back(terms.size());
    return b;
  }

  Value alloc(ArrayRef<int64_t> shape, Type element, int level,
              ValueRange dynamicSizes = {}) {
    auto type = MemRefType::get(
        shape, element, MemRefLayoutAttrInterface{},
        LevelSpaceAttr::get(rewriter.getContext(), arch.levels[level].name));
    return memref::AllocOp::create(rewriter, loc, type, dynamicSizes);
  }

  /// Runtime sizes of a tile of `acc` (static `shape`) created now in `s`,
  /// or empty when no dimension has a runtime extent.
  SmallVector<OpFoldResult> runtimeSizes(const MemberState &s,
                                         const TensorAccess &acc,
                                         ArrayRef<int64_t> shape) {
    SmallVector<OpFoldResult> sizes;
    bool any = false;
    for (auto [d, r] : llvm::enumerate(acc.dimRanks)) {
      Value v = r >= 0 ? s.remaining[r] : Value();
      any |= (bool)v;
      sizes.push_back(v ? OpFoldResult(v) : rewriter.getIndexAttr(shape[d]));
    }
    return any ? sizes : SmallVector<OpFoldResult>{};
  }

  /// A tile buffer in `level`: `shape`, or with runtime `sizes`, allocated
  /// at the full tile (the runtime extent where the tile spans a whole
  /// dynamic rank) and viewed at the clipped sizes.
  Buffer tileBuffer(const MemberState &s, const TensorAccess &acc,
                    ArrayRef<int64_t> shape, Type element, int level,
                    bool isOutput) {
    SmallVector<OpFoldResult> sizes = runtimeSizes(s, acc, shape);
    if (sizes.empty())
      return makeBuffer(s, acc, alloc(shape, element, level), shape, isOutput);
    SmallVector<int64_t> full(shape);
    SmallVector<Value> wholeRank;
    bool clipped = false;
    for (auto [d, r] : llvm::enumerate(acc.dimRanks)) {
      if (r < 0 || !s.remaining[r])
        continue;
      if (s.remaining[r] == runtimeExtent(s.einsum, r)) {
        full[d] = ShapedType::kDynamic;
        wholeRank.push_back(s.remaining[r]);
      } else {
        clipped = true;
      }
    }
    Value buffer = alloc(full, element, level, wholeRank);
    if (clipped)
      buffer = memref::SubViewOp::create(
          rewriter, loc, buffer,
          SmallVector<OpFoldResult>(full.size(), rewriter.getIndexAttr(0)),
          sizes,
          SmallVector<OpFoldResult>(full.size(), rewriter.getIndexAttr(1)));
    Buffer b = makeBuffer(s, acc, buffer, shape, isOutput);
    b.sizes = std::move(sizes);
    return b;
  }

  /// The sizes a copy to or from `b` moves.
  SmallVector<OpFoldResult> sizesOf(const Buffer &b) {
    return b.sizes.empty()
               ? getAsIndexOpFoldResult(rewriter.getContext(), b.shape)
               : b.sizes;
  }

  Type elementOf(int i, int access) {
    linalg::LinalgOp op = graph.getOps()[i];
    Value v = op->getOperand(graph.getAccessOperands(i)[access]);
    return cast<ShapedType>(v.getType()).getElementType();
  }

  /// The tensor value access `a` of Einsum `i` reads: its operand, or
  /// under a reshape that only adds or drops unit dimensions
  /// (TensorAccess::view), the reshaped value.
  Value dataOf(int i, int a) {
    Value v = graph.getOps()[i]->getOperand(graph.getAccessOperands(i)[a]);
    if (w.einsums[i].accesses()[a]->view < 0)
      return v;
    while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
        v.getDefiningOp()))
      v = v.getDefiningOp()->getOperand(0);
    return v;
  }

  /// Whether `sub` views all of its source, at its origin, with unit
  /// strides.
  static bool isWholeView(memref::SubViewOp sub) {
    ArrayRef<int64_t> whole = sub.getSourceType().getShape();
    return llvm::all_of(sub.getMixedOffsets(), isZeroInteger) &&
           llvm::all_of(sub.getMixedStrides(), isOneInteger) &&
           llvm::equal(sub.getStaticSizes(), whole) &&
           !ShapedType::isDynamicShape(whole);
  }

  /// `v`, its defining op marked with which of its wide side's dimensions
  /// carry the tensor's data: a tile's unit extents alone cannot say
  /// (MappingFromIR reads this).
  Value marked(Value v, ArrayRef<bool> kept) {
    v.getDefiningOp()->setAttr(kKeptDimsAttr,
                               rewriter.getDenseBoolArrayAttr(kept));
    return v;
  }

  /// The leaf's tile (all extents 1) read through a view that drops some
  /// of its unit dimensions and adds others (`dims`: per view dimension the
  /// tile's, or -1). A collapse/expand pair would fold (the cleanup below,
  /// --canonicalize) into one reshape, or none where the types agree, that
  /// groups a kept dimension with unkept ones, marks lost. A transpose that
  /// orders the tile's dimensions as the view pairs them, then at most one
  /// reshape of consecutive groups, says the same and does not fold.
  Value asTransposedView(Value tile, ArrayRef<bool> rootKept,
                         ArrayRef<bool> viewKept, ArrayRef<int64_t> viewShape,
                         ArrayRef<int> dims) {
    assert(llvm::is_contained(viewKept, true) &&
           llvm::is_contained(rootKept, false) &&
           "a view that keeps a dimension and drops another");
    unsigned rank = rootKept.size(), viewRank = dims.size();
    SmallVector<unsigned> unkept(llvm::make_filter_range(
        llvm::seq<unsigned>(0, rank), [&](unsigned j) { return !rootKept[j]; }));
    auto next = unkept.begin();
    // Each view dimension takes its kept dimension, or an unkept one while
    // any is left; the rest join the group before them (the wider side has
    // at least as many unkept dimensions as the narrower).
    SmallVector<unsigned> from; // the tile's dimension at each transposed one
    SmallVector<ReassociationIndices> groups; // per narrow-side dimension
    for (auto [p, j] : llvm::enumerate(dims)) {
      if (j < 0 && next == unkept.end()) {
        groups.back().push_back(p);
        continue;
      }
      from.push_back(j >= 0 ? unsigned(j) : *next++);
      groups.push_back({int64_t(p)});
    }
    for (; next != unkept.end(); ++next) {
      groups.back().push_back(from.size());
      from.push_back(*next);
    }
    SmallVector<bool> transposedKept;
    for (unsigned j : from)
      transposedKept.push_back(rootKept[j]);
    if (!llvm::equal(from, llvm::seq<unsigned>(0, from.size())))
      tile = marked(memref::TransposeOp::create(
                        rewriter, loc, tile,
                        AffineMapAttr::get(AffineMap::getPermutationMap(
                            from, rewriter.getContext()))),
                    transposedKept);
    if (rank > viewRank)
      return marked(
          memref::CollapseShapeOp::create(rewriter, loc, tile, groups),
          transposedKept);
    if (rank < viewRank)
      return marked(memref::ExpandShapeOp::create(rewriter, loc, viewShape,
                                                  tile, groups),
                    viewKept);
    return tile;
  }

  /// A tile of the reshaped tensor (`shape` in its dimensions) as the op
  /// reads it, in the dimensions of `view`: unit dimensions the view does
  /// not have are collapsed into a neighbour, or those it adds expanded,
  /// or, where it does both, transposed and then reshaped once.
  Value asView(Value tile, ArrayRef<int64_t> shape, int view) {
    std::vector<int> dims = w.rootDims(view);
    // Reassociation from `from` dims onto the kept ones: each dim joins
    // the group of the next kept dim, or the last group at the end.
    auto groups = [](ArrayRef<bool> kept) {
      SmallVector<ReassociationIndices> out;
      ReassociationIndices pending;
      for (auto [d, k] : llvm::enumerate(kept)) {
        pending.push_back(d);
        if (k) {
          out.push_back(pending);
          pending.clear();
        }
      }
      if (!out.empty())
        llvm::append_range(out.back(), pending);
      return out;
    };
    SmallVector<bool> rootKept(shape.size(), false);
    SmallVector<bool> viewKept;
    SmallVector<int64_t> viewShape;
    for (int j : dims) {
      if (j >= 0)
        rootKept[j] = true;
      viewKept.push_back(j >= 0);
      viewShape.push_back(j >= 0 ? shape[j] : 1);
    }
    bool collapse = llvm::is_contained(rootKept, false);
    bool expand = llvm::is_contained(viewKept, false);
    // A reshape of a view of its whole buffer reshapes the buffer itself:
    // --canonicalize would fold the view and rebuild the reshape without
    // its mark of the kept dimensions.
    if (collapse || expand)
      if (auto sub = tile.getDefiningOp<memref::SubViewOp>())
        if (isWholeView(sub)) {
          tile = sub.getSource();
          if (sub->use_empty())
            rewriter.eraseOp(sub);
        }
    if (collapse && expand)
      return asTransposedView(tile, rootKept, viewKept, viewShape, dims);
    if (collapse)
      tile = marked(memref::CollapseShapeOp::create(rewriter, loc, tile,
                                                    groups(rootKept)),
                    rootKept);
    if (expand)
      tile = marked(memref::ExpandShapeOp::create(rewriter, loc, viewShape,
                                                  tile, groups(viewKept)),
                    viewKept);
    return tile;
  }

  /// The payload accumulates into its init: output tiles start from it.
  bool readsInit(int i) {
    linalg::LinalgOp op = graph.getOps()[i];
    return op.payloadUsesValueFromOperand(op.getDpsInitOperand(0));
  }

  /// The input access of an init that the workload reads as data (not a
  /// fill: a function argument, an earlier result), or -1. Its tile is read
  /// by the leaf, with its own keep nodes, like any input.
  int initAccess(int i) const {
    ArrayRef<unsigned> operands = graph.getAccessOperands(i);
    for (int a = 0; a < outputAccess(i); ++a)
      if (operands[a] == operands[outputAccess(i)])
        return a;
    return -1;
  }

  /// Gives `dest` what the output of Einsum `i` starts from where the
  /// payload reads it and the leaf does not provide it: a fill's value, or
  /// the init's values copied from `source(init)`. An empty tensor's
  /// contents are undefined, and an init read as data reaches the leaf
  /// through its own tiles (initAccess): nothing to do for either.
  void startFromInit(int i, Value dest,
                     llvm::function_ref<Value(Value)> source) {
    if (!readsInit(i) || initAccess(i) >= 0)
      return;
    linalg::LinalgOp op = graph.getOps()[i];
    Value init = op.getDpsInitOperand(0)->get();
    // A splat constant is a fill too (the workload takes it for free): no
    // copy from a DRAM constant into an on-chip tile.
    DenseElementsAttr dense;
    if (std::optional<Value> scalar = fillValue(init)) {
      // A generalized fill's constant may live in its body.
      Operation *def = scalar->getDefiningOp();
      if (def && init.getDefiningOp()->isProperAncestor(def))
        scalar = rewriter.clone(*def)->getResult(0);
      linalg::FillOp::create(rewriter, loc, *scalar, dest);
    } else if (matchPattern(init, m_Constant(&dense)) && dense.isSplat())
      linalg::FillOp::create(
          rewriter, loc,
          arith::ConstantOp::create(rewriter, loc,
                                    dense.getSplatValue<TypedAttr>())
              .getResult(),
          dest);
    else if (!init.getDefiningOp<tensor::EmptyOp>())
      memref::CopyOp::create(rewriter, loc, source(init), dest);
  }

  /// Starts an output tile whose parent holds no data yet (a fused
  /// intermediate's outermost on-chip tile): from the op's init value, as
  /// a tile of the same place in the iteration space.
  void initOutputTile(int i, const MemberState &s, const Buffer &tile) {
    startFromInit(i, tile.memref, [&](Value init) {
      Buffer whole{dramBuffer(init),
                   SmallVector<size_t>(w.einsums[i].ranks.size(), 0),
                   {}, false};
      return subview(s, w.einsums[i].output, whole, sizesOf(tile));
    });
  }

  //===--------------------------------------------------------------------===//
  // DRAM
  //===--------------------------------------------------------------------===//

  /// The DRAM buffer behind a tensor value the group reads: a member's
  /// output buffer (through reshapes), or the value itself.
  Value dramBuffer(Value value) {
    int tensor = graph.tensorOf(value);
    if (tensor >= 0)
      if (Value known = dram.lookup(tensor))
        return known;
    // With runtime extents, the data is the dynamic value the body was
    // specialised from (an argument, an earlier group's result).
    while (auto c = value.getDefiningOp<tensor::CastOp>()) {
      if (!dynamic || cast<RankedTensorType>(c.getSource().getType())
                          .hasStaticShape())
        break;
      value = c.getSource();
    }
    Value buffer;
    Operation *def = value.getDefiningOp();
    auto type = cast<RankedTensorType>(value.getType());
    if (auto e = dyn_cast_or_null<tensor::ExpandShapeOp>(def);
        e && producedInGroup(e.getSrc())) {
      buffer = memref::ExpandShapeOp::create(
          rewriter, loc, type.getShape(), dramBuffer(e.getSrc()),
          e.getReassociationIndices());
    } else if (auto c = dyn_cast_or_null<tensor::CollapseShapeOp>(def);
               c && producedInGroup(c.getSrc())) {
      buffer = memref::CollapseShapeOp::create(rewriter, loc,
                                               dramBuffer(c.getSrc()),
                                               c.getReassociationIndices());
    } else {
      buffer = bufferization::ToBufferOp::create(
          rewriter, loc,
          MemRefType::get(type.getShape(), type.getElementType()), value,
          /*read_only=*/true);
    }
    if (tensor >= 0)
      dram[tensor] = buffer;
    return buffer;
  }

  bool producedInGroup(Value value) {
    if (auto r = dyn_cast<OpResult>(value)) {
      Operation *def = r.getOwner();
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
        return producedInGroup(def->getOperand(0));
      int t = graph.tensorOf(value);
      return t >= 0 && w.tensors[t].producer >= 0 &&
             isMember(w.tensors[t].producer);
    }
    return false;
  }

  /// Members' outputs kept in DRAM get a default-space buffer holding their
  /// init, before the tree.
  void createOutputBuffers() {
    for (int i : members) {
      int out = outputAccess(i);
      if (result.einsums[i].onChipShared[out])
        continue;
      linalg::LinalgOp op = graph.getOps()[i];
      auto type = cast<RankedTensorType>(op->getResult(0).getType());
      SmallVector<int64_t> shape(type.getShape());
      SmallVector<Value> runtime;
      for (auto [d, r] : llvm::enumerate(w.einsums[i].output.dimRanks))
        if (Value extent = r >= 0 ? runtimeExtent(i, r) : Value()) {
          shape[d] = ShapedType::kDynamic;
          runtime.push_back(extent);
        }
      Value buffer = memref::AllocOp::create(
          rewriter, loc, MemRefType::get(shape, type.getElementType()),
          runtime);
      startFromInit(i, buffer, [&](Value init) { return dramBuffer(init); });
      dram[w.einsums[i].output.tensor] = buffer;
      results.push_back({i, buffer});
    }
  }

  //===--------------------------------------------------------------------===//
  // The tree
  //===--------------------------------------------------------------------===//

  /// Emits the keep nodes of `s` from its cursor up to its next loop.
  /// Returns the output tiles to write back once what follows is done.
  std::vector<std::pair<Buffer, Buffer>> emitKeeps(MemberState &s) {
    std::vector<std::pair<Buffer, Buffer>> writeBack;
    const auto &nodes = mappingOf(s.einsum).nodes;
    auto accesses = w.einsums[s.einsum].accesses();
    for (; s.cursor < nodes.size() && !nodes[s.cursor].isLoop(); ++s.cursor) {
      const MapNode &n = nodes[s.cursor];
      const TensorAccess &acc = *accesses[n.access];
      bool isOutput = n.access == outputAccess(s.einsum);
      auto shared = sharedNode.find({s.einsum, acc.tensor});
      if (shared != sharedNode.end() && shared->second == s.cursor)
        continue; // bound by the group when the scope opened
      SmallVector<int64_t> shape = tileBelow(s.einsum, acc, s.cursor);
      if (n.level == 0) {
        Value v = isOutput ? dram.lookup(acc.tensor)
                           : dramBuffer(dataOf(s.einsum, n.access));
        auto shapeOf = cast<MemRefType>(v.getType()).getShape();
        s.buffers[n.access].push_back(
            Buffer{v, SmallVector<size_t>(s.terms.size(), 0),
                   SmallVector<int64_t>(shapeOf), isOutput});
        continue;
      }
      Buffer parent = s.buffers[n.access].back();
      Buffer tile = tileBuffer(s, acc, shape, elementOf(s.einsum, n.access),
                               n.level, isOutput);
      if (!isOutput || readsInit(s.einsum))
        memref::CopyOp::create(rewriter, loc,
                               subview(s, acc, parent, sizesOf(tile)),
                               tile.memref);
      if (isOutput)
        writeBack.push_back({tile, parent});
      s.buffers[n.access].push_back(tile);
    }
    return writeBack;
  }

  void emitWriteBack(const MemberState &s,
                     ArrayRef<std::pair<Buffer, Buffer>> writeBack) {
    const TensorAccess &out = w.einsums[s.einsum].output;
    for (auto &[tile, parent] : llvm::reverse(writeBack)) {
      // The tile's own origin is where it was created: offsets relative to
      // the parent are the terms between the two.
      MemberState at = s;
      for (auto [r, terms] : llvm::enumerate(at.terms))
        terms.truncate(tile.originTerms[r]);
      memref::CopyOp::create(rewriter, loc, tile.memref,
                             subview(at, out, parent, sizesOf(tile)));
    }
  }

  /// The Einsum's tile at the bottom of its loops, on slices of the
  /// innermost buffer of each operand.
  void emitLeaf(const MemberState &s) {
    int i = s.einsum;
    linalg::LinalgOp op = graph.getOps()[i];
    auto accesses = w.einsums[i].accesses();
    // Each access's tile: a slice of its innermost buffer.
    auto tileOf = [&](size_t a) {
      SmallVector<int64_t> shape =
          tileBelow(i, *accesses[a], mappingOf(i).nodes.size());
      Value tile = subview(s, *accesses[a], s.buffers[a].back(), shape);
      return accesses[a]->view < 0 ? tile
                                   : asView(tile, shape, accesses[a]->view);
    };
    // An init read as data shares the output's operand: the output's tile
    // takes it, and the init's goes to the leaf that reads it.
    int initA = initAccess(i);
    SmallVector<Value> operands(op->getOperands());
    for (size_t a = 0; a < accesses.size(); ++a)
      if ((int)a != initA)
        operands[graph.getAccessOperands(i)[a]] = tileOf(a);
    Operation *leaf = initA >= 0
                          ? emitLeafReadingInit(op, operands, tileOf(initA))
                          : clone(rewriter, op, TypeRange{}, operands);
    if (cast<linalg::LinalgOp>(leaf).hasIndexSemantics()) {
      SmallVector<OpFoldResult> offsets;
      for (const auto &terms : s.terms)
        offsets.push_back(offset(terms));
      linalg::offsetIndices(rewriter, cast<linalg::LinalgOp>(leaf), offsets);
    }
  }

  /// The leaf of an op whose init is data: a linalg.generic that also
  /// reads the init's tile and, at the first step of every reduction rank
  /// (global indices, once offset), accumulates onto it instead of onto the
  /// output. So the init is read where its keep nodes put it and the output
  /// buffers need no copy of it.
  Operation *emitLeafReadingInit(linalg::LinalgOp op, ArrayRef<Value> operands,
                                 Value initTile) {
    SmallVector<Value> ins;
    SmallVector<AffineMap> maps;
    for (OpOperand *in : op.getDpsInputOperands()) {
      ins.push_back(operands[in->getOperandNumber()]);
      maps.push_back(op.getMatchingIndexingMap(in));
    }
    OpOperand *init = op.getDpsInitOperand(0);
    ins.push_back(initTile);
    maps.push_back(op.getMatchingIndexingMap(init));
    maps.push_back(op.getMatchingIndexingMap(init));
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    Block &payload = op->getRegion(0).front();
    auto leaf = linalg::GenericOp::create(
        rewriter, loc, TypeRange{}, ins, operands[init->getOperandNumber()],
        maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value first = arith::ConstantIntOp::create(b, l, 1, 1);
          Value zero = arith::ConstantIndexOp::create(b, l, 0);
          for (auto [d, it] : llvm::enumerate(iterators))
            if (it == utils::IteratorType::reduction)
              first = arith::AndIOp::create(
                  b, l, first,
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                        linalg::IndexOp::create(b, l, d),
                                        zero));
          Value acc = arith::SelectOp::create(b, l, first, args[ins.size() - 1],
                                              args[ins.size()]);
          IRMapping map;
          for (auto [j, arg] : llvm::enumerate(payload.getArguments()))
            map.map(arg, j + 1 < payload.getNumArguments() ? args[j] : acc);
          for (Operation &inner : payload.without_terminator())
            b.clone(inner, map);
          SmallVector<Value> yields;
          for (Value v : payload.getTerminator()->getOperands())
            yields.push_back(map.lookupOrDefault(v));
          linalg::YieldOp::create(b, l, yields);
        });
    for (NamedAttribute attr : op->getDiscardableAttrs())
      leaf->setAttr(attr.getName(), attr.getValue());
    return leaf;
  }

  /// Emits one loop node shared by `states` (all at their loop `depth`).
  void emitLoop(std::vector<MemberState> states, size_t depth) {
    int first = states.front().einsum;
    const MapNode &n = mappingOf(first).nodes[loops[first][depth]];
    bool spatialReduction = false;
    for (const MemberState &s : states)
      spatialReduction |=
          n.kind == MapNode::Spatial &&
          w.einsums[s.einsum].isReduction(
              mappingOf(s.einsum).nodes[loops[s.einsum][depth]].rank);
    // A rank with a runtime extent: the loop runs ceildiv(remaining,
    // tile) times (what remains of the rank in the enclosing tile, the
    // whole runtime extent above its first loop), and each iteration's
    // tile is min(tile, remaining - iv * tile). Members sharing the loop
    // walk one dimension of a fused tensor: the first one's extent serves.
    Value remaining = states.front().remaining[n.rank];
    int64_t step = extentBelow(first, n.rank, loops[first][depth]);
    OpFoldResult trips = rewriter.getIndexAttr(n.factor);
    if (remaining && step == 1)
      trips = remaining;
    else if (remaining)
      trips = affine::AffineApplyOp::create(
                  rewriter, loc,
                  AffineMap::get(1, 0,
                                 getAffineDimExpr(0, rewriter.getContext())
                                     .ceilDiv(step)),
                  remaining)
                  .getResult();
    auto body = [&](Value iv) {
      for (MemberState &s : states) {
        size_t node = loops[s.einsum][depth];
        int r = mappingOf(s.einsum).nodes[node].rank;
        const MapNode &loop = mappingOf(s.einsum).nodes[node];
        // A halo loop's tiles start `haloStep` apart and overlap (the
        // recomputed halo): its extent below is the span, not the step.
        int64_t extent = loop.isHalo() ? loop.haloStep
                                       : extentBelow(s.einsum, r, node);
        s.terms[r].push_back({iv, extent});
        if (Value parent = s.remaining[r]) {
          MLIRContext *ctx = rewriter.getContext();
          AffineExpr rest = getAffineDimExpr(0, ctx),
                     at = getAffineDimExpr(1, ctx);
          s.remaining[r] = affine::AffineMinOp::create(
              rewriter, loc,
              AffineMap::get(2, 0,
                             {getAffineConstantExpr(extent, ctx),
                              rest - at * extent},
                             ctx),
              ValueRange{parent, iv});
        }
        s.cursor = node + 1;
      }
      emitScope(states, depth + 1);
    };
    Attribute fanout;
    if (n.kind == MapNode::Spatial)
      fanout = FanoutAttr::get(rewriter.getContext(),
                               arch.levels[n.level].name, n.dim);
    if (n.kind == MapNode::Spatial && !spatialReduction) {
      auto forall = scf::ForallOp::create(rewriter, loc,
                                          ArrayRef<OpFoldResult>{trips},
                                          ValueRange{},
                                          rewriter.getArrayAttr({fanout}));
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(forall.getBody());
      body(forall.getInductionVar(0));
      return;
    }
    // A spatial reduction runs its instances one after another on the
    // host; the loop still says which fanout it spreads over.
    Value runtimeTrips = remaining ? cast<Value>(trips) : Value();
    auto loop = scf::ForOp::create(rewriter, loc, index(0),
                                   runtimeTrips ? runtimeTrips : index(n.factor),
                                   index(1));
    if (fanout)
      loop->setAttr(kFanoutAttr, fanout);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }

  /// Siblings run one after another: a member may only read what members
  /// of earlier siblings (or of its own, under shared loops) wrote.
  void checkOrder(ArrayRef<std::vector<MemberState>> children) {
    DenseMap<int, size_t> childOf;
    for (auto [k, child] : llvm::enumerate(children))
      for (const MemberState &s : child)
        childOf[s.einsum] = k;
    for (auto [k, child] : llvm::enumerate(children))
      for (const MemberState &s : child)
        for (const TensorAccess *acc : w.einsums[s.einsum].accesses()) {
          auto p = childOf.find(w.tensors[w.rootOf(acc->tensor)].producer);
          if (p != childOf.end() && p->second > k && !failedOrder) {
            failedOrder = true;
            error(s.einsum) << "cannot emit the fused mapping: it reads '"
                            << w.tensors[acc->tensor].name
                            << "', which its producer '"
                            << w.einsums[p->first].name
                            << "' writes in a later part of the loop tree";
          }
        }
  }
  bool failedOrder = false;

  /// Emits the part of the tree below `depth` shared loops for `states`.
  void emitScope(std::vector<MemberState> states, size_t depth) {
    // Fused intermediates whose outermost node sits at this depth: one
    // buffer for the producer and every consumer.
    for (MemberState &p : states) {
      int tensor = w.einsums[p.einsum].output.tensor;
      auto it = fusedDepth.find(tensor);
      if (it == fusedDepth.end() || it->second != depth)
        continue;
      size_t node = sharedNode.lookup({p.einsum, tensor});
      const TensorAccess &out = w.einsums[p.einsum].output;
      SmallVector<int64_t> shape = tileBelow(p.einsum, out, node);
      int level = mappingOf(p.einsum).nodes[node].level;
      Buffer root =
          tileBuffer(p, out, shape, elementOf(p.einsum, outputAccess(p.einsum)),
                     level, true);
      for (MemberState &s : states) {
        int a = accessOf(s.einsum, tensor);
        if (a < 0)
          continue;
        Buffer b = makeBuffer(s, *w.einsums[s.einsum].accesses()[a],
                              root.memref, shape, s.einsum == p.einsum);
        b.sizes = root.sizes;
        s.buffers[a].push_back(std::move(b));
      }
      initOutputTile(p.einsum, p, p.buffers[outputAccess(p.einsum)].back());
    }
    // Children: members sharing their next loop form one; in dependence
    // (program) order.
    std::vector<std::vector<MemberState>> children;
    for (MemberState &s : states) {
      auto joins = [&](const std::vector<MemberState> &child) {
        int o = child.front().einsum;
        return depth < loops[s.einsum].size() && depth < loops[o].size() &&
               classes.isEquivalent({s.einsum, depth}, {o, depth});
      };
      auto it = llvm::find_if(children, joins);
      if (it == children.end())
        children.push_back({s});
      else
        it->push_back(s);
    }
    checkOrder(children);
    for (std::vector<MemberState> &child : children) {
      std::vector<std::vector<std::pair<Buffer, Buffer>>> writeBacks;
      for (MemberState &s : child)
        writeBacks.push_back(emitKeeps(s));
      if (depth < loops[child.front().einsum].size())
        emitLoop(child, depth);
      else
        emitLeaf(child.front());
      for (auto [s, wb] : llvm::zip(child, writeBacks))
        emitWriteBack(s, wb);
    }
  }

  LogicalResult emit() {
    if (failed(buildTree()))
      return failure();
    linalg::LinalgOp last = graph.getOps()[members.back()];
    rewriter.setInsertionPoint(last);
    createOutputBuffers();
    std::vector<MemberState> states;
    for (int i : members) {
      MemberState s;
      s.einsum = i;
      s.terms.resize(w.einsums[i].ranks.size());
      s.buffers.resize(w.einsums[i].accesses().size());
      for (size_t r = 0; r < w.einsums[i].ranks.size(); ++r)
        s.remaining.push_back(runtimeExtent(i, r));
      states.push_back(std::move(s));
    }
    emitScope(states, 0);
    if (failedOrder)
      return failure();
    // Results leave the group as tensors again.
    DenseSet<Operation *> dependent;
    for (auto [i, buffer] : results) {
      Value result = graph.getOps()[i]->getResult(0);
      auto bufferType = cast<MemRefType>(buffer.getType());
      Value tensor = bufferization::ToTensorOp::create(
          rewriter, loc,
          RankedTensorType::get(bufferType.getShape(),
                                bufferType.getElementType()),
          buffer, /*restrict=*/true, /*writable=*/true);
      dependent.insert(tensor.getDefiningOp());
      // A result at runtime extents is cast to the specialised type for its
      // users; servesEverySize() folds the cast away where they are the
      // next groups and the return.
      if (tensor.getType() != result.getType()) {
        tensor = tensor::CastOp::create(rewriter, loc, result.getType(), tensor);
        dependent.insert(tensor.getDefiningOp());
      }
      rewriter.replaceAllUsesWith(result, tensor);
    }
    // Ops between the members that use their results now follow the tree.
    Operation *first = graph.getOps()[members.front()];
    Operation *after = rewriter.getInsertionPoint() ==
                               rewriter.getInsertionBlock()->end()
                           ? nullptr
                           : &*std::prev(rewriter.getInsertionPoint());
    SmallVector<Operation *> toMove;
    for (int i : members)
      dependent.insert(graph.getOps()[i]);
    for (Operation *op = first; op != last.getOperation();
         op = op->getNextNode()) {
      if (dependent.contains(op))
        continue;
      bool uses = llvm::any_of(op->getOperands(), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return def && dependent.contains(def);
      });
      if (uses) {
        dependent.insert(op);
        toMove.push_back(op);
      }
    }
    for (Operation *op : toMove) {
      op->moveAfter(after);
      after = op;
    }
    return success();
  }
};

} // namespace

std::optional<int> ffm::unemittableReader(const EinsumGraphAnalysis &graph,
                                          const Arch &arch,
                                          const SearchResult &result) {
  // Only buildTree() runs: it checks without changing the IR. Its
  // diagnostics are the rewrite's to give, not this probe's.
  MLIRContext *ctx = graph.getOps().front()->getContext();
  ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
  IRRewriter rewriter(ctx);
  for (const std::vector<int> &group : result.groups) {
    GroupEmitter emitter(rewriter, graph.getWorkload(), arch, graph, result,
                         group);
    if (failed(emitter.buildTree()) && emitter.blockedReader >= 0)
      return emitter.blockedReader;
  }
  return std::nullopt;
}

LogicalResult ffm::rewriteToMapping(func::FuncOp func,
                                    const EinsumGraphAnalysis &graph,
                                    const Arch &arch,
                                    const SearchResult &result,
                                    const RankExtents *dynamic) {
  const Workload &w = graph.getWorkload();
  IRRewriter rewriter(func.getContext());
  SmallVector<linalg::LinalgOp> ops(graph.getOps().begin(),
                                    graph.getOps().end());
  for (auto [i, op] : llvm::enumerate(ops))
    annotate(op, w, i, arch, result.einsums[i]);
  for (const std::vector<int> &group : result.groups) {
    GroupEmitter emitter(rewriter, w, arch, graph, result, group, dynamic);
    if (failed(emitter.emit()))
      return failure();
  }
  // Reshapes the members read through on chip (TensorAccess::view) are
  // left without users by the tree; they go with the op they reshape.
  std::function<void(Operation *)> eraseDeadUsers = [&](Operation *op) {
    for (Operation *user : llvm::make_early_inc_range(op->getUsers())) {
      eraseDeadUsers(user);
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user) &&
          user->use_empty())
        rewriter.eraseOp(user);
    }
  };
  for (linalg::LinalgOp op : llvm::reverse(ops)) {
    eraseDeadUsers(op);
    if (!op->use_empty())
      return op->emitError("ffm-fuse: the rewritten op still has users");
    rewriter.eraseOp(op);
  }
  // The inits and empties that fed only the rewritten ops go. (A tile's
  // marked reshapes never fold here: asView makes no reshape pair, a view
  // that drops and adds dimensions being a transpose and one reshape.)
  if (failed(applyPatternsGreedily(func, FrozenRewritePatternSet())))
    return emitError(func.getLoc(),
                     "ffm: cleaning up after the rewrite failed");
  return success();
}
