//===- Pmappings.cpp - mapspace enumeration per Einsum --------------------===//
#include "Pmappings.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
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

std::vector<bool> detail::fusableTensors(const Workload &w) {
  std::vector<bool> fusable(w.tensors.size(), false);
  for (auto [t, tensor] : llvm::enumerate(w.tensors)) {
    if (tensor.producer < 0 || tensor.aliasOf >= 0 || tensor.isOutput ||
        tensor.escapes || tensor.consumers.empty())
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
    // Fusion groups are contiguous and every Einsum of one reads each
    // intermediate live across it (the join's rule): an Einsum between the
    // producer and the last consumer that does not read the tensor would
    // leave every on-chip pmapping of it unjoinable, so none is generated.
    int last = *llvm::max_element(tensor.consumers);
    for (int j = tensor.producer + 1; ok && j <= last; ++j)
      ok = llvm::is_contained(tensor.consumers, j);
    // An op left in place between producer and consumer may depend on
    // one and feed the other: the group's tree could not run around it.
    for (int b : w.barriers)
      ok &= !(tensor.producer < b && b <= last);
    fusable[t] = ok;
  }
  return fusable;
}

namespace {

/// Elements of the tensor `a` accesses: the product of its ranks' bounds,
/// or of the points its windows reach (a strided window skips some).
double accessSize(const Einsum &e, const TensorAccess &a) {
  return a.accessedElements(e.ranks);
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
/// sets, spatial choice, then each level's block key first (chooseBlock).
/// Deciding the loops above every fused intermediate (its compatibility
/// key) early lets a subtree be bounded against the pmappings already in
/// its group when pruning is on.
struct Generator {
  const Workload &w;
  const Arch &arch;
  const Einsum &e;
  int einsumIndex;
  const SearchOptions &options;
  bool prune;
  EinsumPmappings &out;
  /// Per level: false when no combination of reservations can exceed its
  /// capacity, so reservations there need not be compared.
  const std::vector<bool> &binding;

  std::vector<const TensorAccess *> acc;
  size_t numLevels;
  double macs = 1;
  double leakagePerCycle = arch.leakagePerCycle();
  std::vector<double> tensorSize; // per access: product of its ranks' bounds
  /// Per access: bit r set when rank r indexes it (the bound asks at
  /// nearly every node of the enumeration).
  std::vector<uint64_t> indexMask;
  /// Bit l set when some tensor is kept at level l.
  uint32_t nodeLevels = 0;
  std::vector<bool> onChip;          // per access
  std::vector<uint32_t> keepSet;     // per access: bitmask of levels
  std::vector<int> outerOnChip;      // per access: outermost level if on chip
  /// The compute unit the current mappings run on, and the innermost
  /// level it can use.
  int unit = 0;
  size_t unitLevel = 0;
  std::vector<std::pair<int, int>> fanoutSlots; // (level, dim) with fanout > 1
  /// Per slot, which of its dimension's slots it is (0: the first).
  std::vector<unsigned> slotPart;
  /// Per slot, Level::shares() for an input and for the output (the bound
  /// asks at every node; the rule is a string).
  std::vector<std::array<bool, 2>> slotShares;
  std::vector<std::pair<int, int64_t>> spatial; // per slot: (rank, factor)
  std::vector<std::vector<int64_t>> temporal;   // [level][rank] factor
  std::vector<int64_t> remaining; // per rank: temporal count not yet placed
  std::vector<std::vector<int>> order;          // [level] ranks, in order
  std::vector<std::vector<int>> position;       // [level][access] or -1
  std::vector<std::vector<double>> tileBytes;   // [level][access]
  size_t lastLoopLevel = 0;  // innermost block that may hold loops
  /// The level whose block fixes the last key (-1: every interface tensor
  /// is in DRAM, all keys are known from the start).
  int keysKnownAt = -1;
  /// Levels [0, decided) have their blocks (counts, order, positions) fixed.
  size_t decided = 0;
  /// The block whose loop order is fixed while its counts are chosen.
  int orderedBlock = -1;
  /// The group every pmapping of the current subtree falls in, once known.
  std::vector<Pmapping> *group = nullptr;
  bool groupFused = false;
  const Deadline &deadline;
  const Narrowing &narrowing;
  uint64_t steps = 0;
  bool stop = false;

  Generator(const Workload &w, const Arch &arch, int einsum,
            const SearchOptions &options, bool prune, EinsumPmappings &out,
            const std::vector<bool> &binding, const Deadline &deadline,
            const Narrowing &narrowing)
      : w(w), arch(arch), e(w.einsums[einsum]), einsumIndex(einsum),
        options(options),
        prune(prune), out(out), binding(binding), acc(e.accesses()),
        numLevels(arch.levels.size()), deadline(deadline),
        narrowing(narrowing) {
    for (const RankVar &r : e.ranks)
      macs *= r.bound;
    for (const TensorAccess *a : acc) {
      bool shared = false;
      if (a != acc.back())
        for (int c : w.tensors[e.output.tensor].consumers)
          shared |= llvm::any_of(w.einsums[c].inputs,
                                 [&](const TensorAccess &in) {
                                   return in.tensor == a->tensor;
                                 });
      readWithOutput.push_back(shared);
      tensorSize.push_back(accessSize(e, *a));
      uint64_t mask = 0, projected = 0;
      for (int r : a->dimRanks)
        if (r >= 0) // -1: a broadcast dimension, indexed by no rank
          projected |= uint64_t(1) << r;
      mask = projected;
      for (const std::vector<WindowTerm> &window : a->windows)
        for (const WindowTerm &t : window)
          mask |= uint64_t(1) << t.rank;
      indexMask.push_back(mask);
      projectMask.push_back(projected);
    }
  }

  bool indexes(size_t a, int rank) const { return indexMask[a] >> rank & 1; }
  /// Per access: bit r set when rank r alone walks a dimension.
  std::vector<uint64_t> projectMask;

  /// Elements of access a's tile given each indexing rank's extent in
  /// `ext`: their product, or with sliding windows the windows' spans.
  double tileOf(size_t a, llvm::ArrayRef<double> ext) const {
    if (acc[a]->hasWindows())
      return acc[a]->footprint([&](int r) { return ext[r]; });
    double tile = 1;
    for (size_t r = 0; r < e.ranks.size(); ++r)
      if (indexes(a, r))
        tile *= ext[r];
    return tile;
  }

  /// Per access: an input that some consumer of this Einsum's output reads
  /// too. That consumer shares every loop above the input's on-chip node,
  /// so each such loop must walk the output, or the consumer would read an
  /// output tile still being reduced (a softmax's row sums, read by its
  /// normalisation under the row sum's own reduction loop).
  std::vector<bool> readWithOutput;

  /// Whether a loop over `rank` may sit above the outermost node of on-chip
  /// intermediate `a` (fusion validity; see fusionKey and readWithOutput).
  bool mayFuseOver(size_t a, int rank) const {
    // A window's tiles overlap (the halo): a loop over one of its ranks
    // cannot hand the consumer exactly the producer's tile.
    return (projectMask[a] >> rank & 1) &&
           (!readWithOutput[a] || indexes(acc.size() - 1, rank));
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
      fail(llvm::formatv("{0} while enumerating Einsum '{1}' (raise {2})",
                         deadline.what(), e.name, deadline.option()));
      return false;
    }
    return true;
  }

  /// Every unit that runs the Einsum, one after another: their pmappings
  /// share groups (the unit is a choice inside the Einsum, invisible to
  /// its neighbours), so one unit's finds bound the next one's subtrees.
  void run() {
    std::vector<int> units = unitsFor(arch, e);
    if (units.empty())
      return fail(llvm::formatv("no compute unit runs Einsum '{0}'", e.name));
    for (int k : units) {
      unit = k;
      unitLevel = arch.unitLevel(k);
      fanoutSlots.clear();
      slotShares.clear();
      slotPart.clear();
      // Each fanout dimension has a slot per rank it may spread
      // (options.maxSpatialRanksPerDim), filled in order.
      for (size_t l = 0; l <= unitLevel; ++l)
        if (arch.unitUsesFanout(k, l))
          for (auto [d, f] : llvm::enumerate(arch.levels[l].fanout))
            for (unsigned part = 0;
                 f > 1 && part < std::max(1u, options.maxSpatialRanksPerDim);
                 ++part) {
              fanoutSlots.push_back({(int)l, (int)d});
              slotPart.push_back(part);
              slotShares.push_back(
                  {arch.levels[l].shares(d, /*isOutput=*/false),
                   arch.levels[l].shares(d, /*isOutput=*/true)});
            }
      runOnUnit();
    }
  }

  void runOnUnit() {
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
      for (size_t b = 0; b < acc.size(); ++b) {
        if (!onChip[b])
          continue;
        outerOnChip[b] = llvm::countr_zero(keepSet[b]);
        keysKnownAt = std::max(keysKnownAt, outerOnChip[b]);
      }
      nodeLevels = 0;
      for (uint32_t set : keepSet)
        nodeLevels |= set;
      lastLoopLevel = 0;
      for (size_t m = 1; m < numLevels; ++m)
        if (levelHasNodes(m))
          lastLoopLevel = m;
      spatial.assign(fanoutSlots.size(), {-1, 1});
      chooseSpatial(0);
      return;
    }
    unsigned classes = accessClasses(w, einsumIndex, a, onChip[a]);
    // No tile is kept below the unit.
    for (uint32_t set = 1; set < (1u << (unitLevel + 1)); ++set) {
      bool dram = set & 1u;
      if (dram == (bool)onChip[a])
        continue;
      if (llvm::any_of(llvm::seq<size_t>(1, unitLevel + 1), [&](size_t l) {
            int rule = arch.levels[l].keepRule(classes);
            return rule && (rule > 0) != (bool)(set & (1u << l));
          }))
        continue;
      keepSet[a] = set;
      chooseKeeps(a + 1);
    }
  }

