//===- Enumerate.cpp - one Einsum's mapspace, top-down --------------------===//
//
// The invariant: each mapping of the mapspace (docs/mapspace.md) is
// reached at most once, and every one not cut is emitted: a choice is left
// out only when the mapspace excludes it (keep rules, fusion validity, the
// fused loop limit, min_usage, one loop order per set of stationary runs)
// or when nothing below it could be kept: a level its least tiles
// overflow, or a subtree the bound (Bound.cpp) cuts. Choices are made top
// down, each level's key first, so that a subtree's group (Keys.cpp) is
// known as early as possible and bounds the rest.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <limits>
#include <numeric>

using namespace ffm;
using namespace ffm::detail;

namespace {

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

} // namespace

Generator::Generator(const Workload &w, const Arch &arch, int einsum,
                     const SearchOptions &options, bool prune,
                     EinsumPmappings &out, const std::vector<bool> &binding,
                     const Deadline &deadline, const Narrowing &narrowing)
    : w(w), arch(arch), e(w.einsums[einsum]), einsumIndex(einsum),
      options(options),
      prune(prune), out(out), binding(binding), acc(e.accesses()),
      numLevels(arch.levels.size()), deadline(deadline),
      narrowing(narrowing),
      dominance(options.objective, narrowing.edpSlopeLo,
                narrowing.edpSlopeHi) {
  for (const RankVar &r : e.ranks)
    macs *= r.bound;
  for (const Level &level : arch.levels)
    capacity.push_back(level.capacity ? (double)*level.capacity
                                      : std::numeric_limits<double>::infinity());
  for (auto [i, a] : llvm::enumerate(acc)) {
    readWithOutput.push_back(detail::readWithOutput(w, einsum, i));
    tensorSize.push_back(accessSize(e, *a));
    // Not the output: its read-back bound takes its size as the most a
    // residency holds (lowerBound).
    spanFloored.push_back(i + 1 < acc.size() && a->hasWindows() &&
                          a->separable());
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
  for (size_t r = 0; r < e.ranks.size(); ++r)
    if (indexes(acc.size() - 1, r))
      outputSpan *= e.ranks[r].bound;
}

void Generator::run() {
  std::vector<int> units = unitsFor(arch, e);
  if (units.empty())
    return fail(llvm::formatv("no compute unit runs Einsum '{0}'", e.name));
  std::vector<unsigned> reuse = reuseClasses(w, einsumIndex);
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
            uint64_t mask = 0;
            for (size_t a = 0; a < acc.size(); ++a)
              if (arch.levels[l].shares(d, a + 1 == acc.size(), reuse[a]))
                mask |= uint64_t(1) << a;
            slotShares.push_back(mask);
          }
    runOnUnit();
  }
}

void Generator::findTwins() {
  twin.assign(acc.size(), -1);
  // The exhaustive reference walks every mapping; halo tags name accesses.
  if (!prune || !halo.empty())
    return;
  // Two inputs of one Einsum that differ only in their tensor (the same
  // ranks and windows, classes, rules and widths at every level, neither
  // an interface tensor, so neither in a key) give two mappings that are
  // equal in energy, latency and every level's reservation (up to the
  // order of the model's sums) when their keep sets, node positions and
  // all trade places: each walk of the other order mirrors one walked. A
  // sum of eleven equal inputs listed 4^11 keep sets on the Eyeriss-like
  // preset (minutes); with nondecreasing sets, 364.
  auto sameAs = [&](size_t a, size_t b) {
    if (llvm::is_contained(out.interface, (int)a) ||
        llvm::is_contained(out.interface, (int)b) ||
        acc[a]->dimRanks != acc[b]->dimRanks ||
        acc[a]->windows != acc[b]->windows ||
        model->classesOf(a) != model->classesOf(b) ||
        model->reuseOf(a) != model->reuseOf(b) ||
        readWithOutput[a] != readWithOutput[b])
      return false;
    for (size_t l = 0; l < numLevels; ++l)
      if (model->keepRule(l, a) != model->keepRule(l, b) ||
          model->widthAt(a, l) != model->widthAt(b, l))
        return false;
    return true;
  };
  for (size_t b = 1; b + 1 < acc.size(); ++b)
    for (size_t a = b; a-- > 0;)
      if (sameAs(a, b)) {
        twin[b] = a;
        break;
      }
}

