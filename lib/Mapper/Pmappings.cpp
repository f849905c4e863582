//===- Pmappings.cpp - mapspace enumeration per Einsum --------------------===//
#include "Pmappings.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

using namespace ffm;
using namespace ffm::detail;

std::optional<std::vector<int64_t>>
ffm::fusionKey(const TensorAccess &acc, const Mapping &m, int access) {
  size_t pos = 0;
  while (pos < m.nodes.size() && !(m.nodes[pos].kind == MapNode::Keep &&
                                   m.nodes[pos].access == access))
    ++pos;
  if (pos == m.nodes.size() || m.nodes[pos].level == 0)
    return std::vector<int64_t>{0};
  std::vector<int64_t> key{m.nodes[pos].level};
  for (size_t i = 0; i < pos; ++i) {
    const MapNode &n = m.nodes[i];
    if (!n.isLoop())
      continue;
    auto dim = llvm::find(acc.dimRanks, n.rank);
    if (dim == acc.dimRanks.end())
      return std::nullopt;
    key.push_back(dim - acc.dimRanks.begin());
    key.push_back(n.factor);
    key.push_back(n.kind == MapNode::Spatial ? n.level + 1 : 0);
    key.push_back(n.kind == MapNode::Spatial ? n.dim : 0);
  }
  return key;
}

detail::Deadline::Deadline(double seconds) {
  if (seconds > 0)
    at = std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(seconds));
}

bool detail::Deadline::passed() const {
  return at && std::chrono::steady_clock::now() > *at;
}

std::vector<bool> detail::fusableTensors(const Workload &w) {
  std::vector<bool> fusable(w.tensors.size(), false);
  for (auto [t, tensor] : llvm::enumerate(w.tensors)) {
    if (tensor.producer < 0 || tensor.aliasOf >= 0 || tensor.isOutput ||
        tensor.consumers.empty())
      continue;
    bool ok = true;
    for (int c : tensor.consumers) {
      int reads = 0;
      for (const TensorAccess &in : w.einsums[c].inputs) {
        if (in.tensor == (int)t)
          ++reads;
        else if (w.rootOf(in.tensor) == (int)t)
          ok = false; // read through a reshape: dims do not line up
      }
      ok &= reads == 1 && c > tensor.producer;
    }
    fusable[t] = ok;
  }
  return fusable;
}

static bool dominates(const Pmapping &a, const Pmapping &b, bool withRes,
                      Objective objective) {
  // A criterion the objective ignores cannot make a pmapping better: energy
  // alone needs no latency front, and vice versa (EDP needs both).
  if (objective != Objective::Latency && a.energy > b.energy)
    return false;
  if (objective != Objective::Energy && a.latency > b.latency)
    return false;
  if (withRes)
    for (size_t l = 0; l < a.reservation.size(); ++l)
      if (a.reservation[l] > b.reservation[l] ||
          a.persistent[l] > b.persistent[l])
        return false;
  return true;
}

void detail::paretoPrune(std::vector<Pmapping> &list, bool withRes,
                         Objective objective) {
  // Stable sort so that any dominator of an entry comes first (equal
  // entries keep generation order: the first one wins).
  std::stable_sort(list.begin(), list.end(),
                   [&](const Pmapping &a, const Pmapping &b) {
                     if (objective == Objective::Latency)
                       return a.latency < b.latency;
                     return a.energy < b.energy;
                   });
  std::vector<Pmapping> kept;
  for (Pmapping &p : list) {
    bool dominated = llvm::any_of(kept, [&](const Pmapping &k) {
      return dominates(k, p, withRes, objective);
    });
    if (!dominated)
      kept.push_back(std::move(p));
  }
  list = std::move(kept);
}