  /// The outermost node of an on-chip intermediate may sit anywhere in its
  /// block; every other node heads its block.
  bool floats(size_t a, size_t l) const {
    return onChip[a] && outerOnChip[a] == (int)l;
  }

  bool levelHasNodes(size_t l) const { return nodeLevels >> l & 1; }

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
        if (!mayFuseOver(a, rank) ||
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

  /// Every level's spatial loops use at least its min_usage of its fanout.
  bool usesEnough() const {
    for (size_t l = 0; l < numLevels; ++l) {
      if (!arch.unitUsesFanout(unit, l))
        continue;
      double used = 1;
      for (auto [slot, s] : llvm::enumerate(spatial))
        if (fanoutSlots[slot].first == (int)l)
          used *= s.second;
      if (!arch.levels[l].meetsMinUsage(used))
        return false;
    }
    return true;
  }

  void chooseSpatial(size_t slot) {
    if (!tick())
      return;
    if (slot == fanoutSlots.size()) {
      if (!usesEnough())
        return;
      cacheSpread();
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
    auto [level, dim] = fanoutSlots[slot];
    const Level &lv = arch.levels[level];
    // A further rank on a dimension spreads over what the ranks before it
    // left; it follows a used slot only (one order per set of slots used).
    int64_t width = lv.fanout[dim];
    for (size_t prev = slot - slotPart[slot]; prev < slot; ++prev)
      width /= spatial[prev].second;
    if (slotPart[slot] > 0 && spatial[slot - 1].first < 0) {
      spatial[slot] = {-1, 1};
      return chooseSpatial(slot + 1);
    }
    for (auto [r, rank] : llvm::enumerate(e.ranks)) {
      if (!lv.allowsSpatial(rank.name) || !reuseAllows(lv, dim, e, r) ||
          !mayLoopAbove(level, r) || width < 2 ||
          llvm::any_of(llvm::seq(slot - slotPart[slot], slot),
                       [&](size_t prev) { return spatial[prev].first == (int)r; }))
        continue;
      // A fanout dimension spreads each rank as widely as it divides: the
      // mapspace does not leave instances idle on purpose (docs/mapspace.md).
      int64_t rest = rank.bound / spatialProduct(r);
      int64_t f = std::min(rest, width);
      while (f > 1 && rest % f)
        --f;
      if (f < 2)
        continue;
      spatial[slot] = {(int)r, f};
      chooseSpatial(slot + 1);
    }
    // The idle dimension last: spread mappings tend to be the better ones,
    // and found first they bound the rest of their groups.
    spatial[slot] = {-1, 1};
    chooseSpatial(slot + 1);
  }

  // Block l, key first. A level without storage nodes gets no loops of its
  // own (they would be indistinguishable from the same loops one level up).
  // The loops above the level's floating nodes (its prefix: ranks, counts,
  // order, and where each floating node sits among them) fix their
  // compatibility keys, so from there on the group bounds the rest: which
  // other ranks loop in the block, their order below every floating node
  // (one per set of stationary runs), and last their counts, each bounded
  // with the order already known. The innermost block that may hold loops
  // takes every remaining count.
  void chooseBlock(size_t l) {
    if (l == numLevels) {
      emit();
      return;
    }
    if (l != 0 && !levelHasNodes(l)) {
      chooseBlock(l + 1);
      return;
    }
    // The blocks above already fix the tiles of the nodes heading this one:
    // a level they overflow is cut before its loops are enumerated.
    if (l != 0 && overflows(l))
      return;
    uint32_t floating = 0;
    bool headed = false;
    for (size_t a = 0; a < acc.size(); ++a) {
      bool kept = l != 0 && (keepSet[a] & (1u << l));
      if (kept && floats(a, l))
        floating |= 1u << a;
      position[l][a] = kept && !floats(a, l) ? 0 : -1;
      headed |= position[l][a] == 0;
    }
    if (floating)
      placeFloating(l, floating, headed);
    else
      finishPrefix(l);
    position[l].assign(acc.size(), -1);
  }

  /// Places a subset of the `unplaced` floating nodes of block l under the
  /// prefix so far; the others go under more loops. The first node of a
  /// level heads its block (loops above all of them belong one level up):
  /// `mayWait` is false until one does.
  void placeFloating(size_t l, uint32_t unplaced, bool mayWait) {
    if (!tick())
      return;
    for (uint32_t now = unplaced;; now = (now - 1) & unplaced) {
      if (now || mayWait) {
        for (size_t a = 0; a < acc.size(); ++a)
          if (now & (1u << a))
            position[l][a] = order[l].size();
        if (uint32_t later = unplaced & ~now)
          extendPrefix(l, later);
        else
          finishPrefix(l);
        for (size_t a = 0; a < acc.size(); ++a)
          if (now & (1u << a))
            position[l][a] = -1;
      }
      if (!now)
        break;
    }
  }

  /// One more prefix loop: above the `unplaced` floating nodes, so over a
  /// rank each of them is indexed by (fusion validity), within the fused
  /// loop limit per rank.
  void extendPrefix(size_t l, uint32_t unplaced) {
    unsigned limit = options.maxFusedLoopsPerRank;
    for (size_t r = 0; r < e.ranks.size(); ++r) {
      if (temporal[l][r] > 1 || remaining[r] == 1 || !mayLoopAbove(l, r) ||
          (limit && fusedLoops(l, r) + 1 > limit) ||
          llvm::any_of(llvm::seq<size_t>(0, acc.size()), [&](size_t a) {
            return (unplaced & (1u << a)) && !mayFuseOver(a, r);
          }))
        continue;
      order[l].push_back(r);
      eachCount(l, r, /*largestFirst=*/false,
                [&] { placeFloating(l, unplaced, /*mayWait=*/true); });
      order[l].pop_back();
    }
  }

  /// Every floating node is placed: the keys of this level are known.
  void finishPrefix(size_t l) {
    bool looked = (int)l == keysKnownAt;
    if ((!looked || lookUpGroup()) && !boundedOut())
      chooseSuffix(l);
    if (looked)
      group = nullptr;
  }

  /// Which of the other ranks loop in block l, below every floating node.
  void chooseSuffix(size_t l) {
    llvm::SmallVector<int, 16> free;
    for (size_t r = 0; r < e.ranks.size(); ++r) {
      if (temporal[l][r] > 1 || remaining[r] == 1)
        continue;
      if (mayLoopAbove(l, r))
        free.push_back(r);
      else if (l == lastLoopLevel)
        return; // a forced count this block may not hold
    }
    if (l == lastLoopLevel)
      return orderSuffix(l, free);
    for (uint32_t mask = 0; mask < (1u << free.size()) && !stop; ++mask) {
      llvm::SmallVector<int, 16> suffix;
      for (size_t i = 0; i < free.size(); ++i)
        if (mask & (1u << i))
          suffix.push_back(free[i]);
      orderSuffix(l, suffix);
    }
  }

  /// Orders of the suffix (ascending first). Below every floating node
  /// they are observable only through the stationary runs they leave above
  /// the tensors stored deeper, unless a deeper fused intermediate's key
  /// holds them.
  void orderSuffix(size_t l, llvm::ArrayRef<int> loops) {
    llvm::SmallVector<int, 16> suffix(loops);
    size_t prefix = order[l].size();
    bool keyed = llvm::any_of(llvm::seq<size_t>(0, acc.size()), [&](size_t a) {
      return onChip[a] && outerOnChip[a] > (int)l;
    });
    llvm::SmallVector<uint64_t, 64> seen;
    do {
      order[l].resize(prefix);
      order[l].insert(order[l].end(), suffix.begin(), suffix.end());
      if (!keyed && !firstOfRuns(l, order[l], seen))
        continue;
      int outer = orderedBlock;
      orderedBlock = l;
      // With the order known and every count open, the bound may already
      // cut all of them.
      if (l == lastLoopLevel || !boundedOut())
        countSuffix(l, prefix);
      orderedBlock = outer;
    } while (std::next_permutation(suffix.begin(), suffix.end()) && tick());
    order[l].resize(prefix);
  }

  /// Whether the least tiles (leastTile) of on-chip level m already exceed
  /// its capacity.
  bool overflows(size_t m) const {
    double least = 0;
    for (size_t a = 0; a < acc.size(); ++a)
      if (keepSet[a] & (1u << m))
        least += leastTile(a, m) * arch.datumBytes();
    return least > (double)*arch.levels[m].capacity;
  }

  /// Whether the tiles the counts chosen so far in block l leave to the
  /// next level with nodes already exceed its capacity.
  bool overflowsBelow(size_t l) const {
    size_t m = l + 1;
    while (m < numLevels && !levelHasNodes(m))
      ++m;
    return m < numLevels && overflows(m);
  }

  /// Divisors of the counts that remain (a handful of values, asked at
  /// every node of the count enumeration).
  std::map<int64_t, std::vector<int64_t>> divisorsOf;

  /// Gives rank r of block l each count it may take, with `temporal` and
  /// `remaining` set around body(): what remains in the innermost block
  /// that may hold loops, else every divisor above 1 of it.
  template <typename Body>
  void eachCount(size_t l, int r, bool largestFirst, Body body) {
    int64_t rest = remaining[r];
    auto place = [&](int64_t count) {
      temporal[l][r] = count;
      remaining[r] = rest / count;
      body();
      temporal[l][r] = 1;
      remaining[r] = rest;
    };
    if (l == lastLoopLevel)
      return place(rest);
    auto [it, fresh] = divisorsOf.try_emplace(rest);
    if (fresh)
      it->second = divisors(rest);
    // std::map entries stay put while the recursion below adds others.
    auto counts = llvm::ArrayRef(it->second).drop_front(); // all but 1
    if (largestFirst)
      for (int64_t count : llvm::reverse(counts))
        place(count);
    else
      for (int64_t count : counts)
        place(count);
  }

  /// Counts of the suffix loops in order, each bounded.
  void countSuffix(size_t l, size_t p) {
    if (!tick())
      return;
    if (p == order[l].size())
      return finishLevel(l);
    // Largest first: the deeper tiles start small enough to fit, and a
    // good pmapping found early bounds its siblings (half the steps on a
    // mid-size Transformer layer on the TPU-like preset).
    eachCount(l, order[l][p], /*largestFirst=*/true, [&] {
      // The innermost block's counts are forced: nothing to bound yet.
      if (l == lastLoopLevel || (!overflowsBelow(l) && !boundedOut()))
        countSuffix(l, p + 1);
    });
  }

  /// Whether the node of access `a` at level l and the loops above it are
  /// fixed: in a decided block; heading the first undecided one; or the
  /// floating node of the first undecided block once placed (placeFloating).
  bool placed(size_t a, size_t l) const {
    return l < decided ||
           (l == decided && (!floats(a, l) || position[l][a] >= 0));
  }

  /// Loops of block l above the node of access `a` (its placed position).
  llvm::ArrayRef<int> loopsAboveIn(size_t a, size_t l) const {
    return llvm::ArrayRef<int>(order[l]).take_front(
        std::max(position[l][a], 0));
  }

  /// The least tile access `a` can have at level l given what is decided: a
  /// placed node in the first undecided block holds exactly what the loops
  /// above it leave (the block's other loops, placed or not, sit below it).
  /// A node heading the next block with nodes holds what the current one
  /// leaves, of which the counts already chosen are known once that block's
  /// loops are (orderedBlock). Otherwise a node holds at least its spatial
  /// spread.
  double leastTile(size_t a, size_t l) const {
    bool exact = l == decided && placed(a, l);
    bool next = l > decided && (int)decided == orderedBlock && !floats(a, l) &&
                llvm::none_of(llvm::seq<size_t>(decided + 1, l),
                              [&](size_t m) { return levelHasNodes(m); });
    uint64_t above = 0, open = 0;
    if (exact)
      for (int r : loopsAboveIn(a, l))
        above |= uint64_t(1) << r;
    // A loop of the ordered block whose count is still open (1 so far) may
    // take all of what remains.
    if (next)
      for (int r : order[decided])
        if (temporal[decided][r] == 1)
          open |= uint64_t(1) << r;
    llvm::SmallVector<double, Einsum::kMaxRanks> ext(e.ranks.size(), 1);
    for (size_t r = 0; r < e.ranks.size(); ++r) {
      if (!indexes(a, r))
        continue;
      if (exact)
        ext[r] *= remaining[r] * (above >> r & 1 ? 1 : temporal[l][r]);
      if (next && !(open >> r & 1))
        ext[r] *= remaining[r];
    }
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first >= 0 && indexes(a, s.first) &&
          (size_t)fanoutSlots[slot].first >= l)
        ext[s.first] *= s.second;
    // Every extent is a lower bound and a tile grows with each.
    return tileOf(a, ext);
  }

  /// The stationary run (set of ranks) that block l's loops in `loops`
  /// leave above each tensor stored below the block; false when an order
  /// with the same runs was already `seen` (the runs of each one after the
  /// other).
  bool firstOfRuns(size_t l, llvm::ArrayRef<int> loops,
                   llvm::SmallVectorImpl<uint64_t> &seen) const {
    llvm::SmallVector<uint64_t, 16> runs;
    for (size_t a = 0; a < acc.size(); ++a) {
      if (!(keepSet[a] >> (l + 1)))
        continue;
      uint64_t run = 0;
      for (size_t p = loops.size(); p-- > 0;) {
        if (indexes(a, loops[p]))
          break;
        run |= uint64_t(1) << loops[p];
      }
      runs.push_back(run);
    }
    llvm::ArrayRef<uint64_t> all(seen);
    for (size_t at = 0; !runs.empty() && at < all.size(); at += runs.size())
      if (all.slice(at, runs.size()) == llvm::ArrayRef<uint64_t>(runs))
        return false;
    // With no tensor below, every order leaves the same (empty) runs.
    if (runs.empty() && !seen.empty())
      return false;
    seen.append(runs.begin(), runs.end());
    if (runs.empty())
      seen.push_back(0); // marks the empty runs as seen
    return true;
  }

  /// Block l is complete: checks what it alone decides, then goes deeper.
  void finishLevel(size_t l) {
    if (!fits(l))
      return;
    // The group is known from finishPrefix, except without pruning.
    bool ownLookup = (int)l == keysKnownAt && !group;
    if (ownLookup && !lookUpGroup())
      return;
    decided = l + 1;
    cacheRuns();
    if (!boundedOut())
      chooseBlock(l + 1);
    decided = l;
    if (ownLookup)
      group = nullptr;
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
      llvm::SmallVector<double, Einsum::kMaxRanks> ext(e.ranks.size(), 1);
      for (size_t r = 0; r < e.ranks.size(); ++r) {
        if (!indexes(a, r))
          continue;
        ext[r] = remaining[r];
        for (size_t q = p; q < order[l].size(); ++q)
          if (order[l][q] == (int)r)
            ext[r] *= temporal[l][r];
        for (auto [slot, s] : llvm::enumerate(spatial))
          if (s.first == (int)r && (size_t)fanoutSlots[slot].first >= l)
            ext[r] *= s.second;
      }
      tileBytes[l][a] = tileOf(a, ext) * arch.datumBytes();
      bytes += tileBytes[l][a];
    }
    return bytes <= (double)*arch.levels[l].capacity;
  }

