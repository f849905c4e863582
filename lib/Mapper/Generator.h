//===- Generator.h - one Einsum's mapspace enumeration ----------*- C++ -*-===//
//
// The invariant: with pruning, the groups keep the same Pareto fronts as
// the full enumeration of the mapspace (docs/mapspace.md) would, narrowed
// only as Narrowing says (caps, joinable keys). A subtree is cut only when
// its lower bound (Bound.cpp), which no mapping below it beats, is already
// dominated by a member of its group or lies above a cap: a dominated
// pmapping would be pruned anyway, and ties go to the earlier one, as in
// paretoPrune. Without pruning every valid mapping of the mapspace is
// emitted, once.
//
// The generator's state and the small predicates the enumeration and the
// bound ask at nearly every node (inline here); the enumeration itself in
// Enumerate.cpp, the bound in Bound.cpp, the compatibility keys and groups
// in Keys.cpp. Internal to lib/Mapper.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_LIB_MAPPER_GENERATOR_H
#define FFM_LIB_MAPPER_GENERATOR_H

#include "FrontIndex.h"
#include "Pmappings.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <string>
#include <utility>
#include <vector>

namespace ffm::detail {

/// Elements of the tensor `a` that every tiling of the iteration space
/// moves: the product of its ranks' bounds, or for windows the least total
/// of the tiles' spans (TensorAccess::leastTiledElements), which the
/// bound multiplies by refetches.
inline double accessSize(const Einsum &e, const TensorAccess &a) {
  return a.leastTiledElements(e.ranks);
}

/// Elements of the largest tile of `a`: every rank whole (a window's span,
/// gaps included, can exceed the elements it touches).
inline double largestTile(const Einsum &e, const TensorAccess &a) {
  return a.footprint([&](int r) { return (double)e.ranks[r].bound; });
}

/// The sets of stationary runs that one block's orders already left
/// (Generator::firstOfRuns), each a list of run masks. A few are scanned
/// in a list; past that they are hashed, since with options.nodeDepths a
/// block's placements leave hundreds of thousands of them and a scan of
/// each new one against all before was most of such a search's time.
class SeenRuns {
public:
  /// Whether `runs` is new, recording it.
  bool insert(llvm::ArrayRef<uint64_t> runs);

private:
  static constexpr size_t kListed = 16;
  llvm::SmallVector<llvm::SmallVector<uint64_t, 8>, kListed> listed;
  struct Hash {
    size_t operator()(const std::vector<uint64_t> &runs) const;
  };
  std::unordered_set<std::vector<uint64_t>, Hash> hashed;
  std::vector<uint64_t> probe;
};

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
  /// Arch::everyUpdateReads, asked by the bound at every node.
  bool everyUpdateReads = arch.everyUpdateReads();
  /// Arch::referenceAccounting, likewise.
  bool referenceAccounting = arch.referenceAccounting();
  /// Arch::datumBytes and each level's capacity as a double: the capacity
  /// checks (overflows, fits) run at nearly every node.
  double datumBytes = arch.datumBytes();
  std::vector<double> capacity;
  std::vector<double> tensorSize; // per access: accessSize
  /// Per input: whether its tiles' spans multiply over its dimensions
  /// (TensorAccess::separable) for a window: the bound then raises its
  /// size by the splits already above each level (tiledSize).
  /// (Bytes, not std::vector<bool>'s bits: read at every node.)
  std::vector<uint8_t> spanFloored;
  /// Per access: bit r set when rank r indexes it (the bound asks at
  /// nearly every node of the enumeration).
  std::vector<uint64_t> indexMask;
  /// The product of the bounds of the ranks indexing the output: with
  /// every loop over them, a tile times its fresh fills (the bound's
  /// refills under accounting: reference).
  double outputSpan = 1;
  /// Bit l set when some tensor is kept at level l.
  uint32_t nodeLevels = 0;
  std::vector<bool> onChip;          // per access
  /// The model of this Einsum under `onChip`, which emit() asks of every
  /// candidate; its keep, width and spread rules are the ones enumerated.
  std::optional<EinsumModel> model;
  /// emit()'s candidate and its evaluation, reused.
  Mapping candidate;
  Evaluation evaluation;
  std::vector<uint32_t> keepSet;     // per access: bitmask of levels
  /// Per access, the nearest earlier one it is interchangeable with
  /// (findTwins), or -1: only keep sets at least its twin's are walked.
  std::vector<int> twin;
  /// twin under `model` and the interface (no twins without pruning).
  void findTwins();
  std::vector<int> outerOnChip;      // per access: outermost level if on chip
  /// The compute unit the current mappings run on, and the innermost
  /// level it can use.
  int unit = 0;
  size_t unitLevel = 0;
  std::vector<std::pair<int, int>> fanoutSlots; // (level, dim) with fanout > 1
  /// Per slot, which of its dimension's slots it is (0: the first).
  std::vector<unsigned> slotPart;
  /// Per slot, bit a set when Level::shares() holds for access a (the
  /// bound asks at every node; the rule is a string).
  std::vector<uint64_t> slotShares;
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
  /// Ranks (a set) whose loops go innermost in the ordered block, below
  /// order[orderedBlock], in an order not yet chosen (orderFrom); each
  /// takes a count of at least 2, or all that remains in the innermost
  /// block that may hold loops.
  uint64_t unorderedBelow = 0;
  /// The group every pmapping of the current subtree falls in, once known,
  /// and its index (valid while `group` is set).
  std::vector<Pmapping> *group = nullptr;
  FrontIndex *front = nullptr;
  /// Per group, its index (node-based: `front` points into it while other
  /// groups are added).
  std::unordered_map<const std::vector<Pmapping> *, FrontIndex> fronts;
  bool groupFused = false;
  const Deadline &deadline;
  const Narrowing &narrowing;
  /// How a group's members dominate: the objective, EDP's slopes.
  Dominance dominance;
  uint64_t steps = 0;
  bool stop = false;