void Generator::runOnUnit() {
  size_t k = out.interface.size();
  uint32_t masks = options.allowFusion ? (1u << k) : 1u;
  for (uint32_t mask = 0; mask < masks && !stop; ++mask) {
    onChip.assign(acc.size(), false);
    for (size_t i = 0; i < k; ++i)
      onChip[out.interface[i]] = mask & (1u << i);
    // A halo loop's overlapping tiles never go to DRAM (checkHalo).
    if (!halo.empty() && !onChip.back())
      continue;
    model.emplace(w, einsumIndex, arch, onChip);
    findTwins();
    keepSet.assign(acc.size(), 0);
    if (!prune || narrowing.spreadBoundsOnly) {
      chooseKeeps(0);
      continue;
    }
    // Best bound first: the keep sets and spatial loops are listed with
    // their bounds, then walked from the least one on, so that the
    // mappings found first are good ones that cut the rest (an unfused
    // pass on the Eyeriss-like preset walks a third of the steps once
    // its best is known from the start).
    SpreadLeaves leaves;
    collecting = &leaves;
    chooseKeeps(0);
    collecting = nullptr;
    // A budget that stopped the listing stops the walk: sorting millions
    // of leaves would take seconds, and memory past the budget.
    if (stop)
      break;
    // Ties in the order listed.
    std::vector<size_t> walk(leaves.keys.size());
    std::iota(walk.begin(), walk.end(), 0);
    llvm::sort(walk, [&](size_t a, size_t b) {
      return std::make_pair(leaves.keys[a], a) <
             std::make_pair(leaves.keys[b], b);
    });
    size_t slots = fanoutSlots.size();
    for (size_t i : walk) {
      if (stop)
        break;
      keepSet.assign(leaves.keepSets.begin() + i * acc.size(),
                     leaves.keepSets.begin() + (i + 1) * acc.size());
      enterKeeps();
      spatial.assign(leaves.spatial.begin() + i * slots,
                     leaves.spatial.begin() + (i + 1) * slots);
      enterSpread();
      descendFromSpread();
    }
  }
}

void Generator::enterKeeps() {
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
}

void Generator::enterSpread() {
  cacheSpread();
  temporal.assign(numLevels, std::vector<int64_t>(e.ranks.size(), 1));
  remaining.resize(e.ranks.size());
  for (size_t r = 0; r < e.ranks.size(); ++r)
    remaining[r] = e.ranks[r].bound / spatialProduct(r);
  order.assign(numLevels, {});
  position.assign(numLevels, std::vector<int>(acc.size(), -1));
  tileBytes.assign(numLevels, std::vector<double>(acc.size(), 0));
  group = nullptr;
}

void Generator::descendFromSpread() {
  if (keysKnownAt < 0 && !lookUpGroup())
    return;
  if (!boundedOut())
    chooseBlock(0);
}

void Generator::chooseKeeps(size_t a) {
  if (!tick())
    return;
  if (a == acc.size()) {
    enterKeeps();
    spatial.assign(fanoutSlots.size(), {-1, 1});
    // Without spatial loops the tiles are least: a keep set they
    // overflow has no mapping, whatever is spread.
    enterSpread();
    if (!overflowsAnywhere())
      chooseSpatial(0);
    return;
  }
  // No tile is kept below the unit.
  for (uint32_t set = 1; set < (1u << (unitLevel + 1)); ++set) {
    bool dram = set & 1u;
    if (dram == (bool)onChip[a] || (twin[a] >= 0 && set < keepSet[twin[a]]))
      continue;
    if (llvm::any_of(llvm::seq<size_t>(1, unitLevel + 1), [&](size_t l) {
          int rule = model->keepRule(l, a);
          return rule && (rule > 0) != (bool)(set & (1u << l));
        }))
      continue;
    keepSet[a] = set;
    chooseKeeps(a + 1);
  }
}

