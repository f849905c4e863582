//===- FrontIndex.h - a group's criteria, flat, for dominance queries -*- C++ -*-===//
//
// The invariant: FrontIndex::dominator(group, b) returns a member of the
// group that dominates `b` (detail::dominates) whenever one exists, and
// only such a member: the index only skips members that some criterion
// already rules out, and every member it does not skip is judged by
// dominates() itself. The generator's bound asks this at nearly every
// node of the enumeration, against groups of thousands of members most of
// which are ruled out by a reservation or by the second criterion: those
// are skipped sixteen at a time by per-block minima. Internal to
// lib/Mapper.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_LIB_MAPPER_FRONTINDEX_H
#define FFM_LIB_MAPPER_FRONTINDEX_H

#include "Pmappings.h"

#include <vector>

namespace ffm::detail {

/// Mirrors one group (members in order of the objective's first criterion)
/// as rows of doubles: the second criterion (EDP: Dominance::atHi), then
/// each level's reservation and persistent bytes; and per block of rows,
/// each column's minimum. Every call passes the same Dominance.
class FrontIndex {
public:
  /// The group changed from member `from` on (inserted, erased or moved
  /// there): rebuilds the rows and blocks from it.
  void update(const std::vector<Pmapping> &group, size_t from,
              const Dominance &d);

  /// Whether some member of `group` is no worse than (energy, latency) on
  /// the criteria (noWorse): a necessary condition for dominator(), which
  /// the generator asks before it bounds the reservations that one needs.
  /// Exact but under EDP's slopes, where it is only necessary.
  bool mayDominate(const std::vector<Pmapping> &group, double energy,
                   double latency, const Dominance &d) const;

  /// The index of a member of `group` that dominates `b`, trying `hint`
  /// first, or -1.
  long dominator(const std::vector<Pmapping> &group, const Pmapping &b,
                 bool withRes, const Dominance &d, size_t hint) const;

private:
  static constexpr size_t kBlock = 16;
  size_t columns = 0;
  std::vector<double> first; // per member: the first criterion
  std::vector<double> rows;  // per member: `columns` values
  std::vector<double> mins;  // per block: each column's least value
  std::vector<double> leastSecond; // per member: the least second criterion
                                   // of it and the members before it

  void row(const Pmapping &p, const Dominance &d, double *out) const;
};

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_FRONTINDEX_H
