//===- Workload.h - Einsum graph as plain C++ data --------------*- C++ -*-===//
//
// The mapper reasons about Einsums and tensors, not MLIR ops; this is the
// IR-free description it consumes (DESIGN.md section 2).
//
//===----------------------------------------------------------------------===//
#ifndef FFM_WORKLOAD_WORKLOAD_H
#define FFM_WORKLOAD_WORKLOAD_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace ffm {

struct RankVar {
  std::string name;
  int64_t bound = 1;
};

/// One term of a sliding-window dimension: `coeff * rank`.
struct WindowTerm {
  int rank = -1;
  int64_t coeff = 1;
  bool operator==(const WindowTerm &o) const {
    return rank == o.rank && coeff == o.coeff;
  }
};

/// How an Einsum indexes one tensor: for each tensor dimension, the index of
/// the Einsum rank variable that walks it, -1 for a unit (broadcast) dim, or
/// kWindow for a sliding-window dimension indexed by a sum of ranks
/// (`2p + r` of a strided convolution), whose terms are in `windows`.
struct TensorAccess {
  static constexpr int kWindow = -2;
  int tensor = -1;
  std::vector<int> dimRanks;
  /// Empty when every dimension is a projection; else one entry per
  /// dimension, the terms of each kWindow dimension.
  std::vector<std::vector<WindowTerm>> windows;

  /// When >= 0, the op's operand is this tensor, a reshape of `tensor` that
  /// only adds or drops unit dimensions: the access is on `tensor`'s own
  /// dimensions, so fusion sees through the reshape (the code generator
  /// reshapes the tile for the op).
  int view = -1;

  /// The same access on the `rank` dimensions underneath a reshape that
  /// only adds or drops unit dimensions: `under[d]` is the dimension that
  /// this access's dimension d is (-1 for an added unit one).
  TensorAccess onDims(llvm::ArrayRef<int> under, size_t rank) const;
  /// Whether `rank` walks some dimension (alone or in a window).
  bool indexedBy(int rank) const;
  /// Whether `rank` alone walks a dimension: only those dimensions may be
  /// tiled by loops that another Einsum shares.
  bool projects(int rank) const;
  bool hasWindows() const { return !windows.empty(); }
  /// Extent of dimension `d` when each rank r covers `rankExtent(r)`
  /// consecutive values: a window `sum c * r` spans
  /// `sum c * (extent(r) - 1) + 1` (the halo included).
  template <typename F> double extent(size_t d, F rankExtent) const {
    int r = dimRanks[d];
    if (r >= 0)
      return rankExtent(r);
    if (r != kWindow)
      return 1;
    double span = 1;
    for (const WindowTerm &t : windows[d])
      span += t.coeff * (rankExtent(t.rank) - 1);
    return span;
  }
  /// Elements of the tensor the Einsum touches (ranks at their `bounds`):
  /// a strided window skips elements, so this can be less than its span.
  /// Every set of tiles covering the iteration space moves at least this.
  double accessedElements(llvm::ArrayRef<RankVar> bounds) const;
  /// Elements every set of tiles covering the iteration space moves at
  /// least, each tile counted at its footprint as the model charges it (a
  /// window's gaps and halo included): at least accessedElements, and up
  /// to the whole span where a stride and a dilation leave gaps.
  double leastTiledElements(llvm::ArrayRef<RankVar> bounds) const;
  /// Whether tiles' footprints multiply dimension by dimension over the
  /// ranks' splits: no rank walks two dimensions or a window twice, and
  /// every coefficient is positive (as accessFromMap builds accesses).
  bool separable() const;
  /// The least total footprint of the tiles over every tiling that splits
  /// each rank r (of `bound(r)` values) into at least `leastCount(r)`
  /// tiles. Per window dimension `sum c_i * r_i` the total is
  /// `prod m_i * (1 + sum c_i * (N_i / m_i - 1))` for counts m_i, which is
  /// multilinear in them, so least at a corner of the box
  /// leastCount(r_i) <= m_i <= N_i; a rank alone moves N_i whatever its
  /// split. Requires separable() (at most 15 terms per window).
  template <typename B, typename C>
  double leastSpanTotal(B bound, C leastCount) const {
    double total = 1;
    for (size_t d = 0; d < dimRanks.size(); ++d) {
      int r = dimRanks[d];
      if (r >= 0)
        total *= bound(r);
      if (r != kWindow)
        continue;
      // Each term's bound and least count once, not once per corner: the
      // generator's bound asks at nearly every node.
      const std::vector<WindowTerm> &terms = windows[d];
      std::array<double, 16> n, low;
      for (size_t i = 0; i < terms.size(); ++i) {
        n[i] = bound(terms[i].rank);
        low[i] = std::min(n[i], leastCount(terms[i].rank));
      }
      double least = std::numeric_limits<double>::infinity();
      for (uint32_t corner = 0; corner < (1u << terms.size()); ++corner) {
        double count = 1, span = 1;
        for (size_t i = 0; i < terms.size(); ++i) {
          double m = corner >> i & 1 ? n[i] : low[i];
          count *= m;
          span += terms[i].coeff * (n[i] / m - 1);
        }
        least = std::min(least, count * span);
      }
      total *= least;
    }
    return total;
  }
  /// Elements of a tile: the product of its dimensions' extents.
  template <typename F> double footprint(F rankExtent) const {
    double size = 1;
    for (size_t d = 0; d < dimRanks.size(); ++d)
      size *= extent(d, rankExtent);
    return size;
  }
};