namespace {

/// Elements of the tensor `a` accesses: the product of its ranks' bounds.
double accessSize(const Einsum &e, const TensorAccess &a) {
  double size = 1;
  for (size_t r = 0; r < e.ranks.size(); ++r)
    if (a.indexedBy(r))
      size *= e.ranks[r].bound;
  return size;
}

/// Divisors in increasing order, by trial division up to the square root:
/// bounds can be large (or prime) and a linear scan would hang.
std::vector<int64_t> divisors(int64_t n) {
  std::vector<int64_t> low, high;
  for (int64_t d = 1; d <= n / d; ++d)
    if (n % d == 0) {
      low.push_back(d);
      if (d != n / d)
        high.push_back(n / d);
    }
  low.insert(low.end(), high.rbegin(), high.rend());
  return low;
}

/// Enumerates one Einsum's mapspace top-down, one level at a time: keep
/// sets, spatial choice, then for each level its block's loop counts, their
/// order and the positions of its storage nodes. Deciding the outer levels
/// first fixes the loops above every fused intermediate (its compatibility
/// key) early, so that with pruning on a subtree can be bounded against the
/// pmappings already in its group.
struct Generator {
  const Workload &w;
  const Arch &arch;
  const Einsum &e;
  const SearchOptions &options;
  bool prune;
  EinsumPmappings &out;
  /// Per level: false when no combination of reservations can exceed its
  /// capacity, so reservations there need not be compared.
  const std::vector<bool> &binding;

  std::vector<const TensorAccess *> acc;
  size_t numLevels;
  double macs = 1;
  std::vector<double> tensorSize; // per access: product of its ranks' bounds
  std::vector<bool> onChip;          // per access
  std::vector<uint32_t> keepSet;     // per access: bitmask of levels
  std::vector<int> outerOnChip;      // per access: outermost level if on chip
  std::vector<std::pair<int, int>> fanoutSlots; // (level, dim) with fanout > 1
  std::vector<std::pair<int, int64_t>> spatial; // per slot: (rank, factor)
  std::vector<std::vector<int64_t>> temporal;   // [level][rank] factor
  std::vector<int64_t> remaining; // per rank: temporal count not yet placed
  std::vector<std::vector<int>> order;          // [level] ranks, in order
  std::vector<std::vector<int>> position;       // [level][access] or -1
  std::vector<std::vector<double>> tileBytes;   // [level][access]
  size_t lastLoopLevel = 0;  // innermost block that may hold loops
  /// The level whose block fixes the last key (-1: every interface tensor
  /// is in DRAM, all keys are known from the start), and the deepest level
  /// holding a node of a fused intermediate.
  int keysKnownAt = -1;
  size_t fusedKnownAfter = 0;
  /// Levels [0, decided) have their blocks (counts, order, positions) fixed.
  size_t decided = 0;
  /// The group every pmapping of the current subtree falls in, once known.
  const std::vector<Pmapping> *group = nullptr;
  bool groupFused = false;
  const Deadline &deadline;
  uint64_t steps = 0;
  bool stop = false;

  Generator(const Workload &w, const Arch &arch, int einsum,
            const SearchOptions &options, bool prune, EinsumPmappings &out,
            const std::vector<bool> &binding, const Deadline &deadline)
      : w(w), arch(arch), e(w.einsums[einsum]), options(options),
        prune(prune), out(out), binding(binding), deadline(deadline),
        acc(e.accesses()),
        numLevels(arch.levels.size()) {
    for (size_t l = 0; l < numLevels; ++l)
      for (auto [d, f] : llvm::enumerate(arch.levels[l].fanout))
        if (f > 1)
          fanoutSlots.push_back({(int)l, (int)d});
    for (const RankVar &r : e.ranks)
      macs *= r.bound;
    for (const TensorAccess *a : acc)
      tensorSize.push_back(accessSize(e, *a));
  }

  void fail(std::string why) {
    if (out.error.empty())
      out.error = std::move(why);
    stop = true;
  }

  /// The time limit is checked along the way, not only per pmapping: a
  /// subtree may run long while pruning everything it meets.
  bool tick() {
    if (stop)
      return false;
    if (++steps % 4096 == 0 && deadline.passed()) {
      fail(llvm::formatv("search time limit of {0} s exceeded while "
                         "enumerating Einsum '{1}' (raise time-limit)",
                         llvm::format("%g", options.timeLimitSeconds),
                         e.name));
      return false;
    }
    return true;
  }

  void run() {
    size_t k = out.interface.size();
    uint32_t masks = options.allowFusion ? (1u << k) : 1u;
    for (uint32_t mask = 0; mask < masks && !stop; ++mask) {
      onChip.assign(acc.size(), false);
      for (size_t i = 0; i < k; ++i)
        onChip[out.interface[i]] = mask & (1u << i);
      keepSet.assign(acc.size(), 0);
      chooseKeeps(0);
    }
  }

