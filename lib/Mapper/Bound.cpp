//===- Bound.cpp - the generator's lower bound on a subtree ---------------===//
//
// The invariant: the bound is never above what any mapping in the subtree
// below the current node scores. lowerBound()'s energy and latency are at
// most evaluate()'s for every completion of the choices made so far, and
// leastTile(), refetchBound() and reservationBounds() at most its tiles,
// refetches and reservations (refetchBound's `upper`, the most refetches,
// only ever lowers the read-back it is subtracted from). So a subtree is
// cut (boundedOut, overflows) only when each of its pmappings would be
// dominated in its group, capped, or over a level's capacity, and the
// kept fronts are those of the full enumeration (docs/mapspace.md,
// "Branch and bound").
//
//===----------------------------------------------------------------------===//
#include "Generator.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Sequence.h"
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>

using namespace ffm;
using namespace ffm::detail;

bool Generator::overflows(size_t m) const {
  double least = 0;
  uint64_t open = openLoops();
  for (size_t a = 0; a < acc.size(); ++a)
    if (keepSet[a] & (1u << m))
      least += leastTile(a, m, open) * datumBytes * model->widthAt(a, m);
  return least > capacity[m];
}

bool Generator::overflowsBelow(size_t l) const {
  size_t m = l + 1;
  while (m < numLevels && !levelHasNodes(m))
    ++m;
  return m < numLevels && overflows(m);
}

bool Generator::overflowsAnywhere() const {
  return llvm::any_of(llvm::seq<size_t>(1, numLevels), [&](size_t m) {
    return levelHasNodes(m) && overflows(m);
  });
}

uint64_t Generator::openLoops() const {
  if ((int)decided != orderedBlock)
    return 0;
  uint64_t open = unorderedBelow;
  for (int r : order[decided])
    if (temporal[decided][r] == 1)
      open |= uint64_t(1) << r;
  return open;
}

double Generator::leastTile(size_t a, size_t l, uint64_t orderedOpen) const {
  bool exact = l == decided && placed(a, l);
  // A node heading the block below the ordered one is under all of its
  // loops (with options.nodeDepths it may be under some of its own too).
  bool next = l > decided && (int)decided == orderedBlock && !floats(a, l) &&
              !options.nodeDepths && !(nodeLevels & undecidedBetween(l));
  uint64_t above = 0, open = 0, openAbove = 0;
  // A loop above the node whose count is still open (a node placeDeep
  // put among the suffix) may take all that remains of its rank.
  if (exact)
    for (int r : loopsAboveIn(a, l)) {
      above |= uint64_t(1) << r;
      if (temporal[l][r] == 1)
        openAbove |= uint64_t(1) << r;
    }
  // A loop of the ordered block whose count is still open (1 so far) may
  // take all of what remains of its rank in a deeper node's tile.
  if (l > decided)
    open = orderedOpen;
  // A floating node not yet placed (the outermost of an on-chip
  // intermediate) has above it every loop chosen so far, and later only
  // fused loops: a rank no further fused loop may take over it keeps all
  // that remains of it in its tile (an open loop above it passed the
  // limits when chosen: not closed).
  uint64_t closed = 0;
  if (l >= decided && floats(a, l) && !placed(a, l))
    closed = fusedClosed(a, l) & ~open;
  // The ranks whose loops placed above the node give it their counts, and
  // those that keep all that remains of them.
  uint64_t counted = exact ? ~openAbove : 0;
  uint64_t whole = (next ? ~open : 0) | closed;
  // Extents are integers, so the order of the products changes nothing.
  auto extent = [&](size_t r) {
    double x = 1;
    if (counted >> r & 1)
      x *= remaining[r] * (above >> r & 1 ? 1 : temporal[l][r]);
    if (whole >> r & 1)
      x *= remaining[r];
    return x;
  };
  if (!acc[a]->hasWindows()) {
    // Every extent is a lower bound and a tile grows with each; only the
    // ranks some mask holds have one above 1.
    double tile = spreadTile[a][l];
    for (uint64_t m = (counted | whole) & indexMask[a]; m; m &= m - 1)
      tile *= extent(llvm::countr_zero(m));
    return tile;
  }
  llvm::SmallVector<double, Einsum::kMaxRanks> ext(e.ranks.size(), 1);
  for (size_t r = 0; r < e.ranks.size(); ++r)
    if (indexes(a, r))
      ext[r] = extent(r);
  for (auto [slot, s] : llvm::enumerate(spatial))
    if (s.first >= 0 && indexes(a, s.first) &&
        (size_t)fanoutSlots[slot].first >= l)
      ext[s.first] *= s.second;
  return tileOf(a, ext);
}

