//===- JoinBound.cpp - least completions of partial mappings --------------===//
//
// The invariant: the bound never exceeds the least score any complete
// mapping continuing a partial one can reach, and the incumbent is always
// the score of some complete mapping (all-DRAM, or one a join found), so
// a cut partial mapping cannot lead to an optimum. Per live set, the least
// that the Einsums after it can add is taken over every group that can
// follow it with capacity ignored, which only lowers it; the cut needs a
// clear excess over the incumbent, so rounding never cuts a tie. A tie is
// cut only when the incumbent is a mapping whose other criterion is known,
// every completion scores at least as much (up to rounding) and every
// completion's other criterion (the same least sum, on that criterion)
// clearly exceeds it: the incumbent, or whatever prunes it, is preferred.
//
//===----------------------------------------------------------------------===//
#include "JoinBound.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <cassert>

using namespace ffm;
using namespace ffm::detail;

JoinBound::JoinBound(const Joiner &joiner, Objective objective,
                     Weighting weighting)
    : objective(objective), restAfter(joiner.pm.size() + 1) {
  size_t n = joiner.pm.size();
  assert(objective != Objective::EDP && "one additive criterion");
  restAfter[n][0] = {0, 0}; // nothing live after the last Einsum
  incumbent = 0;
  for (size_t i = n; i-- > 0;) {
    double dram = INFINITY;
    for (const Joiner::Joinable &link : joiner.joinable[i]) {
      const Joiner::Group &group = *link.group;
      double best = INFINITY, bestSecond = INFINITY;
      for (const Pmapping &p : group.second) {
        double energy = weighting.of(p);
        best = std::min(best, criterion(energy, p.latency));
        bestSecond = std::min(bestSecond,
                              secondCriterion(objective, energy, p.latency));
      }
      if (llvm::all_of(group.first, inDram))
        dram = std::min(dram, best);
      auto next = restAfter[i + 1].find(link.after);
      if (next == restAfter[i + 1].end())
        continue; // no later Einsum can continue it
      auto [it, fresh] =
          restAfter[i].try_emplace(link.before, INFINITY, INFINITY);
      it->second.first = std::min(it->second.first, best + next->second.first);
      it->second.second =
          std::min(it->second.second, bestSecond + next->second.second);
    }
    incumbent += dram;
  }
}

/// (JoinBound.h.) What Einsums [i + 1, n) add after each live set is the
/// join's own bound (rest()); a forward pass adds what Einsums [0, i) take
/// to reach each one. A complete mapping passes through one live set
/// before and one after each Einsum, and each of its pmappings scores at
/// least its group's least, so the two sum to a bound of every such
/// mapping's other Einsums.
Completions detail::leastCompletions(const Workload &w, const Arch &arch,
                                     const std::vector<EinsumPmappings> &pm,
                                     Objective objective,
                                     Weighting weighting) {
  return leastCompletions(Joiner(w, arch, pm), objective, weighting);
}

Completions detail::leastCompletions(const Joiner &joiner,
                                     Objective objective,
                                     Weighting weighting) {
  JoinBound bound(joiner, objective, weighting);
  size_t n = joiner.pm.size();
  auto least = [&](const Joiner::Group &group) {
    double best = INFINITY;
    for (const Pmapping &p : group.second)
      best = std::min(best,
                      firstCriterion(objective, weighting.of(p), p.latency));
    return best;
  };
  auto lower = [](auto &map, const auto &key, double score) {
    auto [it, fresh] = map.try_emplace(key, score);
    it->second = std::min(it->second, score);
  };
  Completions out;
  out.others.resize(n);
  std::vector<llvm::DenseMap<uint32_t, double>> before(n + 1);
  before[0][0] = 0; // nothing live before the first Einsum
  for (size_t i = 0; i < n; ++i)
    for (const Joiner::Joinable &link : joiner.joinable[i]) {
      auto from = before[i].find(link.before);
      if (from == before[i].end())
        continue;
      double rest = bound.rest(link.after, i + 1).first;
      if (std::isfinite(rest))
        lower(out.others[i], link.group->first, from->second + rest);
      double own = least(*link.group);
      if (std::isfinite(own))
        lower(before[i + 1], link.after, from->second + own);
    }
  if (auto end = before[n].find(0); end != before[n].end())
    out.least = end->second;
  return out;
}