  void chooseKeeps(size_t a) {
    if (!tick())
      return;
    if (a == acc.size()) {
      outerOnChip.assign(acc.size(), -1);
      keysKnownAt = -1;
      fusedKnownAfter = 0;
      for (size_t b = 0; b < acc.size(); ++b) {
        if (!onChip[b])
          continue;
        outerOnChip[b] = llvm::countr_zero(keepSet[b]);
        keysKnownAt = std::max(keysKnownAt, outerOnChip[b]);
        fusedKnownAfter = std::max<size_t>(
            fusedKnownAfter, 31 - llvm::countl_zero(keepSet[b]));
      }
      lastLoopLevel = 0;
      for (size_t m = 1; m < numLevels; ++m)
        if (levelHasNodes(m))
          lastLoopLevel = m;
      spatial.assign(fanoutSlots.size(), {-1, 1});
      chooseSpatial(0);
      return;
    }
    for (uint32_t set = 1; set < (1u << numLevels); ++set) {
      bool dram = set & 1u;
      if (dram == (bool)onChip[a])
        continue;
      keepSet[a] = set;
      chooseKeeps(a + 1);
    }
  }

  bool levelHasNodes(size_t l) const {
    return llvm::any_of(keepSet, [&](uint32_t s) { return s & (1u << l); });
  }

  int64_t spatialProduct(int rank) const {
    int64_t p = 1;
    for (auto [r, f] : spatial)
      if (r == rank)
        p *= f;
    return p;
  }

  /// A loop at level `l` (a block's loop, or a spatial loop of that level)
  /// sits above the outermost node of every intermediate kept on chip below
  /// level l, and must walk it (fusion validity; see fusionKey). It is then
  /// one more of that intermediate's fused loops, of which each rank has at
  /// most options.maxFusedLoopsPerRank.
  bool mayLoopAbove(size_t l, int rank) const {
    unsigned limit = options.maxFusedLoopsPerRank;
    for (size_t a = 0; a < acc.size(); ++a)
      if (onChip[a] && (size_t)outerOnChip[a] > l)
        if (!acc[a]->indexedBy(rank) ||
            (limit && fusedLoops(outerOnChip[a], rank) + 1 > limit))
          return false;
    return true;
  }

  /// Loops over `rank` placed so far above the nodes of level l: in the
  /// blocks above it, and spatial ones of the levels above it.
  unsigned fusedLoops(size_t l, int rank) const {
    unsigned n = 0;
    for (size_t m = 0; m < l && m < temporal.size(); ++m)
      n += temporal[m][rank] > 1;
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first == rank && (size_t)fanoutSlots[slot].first < l)
        ++n;
    return n;
  }

  void chooseSpatial(size_t slot) {
    if (!tick())
      return;
    if (slot == fanoutSlots.size()) {
      temporal.assign(numLevels, std::vector<int64_t>(e.ranks.size(), 1));
      remaining.resize(e.ranks.size());
      for (size_t r = 0; r < e.ranks.size(); ++r)
        remaining[r] = e.ranks[r].bound / spatialProduct(r);
      order.assign(numLevels, {});
      position.assign(numLevels, std::vector<int>(acc.size(), -1));
      tileBytes.assign(numLevels, std::vector<double>(acc.size(), 0));
      group = nullptr;
      if (keysKnownAt < 0 && !lookUpGroup())
        return;
      if (!boundedOut())
        chooseBlock(0);
      return;
    }
    spatial[slot] = {-1, 1};
    chooseSpatial(slot + 1);
    auto [level, dim] = fanoutSlots[slot];
    const Level &lv = arch.levels[level];
    for (auto [r, rank] : llvm::enumerate(e.ranks)) {
      if (!lv.allowsSpatial(rank.name) || !mayLoopAbove(level, r))
        continue;
      // A fanout dimension spreads one rank as widely as it divides: the
      // mapspace does not leave instances idle on purpose (docs/mapspace.md).
      int64_t rest = rank.bound / spatialProduct(r);
      int64_t f = std::min(rest, lv.fanout[dim]);
      while (f > 1 && rest % f)
        --f;
      if (f < 2)
        continue;
      spatial[slot] = {(int)r, f};
      chooseSpatial(slot + 1);
      spatial[slot] = {-1, 1};
    }
  }