  /// (Enumerate.cpp, with the enumeration.)
  Generator(const Workload &w, const Arch &arch, int einsum,
            const SearchOptions &options, bool prune, EinsumPmappings &out,
            const std::vector<bool> &binding, const Deadline &deadline,
            const Narrowing &narrowing);

  //===--------------------------------------------------------------------===//
  // What a mapping may be, asked at nearly every node (inline).
  //===--------------------------------------------------------------------===//

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

  /// Per access: detail::readWithOutput (Pmappings.h), asked of every
  /// loop placed above an on-chip node (bytes, as spanFloored).
  std::vector<uint8_t> readWithOutput;

  /// Whether a loop over `rank` may sit above the outermost node of on-chip
  /// intermediate `a` (fusion validity; see fusionKey and readWithOutput).
  bool mayFuseOver(size_t a, int rank) const {
    // A window's tiles overlap (the halo): a loop over one of its ranks
    // hands the consumer a tile that only a producer with a matching halo
    // loop computes (options.haloFusion; fusionKey says which).
    uint64_t walks = options.haloFusion ? indexMask[a] : projectMask[a];
    return (walks >> rank & 1) &&
           (!readWithOutput[a] || indexes(acc.size() - 1, rank));
  }

  void fail(std::string why) {
    if (out.error.empty())
      out.error = std::move(why);
    stop = true;
  }

  /// The time limit is checked along the way, not only per pmapping: a
  /// subtree may run long while pruning everything it meets. And at the
  /// first step: a search may start past a limit it shares with earlier
  /// ones (SearchOptions::timeLimitFrom).
  bool tick() {
    if (stop)
      return false;
    if (++steps % 4096 == 1 && deadline.passed()) {
      fail(deadline.error("enumerating", e.name));
      out.stopped = true;
      return false;
    }
    if (narrowing.stepLimit && steps > narrowing.stepLimit) {
      out.abandoned = stop = true;
      return false;
    }
    return true;
  }

  /// The outermost node of an on-chip intermediate may sit anywhere in its
  /// block's prefix (the loops its key holds); every other node heads its
  /// block, or with options.nodeDepths sits anywhere among its block's
  /// loops, placed once their order is known (placeDeep).
  bool floats(size_t a, size_t l) const {
    return outerOnChip[a] == (int)l; // -1 unless on chip
  }