  /// The mapping's nodes down to block `upTo` (all of them for numLevels).
  Mapping buildMapping(size_t upTo) const {
    Mapping m;
    m.unit = unit;
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
    // The enumeration reaches each key many times: the mapping and its
    // keys are built once per state that fixes them.
    llvm::SmallVector<int64_t, 32> state;
    keyState(state);
    auto [it, fresh] = groupAt.try_emplace(
        llvm::StringRef(reinterpret_cast<const char *>(state.data()),
                        state.size() * sizeof(int64_t)),
        GroupAt());
    if (fresh)
      if (std::optional<std::vector<Key>> keys =
              keysOf(buildMapping(keysKnownAt + 1))) {
        it->second.unjoinable = !joinable(*keys);
        if (!it->second.unjoinable)
          it->second.group = &(*out.groups)[*keys];
      }
    if (it->second.unjoinable) {
      // Left out, but the floors must still bound it: its bound does.
      auto [energy, latency] = lowerBound();
      double least = criterion(energy, latency);
      out.unjoinableFloor = std::min(out.unjoinableFloor, least);
      out.cutAt = std::min(out.cutAt, least);
    }
    group = it->second.group;
    return group;
  }

  /// Whether every key is one Narrowing::joinable allows.
  bool joinable(const std::vector<Key> &keys) const {
    for (auto [k, allowed] : llvm::enumerate(narrowing.joinable))
      if (allowed && !allowed->count(keys[k]))
        return false;
    return true;
  }