uint64_t Generator::fusedClosed(size_t a, size_t l) const {
  unsigned limit = options.maxFusedLoopsPerRank;
  // The block's prefix (its loops so far, above the node once placed)
  // counts toward the limit on all fused loops.
  size_t inBlock = l == decided ? order[l].size() : 0;
  if (fusedLoopsLeft(l) <= inBlock)
    return ~uint64_t(0);
  size_t ranks = e.ranks.size();
  uint64_t all = ranks >= 64 ? ~uint64_t(0) : (uint64_t(1) << ranks) - 1;
  // The ranks mayFuseOver() allows, as one mask: the bound asks this at
  // nearly every node.
  uint64_t fuses = options.haloFusion ? indexMask[a] : projectMask[a];
  if (readWithOutput[a])
    fuses &= indexMask[acc.size() - 1];
  uint64_t closed = all & ~fuses;
  if (l == decided)
    for (size_t r = 0; r < ranks; ++r)
      if (temporal[l][r] > 1)
        closed |= uint64_t(1) << r;
  if (limit) {
    // fusedLoops() of every rank in one walk of the blocks and slots.
    llvm::SmallVector<unsigned, Einsum::kMaxRanks> fused(ranks, 0);
    for (size_t m = 0; m < l && m < temporal.size(); ++m)
      for (size_t r = 0; r < ranks; ++r)
        fused[r] += temporal[m][r] > 1;
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first >= 0 && (size_t)fanoutSlots[slot].first < l)
        ++fused[s.first];
    for (size_t r = 0; r < ranks; ++r)
      if (fused[r] + 1 > limit)
        closed |= uint64_t(1) << r;
  }
  return closed;
}

bool Generator::boundedOut() const {
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
  if (narrowing.leastOnly)
    return reachesLeasts(*group, energy, latency);
  // Most subtrees that no member beats on the criteria never need their
  // reservations bounded (a fifth of the enumeration's time).
  if (!front->mayDominate(*group, energy, latency, dominance))
    return false;
  // Reused: this runs at nearly every node of the enumeration.
  Pmapping &bound = boundScratch;
  bound.energy = energy;
  bound.latency = latency;
  if (groupFused)
    reservationBounds(bound.reservation, bound.persistent);
  // Neighbouring subtrees tend to be cut by the same member: try it first.
  long cut = front->dominator(*group, bound, groupFused, dominance,
                              lastCut);
  if (cut < 0)
    return false;
  lastCut = cut;
  return true;
}

bool Generator::reachesLeasts(llvm::ArrayRef<Pmapping> group, double energy,
                              double latency) const {
  double lo = dominance.first(energy, latency);
  double hi = dominance.second(energy, latency);
  bool first = false, second = false;
  for (const Pmapping &q : group) {
    first |= dominance.first(q.energy, q.latency) <= lo;
    second |= dominance.second(q.energy, q.latency) <= hi;
  }
  return first && second;
}

