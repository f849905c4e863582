//===- Pmappings.h - per-Einsum partial mappings (internal) -----*- C++ -*-===//
#ifndef FFM_LIB_MAPPER_PMAPPINGS_H
#define FFM_LIB_MAPPER_PMAPPINGS_H

#include "ffm/Mapper/Mapper.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace ffm::detail {

/// What a pmapping must agree on with its neighbours, one entry per
/// interface tensor of its Einsum: 0 for "in DRAM", else the on-chip level
/// followed by the fused loops above its storage as (tensor dim, count,
/// spatial level + 1 or 0, fanout dim) quadruples.
using Key = std::vector<int64_t>;

/// Whether `key` says "in DRAM".
inline bool inDram(const Key &key) { return key.size() == 1 && key[0] == 0; }

/// The criterion an objective ranks by first: latency for latency, else
/// energy (EDP's fronts and groups are ordered by energy). For energy and
/// latency it is the whole score, and adds over Einsums.
inline double firstCriterion(Objective objective, double energy,
                             double latency) {
  return objective == Objective::Latency ? latency : energy;
}

/// The other criterion: energy and latency break ties by it (latency for
/// energy, energy for latency), and so must every pruning step.
inline double secondCriterion(Objective objective, double energy,
                              double latency) {
  return objective == Objective::Latency ? energy : latency;
}

/// Whether `a` beats `b` on a criterion by more than rounding: sums taken
/// in different orders differ in their last bits, and those are ties.
inline bool clearlyBelow(double a, double b) {
  return a < b - 1e-9 * std::abs(b);
}

/// How a pmapping may make another of its group redundant: the objective
/// and, for EDP, the weights lambda of energy + lambda * latency over which
/// an EDP optimum's mapping can be least (Narrowing::edpSlopeLo/Hi,
/// docs/mapspace.md "EDP's slopes"). [0, infinity], the default, asks no
/// worse on both criteria: the two-criteria front.
struct Dominance {
  Objective objective;
  double slopeLo = 0, slopeHi = INFINITY;
  explicit Dominance(Objective objective) : objective(objective) {}
  Dominance(Objective objective, double lo, double hi)
      : objective(objective), slopeLo(lo), slopeHi(hi) {}
  bool edp() const { return objective == Objective::EDP; }
  /// EDP: energy + slopeLo * latency, which a dominator is no worse on
  /// (the energy itself at slope 0).
  double atLo(double energy, double latency) const {
    return slopeLo > 0 ? energy + slopeLo * latency : energy;
  }
  /// EDP: latency + energy / slopeHi, the other end (the latency itself
  /// at an infinite slope).
  double atHi(double energy, double latency) const {
    return std::isfinite(slopeHi) ? latency + energy / slopeHi : latency;
  }
  /// What a dominator is no higher on first, and second: the objective's
  /// criteria, or EDP's two ends.
  double first(double energy, double latency) const {
    return edp() ? atLo(energy, latency)
                 : firstCriterion(objective, energy, latency);
  }
  double second(double energy, double latency) const {
    return edp() ? atHi(energy, latency)
                 : secondCriterion(objective, energy, latency);
  }
};

/// Whether (ea, la) may make (eb, lb) redundant, criteria aside from
/// capacity. EDP: no worse at both ends of its slopes (E + lambda * L is
/// linear in lambda, so no worse at every slope between). Energy or
/// latency: no worse on the objective and, if not clearly better there, no
/// worse on the other criterion (so of two tied mappings the one better on
/// the other criterion survives).
inline bool noWorse(const Dominance &d, double ea, double la, double eb,
                    double lb) {
  double pa = d.first(ea, la), pb = d.first(eb, lb);
  if (pa > pb)
    return false;
  if (d.edp())
    return d.second(ea, la) <= d.second(eb, lb);
  return clearlyBelow(pa, pb) || d.second(ea, la) <= d.second(eb, lb);
}

struct Pmapping {
  Mapping mapping;
  double energy = 0, latency = 0;
  /// Per level, bytes (inline: pmappings are many, and each heap block
  /// costs its allocation and its free).
  llvm::SmallVector<double, 4> reservation, persistent;
  bool fused = false; // some interface tensor is on chip
};