  /// Groups by keyState(); no group where no key is valid or the keys are
  /// not joinable.
  struct GroupAt {
    std::vector<Pmapping> *group = nullptr;
    bool unjoinable = false;
  };
  llvm::StringMap<GroupAt> groupAt;

  /// What fixes the keys: for each interface tensor its outermost level
  /// and the loops above that node, (rank, count) for a block's loop and
  /// (128 + slot, rank, factor) for a spatial one (a rank is below 128, so
  /// the two read apart); -1 opens each tensor's part.
  void keyState(llvm::SmallVectorImpl<int64_t> &state) const {
    for (int a : out.interface) {
      state.push_back(-1);
      if (!onChip[a])
        continue;
      size_t outer = outerOnChip[a];
      state.push_back(outer);
      for (size_t m = 0; m <= outer; ++m) {
        for (int r : m < outer ? llvm::ArrayRef<int>(order[m])
                               : loopsAboveIn(a, m))
          state.append({r, temporal[m][r]});
        for (auto [slot, s] : llvm::enumerate(spatial))
          if (m < outer && s.first >= 0 && fanoutSlots[slot].first == (int)m)
            state.append({int64_t(128 + slot), s.first, s.second});
      }
    }
  }

  /// Branch and bound: a subtree whose optimistic criteria (lowerBound()) a
  /// generated pmapping of its group already dominates cannot contribute: a
  /// dominated pmapping would be pruned anyway, and ties go to the earlier
  /// one, as in paretoPrune. The bound holds for any choice still open
  /// below this point (docs/mapspace.md derives it).
  mutable size_t lastCut = 0;
  /// The criterion the objective ranks by first: the order of each group,
  /// and the one the caps bound (energy or latency).
  double criterion(double energy, double latency) const {
    return firstCriterion(options.objective, energy, latency);
  }
  double primary(const Pmapping &p) const {
    return criterion(p.energy, p.latency);
  }
  uint64_t held = 0; // pmappings in the groups (see maxPmappings)
  mutable Pmapping boundScratch;
  /// The best criterion enumerated so far (Narrowing::slack).
  double best = INFINITY;
  double currentCap() const {
    return std::min(narrowing.cap, best + narrowing.slack);
  }
  bool capped() const {
    return currentCap() < INFINITY || narrowing.edpCap < INFINITY;
  }
  /// Whether the cap cuts what scores (energy, latency), at least; the
  /// least score it cuts is recorded (EinsumPmappings::cutAt).
  bool cutByCap(double energy, double latency) const {
    // Lower bounds in, a lower bound of every completion's EDP out.
    if ((energy + narrowing.otherEnergyFloors) *
            (latency + narrowing.otherLatencyFloors) >
        narrowing.edpCap * (1 + 1e-9))
      return true;
    double score = criterion(energy, latency);
    if (score <= currentCap() * (1 + 1e-9))
      return false;
    out.cutAt = std::min(out.cutAt, score);
    return true;
  }
  bool boundedOut() const {
    bool grouped = group && !group->empty();
    if (!prune || (!grouped && !capped()))
      return false;
    auto [energy, latency] = lowerBound();
    if (cutByCap(energy, latency))
      return true;
    if (!grouped)
      return false;
    // The bound and the model sum in different orders: a pmapping that ties
    // the front up to rounding is pruned too, or the many exact ties of a
    // roomy machine would all be enumerated.
    energy *= 1 + 1e-12;
    latency *= 1 + 1e-12;
    // Reused: this runs at nearly every node of the enumeration.
    Pmapping &bound = boundScratch;
    bound.energy = energy;
    bound.latency = latency;
    if (groupFused)
      reservationBounds(bound.reservation, bound.persistent);
    // Neighbouring subtrees tend to be cut by the same member: try it first.
    if (lastCut < group->size() &&
        dominates((*group)[lastCut], bound, groupFused, options.objective))
      return true;
    for (auto [i, p] : llvm::enumerate(*group)) {
      if (primary(p) > primary(bound))
        break; // so is every member after it
      if (dominates(p, bound, groupFused, options.objective)) {
        lastCut = i;
        return true;
      }
    }
    return false;
  }

