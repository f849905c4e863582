//===- FrontIndex.cpp - a group's criteria, flat, for dominance queries ---===//
//
// The invariant (FrontIndex.h): a member is skipped only when one of the
// comparisons dominates() makes already fails for it; every other member
// up to the first one past Dominance::first of the query is asked.
//
//===----------------------------------------------------------------------===//
#include "FrontIndex.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <cmath>

using namespace ffm;
using namespace ffm::detail;

void FrontIndex::row(const Pmapping &p, const Dominance &d,
                     double *out) const {
  out[0] = d.second(p.energy, p.latency);
  size_t levels = (columns - 1) / 2;
  for (size_t l = 0; l < levels; ++l) {
    out[1 + l] = l < p.reservation.size() ? p.reservation[l] : 0;
    out[1 + levels + l] = l < p.persistent.size() ? p.persistent[l] : 0;
  }
}

void FrontIndex::update(const std::vector<Pmapping> &group, size_t from,
                        const Dominance &d) {
  if (group.empty()) {
    first.clear();
    rows.clear();
    mins.clear();
    leastSecond.clear();
    return;
  }
  size_t levels = group.front().reservation.size();
  if (columns != 1 + 2 * levels) {
    columns = 1 + 2 * levels;
    from = 0;
  }
  from = std::min(from, first.size());
  first.resize(group.size());
  rows.resize(group.size() * columns);
  leastSecond.resize(group.size());
  for (size_t i = from; i < group.size(); ++i) {
    first[i] = firstCriterion(d.objective, group[i].energy, group[i].latency);
    row(group[i], d, &rows[i * columns]);
    leastSecond[i] = i ? std::min(leastSecond[i - 1], rows[i * columns])
                       : rows[0];
  }
  size_t blocks = (group.size() + kBlock - 1) / kBlock;
  mins.resize(blocks * columns);
  for (size_t b = from / kBlock; b < blocks; ++b) {
    double *m = &mins[b * columns];
    std::fill(m, m + columns, INFINITY);
    for (size_t i = b * kBlock; i < std::min(group.size(), (b + 1) * kBlock);
         ++i)
      for (size_t c = 0; c < columns; ++c)
        m[c] = std::min(m[c], rows[i * columns + c]);
  }
}

bool FrontIndex::mayDominate(const std::vector<Pmapping> &group,
                             double energy, double latency,
                             const Dominance &d) const {
  // An index out of step with its group (never filled) rules nothing out.
  if (columns == 0 || first.size() != group.size())
    return true;
  // A dominator's first criterion (EDP: its energy, at most energy +
  // slopeLo * latency) is at most the dominated one's Dominance::first.
  double pb = d.first(energy, latency);
  // Members come in order of the first criterion: only those up to `end`
  // may be no worse on it, and if the first of them is clearly better, it
  // needs no second criterion (energy and latency; EDP compares both, and
  // with slopes the answer is only necessary: a member no worse at each
  // end alone may be worse at the other).
  size_t end = std::upper_bound(first.begin(), first.end(), pb) - first.begin();
  if (end == 0)
    return false;
  if (!d.edp() && clearlyBelow(first[0], pb))
    return true;
  return leastSecond[end - 1] <= d.second(energy, latency);
}

long FrontIndex::dominator(const std::vector<Pmapping> &group,
                           const Pmapping &b, bool withRes,
                           const Dominance &d, size_t hint) const {
  if (hint < group.size() && dominates(group[hint], b, withRes, d))
    return hint;
  double pb = d.first(b.energy, b.latency);
  // The plain scan, up to the first member worse on the first criterion.
  auto plainScan = [&]() -> long {
    for (size_t i = 0; i < group.size(); ++i) {
      if (firstCriterion(d.objective, group[i].energy, group[i].latency) >
          pb)
        break;
      if (dominates(group[i], b, withRes, d))
        return i;
    }
    return -1;
  };
  // An index out of step with its group (never filled) answers nothing.
  if (columns == 0 || first.size() != group.size())
    return plainScan();
  // Members come in order of the first criterion: none after the first
  // one past the limit dominates.
  size_t end = std::upper_bound(first.begin(), first.end(), pb) - first.begin();
  end = std::min(end, group.size());
  llvm::SmallVector<double, 16> target(columns);
  size_t levels = (columns - 1) / 2;
  // Reservations are compared only where the group's are criteria, and
  // only as wide as the rows hold them.
  bool res = withRes && b.reservation.size() == levels &&
             b.persistent.size() == levels;
  if (withRes && !res)
    return plainScan();
  row(b, d, target.data());
  bool edp = d.edp();
  // Energy and latency look at the second criterion only where the first
  // one is not clearly better (noWorse).
  auto needsSecond = [&](size_t i) { return edp || !clearlyBelow(first[i], pb); };
  size_t to = res ? columns : 1; // past the columns to compare
  for (size_t start = 0; start < end; start += kBlock) {
    const double *m = &mins[(start / kBlock) * columns];
    bool skip = false;
    for (size_t c = 1; c < to && !skip; ++c)
      skip = m[c] > target[c];
    // Sorted: if the block's first member needs the second criterion,
    // every later one does too.
    if (!skip && needsSecond(start))
      skip = m[0] > target[0];
    if (skip)
      continue;
    for (size_t i = start; i < std::min(end, start + kBlock); ++i) {
      const double *r = &rows[i * columns];
      bool ruledOut = needsSecond(i) && r[0] > target[0];
      for (size_t c = 1; c < to && !ruledOut; ++c)
        ruledOut = r[c] > target[c];
      if (!ruledOut && dominates(group[i], b, withRes, d))
        return i;
    }
  }
  return -1;
}
