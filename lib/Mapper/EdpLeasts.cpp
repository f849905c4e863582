//===- EdpLeasts.cpp - EDP's least completions: each key's others bounded -===//
//
// The invariant: an EDP pass narrowed by least completions keeps every
// pmapping of every complete mapping within its cap. A first pass keeps
// per group only its least at each end of EDP's slopes (energy + lo x
// latency, energy / hi + latency; leastOnly), each at most that of any
// pmapping of a mapping within the cap: the cap cuts none of those, and a
// subtree is cut only where its bound reaches both leasts already. Per
// Einsum and keys, the least the other Einsums sum to at each end in any
// complete mapping with those keys (capacity ignored) then bounds the
// others' sums of every mapping within the cap that holds them: two more
// sides of the region the group's corners are taken over
// (Narrowing::edpCompletions), and a key in no such mapping is cut whole.
// The first pass's join, a real mapping, lowers the cap.
//
//===----------------------------------------------------------------------===//
#include "JoinBound.h"
#include "Search.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

using namespace ffm;
using namespace ffm::detail;

/// Narrowing::edpCompletions of every Einsum from the least completions of
/// `least` at both ends of its slopes (lo, hi), rounded down (the join
/// sums in its own order). Einsums sharing pmappings share the least of
/// theirs per key: a key one of them may take stays open for all.
static std::vector<std::shared_ptr<const KeyCompletions>>
keyCompletions(const Workload &w, const Arch &arch,
               const std::vector<EinsumPmappings> &least, double lo,
               double hi) {
  // Dominance's two ends: energy + lo * latency, energy / hi + latency.
  Joiner joiner(w, arch, least);
  Completions atLo =
      leastCompletions(joiner, Objective::Energy, Weighting{1, lo});
  Completions atHi = leastCompletions(
      joiner, Objective::Energy,
      std::isfinite(hi) ? Weighting{1 / hi, 1} : Weighting{0, 1});
  auto down = [](double v) { return v - 1e-9 * std::abs(v); };
  return sharedPerGroups<KeyCompletions>(least, [&](size_t i,
                                                    KeyCompletions &merged) {
    merged.lo = lo;
    merged.hi = hi;
    // The backward and forward passes see the same live sets, so a key
    // is completed at both slopes or at neither, unless a weighted sum
    // overflowed at one: that side then bounds nothing (the sums are
    // never negative), and the key stays open.
    auto lower = [&](const std::vector<Key> &keys, double first,
                     double second) {
      std::pair<double, double> v{down(first), down(second)};
      auto [it, fresh] = merged.least.try_emplace(keys, v);
      it->second.first = std::min(it->second.first, v.first);
      it->second.second = std::min(it->second.second, v.second);
    };
    for (const auto &[keys, first] : atLo.others[i]) {
      auto second = atHi.others[i].find(keys);
      lower(keys, first,
            second == atHi.others[i].end() ? 0.0 : second->second);
    }
    for (const auto &[keys, second] : atHi.others[i])
      if (!atLo.others[i].count(keys))
        lower(keys, 0.0, second);
  });
}

SearchResult detail::leastCompletedEdpPass(
    const Workload &w, const Arch &arch, const Deadline &deadline,
    const Run &run, std::vector<Narrowing> caps, double sumE, double sumL,
    std::vector<EinsumPmappings> *kept) {
  if (caps.empty())
    return run(caps, kept);
  std::vector<Narrowing> leastOnly = caps;
  for (Narrowing &n : leastOnly)
    n.leastOnly = true;
  std::vector<EinsumPmappings> least;
  SearchResult first = run(leastOnly, &least);
  auto failed = [](const std::vector<EinsumPmappings> &pm) {
    return llvm::any_of(
        pm, [](const EinsumPmappings &p) { return !p.error.empty(); });
  };
  // A spent budget ends the search with what it has. An Einsum with no
  // group has no pmapping within the cap: so the pass below would find
  // too, and the join has reported it (fitError).
  if (deadline.passed() || first.budgetSpent || failed(least) ||
      llvm::any_of(least, [](const EinsumPmappings &p) {
        return p.groups->empty();
      })) {
    if (kept)
      *kept = std::move(least);
    return first;
  }
  // edpSlopes gives every Einsum the same range, which the least pass's
  // Dominance and so the completions' weightings used.
  assert(llvm::all_of(caps, [&](const Narrowing &n) {
    return n.edpSlopeLo == caps[0].edpSlopeLo &&
           n.edpSlopeHi == caps[0].edpSlopeHi;
  }));
  std::vector<std::shared_ptr<const KeyCompletions>> completions =
      keyCompletions(w, arch, least, caps[0].edpSlopeLo, caps[0].edpSlopeHi);
  least.clear(); // their memory, before the pass below fills its own
  // The mapping its join found bounds the optimum too (rounding-level
  // slack on top: the cap must never cut a tie).
  double capped = caps[0].edpCap;
  double found = first.ok() ? first.energy * first.latency : INFINITY;
  double cap = std::min(capped, found * (1 + 1e-9));
  for (auto [i, n] : llvm::enumerate(caps)) {
    n.edpCompletions = completions[i];
    n.edpCap = cap;
  }
  edpSlopes(caps, sumE, sumL, cap);
  std::vector<EinsumPmappings> pm;
  SearchResult r = run(caps, &pm);
  // Within the cap, the first pass's mapping is among what this pass
  // keeps, which its join then finds or beats (a failure here is an
  // error, reported as one); above it (the first pass caps pmappings, not
  // mappings), the first pass's mapping is an incumbent where this one
  // finds none.
  bool firstStands =
      first.ok() && !r.budgetSpent && !failed(pm) && !deadline.passed() &&
      (r.ok() ? better(Objective::EDP, first.energy, first.latency, r.energy,
                       r.latency)
              : found > capped);
  if (kept)
    *kept = std::move(pm);
  return firstStands ? first : r;
}