  // Block l: a level without storage nodes gets no loops of its own (they
  // would be indistinguishable from the same loops one level up); the
  // innermost block that may hold loops takes every remaining count.
  void chooseBlock(size_t l) {
    if (l == numLevels) {
      emit();
      return;
    }
    if (l != 0 && !levelHasNodes(l)) {
      chooseBlock(l + 1);
      return;
    }
    splitBlock(l, 0);
  }

  void splitBlock(size_t l, size_t r) {
    if (!tick())
      return;
    if (r == e.ranks.size()) {
      chooseOrder(l);
      return;
    }
    int64_t rest = remaining[r];
    auto place = [&](int64_t f) {
      if (f > 1 && !mayLoopAbove(l, r))
        return;
      temporal[l][r] = f;
      remaining[r] = rest / f;
      if (f == 1 || !boundedOut())
        splitBlock(l, r + 1);
      temporal[l][r] = 1;
      remaining[r] = rest;
    };
    if (l == lastLoopLevel)
      return place(rest);
    for (int64_t f : divisors(rest))
      place(f);
  }

  void chooseOrder(size_t l) {
    std::vector<int> ranks;
    for (size_t r = 0; r < e.ranks.size(); ++r)
      if (temporal[l][r] > 1)
        ranks.push_back(r);
    // When every node of this level heads the block, the order of its loops
    // is observable only through the stationary run it leaves above each
    // tensor stored deeper: one order per distinct set of runs.
    // DRAM's nodes always head its block.
    bool headed = l == 0 || llvm::none_of(out.interface, [&](int a) {
                    return onChip[a] && (keepSet[a] & (1u << l));
                  });
    bool fusedBelow = llvm::any_of(llvm::seq<size_t>(0, acc.size()),
                                   [&](size_t a) {
                                     return onChip[a] && (keepSet[a] >> l);
                                   });
    std::vector<std::vector<uint64_t>> seen;
    do {
      if (headed && !fusedBelow) {
        std::vector<uint64_t> runs;
        for (size_t a = 0; a < acc.size(); ++a) {
          if (!(keepSet[a] >> (l + 1)))
            continue;
          uint64_t run = 0;
          for (size_t p = ranks.size(); p-- > 0;) {
            if (acc[a]->indexedBy(ranks[p]))
              break;
            run |= uint64_t(1) << ranks[p];
          }
          runs.push_back(run);
        }
        if (llvm::is_contained(seen, runs))
          continue;
        seen.push_back(std::move(runs));
      }
      order[l] = ranks;
      if (l == 0)
        finishLevel(0);
      else
        choosePositions(l, 0);
    } while (std::next_permutation(ranks.begin(), ranks.end()) && tick());
    order[l].clear();
  }

  // Storage nodes of level l sit among the loops of block l; the first one
  // at the top (loops above every node of a level belong one level up).
  void choosePositions(size_t l, size_t a) {
    if (!tick())
      return;
    if (a == acc.size()) {
      bool any = false, atTop = false;
      for (size_t b = 0; b < acc.size(); ++b)
        if (position[l][b] >= 0)
          any = true, atTop |= position[l][b] == 0;
      if (any && !atTop)
        return;
      finishLevel(l);
      return;
    }
    if (!(keepSet[a] & (1u << l))) {
      choosePositions(l, a + 1);
      return;
    }
    // Only intermediates kept on chip choose where in the block they sit
    // (that is where fusion happens); the others head their level's block,
    // as in a classic per-level loop nest (docs/mapspace.md). A fused
    // intermediate's outermost node sits under loops over its own dims only.
    bool shared = onChip[a];
    int last = shared ? (int)order[l].size() : 0;
    if (outerOnChip[a] == (int)l) {
      unsigned limit = options.maxFusedLoopsPerRank;
      std::vector<unsigned> count(e.ranks.size(), 0);
      for (int p = 0; p < last; ++p) {
        int r = order[l][p];
        if (!acc[a]->indexedBy(r) ||
            (limit && fusedLoops(l, r) + ++count[r] > limit)) {
          last = p;
          break;
        }
      }
    }
    for (int p = 0; p <= last; ++p) {
      position[l][a] = p;
      choosePositions(l, a + 1);
    }
    position[l][a] = -1;
  }