  /// Ranks no further loop may take above the floating node of access
  /// `a` at level l: the fused-loop limits (options.maxFusedLoopsPerRank,
  /// maxFusedLoops) are reached, the tensor may not fuse over the rank,
  /// or (l decided) the block's prefix already loops over it.
  uint64_t fusedClosed(size_t a, size_t l) const;

  /// Accesses with a node at level l that placeDeep places.
  uint32_t deepNodes(size_t l) const {
    uint32_t deep = 0;
    for (size_t a = 0; options.nodeDepths && l > 0 && a < acc.size(); ++a)
      if ((keepSet[a] >> l & 1) && !floats(a, l))
        deep |= 1u << a;
    return deep;
  }

  bool levelHasNodes(size_t l) const { return nodeLevels >> l & 1; }

  /// Levels decided + 1 to l - 1 as a mask (of nodeLevels): the undecided
  /// blocks between the first one and level l, which hold no loops yet.
  uint32_t undecidedBetween(size_t l) const {
    return l > decided + 1
               ? (uint32_t(1) << l) - (uint32_t(2) << decided)
               : 0;
  }

  /// Whether some node of level l heads its block, above all its loops.
  bool blockHeaded(size_t l) const {
    return llvm::is_contained(position[l], 0);
  }

  /// Whether the node of access `a` at level l and the loops above it are
  /// fixed: in a decided block; heading the first undecided one; or a node
  /// of the first undecided block once placed (placeFloating, placeDeep).
  bool placed(size_t a, size_t l) const {
    return l < decided ||
           (l == decided &&
            (position[l][a] >= 0 || (!floats(a, l) && !options.nodeDepths)));
  }

  /// Placed, with every loop above it in its block counted: its
  /// residencies are known (a node placeDeep put among the suffix is
  /// placed before its counts are).
  bool settled(size_t a, size_t l) const {
    return placed(a, l) &&
           llvm::all_of(loopsAboveIn(a, l),
                        [&](int r) { return temporal[l][r] > 1; });
  }

  /// Loops of block l above the node of access `a` (its placed position).
  llvm::ArrayRef<int> loopsAboveIn(size_t a, size_t l) const {
    return llvm::ArrayRef<int>(order[l]).take_front(
        std::max(position[l][a], 0));
  }

  //===--------------------------------------------------------------------===//
  // The enumeration (Enumerate.cpp).
  //===--------------------------------------------------------------------===//

  /// Every unit that runs the Einsum, one after another: their pmappings
  /// share groups (the unit is a choice inside the Einsum, invisible to
  /// its neighbours), so one unit's finds bound the next one's subtrees.
  void run();

  void runOnUnit();

  /// Keep sets and spatial loops (the nodes where spreadBoundsOnly
  /// stops), with the bound there as the walk's order keys (orderKeys).
  /// Flat, leaf i's at i times the access and fanout-slot counts: a roomy
  /// architecture lists millions, which must not cost many times their
  /// size in memory, nor in moves when sorted. In deques, which grow
  /// without copying: a vector's doubling would add half its size at once,
  /// between two checks of the memory budget.
  struct SpreadLeaves {
    std::deque<uint32_t> keepSets;
    std::deque<std::pair<int, int64_t>> spatial;
    std::deque<std::pair<double, double>> keys;
  };
  /// Where chooseSpatial lists its leaves instead of walking below them.
  SpreadLeaves *collecting = nullptr;
  /// What the leaves are walked by: the bound on what cuts them. An
  /// EDP-capped pass cuts by the least EDP a leaf can complete to, so it
  /// meets its low-EDP mappings first only if it walks by that (ordered
  /// by energy, a 4-layer GPT-3 stack took 8% more steps); ties then go
  /// by the first criterion. Otherwise the two criteria in turn.
  std::pair<double, double> orderKeys(double energy, double latency) const {
    if (narrowing.edpCap < INFINITY)
      return {leastEdp(energy, latency), criterion(energy, latency)};
    return {criterion(energy, latency), otherCriterion(energy, latency)};
  }
  /// What follows from the keep sets chosen (outerOnChip, keysKnownAt,
  /// nodeLevels, lastLoopLevel).
  void enterKeeps();
  /// What follows from the spatial loops chosen, every block still open.
  void enterSpread();
  /// The loop nests below a keep set and spatial loops.
  void descendFromSpread();