/// Points (first, second criterion), none at most another on both: what
/// is least on the second among those up to a first criterion.
class Staircase {
public:
  void add(double first, double second);
  /// The least second of the points whose first is at most `first`.
  double leastSecondUpTo(double first) const;

private:
  std::vector<std::pair<double, double>> points;
};

/// The pmappings of one Einsum, grouped by the key of each interface tensor.
struct EinsumPmappings {
  /// Access indices of the Einsum's interface tensors (fusable
  /// intermediates it reads or writes), in access order.
  std::vector<int> interface;
  using Groups = std::map<std::vector<Key>, std::vector<Pmapping>>;
  /// Shared by copies (Einsums with the same pmappings, reused passes),
  /// which are many and large: copy the map before changing it.
  std::shared_ptr<Groups> groups = std::make_shared<Groups>();
  uint64_t candidates = 0, valid = 0, steps = 0;
  /// The steps of the enumeration that gave these pmappings, kept where
  /// `steps` is not (a reused pass or a copy, whose steps are 0).
  uint64_t ownSteps = 0;
  /// A key-bounds enumeration stopped at Narrowing::stepLimit: it bounds
  /// no key, and its groups are empty.
  bool abandoned = false;
  double seconds = 0; // wall time of its enumerations (steps' time)
  /// The least score on the objective of anything a cap cut (a subtree by
  /// its lower bound): caps below it and unjoinableFloor would keep the
  /// same pmappings. (Scores here and in `floor` and `unjoinableFloor` are
  /// weighted where Narrowing::rankWeight is.)
  double cutAt = INFINITY;
  double mapspaceLog10 = 0; // rawMapspaceLog10 of the Einsum
  /// The least score on the objective's first criterion of any pmapping
  /// kept; with Narrowing::slack, exactly the Einsum's floor (with a
  /// second slack or a rank weight, the least enumerated counts too).
  double floor = INFINITY;
  /// With Narrowing::spreadBoundsOnly, the least second criterion found,
  /// as `floor` is the least first one (each its own least: the two may
  /// come from different choices).
  double spreadSecond = INFINITY;
  /// At most the least score of any pmapping in the groups that
  /// Narrowing::joinable left out (their bounds): with `floor`, a floor
  /// of the whole mapspace.
  double unjoinableFloor = INFINITY;
  /// At most the least second criterion of any pmapping of the whole
  /// mapspace whose first criterion lies at the floor (within rounding of
  /// min(floor, unjoinableFloor)), and at most the anchor of every second
  /// cap that cut there: the floors that prove such caps (Caps.cpp). With
  /// joinable keys, a floor of the whole mapspace only under
  /// Narrowing::secondSlack (unjoinableBounds).
  double secondFloor = INFINITY;
  /// The least second criterion of anything the second caps cut
  /// (Narrowing::secondSlack, secondCap), as cutAt for the first.
  double secondCutAt = INFINITY;
  /// With Narrowing::secondSlack, for secondFloor: the (first, second)
  /// bounds of the groups Narrowing::joinable left out, and per subtree a
  /// second cap cut, (its bound's first criterion, the anchor it was cut
  /// against).
  Staircase unjoinableBounds, secondAnchors;
  std::string error; // budget exceeded or similar
  /// The error is a shared budget's (time, memory), which stops every
  /// enumeration under way when it trips, not this Einsum's own.
  bool stopped = false;
};

/// Waits for the frees of stopped enumerations still under way on threads
/// of their own (Pmappings.cpp, discardStopped): a search starts with the
/// memory its budget reads back.
void awaitDiscards();