  /// Block l is complete: checks what it alone decides, then goes deeper.
  void finishLevel(size_t l) {
    if (!isCanonicalPosition(l) || !isCanonicalOrder(l) || !fits(l))
      return;
    if ((int)l == keysKnownAt && !lookUpGroup())
      return;
    decided = l + 1;
    if (!boundedOut())
      chooseBlock(l + 1);
    decided = l;
    if ((int)l == keysKnownAt)
      group = nullptr;
  }

  /// A storage node directly below a loop that does not index its tensor
  /// can move above that loop unobservably (the loop was in its stationary
  /// run, and its tile does not grow): only the upper position is
  /// generated. With a fused intermediate in play, the depth of storage
  /// decides what outlives the fused loops, so all positions are kept.
  bool isCanonicalPosition(size_t l) const {
    if (l == 0 || llvm::any_of(onChip, [](bool b) { return b; }))
      return true;
    for (size_t a = 0; a < acc.size(); ++a) {
      int p = position[l][a];
      if (p > 0 && !acc[a]->indexedBy(order[l][p - 1]))
        return false;
    }
    return true;
  }

  /// Adjacent loops of one block with no storage node between them can be
  /// swapped unobservably when every tensor stored below them is indexed by
  /// both or by neither (fills, stationarity and tiles stay the same). Of
  /// such orders only the one with increasing ranks is generated. Loops
  /// above a fused intermediate's storage are left alone: their order is
  /// part of what producer and consumer must agree on.
  bool isCanonicalOrder(size_t l) const {
    const std::vector<int> &loops = order[l];
    for (size_t p = 0; p + 1 < loops.size(); ++p) {
      int x = loops[p], y = loops[p + 1];
      if (x < y)
        continue;
      bool nodeBetween = false, equivalent = true;
      for (size_t a = 0; a < acc.size() && equivalent; ++a) {
        if (l > 0 && position[l][a] == (int)p + 1)
          nodeBetween = true;
        bool below = (l > 0 && position[l][a] > (int)p + 1) ||
                     (keepSet[a] >> (l + 1)) != 0;
        if (!below)
          continue;
        if (onChip[a] || acc[a]->indexedBy(x) != acc[a]->indexedBy(y))
          equivalent = false;
      }
      if (!nodeBetween && equivalent)
        return false;
    }
    return true;
  }

  /// The tiles of level l are fixed once its block is: the loops below a
  /// node multiply to what the blocks above and its own prefix left.
  bool fits(size_t l) {
    if (l == 0)
      return true;
    double bytes = 0;
    for (size_t a = 0; a < acc.size(); ++a) {
      tileBytes[l][a] = 0;
      int p = position[l][a];
      if (p < 0)
        continue;
      double tile = 1;
      for (size_t r = 0; r < e.ranks.size(); ++r) {
        if (!acc[a]->indexedBy(r))
          continue;
        tile *= remaining[r];
        for (size_t q = p; q < order[l].size(); ++q)
          if (order[l][q] == (int)r)
            tile *= temporal[l][r];
        for (auto [slot, s] : llvm::enumerate(spatial))
          if (s.first == (int)r && (size_t)fanoutSlots[slot].first >= l)
            tile *= s.second;
      }
      tileBytes[l][a] = tile * arch.datumBytes();
      bytes += tileBytes[l][a];
    }
    return bytes <= (double)*arch.levels[l].capacity;
  }