  void chooseKeeps(size_t a);

  int64_t spatialProduct(int rank) const;

  /// A loop at level `l` (a block's loop, or a spatial loop of that level)
  /// sits above the outermost node of every intermediate kept on chip below
  /// level l, and must walk it (fusion validity; see fusionKey). It is then
  /// one more of that intermediate's fused loops, of which each rank has at
  /// most options.maxFusedLoopsPerRank, and all ranks options.maxFusedLoops.
  bool mayLoopAbove(size_t l, int rank) const;

  /// Loops over `rank` placed so far above the nodes of level l: in the
  /// blocks above it, and spatial ones of the levels above it.
  unsigned fusedLoops(size_t l, int rank) const;
  /// How many more loops options.maxFusedLoops leaves above the nodes of
  /// level l (every rank's fusedLoops counted; ~0u without a limit).
  unsigned fusedLoopsLeft(size_t l) const;

  /// Every level's spatial loops use at least its min_usage of its fanout.
  bool usesEnough() const;

  void chooseSpatial(size_t slot);

  // Block l, key first. A level without storage nodes gets no loops of its
  // own (they would be indistinguishable from the same loops one level up).
  // The loops above the level's floating nodes (its prefix: ranks, counts,
  // order, and where each floating node sits among them) fix their
  // compatibility keys, so from there on the group bounds the rest: which
  // other ranks loop in the block, their order below every floating node
  // (one per set of stationary runs), and last their counts, each bounded
  // with the order already known. The innermost block that may hold loops
  // takes every remaining count.
  void chooseBlock(size_t l);

  /// Places a subset of the `unplaced` floating nodes of block l under the
  /// prefix so far; the others go under more loops. The first node of a
  /// level heads its block (loops above all of them belong one level up):
  /// `mayWait` is false until one does.
  void placeFloating(size_t l, uint32_t unplaced, bool mayWait);

  /// One more prefix loop: above the `unplaced` floating nodes, so over a
  /// rank each of them is indexed by (fusion validity), within the fused
  /// loop limits per rank and in all.
  void extendPrefix(size_t l, uint32_t unplaced);

  /// Every floating node is placed: the keys of this level are known.
  void finishPrefix(size_t l);

  /// With options.nodeDepths and no node at the head of block l yet,
  /// whether the level overflows whichever of its nodes still to be
  /// placed (placeDeep) goes there, above every loop of the block (each
  /// tried in `position`, then unplaced again).
  bool headOverflows(size_t l);

  /// Which of the other ranks loop in block l, below every floating node.
  void chooseSuffix(size_t l);

  /// Orders of the suffix (ascending first). Below every floating node
  /// they are observable only through the stationary runs they leave above
  /// the tensors stored deeper, unless a deeper fused intermediate's key
  /// holds them.
  void orderSuffix(size_t l, llvm::ArrayRef<int> loops);

  /// The suffix's orders from the outermost loop in: the loops in
  /// `unordered` (a rank set) go below those ordered so far, and with two
  /// or more of them the subtree is bounded first, the block taken as
  /// ordered with those innermost in any order (unorderedBelow). `first`:
  /// on the way to the first order (ascending). `descents`: how many more
  /// places in the suffix where a rank follows a larger one the order may
  /// have (negative: any).
  void orderFrom(size_t l, size_t prefix, uint64_t unordered, bool keyed,
                 uint32_t deep, SeenRuns &seen,
                 bool first, int descents);

  /// With options.nodeDepths, a position among block l's ordered loops for
  /// each node in `unplaced` (placed ones keep theirs); some node of the
  /// level heads the block (loops above all of them belong one level up).
  /// One placement per set of observable runs (firstOfRuns, or under
  /// accounting: reference uncoveredDescents), unless `keyed`; a node
  /// whose tile overflows the level is not placed deeper in.
  void placeDeep(size_t l, size_t prefix, uint32_t unplaced, bool keyed,
                 SeenRuns &seen);

