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