/// The search's budgets other than its size: wall time and resident
/// memory. Checked every few thousand steps by generation and joins.
class Deadline {
public:
  explicit Deadline(
      double seconds, uint64_t maxMemoryMB = 0,
      std::chrono::steady_clock::time_point from =
          std::chrono::steady_clock::now());
  explicit Deadline(const SearchOptions &options)
      : Deadline(options.timeLimitSeconds, options.maxMemoryMB,
                 options.timeLimitFrom.value_or(
                     std::chrono::steady_clock::now())) {}
  bool passed() const;
  /// Which budget passed() found spent, for the error: "search time limit
  /// of 10 s exceeded" or "search memory budget of 512 MB exceeded (600
  /// MB resident)", and the option that raises it.
  std::string what() const;
  const char *option() const;
  /// Whether the budget spent is the wall time (not memory).
  bool timeSpent() const { return tripped.load() >> kReasonShift == Time; }
  /// An allocation failed (caught where no budget check saw it coming):
  /// every enumeration and join under way stops, as at a spent budget.
  void allocationFailed() const;
  /// The error of a search stopped here: what(), while `doing` (enumerating,
  /// joining) Einsum `einsum`, and the option to raise.
  std::string error(llvm::StringRef doing, llvm::StringRef einsum) const;

private:
  std::optional<std::chrono::steady_clock::time_point> at;
  double seconds = 0;
  /// Without max-memory-mb, most of what the process may hold (the
  /// machine's memory, its cgroup's limit): past it the OOM killer, not an
  /// error, would end the search.
  uint64_t maxMemoryMB = 0;
  bool automatic = false;
  /// Most of ulimit -v, against the mapped size, whatever max-memory-mb
  /// says: past it allocations fail (0: no limit).
  uint64_t maxMappedMB = 0;
  /// When passed() next reads the process's sizes (steady clock ticks): a
  /// read costs as much as thousands of join steps, and a millisecond
  /// grows no search by much of the headroom.
  mutable std::atomic<int64_t> nextMemoryCheck{0};
  /// The budget spent first (passed() stays true from then on) in the top
  /// byte, and the size its check read below: set once, by whichever
  /// thread trips first, and read whole.
  enum Reason : uint64_t { None, Time, Resident, Mapped, Allocation };
  static constexpr int kReasonShift = 56;
  mutable std::atomic<uint64_t> tripped{0};
  bool trip(Reason why, uint64_t size) const;
};

/// A halo loop an Einsum's pmappings must have (MapNode::haloSpan): the
/// outermost loop over `rank`, `count` iterations, each covering `span`
/// values of the rank from `step` times its index.
struct HaloTag {
  int rank;
  int64_t count, span, step;
  bool operator<(const HaloTag &o) const {
    return std::tie(rank, count, span, step) <
           std::tie(o.rank, o.count, o.span, o.step);
  }
  bool operator==(const HaloTag &o) const {
    return std::tie(rank, count, span, step) ==
           std::tie(o.rank, o.count, o.span, o.step);
  }
};
/// One halo loop per rank, by rank.
using HaloTags = std::vector<HaloTag>;

/// Per Einsum, every set of halo loops some consumer's fused window loops
/// can join (Halo.cpp); empty without options.haloFusion.
std::vector<std::vector<HaloTags>>
haloCandidates(const Workload &w, const std::vector<bool> &fusable,
               const SearchOptions &options);

/// Tensors that may stay on chip between their producer and consumers.
std::vector<bool> fusableTensors(const Workload &w);

/// Whether some consumer of Einsum `einsum`'s output also reads its
/// input `a` (an index into Einsum::accesses()). That consumer shares
/// every loop above the input's on-chip node, so each such loop must walk
/// the output, or the consumer would read an output tile still being
/// reduced (a softmax's row sums, read by its normalisation under the row
/// sum's own reduction loop): the Einsum's mapspace depends on it.
bool readWithOutput(const Workload &w, int einsum, size_t a);

/// Per level: can the reservations of some fusion group exceed its
/// capacity? Not where every tensor of every Einsum held whole fits, nor
/// below every level where a fused intermediate's outermost on-chip node
/// can sit (no tile there outlives the fused loops), of the `fusable`
/// intermediates (fusableTensors, none where fusion is off). Where not,
/// pruning drops the level's reservations from the criteria.
std::vector<bool> bindingLevels(const Workload &w, const Arch &arch,
                                const std::vector<bool> &fusable);

/// Per group keys, a score (Narrowing::completions).
using KeyExcess = std::map<std::vector<Key>, double>;
/// Per group keys, what the other Einsums sum to at least at two slopes
/// (Narrowing::edpCompletions).
struct KeyCompletions {
  /// `least`'s first bounds energy + lo * latency, its second
  /// energy / hi + latency (the energy at lo = 0, the latency at an
  /// infinite hi: Dominance's two ends).
  double lo = 0, hi = INFINITY;
  std::map<std::vector<Key>, std::pair<double, double>> least;
};