  /// The order and positions of block l are fixed: its counts, bounded.
  void countOrdered(size_t l, size_t prefix);

  /// body() with block l the ordered one, the ranks in `unordered` still
  /// to go innermost in it (unorderedBelow). Only a body that enumerates
  /// nothing deeper (a bound, a capacity check) may leave ranks unordered:
  /// the blocks below are enumerated with none (countOrdered), so that is
  /// what the restore leaves.
  template <typename Body>
  auto asOrdered(size_t l, uint64_t unordered, Body body) {
    assert(unorderedBelow == 0 &&
           "a partial order's bound enumerates no block");
    struct Restore {
      Generator &g;
      int outer;
      ~Restore() {
        g.orderedBlock = outer;
        g.unorderedBelow = 0;
      }
    } restore{*this, orderedBlock};
    orderedBlock = l;
    unorderedBelow = unordered;
    return body();
  }

  /// Divisors of the counts that remain (a handful of values, asked at
  /// every node of the count enumeration).
  std::map<int64_t, std::vector<int64_t>> divisorsOf;

  /// Gives rank r of block l each count it may take, with `temporal` and
  /// `remaining` set around body(): what remains in the innermost block
  /// that may hold loops, else every divisor above 1 of it. body() returns
  /// whether the counts after this one (in the order asked for) may hold
  /// anything.
  template <typename Body>
  void eachCount(size_t l, int r, bool largestFirst, Body body);

  /// Counts of the suffix loops in order, each bounded.
  void countSuffix(size_t l, size_t p);

  /// The stationary run (set of ranks) that block l's loops in `loops`
  /// leave above each tensor stored below the block (none under
  /// accounting: reference), and with options.nodeDepths the loops above
  /// each node the block places and the run among them; false when an
  /// order with the same runs was already `seen` (the runs of each one
  /// after the other).
  bool firstOfRuns(size_t l, llvm::ArrayRef<int> loops,
                   SeenRuns &seen) const;

  /// Under accounting: reference, what firstOfRuns decides for a placed
  /// block without keeping what it saw: only the loops above each node are
  /// observable, and the first order with the same ones is ascending
  /// between the nodes, so every descent in the suffix has a node at it.
  /// The descents (a rank after a larger one) no node is at yet.
  unsigned uncoveredDescents(size_t l, size_t prefix) const;

  /// Block l is complete: checks what it alone decides, then goes deeper.
  void finishLevel(size_t l);

  /// The tiles of level l are fixed once its block is: the loops below a
  /// node multiply to what the blocks above and its own prefix left.
  bool fits(size_t l);

  /// The mapping's nodes down to block `upTo` (all of them for numLevels).
  Mapping buildMapping(size_t upTo) const {
    Mapping m;
    buildMapping(upTo, m);
    return m;
  }
  /// The mapping of the blocks above `upTo` into `m`, whose node storage
  /// is reused: emit() builds every candidate into one.
  void buildMapping(size_t upTo, Mapping &m) const;

  uint64_t held = 0; // pmappings in the groups (see maxPmappings)
  void emit();

  //===--------------------------------------------------------------------===//
  // Compatibility keys and the group of a subtree (Keys.cpp).
  //===--------------------------------------------------------------------===//

  std::optional<std::vector<Key>> keysOf(Mapping m) const;

  /// The halo loops every mapping of this enumeration has (Halo.cpp); the
  /// Einsum `e` already has their ranks at count * span.
  HaloTags halo;
  /// Marks the halo loops in `m`: false when the outermost loop over a
  /// tagged rank is missing, not temporal, of another count, or below the
  /// output's outermost node (the output is on chip in every mapping of a
  /// halo enumeration).
  bool markHalo(Mapping &m) const;

  /// Once every key is fixed, the group the subtree falls in is what
  /// bounds it (created empty if need be; generatePmappings drops empty
  /// groups). False when no key is valid.
  bool lookUpGroup();