int64_t Generator::spatialProduct(int rank) const {
  int64_t p = 1;
  for (auto [r, f] : spatial)
    if (r == rank)
      p *= f;
  return p;
}

bool Generator::mayLoopAbove(size_t l, int rank) const {
  unsigned limit = options.maxFusedLoopsPerRank;
  for (size_t a = 0; a < acc.size(); ++a)
    if (onChip[a] && (size_t)outerOnChip[a] > l)
      if (!mayFuseOver(a, rank) ||
          (limit && fusedLoops(outerOnChip[a], rank) + 1 > limit) ||
          fusedLoopsLeft(outerOnChip[a]) < 1)
        return false;
  return true;
}

unsigned Generator::fusedLoopsLeft(size_t l) const {
  unsigned total = options.maxFusedLoops;
  if (!total)
    return ~0u;
  unsigned n = 0;
  for (size_t r = 0; r < e.ranks.size(); ++r)
    n += fusedLoops(l, r);
  return n < total ? total - n : 0;
}

unsigned Generator::fusedLoops(size_t l, int rank) const {
  unsigned n = 0;
  for (size_t m = 0; m < l && m < temporal.size(); ++m)
    n += temporal[m][rank] > 1;
  for (auto [slot, s] : llvm::enumerate(spatial))
    if (s.first == rank && (size_t)fanoutSlots[slot].first < l)
      ++n;
  return n;
}

