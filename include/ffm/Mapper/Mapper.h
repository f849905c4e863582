//===- Mapper.h - the Fast and Fusiest Mapper -------------------*- C++ -*-===//
//
// Finds the optimal fused mapping of a workload on an architecture within
// the mapspace of docs/mapspace.md: per-Einsum pmappings, grouped by their
// compatibility with neighbours and Pareto-pruned, then joined Einsum by
// Einsum with the frontier pruned again (DESIGN.md section 6). The
// exhaustive mode enumerates the same mapspace without pruning.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_MAPPER_MAPPER_H
#define FFM_MAPPER_MAPPER_H

#include "ffm/Model/Model.h"
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ffm {

enum class Objective { Energy, Latency, EDP };

/// Parses "energy", "latency" or "edp".
bool parseObjective(llvm::StringRef text, Objective &out);

struct SearchOptions {
  Objective objective = Objective::Energy;
  /// Enumerate every combination of pmappings, with no pruning.
  bool exhaustive = false;
  /// Keep every intermediate in DRAM (the unfused baseline).
  bool allowFusion = true;
  /// Stop with an error past this many pmappings held for one Einsum (with
  /// pruning: on its groups' Pareto fronts, which is what stays in memory;
  /// exhaustive: every valid one), or this many partial mappings in a join
  /// frontier (exhaustive: combinations).
  uint64_t maxPmappings = 4'000'000;
  /// Stop with an error past this many seconds (0: no limit).
  double timeLimitSeconds = 0;
  /// When the time limit started, if before this search: several searches
  /// for one result (a pass's forms, reruns and baseline) share one limit.
  std::optional<std::chrono::steady_clock::time_point> timeLimitFrom;
  /// Stop with an error once the process's resident memory passes this
  /// many MiB (0: 80% of the machine's or its cgroup's memory), checked
  /// where the time limit is: a clear error instead of the OOM killer or
  /// an uncaught std::bad_alloc. (80% of ulimit -v bounds the mapped size
  /// either way.)
  uint64_t maxMemoryMB = 0;
  /// The mapspace holds fused loops (those above a fused intermediate) over
  /// each rank at most this many times (0: any number), as in the FFM
  /// authors' mapper: one fused tiling per rank keeps the number of
  /// compatibility groups manageable on machines with large buffers.
  unsigned maxFusedLoopsPerRank = 1;
  /// And at most this many in all above each fused intermediate (0: any
  /// number): the authors' mapper's `max_fused_loops`.
  unsigned maxFusedLoops = 0;
  /// Storage nodes of a level may sit anywhere among its block's loops
  /// (each below some of them), not only at its head: the authors'
  /// mapper's mapspace, where one buffer may keep a tensor above a loop
  /// and another tensor below it. A larger mapspace, a slower search.
  bool nodeDepths = false;
  /// Fusion through a window dimension (docs/mapspace.md, "Halo
  /// co-tiling"): a consumer's fused loop over a convolution's output pixel
  /// co-tiles its producer with overlapping tiles that recompute the halo.
  bool haloFusion = true;
  /// How many ranks one fanout dimension may spread (>= 1): with 2, a
  /// 128-wide dimension may take 8 heads x 16 tokens. Each takes the
  /// largest divisor of its rest that fits what the ones before it left.
  unsigned maxSpatialRanksPerDim = 1;
  /// Only a mapping scoring less than this on the objective is of use (a
  /// known mapping's score, as ffm-fuse's folded form is searched against
  /// the form as written): the search returns the optimum if it scores
  /// less; otherwise an error (that its floors show none does, or that
  /// none was found under caps from this score) or a mapping scoring at
  /// least this, not necessarily the optimum. The exhaustive search
  /// ignores it.
  double beat = std::numeric_limits<double>::infinity();
  /// Energy (and latency when tieSlack is negative): each Einsum's
  /// pmappings are capped at its floor plus this fraction (>= 0; less
  /// counts as 0) of the all-unfused mapping's score. Only speed depends
  /// on it: a slack too small for the optimum costs one rerun.
  double capSlack = 0.005;
  /// Energy (and latency when tieSlack is negative): the first capped pass
  /// caps each Einsum at its floor plus at most this fraction (>= 0) of its
  /// own all-unfused score, where that is less than capSlack's: a small
  /// Einsum of a large workload is otherwise left uncapped. Only speed
  /// depends on it (docs/mapspace.md, "Each Einsum's own slack").
  double einsumSlack = 0.05;
  /// Latency: each Einsum's pmappings at its latency floor are capped on
  /// energy at the least energy there plus this fraction of the
  /// all-unfused mapping's energy, and the latency at its floor
  /// (docs/mapspace.md, "Latency ties"); negative: no energy caps, the
  /// latency capped as energy is. Only speed depends on it.
  double tieSlack = 0.05;
  /// EDP: a first EDP pass capped at the product of the energy floors'
  /// and the spread latency floors' sums plus this fraction of it, whose
  /// mapping, when within the cap, is the optimum without the latency
  /// search (docs/mapspace.md, "EDP's first pass"); negative: none. Only
  /// speed depends on it.
  double edpFirstSlack = 0.02;
  /// Runs body(i) for i in [0, n); the default runs them in order. Results
  /// do not depend on the order or the concurrency.
  std::function<void(size_t n, const std::function<void(size_t)> &body)>
      parallelFor;
};

/// The process's resident set size in MiB (Linux: /proc/self/statm; 0
/// where unknown), what SearchOptions::maxMemoryMB bounds.
uint64_t residentMB();
/// Its mapped (virtual) and resident sizes in MiB, what ulimit -v and
/// SearchOptions::maxMemoryMB bound.
std::pair<uint64_t, uint64_t> mappedAndResidentMB();
/// The process's peak resident set size so far in MiB (getrusage).
uint64_t peakResidentMB();

struct SearchStats {
  uint64_t candidates = 0;     // mappings the generator built and evaluated
  uint64_t pmappings = 0;      // valid ones
  uint64_t kept = 0;           // after per-group Pareto pruning
  uint64_t groups = 0;         // compatibility groups
  /// Those whose keys every other Einsum sharing their tensors has in a
  /// group of its own (of the last join): the others can never join.
  uint64_t joinableGroups = 0;
  uint64_t maxFrontier = 0;    // largest join frontier
  uint64_t combinations = 0;   // exhaustive: full mappings evaluated
  uint64_t steps = 0;          // nodes the generator's enumeration visited
  /// log10 of the size of the raw fused mapspace, counted (not enumerated)
  /// before canonical forms, validity and capacity: per Einsum, fusion
  /// choices x keep sets x spatial choices x tilings x loop orders x node
  /// positions, multiplied over Einsums.
  double mapspaceLog10 = 0;
  double generateSeconds = 0, joinSeconds = 0;
  /// Enumerations of the mapspace: 1 (exhaustive, EDP), else the unfused
  /// pass the caps' slack is scaled by, one capped pass, and one more when
  /// the mapping it found does not prove its caps (docs/mapspace.md).
  unsigned generationPasses() const { return passCosts.size(); }
  /// Capped searches that ran the pass within a window of each key's least
  /// (docs/mapspace.md, "Least completions"): proved by its join, or
  /// followed by a rerun capped by the least completions.
  unsigned windowProofs = 0, windowReruns = 0;
  /// Per Einsum, over every pass: the steps and wall seconds of its own
  /// enumerations (0 for one sharing another's pmappings), which say where
  /// a slow search spends its time.
  std::vector<uint64_t> einsumSteps;
  std::vector<double> einsumSeconds;
  /// Per generation pass, in the order run (each search's after the
  /// previous one's): its steps and wall seconds, which say which pass a
  /// slow search spends its time in.
  std::vector<std::pair<uint64_t, double>> passCosts;
  /// Whole searches these figures cover (ffm-fuse also searches a
  /// function's folded form, and again with barriers where it must).
  unsigned searches = 1;

  /// Adds what another search of the same function cost: its time, steps
  /// and passes, and with `sameEinsums` (a search of the same workload)
  /// its per-Einsum figures; another form's Einsums are not these.
  void addCost(const SearchStats &other, bool sameEinsums) {
    steps += other.steps;
    generateSeconds += other.generateSeconds;
    joinSeconds += other.joinSeconds;
    windowProofs += other.windowProofs;
    windowReruns += other.windowReruns;
    searches += other.searches;
    passCosts.insert(passCosts.end(), other.passCosts.begin(),
                     other.passCosts.end());
    if (sameEinsums && other.einsumSteps.size() == einsumSteps.size() &&
        other.einsumSeconds.size() == einsumSeconds.size())
      for (size_t i = 0; i < einsumSteps.size(); ++i) {
        einsumSteps[i] += other.einsumSteps[i];
        einsumSeconds[i] += other.einsumSeconds[i];
      }
  }
};

struct EinsumResult {
  Mapping mapping;
  Evaluation eval;
  /// Per access: a fused intermediate held on chip.
  std::vector<bool> onChipShared;
};

struct SearchResult {
  std::string error; // non-empty: no mapping, and why
  /// The Einsum the error is about, where it is one Einsum's (none of its
  /// mappings is valid, its enumeration stopped); else -1.
  int failedEinsum = -1;
  double energy = 0, latency = 0;
  std::vector<EinsumResult> einsums;
  /// Einsums sharing fused loops, in program order; singletons included.
  std::vector<std::vector<int>> groups;
  SearchStats stats;
  /// The best all-unfused mapping's figures (energy, latency), where the
  /// search found them on its way (see SearchStats::generationPasses) or
  /// nothing can fuse; else search() with allowFusion = false gives them.
  std::optional<std::pair<double, double>> unfused;
  /// The join stopped at its max-pmappings budget (the error says where):
  /// no answer on whether a mapping lies within its caps.
  bool budgetSpent = false;

  bool ok() const { return error.empty(); }
  double score(Objective objective) const;
};

SearchResult search(const Workload &w, const Arch &arch,
                    const SearchOptions &options = {});

/// What a mapping must agree on with its neighbours for one tensor it
/// shares: {0} when the tensor is kept in DRAM; else its outermost on-chip
/// level followed by the loops above that storage node as (tensor dim,
/// count, spatial level + 1 or 0, fanout dim). A halo loop, or a loop over
/// one rank of a window dimension d, is (kHaloKeyDim + d, count, span,
/// step): the tile each iteration hands over (docs/mapspace.md), unless
/// its tiles are disjoint and cover dimension d of `shape` (the tensor's)
/// exactly: span = step and count x step = the extent, which a plain loop
/// of that count over d hands over too, so the key is the plain loop's.
/// Nullopt when a loop above the on-chip storage does not walk the tensor
/// so: no valid fusion. `e` gives the bounds of the ranks of window
/// dimensions.
constexpr int64_t kHaloKeyDim = int64_t(1) << 20;
/// Whether `count` tiles `span` long and `step` apart are disjoint and
/// cover `extent` exactly: what a plain loop of that count hands over, so
/// fusionKey keys them as one and haloCandidates lists no halo loop.
inline bool plainTiles(int64_t count, int64_t span, int64_t step,
                       int64_t extent) {
  return span == step && count * step == extent;
}
std::optional<std::vector<int64_t>>
fusionKey(const Einsum &e, const TensorAccess &access, const Mapping &mapping,
          int accessIndex, llvm::ArrayRef<int64_t> shape);

/// Per access of Einsum `einsum`: a fusable intermediate that `mapping`
/// never keeps in DRAM (it stays on chip between producer and consumer).
std::vector<bool> onChipAccesses(const Workload &w, int einsum,
                                 const Mapping &mapping);

} // namespace ffm

#endif // FFM_MAPPER_MAPPER_H