  /// Whether every key is one Narrowing::joinable allows.
  bool joinable(const std::vector<Key> &keys) const;
  /// Before the keys are fixed (decided levels, and the first `counted`
  /// loops of block `decided` once their counts are chosen): false when
  /// some restricted key already is, or begins as, none
  /// Narrowing::joinable allows; the subtree is then left out as
  /// lookUpGroup leaves out an unjoinable group.
  bool mayStillJoin(size_t counted = 0);
  /// Records a left-out subtree's bound toward the floors.
  void leaveOut();
  /// mayStillJoin's answers by `decided`, `counted` and keyState().
  llvm::StringMap<bool> joinsAt;
  /// How much lower the cap is for a group with these keys
  /// (Narrowing::surcharges).
  double surcharge(const std::vector<Key> &keys) const;
  /// The current group's surcharge (valid while `group` is set).
  double groupSurcharge = 0;
  /// EDP: the corners of the region the other Einsums' sums lie in when
  /// this Einsum takes `keys`, narrowed by the keys' least completions
  /// (Narrowing::edpCompletions); empty where none are known, and
  /// Narrowing::otherCorners stand.
  llvm::SmallVector<std::pair<double, double>, 4>
  groupCornersFor(const std::vector<Key> &keys) const;
  /// The current group's corners (valid while `group` is set).
  const llvm::SmallVector<std::pair<double, double>, 4> *groupCorners =
      nullptr;

  /// Groups by keyState(); no group where no key is valid or the keys are
  /// not joinable.
  struct GroupAt {
    std::vector<Pmapping> *group = nullptr;
    FrontIndex *front = nullptr; // fronts[group], asked once
    bool unjoinable = false;
    double surcharge = 0; // Narrowing::surcharges for its keys
    llvm::SmallVector<std::pair<double, double>, 4> corners; // EDP's
  };
  llvm::StringMap<GroupAt> groupAt;

  /// What fixes the keys: for each interface tensor its outermost level
  /// and the loops above that node, (rank, count) for a block's loop and
  /// (128 + slot, rank, factor) for a spatial one (a rank is below 128, so
  /// the two read apart); -1 opens each tensor's part.
  void keyState(llvm::SmallVectorImpl<int64_t> &state) const;

  //===--------------------------------------------------------------------===//
  // The criteria and the caps (Narrowing), asked of every bound and every
  // pmapping (inline).
  //===--------------------------------------------------------------------===//

