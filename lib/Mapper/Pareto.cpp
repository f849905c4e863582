//===- Pareto.cpp - dominance and Pareto fronts of pmappings -------------===//
//
// The invariant: a pmapping leaves its front only when another one of the
// same compatibility group is at least as good on every criterion that can
// matter for the objective (energy and/or latency, ties broken by the other
// criterion, and, where the group's tensors may overflow a level, each
// level's reservation and persistent bytes), so no complete mapping built
// from the front is worse than one built from the full group. For EDP,
// "at least as good" is on energy + lambda * latency at every slope lambda
// where an optimum can be least (Dominance): a complete mapping built from
// the front is then least at that slope wherever one from the full group
// is, which is where the EDP optimum lies.
//
//===----------------------------------------------------------------------===//
#include "Pmappings.h"

#include "llvm/ADT/STLExtras.h"

using namespace ffm;
using namespace ffm::detail;

bool detail::dominates(const Pmapping &a, const Pmapping &b, bool withRes,
                      const Dominance &d) {
  if (!noWorse(d, a.energy, a.latency, b.energy, b.latency))
    return false;
  if (withRes)
    for (size_t l = 0; l < a.reservation.size(); ++l)
      if (a.reservation[l] > b.reservation[l] ||
          a.persistent[l] > b.persistent[l])
        return false;
  return true;
}

void detail::paretoPrune(std::vector<Pmapping> &list, bool withRes,
                         const Dominance &d) {
  // Stable lexicographic sort on every criterion, so that any dominator of
  // an entry comes first, ties on the first criterion included (equal
  // entries keep generation order: the first one wins). EDP sorts by its
  // slopes' ends, which a dominator is no worse on.
  auto criteria = [&](const Pmapping &p) {
    llvm::SmallVector<double, 16> c = {d.first(p.energy, p.latency),
                                       d.second(p.energy, p.latency)};
    if (withRes) {
      c.append(p.reservation.begin(), p.reservation.end());
      c.append(p.persistent.begin(), p.persistent.end());
    }
    return c;
  };
  std::stable_sort(list.begin(), list.end(),
                   [&](const Pmapping &a, const Pmapping &b) {
                     return criteria(a) < criteria(b);
                   });
  std::vector<Pmapping> kept;
  for (Pmapping &p : list) {
    bool dominated = llvm::any_of(kept, [&](const Pmapping &k) {
      return dominates(k, p, withRes, d);
    });
    if (!dominated)
      kept.push_back(std::move(p));
  }
  list = std::move(kept);
  // Groups stay in order of the objective's first criterion, as the
  // generator keeps them: the second floor's scan (Pmappings.cpp) stops at
  // the first member past the floor, and the join meets ties in that order.
  // At slope 0 the sort above already left them so.
  if (d.edp() && d.slopeLo > 0)
    llvm::stable_sort(list, [&](const Pmapping &a, const Pmapping &b) {
      return firstCriterion(d.objective, a.energy, a.latency) <
             firstCriterion(d.objective, b.energy, b.latency);
    });
}

void Staircase::add(double first, double second) {
  auto atMost = [](std::pair<double, double> a, std::pair<double, double> b) {
    return a.first <= b.first && a.second <= b.second;
  };
  std::pair<double, double> point{first, second};
  if (llvm::any_of(points, [&](auto q) { return atMost(q, point); }))
    return;
  llvm::erase_if(points, [&](auto q) { return atMost(point, q); });
  points.push_back(point);
}

double Staircase::leastSecondUpTo(double first) const {
  double least = INFINITY;
  for (auto [f, second] : points)
    if (f <= first)
      least = std::min(least, second);
  return least;
}
