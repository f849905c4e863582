//===- JoinBound.h - the join's branch-and-bound cut ------------*- C++ -*-===//
#ifndef FFM_LIB_MAPPER_JOINBOUND_H
#define FFM_LIB_MAPPER_JOINBOUND_H

#include "Join.h"

#include "llvm/ADT/DenseMap.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace ffm::detail {

/// Branch and bound over the join for one additive criterion (energy, or
/// latency). Every Einsum through DRAM (each one's best pmapping with all
/// its interface tensors in DRAM) is a complete mapping, so the optimum
/// scores no worse. A partial mapping is completed at least by the best
/// continuation of its live intermediates when capacity is ignored: a
/// backward pass over the groups (the join without reservations keeps one
/// number per live set), exact wherever capacity does not bind. A partial
/// mapping whose least completion exceeds the incumbent cannot lead to the
/// optimum. Sums in different orders round differently: only a clear excess
/// cuts, or a tie that every completion loses on the other criterion (the
/// latency objective's ties across compute-bound Einsums, mostly).
/// (The constructor's backward pass is in JoinBound.cpp; the cut is here,
/// inline, since the join asks it of every extension.)
class JoinBound {
public:
  /// Pmappings' energies are `weighting`'s (frontierJoin).
  JoinBound(const Joiner &joiner, Objective objective, Weighting weighting);

  /// Lowers the incumbent to a complete mapping's score.
  void tighten(double score) { tighten(score, INFINITY); }
  /// Lowers the incumbent to a complete mapping scoring `score` with
  /// `second` on the other criterion: the lower score, and at an equal
  /// one the lower second criterion.
  void tighten(double score, double second) {
    if (score < incumbent)
      incumbentSecond = second;
    else if (score == incumbent)
      incumbentSecond = std::min(incumbentSecond, second);
    incumbent = std::min(incumbent, score);
  }

  double criterion(double energy, double latency) const {
    return firstCriterion(objective, energy, latency);
  }

  /// The least score, and the least other criterion, Einsums [i, n) can
  /// add after live set `liveId` (infinite: none can continue it).
  std::pair<double, double> rest(uint32_t liveId, size_t i) const {
    auto it = restAfter[i].find(liveId);
    if (it == restAfter[i].end())
      return {INFINITY, INFINITY};
    return it->second;
  }

  /// The least score state `s` of Einsums [0, i) can complete to.
  double least(const State &s, size_t i) const {
    return criterion(s.energy, s.latency) + rest(s.liveId, i).first;
  }

  /// Whether a state of Einsums [0, i) scoring (energy, latency), whose
  /// live set adds at least `rest` (rest()), is cut: each completion
  /// scores clearly more than the incumbent, or at least as much (up to
  /// rounding) and clearly more on the other criterion. A tie is cut
  /// only at or above the incumbent's score: a mapping clearly below the
  /// incumbent, which may prune it from the frontier, is then clearly
  /// below every completion cut too, and beats it (preferred()).
  bool cuts(double energy, double latency,
            std::pair<double, double> rest) const {
    double score = criterion(energy, latency) + rest.first;
    if (score > incumbent * (1 + 1e-9))
      return true;
    // Rounding only: the completion's own sum may round a little lower.
    return score >= incumbent * (1 - 1e-12) &&
           secondCriterion(objective, energy, latency) + rest.second >
               incumbentSecond * (1 + 1e-9);
  }

private:
  Objective objective;
  /// Per i: the least score and the least other criterion Einsums [i, n)
  /// can add after each live set, each on its own (absent: none can
  /// continue it).
  std::vector<llvm::DenseMap<uint32_t, std::pair<double, double>>> restAfter;
  /// A complete mapping's score (infinite when some Einsum cannot go
  /// through DRAM) and its other criterion (infinite when not known).
  double incumbent;
  double incumbentSecond = INFINITY;
};

/// What complete mappings of `pm`'s pmappings can score on `objective`
/// with capacity ignored (leastCompletions).
struct Completions {
  /// The least any complete mapping scores (infinite: none joins).
  double least = INFINITY;
  /// Per Einsum i, per group keys of pm[i]: the least that the Einsums
  /// other than i score together in a complete mapping where i takes those
  /// keys. A group no complete mapping can hold is absent.
  std::vector<std::map<std::vector<Key>, double>> others;
};

/// Each Einsum scoring at least its least over the group it takes: the
/// backward pass above and its forward twin, over live sets. Pmappings'
/// energies are `weighting`'s (an additive criterion of both).
Completions leastCompletions(const Workload &w, const Arch &arch,
                             const std::vector<EinsumPmappings> &pm,
                             Objective objective, Weighting weighting = {});
/// The same over `joiner`'s pmappings, for callers that weigh them twice.
Completions leastCompletions(const Joiner &joiner, Objective objective,
                             Weighting weighting);

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_JOINBOUND_H