  /// The criterion the objective ranks by first: the order of each group,
  /// and the one the caps bound (energy or latency).
  double criterion(double energy, double latency) const {
    return firstCriterion(options.objective, energy, latency);
  }
  double primary(const Pmapping &p) const {
    return criterion(p.energy, p.latency);
  }
  /// What the caps and the floor rank by: the first criterion, with the
  /// latency weighted in by the weighted floors' pass
  /// (Narrowing::rankWeight).
  double ranked(double energy, double latency) const {
    // Not 0 * latency: an infinite bound would make it NaN.
    return narrowing.rankWeight > 0
               ? criterion(energy, latency) + narrowing.rankWeight * latency
               : criterion(energy, latency);
  }
  /// The criterion that breaks its ties.
  double otherCriterion(double energy, double latency) const {
    return secondCriterion(options.objective, energy, latency);
  }
  /// The best criterion enumerated so far (Narrowing::slack), and the
  /// least second criterion among what was enumerated within rounding of
  /// it since it last fell (Narrowing::secondSlack's anchor).
  double best = INFINITY;
  double bestSecond = INFINITY;
  /// Whether a first criterion lies within rounding of the best so far
  /// (ties are judged so per Einsum, as group pruning judges them).
  bool atBest(double first) const { return first <= best * (1 + 1e-9); }
  void noteBest(double first, double second) {
    if (first < best) {
      // What came before may lie within rounding of the new best too:
      // leaving it out only raises the anchor, which then cuts less.
      best = first;
      bestSecond = second;
    } else if (atBest(first)) {
      bestSecond = std::min(bestSecond, second);
    }
  }
  double currentCap() const {
    double cap = std::min(narrowing.cap - (group ? groupSurcharge : 0.0),
                          best + narrowing.slack);
    // A group is kept in the order of the first criterion: its least first.
    if (group && !group->empty())
      cap = std::min(cap, primary(group->front()) + narrowing.window);
    return cap;
  }
  /// Lower bounds in, a lower bound of every completion's EDP out: the
  /// least over the corners where the other Einsums' sums can lie.
  double leastEdp(double energy, double latency) const {
    double least = INFINITY;
    // A group's own corners, where its keys narrow them.
    bool own = group && !groupCorners->empty();
    for (auto [e, l] : own ? *groupCorners : narrowing.otherCorners)
      least = std::min(least, (energy + e) * (latency + l));
    return least;
  }
  /// Narrowing::leastOnly: whether a group's leasts at both ends of the
  /// slopes (Dominance::first and second) are each at most these
  /// (energy, latency) score there, so that nothing scoring them lowers
  /// either.
  bool reachesLeasts(llvm::ArrayRef<Pmapping> group, double energy,
                     double latency) const;
  /// Narrowing::leastOnly's group after `p` arrives: the least at the low
  /// slope (ties: the least at the high one) and the least at the high
  /// slope (ties: the least at the low one), the first first, once each.
  void keepLeasts(std::vector<Pmapping> &group, Pmapping p) const;
  bool capped() const {
    return currentCap() < INFINITY || narrowing.edpCap < INFINITY ||
           narrowing.secondSlack < INFINITY || narrowing.secondCap < INFINITY;
  }
  /// Whether the caps cut what scores (energy, latency), at least; the
  /// least score each cuts is recorded (EinsumPmappings::cutAt for the
  /// first criterion, secondCutAt and secondAnchors for the second).
  bool cutByCap(double energy, double latency) const {
    if (narrowing.edpCap < INFINITY &&
        leastEdp(energy, latency) > narrowing.edpCap * (1 + 1e-9))
      return true;
    double score = ranked(energy, latency);
    if (score > currentCap() * (1 + 1e-9)) {
      // As a score against the Einsum's own cap, its group's surcharge on.
      out.cutAt = std::min(out.cutAt, score + (group ? groupSurcharge : 0.0));
      return true;
    }
    double second = otherCriterion(energy, latency);
    bool overFixed = second > narrowing.secondCap * (1 + 1e-9);
    // At the best first criterion, which nothing below can lower, the
    // second one is capped above the least found there.
    bool overTie = score >= best &&
                   second > (bestSecond + narrowing.secondSlack) * (1 + 1e-9);
    if (!overFixed && !overTie)
      return false;
    if (!overFixed)
      out.secondAnchors.add(score, bestSecond);
    out.secondCutAt = std::min(out.secondCutAt, second);
    return true;
  }

  //===--------------------------------------------------------------------===//
  // The bound (Bound.cpp).
  //===--------------------------------------------------------------------===//

  /// Whether the least tiles (leastTile) of on-chip level m already exceed
  /// its capacity.
  bool overflows(size_t m) const;

  /// Whether the tiles the counts chosen so far in block l leave to the
  /// next level with nodes already exceed its capacity.
  bool overflowsBelow(size_t l) const;

  /// Whether some on-chip level overflows with its least tiles, which only
  /// grow below: no mapping under this point fits. Checked where the keep
  /// sets and the spatial loops are chosen, since the blocks' own checks
  /// reach a deep level only after every block above it is enumerated (a
  /// one-byte register with two tensors kept in it took 21 M steps of a
  /// GPT-3 projection, for no mapping).
  bool overflowsAnywhere() const;

  /// The least tile access `a` can have at level l given what is decided: a
  /// placed node in the first undecided block holds exactly what the loops
  /// above it leave (the block's other loops, placed or not, sit below it).
  /// A node heading the next block with nodes holds what the current one
  /// leaves, of which the counts already chosen are known once that block's
  /// loops are (orderedBlock). Otherwise a node holds at least its spatial
  /// spread. `orderedOpen` is openLoops(), which the callers ask once for
  /// every tile they sum.
  double leastTile(size_t a, size_t l, uint64_t orderedOpen) const;
  /// The ranks whose loops of the ordered block are still open (count 1
  /// so far, or unordered), which may take all that remains of their rank
  /// in a deeper node's tile; none unless the first undecided block is
  /// the ordered one.
  uint64_t openLoops() const;

