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

/// (JoinBound.h.) Forward: the least Einsums [0, i) score to reach each
/// live set; backward: the least Einsums [i + 1, n) add after one. A
/// complete mapping passes through one live set before and one after each
/// Einsum, and each of its pmappings scores at least its group's least,
/// so the sum of the two bounds every such mapping's other Einsums.
Completions detail::leastCompletions(const Workload &w, const Arch &arch,
                                     const std::vector<EinsumPmappings> &pm,
                                     Objective objective) {
  Joiner joiner(w, arch, pm);
  size_t n = pm.size();
  auto least = [&](const Joiner::Group &group) {
    double best = INFINITY;
    for (const Pmapping &p : group.second)
      best = std::min(best, firstCriterion(objective, p.energy, p.latency));
    return best;
  };
  using Reach = llvm::DenseMap<uint32_t, double>;
  auto lower = [](Reach &reach, uint32_t live, double score) {
    auto [it, fresh] = reach.try_emplace(live, score);
    it->second = std::min(it->second, score);
  };
  std::vector<std::vector<double>> own(n);
  std::vector<Reach> before(n + 1), after(n + 1);
  before[0][0] = 0; // nothing live before the first Einsum
  for (size_t i = 0; i < n; ++i)
    for (const Joiner::Joinable &link : joiner.joinable[i]) {
      own[i].push_back(least(*link.group));
      auto it = before[i].find(link.before);
      if (it != before[i].end() && std::isfinite(own[i].back()))
        lower(before[i + 1], link.after, it->second + own[i].back());
    }
  after[n][0] = 0; // nor after the last
  for (size_t i = n; i-- > 0;)
    for (auto [k, link] : llvm::enumerate(joiner.joinable[i])) {
      auto it = after[i + 1].find(link.after);
      if (it != after[i + 1].end() && std::isfinite(own[i][k]))
        lower(after[i], link.before, own[i][k] + it->second);
    }
  Completions out;
  out.others.resize(n);
  if (auto end = before[n].find(0); end != before[n].end())
    out.least = end->second;
  for (size_t i = 0; i < n; ++i)
    for (const Joiner::Joinable &link : joiner.joinable[i]) {
      auto from = before[i].find(link.before);
      auto to = after[i + 1].find(link.after);
      if (from == before[i].end() || to == after[i + 1].end())
        continue;
      auto [it, fresh] =
          out.others[i].try_emplace(link.group->first,
                                    from->second + to->second);
      it->second = std::min(it->second, from->second + to->second);
    }
  return out;
}