bool Generator::usesEnough() const {
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

void Generator::chooseSpatial(size_t slot) {
  if (!tick())
    return;
  if (slot == fanoutSlots.size()) {
    if (!usesEnough())
      return;
    enterSpread();
    if (overflowsAnywhere())
      return;
    if (collecting) {
      auto [energy, latency] = lowerBound();
      auto [first, second] = orderKeys(energy, latency);
      llvm::append_range(collecting->keepSets, keepSet);
      llvm::append_range(collecting->spatial, spatial);
      collecting->keys.push_back({first, second});
      return;
    }
    if (narrowing.spreadBoundsOnly) {
      auto [energy, latency] = lowerBound();
      out.floor = std::min(out.floor, ranked(energy, latency));
      out.spreadSecond =
          std::min(out.spreadSecond, otherCriterion(energy, latency));
      return;
    }
    descendFromSpread();
    return;
  }
  auto [level, dim] = fanoutSlots[slot];
  const Level &lv = arch.levels[level];
  // A further rank on a dimension spreads over what the ranks before it
  // left; it follows a used slot only (one order per set of slots used).
  int64_t room = lv.fanout[dim];
  for (size_t prev = slot - slotPart[slot]; prev < slot; ++prev)
    room /= spatial[prev].second;
  if (slotPart[slot] > 0 && (spatial[slot - 1].first < 0 || room < 2)) {
    spatial[slot] = {-1, 1};
    return chooseSpatial(slot + 1);
  }
  for (auto [r, rank] : llvm::enumerate(e.ranks)) {
    // Counted as a fused loop only once chosen.
    spatial[slot] = {-1, 1};
    if (!model->maySpread(level, dim, r) || !mayLoopAbove(level, r) ||
        llvm::any_of(llvm::seq(slot - slotPart[slot], slot),
                     [&](size_t prev) { return spatial[prev].first == (int)r; }))
      continue;
    // A fanout dimension spreads each rank as widely as it divides: the
    // mapspace does not leave instances idle on purpose (docs/mapspace.md).
    int64_t rest = rank.bound / spatialProduct(r);
    int64_t f = std::min(rest, room);
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

void Generator::chooseBlock(size_t l) {
  if (l == numLevels) {
    emit();
    return;
  }
  // A level without nodes has no block: decided as it is, so that the
  // next block's placed nodes count as placed (their tiles and refetches
  // exact for the bound and the capacity checks, not least).
  if (l != 0 && !levelHasNodes(l)) {
    withDecided(l, [&] { chooseBlock(l + 1); });
    return;
  }
  uint32_t floating = 0;
  // A node placed later (placeDeep) may head the block too.
  bool headed = deepNodes(l) != 0;
  for (size_t a = 0; a < acc.size(); ++a) {
    bool kept = l != 0 && (keepSet[a] & (1u << l));
    if (kept && floats(a, l))
      floating |= 1u << a;
    position[l][a] = kept && !floats(a, l) && !options.nodeDepths ? 0 : -1;
    headed |= position[l][a] == 0;
  }
  // The blocks above already fix the tiles of the nodes heading this one:
  // a level they overflow is cut before the floating nodes are placed
  // (without any, finishPrefix checks it before the suffix).
  if (!floating)
    finishPrefix(l);
  else if (l == 0 || !overflows(l))
    placeFloating(l, floating, headed);
  position[l].assign(acc.size(), -1);
}

void Generator::placeFloating(size_t l, uint32_t unplaced, bool mayWait) {
  if (!tick())
    return;
  for (uint32_t now = unplaced;; now = (now - 1) & unplaced) {
    if (now || mayWait) {
      for (size_t a = 0; a < acc.size(); ++a)
        if (now & (1u << a))
          position[l][a] = order[l].size();
      // A placed node's tile is fixed: the loops the prefix adds go
      // below it. A level it overflows is cut before they are chosen.
      if (uint32_t later = unplaced & ~now) {
        if (!now || !overflows(l))
          extendPrefix(l, later);
      } else {
        finishPrefix(l);
      }
      for (size_t a = 0; a < acc.size(); ++a)
        if (now & (1u << a))
          position[l][a] = -1;
    }
    if (!now)
      break;
  }
}

void Generator::extendPrefix(size_t l, uint32_t unplaced) {
  unsigned limit = options.maxFusedLoopsPerRank;
  // Every loop of the prefix is above the nodes still to be placed.
  if (fusedLoopsLeft(l) <= order[l].size())
    return;
  for (size_t r = 0; r < e.ranks.size(); ++r) {
    if (temporal[l][r] > 1 || remaining[r] == 1 || !mayLoopAbove(l, r) ||
        (limit && fusedLoops(l, r) + 1 > limit) ||
        llvm::any_of(llvm::seq<size_t>(0, acc.size()), [&](size_t a) {
          return (unplaced & (1u << a)) && !mayFuseOver(a, r);
        }))
      continue;
    // The nodes still to place go below the new loop, which closes its
    // rank (leastTile). Counts come smallest first and a larger one
    // leaves smaller tiles: once one fits, the rest do.
    order[l].push_back(r);
    bool fitting = false;
    eachCount(l, r, /*largestFirst=*/false, [&] {
      if (fitting || (fitting = !overflows(l)))
        placeFloating(l, unplaced, /*mayWait=*/true);
      return true;
    });
    order[l].pop_back();
  }
}

void Generator::finishPrefix(size_t l) {
  // The suffix goes below every node of the block, so the prefix already
  // fixes their tiles (with options.nodeDepths, bounds them): a level they
  // overflow is cut before the suffix's orders and counts are enumerated
  // (fits() would reject each of them; on Simba's GlobalBuffer that was
  // nearly two thirds of a GPT-3 layer's steps). With node depths one of
  // the nodes still to place heads the block, holding all it leaves.
  if (l != 0 && (overflows(l) || headOverflows(l)))
    return;
  bool looked = (int)l == keysKnownAt;
  if ((!looked || lookUpGroup()) && !boundedOut())
    chooseSuffix(l);
  if (looked)
    group = nullptr;
}

bool Generator::headOverflows(size_t l) {
  uint32_t deep = deepNodes(l);
  if (!deep || blockHeaded(l))
    return false;
  for (; deep; deep &= deep - 1) {
    size_t a = llvm::countr_zero(deep);
    position[l][a] = 0;
    bool over = overflows(l);
    position[l][a] = -1;
    if (!over)
      return false;
  }
  return true;
}

void Generator::chooseSuffix(size_t l) {
  llvm::SmallVector<int, 16> free;
  for (size_t r = 0; r < e.ranks.size(); ++r) {
    if (temporal[l][r] > 1 || remaining[r] == 1)
      continue;
    if (mayLoopAbove(l, r))
      free.push_back(r);
    else if (l == lastLoopLevel)
      return; // a forced count this block may not hold
  }
  // The suffix is above the fused nodes of deeper levels too.
  unsigned left = ~0u;
  for (size_t a = 0; a < acc.size(); ++a)
    if (onChip[a] && outerOnChip[a] > (int)l)
      left = std::min(left, fusedLoopsLeft(outerOnChip[a]));
  // No fused tensor's outermost node is below the last loop level.
  if (l == lastLoopLevel)
    return orderSuffix(l, free);
  for (uint32_t mask = 0; mask < (1u << free.size()) && !stop; ++mask) {
    if ((unsigned)llvm::popcount(mask) > left)
      continue;
    llvm::SmallVector<int, 16> suffix;
    for (size_t i = 0; i < free.size(); ++i)
      if (mask & (1u << i))
        suffix.push_back(free[i]);
    orderSuffix(l, suffix);
  }
}

void Generator::orderSuffix(size_t l, llvm::ArrayRef<int> loops) {
  size_t prefix = order[l].size();
  bool keyed = llvm::any_of(llvm::seq<size_t>(0, acc.size()), [&](size_t a) {
    return onChip[a] && outerOnChip[a] > (int)l;
  });
  uint32_t deep = deepNodes(l);
  uint64_t loopSet = 0;
  for (int r : loops)
    loopSet |= uint64_t(1) << r;
  // A rank the suffix leaves out loops only deeper, below the nodes
  // heading the next block: their tiles hold all that remains of it,
  // whatever the suffix's order and counts.
  if (asOrdered(l, loopSet, [&] { return overflowsBelow(l); }))
    return;
  // Under accounting: reference every order leaves the same (no) runs
  // below the block: only the first is enumerated, unless a key holds the
  // order or the block's own nodes sit among its loops.
  if (referenceAccounting && !keyed && !deep) {
    order[l].insert(order[l].end(), loops.begin(), loops.end());
    countOrdered(l, prefix);
    order[l].resize(prefix);
    return;
  }
  SeenRuns seen;
  // Under accounting: reference only the loops above each node are
  // observable: one order per placement of the nodes, ascending between
  // them (the first firstOfRuns would keep). A descent in the suffix needs
  // a node right below it, and one of them heads the block unless a
  // floating node does.
  int descents = -1;
  if (referenceAccounting && !keyed && deep)
    descents = llvm::popcount(deep) - !blockHeaded(l);
  orderFrom(l, prefix, loopSet, keyed, deep, seen, /*first=*/true, descents);
}

void Generator::orderFrom(size_t l, size_t prefix, uint64_t unordered,
                          bool keyed, uint32_t deep,
                          SeenRuns &seen, bool first,
                          int descents) {
  // A step per order but the first, as each further permutation was one
  // (the bounds on the way are the steps saved).
  if (!unordered) {
    if (!first && !tick())
      return;
    if (deep)
      placeDeep(l, prefix, deep, keyed, seen);
    else if (keyed || firstOfRuns(l, order[l], seen))
      countOrdered(l, prefix);
    return;
  }
  // Two or more loops still unordered: bounded as the innermost of the
  // block in any order (a placeDeep node may sit among them: not bounded).
  if (!deep && llvm::popcount(unordered) > 1 &&
      asOrdered(l, unordered, [&] { return boundedOut(); }))
    return;
  // Outermost first, each rank in ascending order: the orders come
  // lexicographically, as std::next_permutation gave them.
  for (uint64_t left = unordered; left && !stop; left &= left - 1) {
    int r = llvm::countr_zero(left);
    bool descent = order[l].size() > prefix && order[l].back() > r;
    if (descent && descents == 0)
      continue;
    order[l].push_back(r);
    orderFrom(l, prefix, unordered & ~(uint64_t(1) << r), keyed, deep, seen,
              first && left == unordered, descents - descent);
    order[l].pop_back();
  }
}

void Generator::placeDeep(size_t l, size_t prefix, uint32_t unplaced,
                          bool keyed, SeenRuns &seen) {
  if (!tick())
    return;
  if (!unplaced) {
    bool first = keyed || (referenceAccounting
                               ? uncoveredDescents(l, prefix) == 0
                               : firstOfRuns(l, order[l], seen));
    if (blockHeaded(l) && first)
      countOrdered(l, prefix);
    return;
  }
  // Under accounting: reference each descent the placed nodes leave
  // uncovered takes one of those still to place, and so does the head
  // (position 0 is above every descent).
  if (referenceAccounting && !keyed &&
      uncoveredDescents(l, prefix) + !blockHeaded(l) >
          (unsigned)llvm::popcount(unplaced))
    return;
  size_t a = llvm::countr_zero(unplaced);
  // A block begins with a node (loops above all of them would be the
  // block above's): the last one goes first if none is there yet.
  size_t deepest = order[l].size();
  if (!(unplaced & (unplaced - 1)) && !blockHeaded(l))
    deepest = 0;
  for (size_t p = 0; p <= deepest && !stop; ++p) {
    position[l][a] = p;
    // The loops above it fix its tile (open counts taken at their
    // largest) and the nodes still to place only add bytes: a level that
    // overflows now is rejected (fits()) at every count.
    if (!overflows(l))
      placeDeep(l, prefix, unplaced & (unplaced - 1), keyed, seen);
  }
  position[l][a] = -1;
}

void Generator::countOrdered(size_t l, size_t prefix) {
  // With the order known and every count open, the bound may already
  // cut all of them.
  asOrdered(l, 0, [&] {
    if (l == lastLoopLevel || !boundedOut())
      countSuffix(l, prefix);
  });
}

template <typename Body>
void Generator::eachCount(size_t l, int r, bool largestFirst, Body body) {
  int64_t rest = remaining[r];
  auto place = [&](int64_t count) {
    temporal[l][r] = count;
    remaining[r] = rest / count;
    bool more = body();
    temporal[l][r] = 1;
    remaining[r] = rest;
    return more;
  };
  if (l == lastLoopLevel) {
    place(rest);
    return;
  }
  auto [it, fresh] = divisorsOf.try_emplace(rest);
  if (fresh)
    it->second = divisors(rest);
  // std::map entries stay put while the recursion below adds others.
  auto counts = llvm::ArrayRef(it->second).drop_front(); // all but 1
  if (largestFirst) {
    for (int64_t count : llvm::reverse(counts))
      if (!place(count))
        return;
  } else {
    for (int64_t count : counts)
      if (!place(count))
        return;
  }
}

void Generator::countSuffix(size_t l, size_t p) {
  if (!tick())
    return;
  if (p == order[l].size())
    return finishLevel(l);
  // Largest first: the deeper tiles start small enough to fit, and a
  // good pmapping found early bounds its siblings (half the steps on a
  // mid-size Transformer layer on the TPU-like preset).
  eachCount(l, order[l][p], /*largestFirst=*/true, [&] {
    // The innermost block's counts are forced: nothing to bound yet.
    if (l == lastLoopLevel) {
      countSuffix(l, p + 1);
      return true;
    }
    // A smaller count leaves the next level's tiles no smaller: once
    // one overflows it, the rest do.
    if (overflowsBelow(l))
      return false;
    // Nodes among the suffix (options.nodeDepths) hold what the counts
    // above them leave: once those overflow this level, a smaller count
    // leaves the ones below it no smaller tiles.
    if (deepNodes(l) && overflows(l))
      return false;
    // Counted outermost first: the loops counted so far begin the keys of
    // deeper nodes, which the neighbours may already rule out.
    if (mayStillJoin(p + 1) && !boundedOut())
      countSuffix(l, p + 1);
    return true;
  });
}

unsigned Generator::uncoveredDescents(size_t l, size_t prefix) const {
  unsigned n = 0;
  for (size_t q = prefix + 1; q < order[l].size(); ++q)
    n += order[l][q - 1] > order[l][q] &&
         !llvm::is_contained(position[l], (int)q);
  return n;
}

bool Generator::firstOfRuns(size_t l, llvm::ArrayRef<int> loops,
                            SeenRuns &seen) const {
  llvm::SmallVector<uint64_t, 16> runs;
  for (size_t a = 0; a < acc.size(); ++a) {
    if (!(keepSet[a] >> (l + 1)))
      continue;
    uint64_t run = 0;
    // Under accounting: reference a deeper tile is refilled on every loop
    // above it whatever their order: every order leaves the same (no) run.
    for (size_t p = loops.size(); !referenceAccounting && p-- > 0;) {
      if (indexes(a, loops[p]))
        break;
      run |= uint64_t(1) << loops[p];
    }
    runs.push_back(run);
  }
  // A node among the block's loops: its tile is what the loops below it
  // leave, its refills what the loops above it make but the stationary
  // run right above it (all of them under accounting: reference).
  for (uint32_t deep = deepNodes(l); deep; deep &= deep - 1) {
    size_t a = llvm::countr_zero(deep);
    uint64_t above = 0, run = 0;
    bool inRun = !referenceAccounting;
    for (size_t p = position[l][a]; p-- > 0;) {
      above |= uint64_t(1) << loops[p];
      inRun &= !indexes(a, loops[p]);
      if (inRun)
        run |= uint64_t(1) << loops[p];
    }
    runs.push_back(above);
    runs.push_back(run);
  }
  // With no tensor below, every order leaves the same (empty) runs.
  return seen.insert(runs);
}

bool SeenRuns::insert(llvm::ArrayRef<uint64_t> runs) {
  if (hashed.empty()) {
    for (const auto &r : listed)
      if (llvm::ArrayRef<uint64_t>(r) == runs)
        return false;
    if (listed.size() < kListed) {
      listed.emplace_back(runs.begin(), runs.end());
      return true;
    }
    for (const auto &r : listed)
      hashed.emplace(r.begin(), r.end());
    listed.clear();
  }
  // Most sets were seen before: looked up without a node allocated.
  probe.assign(runs.begin(), runs.end());
  if (hashed.count(probe))
    return false;
  hashed.insert(probe);
  return true;
}

size_t SeenRuns::Hash::operator()(const std::vector<uint64_t> &runs) const {
  return llvm::hash_combine_range(runs.begin(), runs.end());
}

void Generator::finishLevel(size_t l) {
  if (!fits(l))
    return;
  // The group is known from finishPrefix, except without pruning.
  bool ownLookup = (int)l == keysKnownAt && !group;
  if (ownLookup && !lookUpGroup())
    return;
  // Above the last loop level the bound at the block's last count (or
  // order, countOrdered) saw the same tiles and counts; the forced
  // counts of the last level were never bounded.
  withDecided(l, [&] {
    if ((l < lastLoopLevel || !boundedOut()) && mayStillJoin())
      chooseBlock(l + 1);
  });
  if (ownLookup)
    group = nullptr;
}

bool Generator::fits(size_t l) {
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
    tileBytes[l][a] = tileOf(a, ext) * datumBytes * model->widthAt(a, l);
    bytes += tileBytes[l][a];
  }
  return bytes <= capacity[l];
}

void Generator::buildMapping(size_t upTo, Mapping &m) const {
  m.nodes.clear();
  m.unit = unit;
  size_t loops = 0;
  for (size_t l = 0; l < upTo; ++l)
    loops += order[l].size();
  m.nodes.reserve(loops + upTo * acc.size() + spatial.size());
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
}

void Generator::emit() {
  if (!tick())
    return;
  ++out.candidates;
  Mapping &m = candidate;
  buildMapping(numLevels, m);
  if (!halo.empty() && !markHalo(m))
    return;
  // With pruning the subtree's group is known (lookUpGroup), keys and all.
  std::vector<Pmapping> *members = group;
  std::optional<std::vector<Key>> keys;
  if (!members && !(keys = keysOf(m)))
    return;
  Evaluation &ev = evaluation;
  model->evaluate(m, ev);
  if (!ev.ok())
    return;
  ++out.valid;
  noteBest(ranked(ev.energy, ev.latency),
           otherCriterion(ev.energy, ev.latency));
  if (prune && cutByCap(ev.energy, ev.latency))
    return;
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
  if (prune && narrowing.leastOnly) {
    if (members->empty() || !reachesLeasts(*members, p.energy, p.latency)) {
      // (No index: the bound here reads the two members directly.)
      held -= members->size();
      keepLeasts(*members, std::move(p));
      held += members->size();
    }
    return;
  }
  // A member no worse on every criterion (an exact tie: the earlier one
  // is kept) leaves the front as it is. The bound at the nodes above
  // usually cut such a pmapping already, but not where a level's
  // reservations are no criteria: there every mapping that ties on the
  // score alone ties exactly, and the group would hold them all.
  if (prune &&
      front->dominator(*members, p, p.fused, dominance, 0) >= 0) {
    candidate = std::move(p.mapping); // its storage serves the next one
    return;
  }
  if (++held > options.maxPmappings)
    return fail(llvm::formatv(
        "search budget exceeded: Einsum '{0}' holds more than {1} "
        "pmappings (raise max-pmappings)",
        e.name, options.maxPmappings));
  // With pruning the group stays its front, which keeps the bound's
  // scans short: members the new one dominates go (none dominates it), so
  // the result is paretoPrune's, the earlier of exact ties kept.
  if (prune) {
    // The index rebuilds from the first member that moves.
    size_t changed = members->size();
    auto gone = std::remove_if(
        members->begin(), members->end(), [&](const Pmapping &q) {
          bool worse = dominates(p, q, p.fused, dominance);
          if (worse)
            changed = std::min<size_t>(changed, &q - members->data());
          return worse;
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
    changed = std::min<size_t>(changed, at - members->begin());
    members->insert(at, std::move(p));
    front->update(*members, changed, dominance);
    return;
  }
  members->push_back(std::move(p));
}

void Generator::keepLeasts(std::vector<Pmapping> &group, Pmapping p) const {
  group.push_back(std::move(p));
  auto at = [&](const Pmapping &q) {
    return std::make_pair(dominance.first(q.energy, q.latency),
                          dominance.second(q.energy, q.latency));
  };
  // The first of equal ones: the earlier is kept, as a front keeps it.
  size_t lo = llvm::min_element(group, [&](const Pmapping &a,
                                           const Pmapping &b) {
                return at(a) < at(b);
              }) - group.begin();
  size_t hi = llvm::min_element(group, [&](const Pmapping &a,
                                           const Pmapping &b) {
                auto [a1, a2] = at(a);
                auto [b1, b2] = at(b);
                return std::make_pair(a2, a1) < std::make_pair(b2, b1);
              }) - group.begin();
  std::vector<Pmapping> kept;
  kept.push_back(std::move(group[lo]));
  if (hi != lo)
    kept.push_back(std::move(group[hi]));
  group = std::move(kept);
}