  /// The mapping's nodes down to block `upTo` (all of them for numLevels).
  Mapping buildMapping(size_t upTo) const {
    Mapping m;
    for (size_t a = 0; a < acc.size(); ++a)
      if (keepSet[a] & 1u)
        m.nodes.push_back({MapNode::Keep, (int)a, 0});
    for (size_t l = 0; l < upTo; ++l) {
      const std::vector<int> &loops = order[l];
      for (size_t p = 0; p <= loops.size(); ++p) {
        if (l > 0)
          for (size_t a = 0; a < acc.size(); ++a)
            if (position[l][a] == (int)p)
              m.nodes.push_back({MapNode::Keep, (int)a, (int)l});
        if (p < loops.size())
          m.nodes.push_back(
              {MapNode::Temporal, -1, -1, loops[p], temporal[l][loops[p]]});
      }
      for (auto [slot, s] : llvm::enumerate(spatial))
        if (s.first >= 0 && fanoutSlots[slot].first == (int)l)
          m.nodes.push_back({MapNode::Spatial, -1, (int)l, s.first, s.second,
                             fanoutSlots[slot].second});
    }
    return m;
  }

  std::optional<std::vector<Key>> keysOf(const Mapping &m) const {
    std::vector<Key> keys;
    for (int a : out.interface) {
      std::optional<Key> key = fusionKey(*acc[a], m, a);
      if (!key)
        return std::nullopt;
      keys.push_back(std::move(*key));
    }
    return keys;
  }

  /// Once every key is fixed, the group the subtree falls in is what
  /// bounds it (created empty if need be; generatePmappings drops empty
  /// groups). False when no key is valid.
  bool lookUpGroup() {
    group = nullptr;
    groupFused = llvm::any_of(onChip, [](bool b) { return b; });
    if (!prune)
      return true;
    std::optional<std::vector<Key>> keys =
        keysOf(buildMapping(keysKnownAt + 1));
    if (!keys)
      return false;
    group = &out.groups[*keys];
    return true;
  }

  /// Branch and bound: a subtree whose optimistic criteria (lowerBound()) a
  /// generated pmapping of its group already dominates cannot contribute: a
  /// dominated pmapping would be pruned anyway, and ties go to the earlier
  /// one, as in paretoPrune. The bound holds for any choice still open
  /// below this point (docs/mapspace.md derives it).
  bool boundedOut() const {
    if (!prune || !group || group->empty())
      return false;
    auto [energy, latency] = lowerBound();
    // The bound and the model sum in different orders: a pmapping that ties
    // the front up to rounding is pruned too, or the many exact ties of a
    // roomy machine would all be enumerated.
    energy *= 1 + 1e-12;
    latency *= 1 + 1e-12;
    Pmapping bound;
    bound.energy = energy;
    bound.latency = latency;
    if (groupFused)
      reservationBounds(bound.reservation, bound.persistent);
    return llvm::any_of(*group, [&](const Pmapping &p) {
      return dominates(p, bound, groupFused, options.objective);
    });
  }

  /// Levels whose block is done have exact reservations (fits()); deeper
  /// ones hold at least one datum per kept tensor. Persistent bytes are
  /// exact once every fused intermediate's nodes are placed (deeper nodes
  /// sit under all of them), else taken as none.
  void reservationBounds(std::vector<double> &reservation,
                         std::vector<double> &persistent) const {
    reservation.assign(numLevels, 0);
    persistent.assign(numLevels, 0);
    size_t done = decided;
    long fusedDepth = -1;
    if (done > fusedKnownAfter) {
      fusedDepth = 0;
      long above = 0;
      for (size_t l = 0; l < done; ++l) {
        for (size_t a = 0; a < acc.size(); ++a)
          if (l > 0 && onChip[a] && position[l][a] >= 0)
            fusedDepth = std::max(fusedDepth, above + position[l][a]);
        above += loopsAt(l);
      }
    }
    long above = 0;
    for (size_t l = 0; l < numLevels; ++l) {
      for (size_t a = 0; l > 0 && binding[l] && a < acc.size(); ++a) {
        if (!(keepSet[a] & (1u << l)))
          continue;
        if (l >= done) {
          reservation[l] += arch.datumBytes();
          continue;
        }
        reservation[l] += tileBytes[l][a];
        if (fusedDepth >= 0 && above + position[l][a] < fusedDepth)
          persistent[l] += tileBytes[l][a];
      }
      above += loopsAt(l);
    }
  }