  /// Branch and bound: a subtree whose optimistic criteria (lowerBound()) a
  /// generated pmapping of its group already dominates cannot contribute: a
  /// dominated pmapping would be pruned anyway, and ties go to the earlier
  /// one, as in paretoPrune. The bound holds for any choice still open
  /// below this point (docs/mapspace.md derives it).
  mutable size_t lastCut = 0;
  mutable Pmapping boundScratch;
  bool boundedOut() const;

  /// Levels whose block is done have exact reservations (fits()); deeper
  /// ones hold at least leastTile() per kept tensor. Persistent bytes are
  /// exact once every fused intermediate's outermost node is placed, else
  /// a lower bound.
  void reservationBounds(llvm::SmallVectorImpl<double> &reservation,
                         llvm::SmallVectorImpl<double> &persistent) const;

  /// Loop nodes of level l: its block's and its spatial ones.
  long loopsAt(size_t l) const;

  /// Spatial factor of the slots at levels [from, to) over ranks that do not
  /// index access `a`: instances holding the same data, or with
  /// `sharedOnly`, those served by one access (the dimension's reuse rule).
  double replication(size_t a, size_t from, size_t to,
                     bool sharedOnly = false) const;

  /// Fewest refetches of access `a`'s tile at level l: evaluate()'s
  /// stationary run (the innermost non-indexing loops above the node) walked
  /// exactly through the decided blocks; in an undecided one the order is
  /// open, so its non-indexing loops may all join the run. Loops not yet
  /// placed are left out and an undecided node taken at the head of its
  /// block, which only removes refetches. In the block whose order is fixed
  /// while its counts are chosen every loop is there (counts above 1): an
  /// open count is at least 2, at most what remains of its rank.
  /// Under accounting: reference there is no run: every non-indexing loop
  /// counted refills. With `upper`, the most refetches instead (open
  /// counts at their largest), or infinity while a block above is
  /// undecided.
  double refetchBound(size_t a, size_t l, bool upper = false) const;

  /// What the decided blocks [0, d) multiply refetchBound() by, walked
  /// inside out: entered within the stationary run or past it.
  struct Runs {
    double fromRun = 1, afterRun = 1;
  };
  std::vector<std::vector<Runs>> decidedRuns; // [d][access]

  /// Runs `body` with block l decided as it is now chosen (the bound and
  /// the capacity checks below then take its tiles and refetches as
  /// exact), decidedRuns[l + 1] walked from the one above.
  void withDecided(size_t l, llvm::function_ref<void()> body);

  /// What lowerBound() reads of the keep sets and spatial loops, which are
  /// fixed across the subtree below chooseSpatial.
  std::vector<std::vector<double>> replAbove;   // [a][l]: replication(a, 0, l)
  std::vector<std::vector<double>> sharedBelow; // [a][l]: to a's next level
  std::vector<double> instancesAbove;           // [l]
  /// [a][l]: the spatial factors at levels l and below over ranks that
  /// index access a, by which its tile there is spread (leastTile).
  std::vector<std::vector<double>> spreadTile;
  /// [l][r]: the spatial factors over rank r at the levels above l, which
  /// split r above level l's nodes.
  std::vector<std::vector<double>> spreadAbove;
  double units = 1;
  /// The compute floor of the latency, in the model's order of operations.
  double computeCycles = 0;
  void cacheSpread();

  /// The least elements access `a`'s fills of level l total before
  /// refetches and replication: its size, or for a window the least span
  /// total over the tilings that split each rank at least as the loops
  /// placed above l do (the model charges every tile its span). Inline:
  /// the bound asks it of every kept level at every node, and mostly of
  /// tensors without windows.
  double tiledSize(size_t a, size_t l) const {
    return spanFloored[a] && l != 0 ? windowSpanTotal(a, l) : tensorSize[a];
  }
  /// tiledSize() of a window whose spans are floored, at a level l > 0.
  double windowSpanTotal(size_t a, size_t l) const;

  /// Optimistic (energy, latency) mirroring evaluate(): a residency is the
  /// tensor's size times its replication times its refetches, at least the
  /// bound above.
  std::pair<double, double> lowerBound() const;
};

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_GENERATOR_H