/// What a pruned enumeration keeps besides each group's Pareto front.
struct Narrowing {
  /// No pmapping scoring above this on the objective (energy or latency):
  /// none could be part of a mapping better than the one the caps allow.
  double cap = INFINITY;
  /// No pmapping scoring more than this above the Einsum's best (its
  /// floor): a cap that tightens as the enumeration finds better ones and
  /// never cuts anything within `slack` of the floor.
  double slack = INFINITY;
  /// With `slack` 0, where the first criterion ties (latency: most
  /// mappings are compute-bound), pmappings at the floor are capped on the
  /// second one too: no pmapping whose first criterion is at the best so
  /// far and whose second is more than this above the least second there.
  /// Valid only if the mapping found has every Einsum at its floor
  /// (cappedSearch proves it or reruns).
  double secondSlack = INFINITY;
  /// A fixed cap on the second criterion, under a `cap` that keeps only
  /// pmappings at the floor (cappedSearch's rerun once every Einsum of the
  /// mapping found is at its floor).
  double secondCap = INFINITY;
  /// EDP: no pmapping whose energy and latency, added to the other
  /// Einsums' sums at each of `otherCorners`, multiply to more than this
  /// (the EDP of a known complete mapping): no complete mapping holding it
  /// could be better.
  double edpCap = INFINITY;
  /// The corners of the region where the other Einsums' summed (energy,
  /// latency) can lie: at or above both criteria's floors' sums and, for
  /// each weight a weighted floors' pass ran with, at or above their sum
  /// of energy + weight * latency floors (edpSearch). The product of two
  /// sums grows with each and is concave along every edge (one falls as
  /// the other grows): its least over the region is at a corner.
  llvm::SmallVector<std::pair<double, double>, 4> otherCorners;
  /// EDP, what `otherCorners` are the corners of: the box's corner (the
  /// other Einsums' energy and latency floors' sums) and the weighted
  /// floors' lines (weight, their sum), to which a group's least
  /// completions add two more sides (edpCompletions).
  std::pair<double, double> otherBox = {0, 0};
  llvm::SmallVector<std::pair<double, double>, 2> otherLines;
  /// EDP: the weights lambda between which an EDP optimum within edpCap
  /// has its E / L, where it is the one least energy + lambda * latency
  /// (edpSearch): groups keep only what may be least somewhere between
  /// them (Dominance), which no join at such a slope misses.
  double edpSlopeLo = 0, edpSlopeHi = INFINITY;
  /// With `rankWeight` > 0 (EDP only), the caps and the floor rank by
  /// energy plus rankWeight times latency: a weighted floors' pass.
  /// Fronts stay ordered by energy.
  double rankWeight = 0;
  /// An enumeration under caps that cut nothing this one would keep: its
  /// pmappings are taken as they are.
  const EinsumPmappings *reuse = nullptr;
  /// Per interface tensor (EinsumPmappings::interface), the keys it may
  /// take, where restricted: those its neighbours kept (joinable).
  std::vector<std::optional<std::set<Key>>> joinable;
  /// The Einsum's floor that `cap` is its excess over (with a fixed cap:
  /// cap = floor + the known score - the sum of every Einsum's floor).
  double floor = -INFINITY;
  /// With a fixed cap, what neighbours add to the Einsum's floor-based
  /// cap: per neighbour Einsum, per interface slot it shares, the least its
  /// pmappings with each key score above its own floor. A group whose keys
  /// make neighbours score that much above their floors is capped that much
  /// lower (the largest over the slots one neighbour shares, summed over
  /// neighbours).
  struct Surcharge {
    size_t neighbour;
    size_t slot;
    std::map<Key, double> above;
  };
  std::vector<Surcharge> surcharges;
  /// With a fixed cap, per group keys: the least the other Einsums score
  /// above their floors, together, in any complete mapping where this
  /// Einsum takes those keys, capacity ignored (leastCompletions); a key
  /// absent is in no complete mapping within the cap. Null: not known.
  /// Lowers the cap as a surcharge does (the larger of the two counts).
  std::shared_ptr<const KeyExcess> completions;
  /// EDP, per group keys: the least the other Einsums sum to at each of
  /// two slopes in any complete mapping where this Einsum takes those keys,
  /// capacity ignored (leastCompletions of each weighting); a key absent
  /// is in no complete mapping within the caps. Null: not known. Two more
  /// sides of the group's region (otherCorners).
  std::shared_ptr<const KeyCompletions> edpCompletions;
  /// Keep in each group only the pmappings within this much (an amount,
  /// not a share) of the group's least score on the objective: the groups'
  /// least scores are then exact, and a mapping their join finds within
  /// it of the least completions is the optimum (Caps.cpp).
  double window = INFINITY;
  /// Enumerate only down to the choices that fix the keys and keep, per
  /// group, one pseudo-pmapping whose energy and latency are the least
  /// lower bound found there: per-key floors for neighbours' surcharges
  /// and restrictions, never joined.
  bool keyBoundsOnly = false;
  /// With keyBoundsOnly: stop past this many steps (0: never) and bound
  /// nothing (EinsumPmappings::abandoned), which narrows no neighbour.
  uint64_t stepLimit = 0;
  /// Steps the Einsum's enumeration took in the pass before (its
  /// EinsumPmappings::ownSteps, 0: unknown): what its neighbours' key
  /// bounds may spend to narrow it, unless it is reused.
  uint64_t earlierSteps = 0;
  /// EDP: keep in each group only its least pmapping at each end of the
  /// slopes (Dominance::first and second, each breaking ties by the
  /// other), and cut a subtree whose bound reaches both: the groups' two
  /// leasts are then their leasts over all the caps keep, at a fraction of
  /// a front's cost (their least completions, EdpLeasts.cpp).
  bool leastOnly = false;
  /// Enumerate only the keep sets and spatial loops, and keep nothing:
  /// EinsumPmappings::floor and spreadSecond are then the least lower
  /// bounds found there, on the objective's first and second criterion
  /// (floors of the whole mapspace, cheaply: no loop nest is walked).
  bool spreadBoundsOnly = false;
};

