//===- JoinBound.h - the join's branch-and-bound cut ------------*- C++ -*-===//
#ifndef FFM_LIB_MAPPER_JOINBOUND_H
#define FFM_LIB_MAPPER_JOINBOUND_H

#include "Join.h"

#include "llvm/ADT/DenseMap.h"
#include <algorithm>
#include <cmath>
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
/// cuts, never a tie.
/// (The constructor's backward pass is in JoinBound.cpp; the cut is here,
/// inline, since the join asks it of every extension.)
class JoinBound {
public:
  JoinBound(const Joiner &joiner, Objective objective);

  /// Lowers the incumbent to a complete mapping's score.
  void tighten(double score) { incumbent = std::min(incumbent, score); }

  double criterion(double energy, double latency) const {
    return firstCriterion(objective, energy, latency);
  }

  /// The least score state `s` of Einsums [0, i) can complete to.
  double least(const State &s, size_t i) const {
    auto it = rest[i].find(s.liveId);
    return it == rest[i].end() ? INFINITY
                               : criterion(s.energy, s.latency) + it->second;
  }

  /// Whether state `s` of Einsums [0, i) is cut.
  bool cuts(const State &s, size_t i) const {
    return least(s, i) > incumbent * (1 + 1e-9);
  }

private:
  Objective objective;
  /// Per i: the least score Einsums [i, n) can add after each live set
  /// (absent: none can continue it).
  std::vector<llvm::DenseMap<uint32_t, double>> rest;
  double incumbent; // infinite when some Einsum cannot go through DRAM
};

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_JOINBOUND_H
