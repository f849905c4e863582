//===- Exhaustive.cpp - the reference join over every combination ---------===//
//
// The invariant: the mapping returned is an optimum over every combination
// of the Einsums' unpruned pmappings that the join's rules (Joiner:
// compatible keys, no split fusion group, capacity) accept. A subtree is
// skipped only when an admissible bound, the best each remaining Einsum
// could do alone, proves it cannot beat the incumbent (or, for energy and
// latency, tie it and win on the other criterion): no grouping, no Pareto
// pruning, nothing FFM's own join relies on besides those rules.
//
//===----------------------------------------------------------------------===//
#include "Join.h"

#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cmath>
#include <functional>

using namespace ffm;
using namespace ffm::detail;

/// The reference: depth-first over every combination of pmappings,
/// sharing compatibility and capacity rules with the joins but with no
/// grouping and no Pareto pruning. Only subtrees that an admissible
/// bound (the best each remaining Einsum could do alone) proves cannot
/// beat the incumbent are skipped, so the optimum is exact.
bool detail::exhaustiveJoin(const Workload &w, const Arch &arch,
                            const std::vector<EinsumPmappings> &pm,
                            const SearchOptions &options,
                            const Deadline &deadline, SearchResult &result,
                            JoinPath &answer) {
  size_t n = w.einsums.size();
  std::vector<std::vector<std::pair<const std::vector<Key> *, const Pmapping *>>>
      all(n);
  std::vector<double> restE(n + 1, 0), restL(n + 1, 0);
  for (size_t i = n; i-- > 0;) {
    double minE = INFINITY, minL = INFINITY;
    for (auto &[keys, group] : *pm[i].groups)
      for (const Pmapping &p : group) {
        all[i].push_back({&keys, &p});
        minE = std::min(minE, p.energy);
        minL = std::min(minL, p.latency);
      }
    // Best first, so the incumbent is good early; for EDP by energy,
    // which makes the bound below monotone along the list.
    Objective order = options.objective == Objective::EDP
                          ? Objective::Energy
                          : options.objective;
    std::stable_sort(all[i].begin(), all[i].end(), [&](auto &a, auto &b) {
      return better(order, a.second->energy, a.second->latency,
                    b.second->energy, b.second->latency);
    });
    restE[i] = restE[i + 1] + minE;
    restL[i] = restL[i + 1] + minL;
  }
  Joiner joiner(w, arch, pm);
  std::vector<State> stack(n + 1);
  std::vector<const Pmapping *> path(n);
  std::vector<bool> pathStarts(n);
  bool found = false;
  double bestE = 0, bestL = 0;
  std::string budgetError;
  std::function<void(size_t)> dfs = [&](size_t i) {
    if (!budgetError.empty())
      return;
    if (i == n) {
      if (!found ||
          preferred(options.objective, stack[n].energy, stack[n].latency, bestE,
                 bestL)) {
        found = true;
        bestE = stack[n].energy;
        bestL = stack[n].latency;
        answer.chosen = path;
        answer.starts = pathStarts;
      }
      return;
    }
    auto req = joiner.required(stack[i], i);
    if (!req)
      return;
    for (auto [keys, p] : all[i]) {
      if (result.stats.combinations % 4096 == 0 && deadline.passed()) {
        budgetError = deadline.error("joining", w.einsums[i].name);
        return;
      }
      if (++result.stats.combinations > options.maxPmappings) {
        budgetError = llvm::formatv(
            "search budget exceeded: exhaustive search visited {0} partial "
            "mappings (raise max-pmappings)",
            options.maxPmappings);
        result.budgetSpent = true;
        return;
      }
      if (found) {
        // A subtree that can at best tie the incumbent cannot improve the
        // optimum's score (the slack absorbs the rounding of sums taken
        // in another order)...
        double limit = scoreOf(options.objective, bestE, bestL) * (1 - 1e-12);
        double e = stack[i].energy + p->energy + restE[i + 1];
        double l = stack[i].latency + p->latency + restL[i + 1];
        // ... except, for energy or latency, on the other criterion: a
        // tie is worth entering while it can still beat the incumbent's
        // other criterion. Past a clear excess, so is every later one.
        if (options.objective != Objective::EDP) {
          double score = scoreOf(options.objective, e, l),
                 best = scoreOf(options.objective, bestE, bestL);
          if (clearlyBelow(best, score))
            break;
          if (score >= limit &&
              secondCriterion(options.objective, e, l) >=
                  secondCriterion(options.objective, bestE, bestL) *
                      (1 - 1e-12))
            continue;
        } else {
          // Along the sorted list this bound never decreases: once it
          // fails, every later pmapping fails too.
          if (e * (stack[i].latency + restL[i]) >= limit)
            break;
          if (scoreOf(options.objective, e, l) >= limit)
            continue;
        }
      }
      if (!Joiner::compatible(*keys, *req) ||
          !joiner.extend(stack[i], i, *keys, *p, stack[i + 1]))
        continue;
      path[i] = p;
      pathStarts[i] = stack[i + 1].groupStart;
      dfs(i + 1);
    }
  };
  dfs(0);
  if (!budgetError.empty()) {
    result.error = budgetError;
    return false;
  }
  if (!found) {
    result.error = "no valid fused mapping exists";
    return false;
  }
  answer.energy = bestE;
  answer.latency = bestL;
  return true;
}