struct Einsum {
  /// The mapper keeps sets of ranks and of operands as bit masks (and its
  /// loop orders grow with the factorial of the ranks).
  static constexpr size_t kMaxRanks = 16, kMaxOperands = 16;

  std::string name;   // unique, stable: "matmul_0", "generic_3"
  std::string opName; // "linalg.matmul"
  std::vector<RankVar> ranks;
  std::vector<TensorAccess> inputs;
  TensorAccess output;
  /// Its one reduction rank is combined by a step whose result depends on
  /// the order the rank is visited in (a scan's `acc * 0.5 + x`). Its
  /// loops keep that order; no fanout may spread it, whose instances the
  /// model combines as partial sums added in hardware.
  bool orderedReduction = false;

  /// Ranks that do not index the output: the output accumulates over them.
  bool isReduction(int rank) const { return !output.indexedBy(rank); }
  /// Whether a fanout may spread `rank` (not an ordered reduction's).
  bool maySpread(int rank) const {
    return !orderedReduction || !isReduction(rank);
  }
  bool hasReduction() const;
  /// Product of all bounds (MACs or elementwise ops); nullopt on overflow.
  std::optional<int64_t> work() const;
  /// Every access, inputs first then the output.
  std::vector<const TensorAccess *> accesses() const;
};

struct Tensor {
  std::string name;
  std::vector<int64_t> shape;
  int producer = -1;          // Einsum writing it, -1 for a workload input
  std::vector<int> consumers; // Einsums reading it (directly or reshaped)
  bool isOutput = false;      // a function result: ends in DRAM
  /// Read by an op the mapper does not map (a pad, slice or concat): it
  /// must be in DRAM when that op runs.
  bool escapes = false;
  /// A reshape of another tensor: the same data, regrouped dimensions.
  int aliasOf = -1;
  std::vector<std::vector<int64_t>> reassociation;

  std::optional<int64_t> numElements() const;
};

/// Producer -> consumer dependence through one tensor.
struct Edge {
  int producer = -1;
  int consumer = -1;
  int tensor = -1; // the tensor as the consumer reads it
  /// For each dimension of that tensor, the producer rank that writes it
  /// (-1: a dimension introduced or merged by a reshape).
  std::vector<int> producerRanks;
  bool throughReshape = false;
};

struct Workload {
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<Einsum> einsums;
  std::vector<Edge> edges;
  /// Ops the mapper leaves in place (pads, slices, concatenations) run
  /// between Einsums: each entry is how many Einsums precede one. No fusion
  /// group spans one, so it runs on DRAM data before or after a group.
  std::vector<int> barriers;
  /// What those ops read and write: the graph stays connected through them.
  struct Move {
    std::string op; // "tensor.pad"
    std::vector<int> from;
    int to = -1;
  };
  std::vector<Move> moves;

  /// Follows reshapes back to the tensor that holds the data.
  int rootOf(int tensor) const;
  /// Through the chain of reshapes from rootOf(tensor): per dimension of
  /// `tensor`, the dimension of the root it is, -1 for a unit dimension the
  /// root does not have, or kMergedDim where a reshape merges or splits it
  /// with other dimensions larger than 1.
  static constexpr int kMergedDim = -2;
  std::vector<int> rootDims(int tensor) const;
  /// Derives consumers and edges from the Einsums' accesses; call after all
  /// Einsums and tensors are in place.
  void buildEdges();
  /// Stable text form, one line per item; the lit tests check it.
  void print(llvm::raw_ostream &os) const;
  void printDot(llvm::raw_ostream &os) const;
};

/// `text` as a DOT string, quotes included, a newline as DOT's line break:
/// symbol names may hold quotes and backslashes (`@"a\"b"`), which would
/// end the string early.
std::string dotQuoted(llvm::StringRef text);

} // namespace ffm

#endif // FFM_WORKLOAD_WORKLOAD_H