  /// Levels whose block is done have exact reservations (fits()); deeper
  /// ones hold at least leastTile() per kept tensor. Persistent bytes are
  /// exact once every fused intermediate's outermost node is placed, else
  /// a lower bound.
  void reservationBounds(llvm::SmallVectorImpl<double> &reservation,
                         llvm::SmallVectorImpl<double> &persistent) const {
    reservation.assign(numLevels, 0);
    persistent.assign(numLevels, 0);
    size_t done = decided;
    // The fused depth, at least: the deepest of the fused intermediates'
    // outermost nodes. Placed ones are known; one whose outermost node is
    // at an undecided level sits below every decided loop (and below all
    // of an ordered block's loops if deeper still). Counting the nodes
    // above this depth undercounts the persistent ones, if at all.
    long fusedDepth = -1;
    for (size_t a = 0; a < acc.size(); ++a) {
      if (!onChip[a] || !(keepSet[a] >> 1))
        continue;
      size_t l = 1; // the outermost on-chip level, or `done` if not decided
      while (l < done && !(keepSet[a] & (1u << l)))
        ++l;
      l = std::min(l, done);
      long above = 0;
      for (size_t k = 0; k < l; ++k)
        above += loopsAt(k);
      long depth;
      if (l < done) {
        depth = above + position[l][a];
      } else {
        depth = above + (done < numLevels && placed(a, done)
                             ? std::max(position[done][a], 0)
                             : 0);
        if ((int)done == orderedBlock && !(keepSet[a] & (1u << done)) &&
            (keepSet[a] >> (done + 1)))
          depth = std::max(depth, above + loopsAt(done));
      }
      fusedDepth = std::max(fusedDepth, depth);
    }
    long above = 0;
    for (size_t l = 0; l < numLevels; ++l) {
      for (size_t a = 0; l > 0 && binding[l] && a < acc.size(); ++a) {
        if (!(keepSet[a] & (1u << l)))
          continue;
        if (l >= done) {
          double least = leastTile(a, l) * arch.datumBytes();
          reservation[l] += least;
          if (l == done && placed(a, l) &&
              above + std::max(position[l][a], 0) < fusedDepth)
            persistent[l] += least;
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
  /// index access `a`: instances holding the same data, or with
  /// `sharedOnly`, those served by one access (the dimension's reuse rule).
  double replication(size_t a, size_t from, size_t to,
                     bool sharedOnly = false) const {
    double p = 1;
    for (auto [slot, s] : llvm::enumerate(spatial)) {
      size_t level = fanoutSlots[slot].first;
      if (s.first >= 0 && level >= from && level < to &&
          !indexes(a, s.first) &&
          (!sharedOnly || slotShares[slot][a == acc.size() - 1]))
        p *= s.second;
    }
    return p;
  }

  /// Fewest refetches of access `a`'s tile at level l: evaluate()'s
  /// stationary run (the innermost non-indexing loops above the node) walked
  /// exactly through the decided blocks; in an undecided one the order is
  /// open, so its non-indexing loops may all join the run. Loops not yet
  /// placed are left out and an undecided node taken at the head of its
  /// block, which only removes refetches. In the block whose order is fixed
  /// while its counts are chosen every loop is there (counts above 1): an
  /// open count is at least 2, at most what remains of its rank.
  /// With `upper`, the most refetches instead (open counts at their
  /// largest), or infinity while a block above is undecided.
  double refetchBound(size_t a, size_t l, bool upper = false) const {
    double refetch = 1;
    bool inRun = true;
    auto loop = [&](int r, double f) {
      if (f == 1)
        return;
      if (indexes(a, r))
        inRun = false;
      else if (!inRun)
        refetch *= f;
    };
    if (placed(a, l))
      for (int p = position[l][a]; p-- > 0;)
        loop(order[l][p], temporal[l][order[l][p]]);
    else if (upper && floats(a, l))
      return std::numeric_limits<double>::infinity();
    for (size_t m = l; m-- > decided;) {
      if ((int)m == orderedBlock) {
        for (size_t p = order[m].size(); p-- > 0;) {
          int r = order[m][p];
          double f = temporal[m][r];
          if (f == 1)
            f = upper || m == lastLoopLevel ? remaining[r] : 2;
          loop(r, f);
        }
        continue;
      }
      if (upper) {
        if (m == 0 || levelHasNodes(m))
          return std::numeric_limits<double>::infinity();
        continue;
      }
      double nonIndexing = 1;
      bool indexing = false;
      for (size_t r = 0; r < e.ranks.size(); ++r) {
        if (temporal[m][r] == 1)
          continue;
        if (indexes(a, r))
          indexing = true;
        else
          nonIndexing *= temporal[m][r];
      }
      if (!inRun)
        refetch *= nonIndexing;
      else if (indexing)
        inRun = false;
    }
    // The decided blocks above, as cacheRuns() walked them.
    const Runs &runs = decidedRuns[std::min(l, decided)][a];
    return refetch * (inRun ? runs.fromRun : runs.afterRun);
  }

  /// What the decided blocks [0, d) multiply refetchBound() by, walked
  /// inside out: entered within the stationary run or past it.
  struct Runs {
    double fromRun = 1, afterRun = 1;
  };
  std::vector<std::vector<Runs>> decidedRuns; // [d][access]

  /// decidedRuns up to `decided`: all of them, since a level without nodes
  /// is decided without a finishLevel() of its own.
  void cacheRuns() {
    for (size_t l = 0; l < decided; ++l)
      for (size_t a = 0; a < acc.size(); ++a) {
        // Block l inside out, then the blocks above it.
        double all = 1, afterEnd = 1;
        bool ends = false;
        for (size_t p = order[l].size(); p-- > 0;) {
          int r = order[l][p];
          double f = temporal[l][r];
          if (f == 1)
            continue;
          if (indexes(a, r)) {
            ends = true;
            continue;
          }
          all *= f;
          if (ends)
            afterEnd *= f;
        }
        const Runs &outer = decidedRuns[l][a];
        Runs &runs = decidedRuns[l + 1][a];
        runs.afterRun = all * outer.afterRun;
        runs.fromRun = ends ? afterEnd * outer.afterRun : outer.fromRun;
      }
  }

  /// What lowerBound() reads of the keep sets and spatial loops, which are
  /// fixed across the subtree below chooseSpatial.
  std::vector<std::vector<double>> replAbove;   // [a][l]: replication(a, 0, l)
  std::vector<std::vector<double>> sharedBelow; // [a][l]: down to a's next level
  std::vector<double> instancesAbove;           // [l]
  double units = 1;
  void cacheSpread() {
    decidedRuns.assign(numLevels + 1, std::vector<Runs>(acc.size()));
    replAbove.assign(acc.size(), std::vector<double>(numLevels, 1));
    sharedBelow.assign(acc.size(), std::vector<double>(numLevels, 1));
    for (size_t a = 0; a < acc.size(); ++a)
      for (size_t l = 0; l < numLevels; ++l) {
        replAbove[a][l] = replication(a, 0, l);
        size_t next = l + 1;
        while (next < numLevels && !(keepSet[a] & (1u << next)))
          ++next;
        sharedBelow[a][l] = replication(a, l, next, /*sharedOnly=*/true);
      }
    units = 1;
    for (auto [r, f] : spatial)
      units *= f;
    instancesAbove.assign(numLevels, 1);
    for (size_t l = 0; l < numLevels; ++l)
      for (auto [slot, s] : llvm::enumerate(spatial))
        if ((size_t)fanoutSlots[slot].first < l)
          instancesAbove[l] *= s.second;
  }

  /// Optimistic (energy, latency) mirroring evaluate(): a residency is the
  /// tensor's size times its replication times its refetches, at least the
  /// bound above.
  std::pair<double, double> lowerBound() const {
    double energy = macs * arch.unit(unit).macEnergy;
    // Small fixed buffers: this runs at every node of the enumeration.
    llvm::SmallVector<double, 8> readTraffic(numLevels, 0),
        writeTraffic(numLevels, 0);
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
        low[k] = l == 0 ? size : size * replAbove[a][l] * refetchBound(a, l);
        shared[k] = sharedBelow[a][l];
      }
      for (size_t k = 0; k < n; ++k) {
        const Level &lv = arch.levels[levels[k]];
        double childLow = (k + 1 < n ? low[k + 1] : macs) / shared[k];
        // An input level reads what its child demands and is written once
        // per residency; an output level is written what its child demands
        // and reads all but its first fill of partial sums back, known only
        // once its own residency is (a decided level, or a node heading the
        // first undecided block: only loops above it count).
        // Elsewhere the most the residency can be still bounds the
        // read-back from below, once the blocks above are ordered.
        double most = low[k];
        if (a == output && levels[k] != 0 && !placed(a, levels[k]))
          most = size * replAbove[a][levels[k]] *
                 refetchBound(a, levels[k], /*upper=*/true);
        // With output_rmw: every_update a node below the outermost reads
        // on every update (and on refills, which the bound leaves out).
        double reads = a != output                   ? childLow
                       : k > 0 && arch.everyUpdateReads() ? childLow
                                       : std::max(0.0, childLow - most);
        double writes = a == output ? childLow : k > 0 ? low[k] : 0;
        energy += reads * lv.readEnergy + writes * lv.writeEnergy;
        readTraffic[levels[k]] += reads;
        writeTraffic[levels[k]] += writes;
      }
    }
    double latency = macs / units / arch.unit(unit).throughput;
    // The model's port times, on lower bounds of the traffic.
    for (size_t l = 0; l < numLevels; ++l)
      latency = std::max(latency, arch.levels[l].portCycles(
                                      readTraffic[l] / instancesAbove[l],
                                      writeTraffic[l] / instancesAbove[l]));
    // Leakage grows with the latency, so its bound bounds it.
    energy += leakagePerCycle * latency;
    return {energy, latency};
  }

  void emit() {
    if (!tick())
      return;
    ++out.candidates;
    Mapping m = buildMapping(numLevels);
    // With pruning the subtree's group is known (lookUpGroup), keys and all.
    std::vector<Pmapping> *members = group;
    std::optional<std::vector<Key>> keys;
    if (!members && !(keys = keysOf(m)))
      return;
    Evaluation ev = evaluate(w, &e - &w.einsums[0], arch, m, onChip);
    if (!ev.ok())
      return;
    ++out.valid;
    best = std::min(best, criterion(ev.energy, ev.latency));
    if (prune && cutByCap(ev.energy, ev.latency))
      return;
    if (++held > options.maxPmappings)
      return fail(llvm::formatv(
          "search budget exceeded: Einsum '{0}' holds more than {1} "
          "pmappings (raise max-pmappings)",
          e.name, options.maxPmappings));
    Pmapping p;
    p.mapping = std::move(m);
    p.energy = ev.energy;
    p.latency = ev.latency;
    p.reservation.assign(ev.reservation.begin(), ev.reservation.end());
    p.persistent.assign(ev.persistent.begin(), ev.persistent.end());
    // A level no combination can overflow never decides a join: its
    // reservations are not criteria.
    if (prune)
      for (size_t l = 0; l < numLevels; ++l)
        if (!binding[l])
          p.reservation[l] = p.persistent[l] = 0;
    p.fused = llvm::any_of(out.interface, [&](int a) { return onChip[a]; });
    if (!members)
      members = &(*out.groups)[*keys];
    // With pruning the group stays near its front, which keeps the bound's
    // scans short: members the new one dominates go (an exact tie stays,
    // the earlier one wins in paretoPrune), so the result is the same.
    if (prune) {
      auto gone = std::remove_if(
          members->begin(), members->end(), [&](const Pmapping &q) {
            return dominates(p, q, p.fused, options.objective) &&
                   !dominates(q, p, p.fused, options.objective);
          });
      held -= members->end() - gone;
      members->erase(gone, members->end());
      // Kept in order of the objective's first criterion (equal ones in
      // generation order), so that the bound's scan stops at the first
      // member worse on it.
      auto at = llvm::upper_bound(*members, primary(p),
                                  [&](double v, const Pmapping &q) {
                                    return v < primary(q);
                                  });
      members->insert(at, std::move(p));
      return;
    }
    members->push_back(std::move(p));
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
                                          const Deadline &deadline,
                                          const Narrowing &narrowing) {
  EinsumPmappings out;
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  for (auto [a, access] : llvm::enumerate(acc))
    if (fusable[access->tensor])
      out.interface.push_back(a);
  Generator gen(w, arch, einsum, options, prune, out, binding, deadline,
                narrowing);
  gen.run();
  out.steps = gen.steps;
  // One pass over the groups (they are many, and scattered in memory).
  for (auto it = out.groups->begin(); it != out.groups->end();) {
    std::vector<Pmapping> &group = it->second;
    // Kept before the floor was known, some lie above the final cap.
    if (prune && gen.capped())
      llvm::erase_if(group, [&](const Pmapping &p) {
        return gen.cutByCap(p.energy, p.latency);
      });
    if (group.empty()) {
      it = out.groups->erase(it);
      continue;
    }
    if (prune)
      paretoPrune(group, group.front().fused, options.objective);
    for (const Pmapping &p : group)
      out.floor = std::min(out.floor, gen.primary(p));
    ++it;
  }
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