  /// Loop nodes of level l: its block's and its spatial ones.
  long loopsAt(size_t l) const {
    long n = order[l].size();
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first >= 0 && (size_t)fanoutSlots[slot].first == l)
        ++n;
    return n;
  }

  /// Spatial factor of the slots at levels [from, to) over ranks that do not
  /// index access `a` (instances holding or sharing the same data).
  double replication(size_t a, size_t from, size_t to) const {
    double p = 1;
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first >= 0 && (size_t)fanoutSlots[slot].first >= from &&
          (size_t)fanoutSlots[slot].first < to && !acc[a]->indexedBy(s.first))
        p *= s.second;
    return p;
  }

  /// Fewest refetches of access `a`'s tile at level l: evaluate()'s
  /// stationary run (the innermost non-indexing loops above the node) walked
  /// exactly through the decided blocks; in an undecided one the order is
  /// open, so its non-indexing loops may all join the run. Loops not yet
  /// placed are left out and an undecided node taken at the head of its
  /// block, which only removes refetches.
  double refetchBound(size_t a, size_t l) const {
    double refetch = 1;
    bool inRun = true;
    auto loop = [&](int r, int64_t f) {
      if (f == 1)
        return;
      if (acc[a]->indexedBy(r))
        inRun = false;
      else if (!inRun)
        refetch *= f;
    };
    if (l < decided)
      for (int p = position[l][a]; p-- > 0;)
        loop(order[l][p], temporal[l][order[l][p]]);
    for (size_t m = l; m-- > 0;) {
      if (m < decided) {
        for (size_t p = order[m].size(); p-- > 0;)
          loop(order[m][p], temporal[m][order[m][p]]);
        continue;
      }
      double nonIndexing = 1;
      bool indexing = false;
      for (size_t r = 0; r < e.ranks.size(); ++r) {
        if (temporal[m][r] == 1)
          continue;
        if (acc[a]->indexedBy(r))
          indexing = true;
        else
          nonIndexing *= temporal[m][r];
      }
      if (!inRun)
        refetch *= nonIndexing;
      else if (indexing)
        inRun = false;
    }
    return refetch;
  }

  /// Optimistic (energy, latency) mirroring evaluate(): a residency is the
  /// tensor's size times its replication times its refetches, at least the
  /// bound above.
  std::pair<double, double> lowerBound() const {
    double energy = macs * arch.compute.macEnergy;
    // Small fixed buffers: this runs at every node of the enumeration.
    llvm::SmallVector<double, 8> traffic(numLevels, 0);
    const size_t output = acc.size() - 1;
    for (size_t a = 0; a < acc.size(); ++a) {
      llvm::SmallVector<size_t, 8> levels;
      for (size_t l = 0; l < numLevels; ++l)
        if (keepSet[a] & (1u << l))
          levels.push_back(l);
      double size = tensorSize[a];
      size_t n = levels.size();
      llvm::SmallVector<double, 8> low(n), shared(n);
      for (size_t k = 0; k < n; ++k) {
        size_t l = levels[k];
        low[k] = l == 0 ? size
                        : size * replication(a, 0, l) * refetchBound(a, l);
        shared[k] = replication(a, l, k + 1 < n ? levels[k + 1] : numLevels);
      }
      for (size_t k = 0; k < n; ++k) {
        const Level &lv = arch.levels[levels[k]];
        double childLow = (k + 1 < n ? low[k + 1] : macs) / shared[k];
        // An input level reads what its child demands and is written once
        // per residency; an output level is written what its child demands
        // and reads all but its first fill of partial sums back, known only
        // once its own residency is (a decided level).
        double reads = a != output                     ? childLow
                       : levels[k] == 0 || levels[k] < decided
                           ? std::max(0.0, childLow - low[k])
                           : 0;
        double writes = a == output ? childLow : k > 0 ? low[k] : 0;
        energy += reads * lv.readEnergy + writes * lv.writeEnergy;
        traffic[levels[k]] += reads + writes;
      }
    }
    double units = 1;
    for (auto [r, f] : spatial)
      units *= f;
    double latency = macs / units / arch.compute.throughput;
    for (size_t l = 0; l < numLevels; ++l) {
      if (!arch.levels[l].bandwidth)
        continue;
      double instances = 1;
      for (auto [slot, s] : llvm::enumerate(spatial))
        if ((size_t)fanoutSlots[slot].first < l)
          instances *= s.second;
      latency = std::max(latency,
                         traffic[l] / instances / *arch.levels[l].bandwidth);
    }
    return {energy, latency};
  }

  void emit() {
    if (!tick())
      return;
    ++out.candidates;
    Mapping m = buildMapping(numLevels);
    std::optional<std::vector<Key>> keys = keysOf(m);
    if (!keys)
      return;
    Evaluation ev = evaluate(w, &e - &w.einsums[0], arch, m, onChip);
    if (!ev.ok())
      return;
    if (++out.valid > options.maxPmappings)
      return fail(llvm::formatv(
          "search budget exceeded: Einsum '{0}' has more than {1} valid "
          "pmappings (raise max-pmappings)",
          e.name, options.maxPmappings));
    Pmapping p;
    p.mapping = std::move(m);
    p.energy = ev.energy;
    p.latency = ev.latency;
    p.reservation = std::move(ev.reservation);
    p.persistent = std::move(ev.persistent);
    // A level no combination can overflow never decides a join: its
    // reservations are not criteria.
    if (prune)
      for (size_t l = 0; l < numLevels; ++l)
        if (!binding[l])
          p.reservation[l] = p.persistent[l] = 0;
    p.fused = llvm::any_of(out.interface, [&](int a) { return onChip[a]; });
    std::vector<Pmapping> &members = out.groups[*keys];
    members.push_back(std::move(p));
    // Pruning is idempotent, so pruning a growing group now and then keeps
    // memory bounded without changing the result.
    if (prune && members.size() >= 2048 && llvm::isPowerOf2_64(members.size()))
      paretoPrune(members, members.front().fused, options.objective);
  }
};

} // namespace

