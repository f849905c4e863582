//===- Search.h - the search driver's shared internals ----------*- C++ -*-===//
//
// What the search's files share besides the joins (Join.h): its clock, the
// interface tensors of an Einsum and their neighbours, and the capped
// searches (Caps.cpp) that ffm::search runs. Internal to lib/Mapper.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_LIB_MAPPER_SEARCH_H
#define FFM_LIB_MAPPER_SEARCH_H

#include "Pmappings.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace ffm::detail {

using Clock = std::chrono::steady_clock;
inline double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// The Einsum whose failure a search reports, or pm.size() if none failed:
/// the first that failed on its own (no valid mapping, a size budget), else
/// of those a shared budget stopped the one that ran longest. Einsums are
/// enumerated in parallel, so when a time limit trips, the first in order
/// may have just begun; the one it is spent on is the one to name.
size_t failedEinsum(llvm::ArrayRef<EinsumPmappings> pm);

/// The interface tensor of Einsum i at each of its interface slots.
std::vector<int> interfaceTensors(const Workload &w,
                                  const std::vector<bool> &fusable, size_t i);

/// The Einsums other than i that share fusable tensor t with it.
std::vector<int> neighbours(const Workload &w, int t, size_t i);

/// One enumeration and join narrowed per Einsum as the vector says (empty:
/// not at all); the second argument, if not null, receives the pmappings.
using Run = std::function<SearchResult(const std::vector<Narrowing> &,
                                       std::vector<EinsumPmappings> *)>;
/// Such a pass under given options.
using RunFor = std::function<Run(const SearchOptions &)>;

/// What the search's generation passes add up to, for SearchStats: their
/// count, time and steps, and per Einsum the steps and seconds of every
/// pass (so that these add up to the steps, failed passes included).
struct PassTotals {
  double generateSeconds = 0;
  uint64_t steps = 0;
  /// SearchStats::windowProofs and windowReruns.
  unsigned windowProofs = 0, windowReruns = 0;
  std::vector<uint64_t> einsumSteps;
  std::vector<double> einsumSeconds;
  /// SearchStats::passCosts.
  std::vector<std::pair<uint64_t, double>> passCosts;
  /// One more generation pass, which took `seconds` and gave `pm`.
  void add(const std::vector<EinsumPmappings> &pm, double seconds);
};

/// FFM for energy or latency: passes of `run` under caps from the Einsums'
/// floors (Caps.cpp). Times, steps and passes add to `totals`; with
/// `floorsOut`, each Einsum's floor on the objective. Without `optimum`,
/// the first mapping found once the floors are known is the result (what
/// EDP's caps need: exact floors and an incumbent, optimal or not).
SearchResult cappedSearch(const Workload &w, const Arch &arch,
                          const SearchOptions &options,
                          const Deadline &deadline, const Run &run,
                          PassTotals &totals,
                          std::vector<double> *floorsOut = nullptr,
                          bool optimum = true);

struct Completions;

/// Per Einsum of `pm`, the T that `fill(i, t)` lowers key by key. Einsums
/// sharing pmappings (one Groups) share one T that each of them lowers: a
/// key one of them may take stays open for all.
template <typename T, typename Fill>
std::vector<std::shared_ptr<const T>>
sharedPerGroups(const std::vector<EinsumPmappings> &pm, Fill fill) {
  std::vector<std::shared_ptr<const T>> out(pm.size());
  std::map<const EinsumPmappings::Groups *, std::shared_ptr<T>> shared;
  for (size_t i = 0; i < pm.size(); ++i) {
    std::shared_ptr<T> &merged = shared[pm[i].groups.get()];
    if (!merged)
      merged = std::make_shared<T>();
    fill(i, *merged);
    out[i] = merged;
  }
  return out;
}

/// Narrowing::completions from `c`, the least completions of `least` (each
/// key's least within fixed caps, Narrowing::window): per Einsum, what the
/// others score above their floors (`floor`, summing to `sum`) in the
/// least complete mapping with each key, rounded down, as the join sums in
/// its own order. Einsums sharing pmappings share the least of theirs per
/// key: a key one of them may take stays open for all.
std::vector<std::shared_ptr<const KeyExcess>>
keyExcess(const Completions &c, const std::vector<EinsumPmappings> &least,
          const std::vector<double> &floor, double sum);

/// The corners of {(x, y): x >= e, y >= l, and x + w * y >= c for each
/// (w, c) of `lines`}: the points where two of its sides meet that lie in
/// it (within rounding, which can only add points and lower the least of
/// a product over them). Narrowing::otherCorners.
llvm::SmallVector<std::pair<double, double>, 4>
corners(double e, double l, llvm::ArrayRef<std::pair<double, double>> lines);

/// Narrowing::edpSlopeLo and edpSlopeHi of every Einsum for an EDP pass
/// capped at `cap`, from the floors' sums sumE and sumL (Caps.cpp): the
/// range of E* / L* over every mapping within the cap.
void edpSlopes(std::vector<Narrowing> &caps, double sumE, double sumL,
               double cap);

/// The EDP pass `run` under `caps` (every Einsum's EDP cap, corners and
/// slopes; the floors' sums sumE and sumL), narrowed by the least
/// completions of a first pass that keeps each group's leasts at the two
/// ends of the slopes only, and capped by that pass's mapping where lower
/// (EdpLeasts.cpp). `kept`, if not null, receives the last pass's
/// pmappings.
SearchResult leastCompletedEdpPass(const Workload &w, const Arch &arch,
                                   const Deadline &deadline, const Run &run,
                                   std::vector<Narrowing> caps, double sumE,
                                   double sumL,
                                   std::vector<EinsumPmappings> *kept =
                                       nullptr);

/// FFM for EDP: the energy and the latency searches' first capped passes,
/// a weighted floors' pass, then one EDP pass capped by their floors and
/// their better EDP (Caps.cpp), narrowed by its least completions.
SearchResult edpSearch(const Workload &w, const Arch &arch,
                       const SearchOptions &options, const Deadline &deadline,
                       const RunFor &runFor, PassTotals &totals);

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_SEARCH_H