void Generator::reservationBounds(
    llvm::SmallVectorImpl<double> &reservation,
    llvm::SmallVectorImpl<double> &persistent) const {
  reservation.assign(numLevels, 0);
  persistent.assign(numLevels, 0);
  size_t done = decided;
  uint64_t open = openLoops();
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
    bool binds = l > 0 && binding[l];
    for (size_t a = 0; binds && a < acc.size(); ++a) {
      if (!(keepSet[a] & (1u << l)))
        continue;
      if (l >= done) {
        double least =
            leastTile(a, l, open) * datumBytes * model->widthAt(a, l);
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

long Generator::loopsAt(size_t l) const {
  long n = order[l].size();
  if ((int)l == orderedBlock)
    n += llvm::popcount(unorderedBelow);
  for (auto [slot, s] : llvm::enumerate(spatial))
    if (s.first >= 0 && (size_t)fanoutSlots[slot].first == l)
      ++n;
  return n;
}

double Generator::replication(size_t a, size_t from, size_t to,
                              bool sharedOnly) const {
  double p = 1;
  for (auto [slot, s] : llvm::enumerate(spatial)) {
    size_t level = fanoutSlots[slot].first;
    if (s.first >= 0 && level >= from && level < to &&
        !indexes(a, s.first) &&
        (!sharedOnly || (slotShares[slot] >> a & 1)))
      p *= s.second;
  }
  return p;
}

double Generator::refetchBound(size_t a, size_t l, bool upper) const {
  double refetch = 1;
  // With accounting: reference a tile is refilled on every iteration of
  // every loop above it, stationary or not: no run of loops that leave
  // the tensor unindexed is free, from the innermost on.
  bool inRun = !referenceAccounting || upper;
  auto loop = [&](int r, double f) {
    if (f == 1)
      return;
    if (indexes(a, r))
      inRun = false;
    else if (!inRun)
      refetch *= f;
  };
  if (placed(a, l))
    for (int p = position[l][a]; p-- > 0;) {
      int r = order[l][p];
      // An open count above the node (placeDeep) takes at most what
      // remains; at least, none.
      double f = temporal[l][r];
      loop(r, f == 1 && upper ? remaining[r] : f);
    }
  else if (upper && (floats(a, l) || options.nodeDepths))
    return std::numeric_limits<double>::infinity();
  // The blocks below the first undecided one hold no loops yet (their
  // counts stay 1 until decided, withDecided): walking them multiplies by
  // 1, and for the most refetches only asks whether one holds nodes.
  // (The ordered block is the first undecided one or above it.)
  assert(orderedBlock <= (int)decided && "blocks are ordered top down");
  if (upper && (nodeLevels & undecidedBetween(l)))
    return std::numeric_limits<double>::infinity();
  for (size_t m = std::min(l, decided + 1); m-- > decided;) {
    if ((int)m == orderedBlock) {
      // The unordered loops, innermost: at least, those that leave the
      // tensor unindexed inside its run (free) and the others ending it;
      // at most, the others first.
      bool indexing = false;
      double nonIndexing = 1;
      for (uint64_t u = unorderedBelow; u; u &= u - 1) {
        int r = llvm::countr_zero(u);
        if (indexes(a, r))
          indexing = true;
        else
          nonIndexing *=
              upper || m == lastLoopLevel ? (double)remaining[r] : 2.0;
      }
      if (!inRun || (upper && indexing))
        refetch *= nonIndexing;
      if (indexing)
        inRun = false;
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
  // The decided blocks above, as withDecided() walked them.
  const Runs &runs = decidedRuns[std::min(l, decided)][a];
  return refetch * (inRun ? runs.fromRun : runs.afterRun);
}

void Generator::withDecided(size_t l, llvm::function_ref<void()> body) {
  assert(decided == l && "levels are decided top down, one at a time");
  decided = l + 1;
  // Only decidedRuns[l + 1] is new: the blocks above are as they were.
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
  body();
  decided = l;
}

void Generator::cacheSpread() {
  decidedRuns.assign(numLevels + 1, std::vector<Runs>(acc.size()));
  replAbove.assign(acc.size(), std::vector<double>(numLevels + 1, 1));
  sharedBelow.assign(acc.size(), std::vector<double>(numLevels, 1));
  for (size_t a = 0; a < acc.size(); ++a) {
    replAbove[a][numLevels] = replication(a, 0, numLevels);
    for (size_t l = 0; l < numLevels; ++l) {
      replAbove[a][l] = replication(a, 0, l);
      size_t next = l + 1;
      while (next < numLevels && !(keepSet[a] & (1u << next)))
        ++next;
      sharedBelow[a][l] = replication(a, l, next, /*sharedOnly=*/true);
    }
  }
  units = 1;
  for (auto [r, f] : spatial)
    units *= f;
  computeCycles = macs / units / arch.unit(unit).throughput;
  spreadTile.assign(acc.size(), std::vector<double>(numLevels, 1));
  for (size_t a = 0; a < acc.size(); ++a)
    for (auto [slot, s] : llvm::enumerate(spatial))
      if (s.first >= 0 && indexes(a, s.first))
        for (size_t l = 0; l <= (size_t)fanoutSlots[slot].first; ++l)
          spreadTile[a][l] *= s.second;
  instancesAbove.assign(numLevels, 1);
  spreadAbove.assign(numLevels, std::vector<double>(e.ranks.size(), 1));
  for (size_t l = 0; l < numLevels; ++l)
    for (auto [slot, s] : llvm::enumerate(spatial))
      if ((size_t)fanoutSlots[slot].first < l) {
        instancesAbove[l] *= s.second;
        if (s.first >= 0)
          spreadAbove[l][s.first] *= s.second;
      }
}

double Generator::windowSpanTotal(size_t a, size_t l) const {
  // The blocks above l hold only loops above its nodes, their counts at
  // least what is chosen so far (an open one is 1 until chosen), as
  // fusedLoops() counts them; loops of block l itself are left out.
  return std::max(
      tensorSize[a],
      acc[a]->leastSpanTotal(
          [&](int r) { return (double)e.ranks[r].bound; },
          [&](int r) {
            double count = spreadAbove[l][r];
            for (size_t m = 0; m < l && m < temporal.size(); ++m)
              count *= temporal[m][r];
            return count;
          }));
}

std::pair<double, double> Generator::lowerBound() const {
  double energy = macs * arch.unit(unit).macEnergy;
  // Fixed arrays: this runs at every node of the enumeration.
  std::array<double, Arch::kMaxLevels> readTraffic, writeTraffic;
  std::fill_n(readTraffic.begin(), numLevels, 0.0);
  std::fill_n(writeTraffic.begin(), numLevels, 0.0);
  const size_t output = acc.size() - 1;
  for (size_t a = 0; a < acc.size(); ++a) {
    // Fixed arrays: a keep set has at most 32 levels.
    std::array<size_t, 32> levels;
    size_t n = 0;
    for (uint32_t m = keepSet[a]; m; m &= m - 1)
      levels[n++] = llvm::countr_zero(m);
    double size = tensorSize[a];
    std::array<double, 32> low, shared;
    for (size_t k = 0; k < n; ++k) {
      size_t l = levels[k];
      low[k] = l == 0 ? size
                      : tiledSize(a, l) * replAbove[a][l] * refetchBound(a, l);
      shared[k] = sharedBelow[a][l];
    }
    // At least the partial sums the output's ancestors send back down so
    // far: each level's updates beyond its first fills.
    double refillsLow = 0;
    for (size_t k = 0; k < n; ++k) {
      const Level &lv = arch.levels[levels[k]];
      // Dividing by 1 changes nothing, and a division is the costliest
      // step of the bound, which runs at every node.
      double demand = k + 1 < n ? low[k + 1] : macs;
      double childLow = shared[k] == 1 ? demand : demand / shared[k];
      // An input level reads what its child demands and is written once
      // per residency; an output level is written what its child demands
      // and reads all but its first fill of partial sums back, known only
      // once its own residency is (a decided level, or a node heading the
      // first undecided block: only loops above it count).
      // Elsewhere the most the residency can be still bounds the
      // read-back from below, once the blocks above are ordered.
      double most = low[k];
      if (a == output && levels[k] != 0 && !settled(a, levels[k]))
        most = size * replAbove[a][levels[k]] *
               refetchBound(a, levels[k], /*upper=*/true);
      double updatesLow = std::max(0.0, childLow - most);
      double reads, writes;
      if (a != output) {
        reads = childLow;
        writes = k > 0 ? low[k] : 0;
      } else if (referenceAccounting) {
        // With accounting: reference an output node's reads are its
        // child's refills and, below the outermost node, its own drains,
        // tile x all: at least its residencies' bound. A node's first
        // fill of each output element (per instance) is fresh, every
        // later one a refill: tile x fresh is the product of the loops
        // over ranks indexing the output (its span) times the spatial
        // loops above that do not, all of them known here. So the
        // child's refills (read here) are at least its demand's bound
        // less that, and below the outermost node so are the node's own
        // (written here). A windowed output's tile is its footprint
        // instead: left out.
        reads = k > 0 ? low[k] : 0.0;
        writes = childLow;
        if (!acc[a]->hasWindows()) {
          size_t child = k + 1 < n ? levels[k + 1] : numLevels;
          reads += std::max(0.0, childLow - outputSpan *
                                                replAbove[a][child] /
                                                shared[k]);
          if (k > 0)
            writes +=
                std::max(0.0, low[k] - outputSpan * replAbove[a][levels[k]]);
        }
      } else if (k > 0 && everyUpdateReads) {
        // With output_rmw: every_update a node below the outermost reads
        // and writes on every update and on every refill its ancestors
        // send down.
        reads = writes = childLow + refillsLow;
      } else {
        reads = updatesLow;
        writes = childLow;
      }
      if (a == output)
        refillsLow += updatesLow;
      // Traffic in data of datum_bits, as the model counts it.
      reads *= model->widthAt(a, levels[k]);
      writes *= model->widthAt(a, levels[k]);
      energy += reads * lv.readEnergy + writes * lv.writeEnergy;
      readTraffic[levels[k]] += reads;
      writeTraffic[levels[k]] += writes;
    }
  }
  double latency = computeCycles;
  // The model's port times, on lower bounds of the traffic (per instance;
  // above the fanouts there is one). A level without traffic takes none.
  for (size_t l = 0; l < numLevels; ++l) {
    double reads = readTraffic[l], writes = writeTraffic[l];
    if (reads == 0 && writes == 0)
      continue;
    if (instancesAbove[l] != 1) {
      reads /= instancesAbove[l];
      writes /= instancesAbove[l];
    }
    latency = std::max(latency, arch.levels[l].portCycles(reads, writes));
  }
  // Leakage grows with the latency, so its bound bounds it.
  energy += leakagePerCycle * latency;
  return {energy, latency};
}