std::vector<bool> detail::bindingLevels(const Workload &w, const Arch &arch) {
  double everything = 0;
  for (const Einsum &e : w.einsums)
    for (const TensorAccess *a : e.accesses())
      everything += accessSize(e, *a) * arch.datumBytes();
  std::vector<bool> binding(arch.levels.size(), false);
  for (size_t l = 1; l < arch.levels.size(); ++l)
    binding[l] = everything > (double)*arch.levels[l].capacity;
  return binding;
}

EinsumPmappings detail::generatePmappings(const Workload &w, int einsum,
                                          const Arch &arch,
                                          const std::vector<bool> &fusable,
                                          const SearchOptions &options,
                                          bool prune,
                                          const std::vector<bool> &binding,
                                          const Deadline &deadline) {
  EinsumPmappings out;
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  for (auto [a, access] : llvm::enumerate(acc))
    if (fusable[access->tensor])
      out.interface.push_back(a);
  Generator gen(w, arch, einsum, options, prune, out, binding, deadline);
  gen.run();
  out.steps = gen.steps;
  for (auto it = out.groups.begin(); it != out.groups.end();)
    it = it->second.empty() ? out.groups.erase(it) : std::next(it);
  if (prune)
    for (auto &[key, group] : out.groups)
      paretoPrune(group, group.front().fused, options.objective);
  return out;
}

double detail::rawMapspaceLog10(const Workload &w, int einsum,
                                const Arch &arch,
                                const std::vector<bool> &fusable) {
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  double levels = arch.levels.size(), ranks = e.ranks.size();
  double log = 0;
  for (const TensorAccess *a : acc) {
    if (fusable[a->tensor])
      log += std::log10(2.0); // in DRAM or on chip
    // keep sets: any subset of the on-chip levels; positions in each block
    log += (levels - 1) * std::log10(2.0 * (ranks + 1));
  }
  for (const Level &l : arch.levels)
    for (int64_t f : l.fanout)
      if (f > 1)
        log += std::log10(ranks + 1);
  // Ordered factorizations of each bound into one factor per level: for
  // each prime power p^k, C(k + levels - 1, levels - 1).
  for (const RankVar &r : e.ranks) {
    int64_t n = r.bound;
    for (int64_t p = 2; p <= n / p; ++p) {
      int k = 0;
      while (n % p == 0)
        n /= p, ++k;
      for (int i = 1; i <= k; ++i)
        log += std::log10((i + levels - 1) / i);
    }
    if (n > 1)
      log += std::log10(levels);
  }
  // loop orders of every block
  double orders = 0;
  for (int i = 2; i <= ranks; ++i)
    orders += std::log10((double)i);
  return log + levels * orders;
}