/// Enumerates the mapspace of Einsum `einsum` (docs/mapspace.md). With
/// `prune`, keeps only the Pareto-optimal pmappings of each group, narrowed
/// as `narrowing` says.
EinsumPmappings generatePmappings(const Workload &w, int einsum,
                                  const Arch &arch,
                                  const std::vector<bool> &fusable,
                                  const SearchOptions &options, bool prune,
                                  const std::vector<bool> &binding,
                                  const Deadline &deadline,
                                  const Narrowing &narrowing = {},
                                  const std::vector<HaloTags> &halo = {});

/// log10 of the raw mapspace size of Einsum `einsum` (SearchStats).
double rawMapspaceLog10(const Workload &w, int einsum, const Arch &arch,
                        const std::vector<bool> &fusable);

/// Generates every Einsum's pmappings (on options.parallelFor), each
/// narrowed by `narrowing` (per Einsum; empty: not at all).
/// Without a deadline, options.timeLimitSeconds counts from this call.
std::vector<EinsumPmappings>
generateAll(const Workload &w, const Arch &arch, const SearchOptions &options,
            bool prune, const Deadline *deadline = nullptr,
            const std::vector<Narrowing> &narrowing = {});

/// Joins generated pmappings and picks the best full mapping for
/// options.objective: Pareto-pruned frontiers (FFM), or with
/// options.exhaustive every combination (pmappings must be unpruned).
SearchResult joinPmappings(const Workload &w, const Arch &arch,
                           const std::vector<EinsumPmappings> &pm,
                           const SearchOptions &options,
                           const Deadline *deadline = nullptr);

/// Whether `a` makes `b` redundant in one compatibility group (Pareto.cpp).
bool dominates(const Pmapping &a, const Pmapping &b, bool withRes,
               const Dominance &d);

/// Keeps the pmappings no other pmapping in the list dominates on the
/// criteria that matter for `d`; among equal ones, the first. The list
/// ends in order of the objective's first criterion.
void paretoPrune(std::vector<Pmapping> &list, bool withReservations,
                 const Dominance &d);

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_PMAPPINGS_H
