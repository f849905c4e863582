//===- EdpJoin.cpp - the EDP join: parametric joins at chord slopes -------===//
//
// The invariant: the mapping returned has the least EDP of all complete
// mappings, up to rounding. E * L is least at a vertex of the lower convex
// hull of the complete mappings in the (energy, latency) plane, and no
// vertex that could beat the best EDP so far is missed: each weighted join
// is exact (frontierJoin, Join.cpp), and a chord between two known
// vertices is dropped only when no vertex can lie between them (one end
// beats the other on both criteria, or the join at the chord's slope finds
// nothing clearly below it) or when even the least E * L of the triangle
// such a vertex would lie in clearly exceeds the best EDP so far.
//
//===----------------------------------------------------------------------===//
#include "Join.h"

#include <algorithm>
#include <cmath>

using namespace ffm;
using namespace ffm::detail;

/// The FFM join for EDP. E * L is concave along every segment of the
/// (energy, latency) plane, so over the complete mappings it is least at a
/// vertex of their lower convex hull, and each such vertex minimises
/// E + lambda * L for some lambda > 0: one additive criterion, which the
/// join prunes as tightly as energy alone (the two-criteria front it would
/// otherwise keep grows with every staircase point of every partial
/// mapping). The vertices come from joins at chord slopes (as in
/// Eisner-Severance parametric search): between two known vertices, the
/// join weighted by their chord's slope finds a mapping clearly below the
/// chord, a new vertex between them, or proves that none exists.
bool detail::edpJoin(const Workload &w, const Arch &arch,
                     const std::vector<EinsumPmappings> &pm,
                     const SearchOptions &options, const Deadline &deadline,
                     SearchResult &result, JoinPath &best) {
  Joiner joiner(w, arch, pm);
  result.stats.joinableGroups = joiner.joinableGroups();
  // Least energy + lambda * latency (lambda = infinity: least latency),
  // the join summing it in place of the energy (Weighting: the pmappings
  // are not copied), below `incumbent` if given; the path then gets its
  // true energy back.
  auto joinAt = [&](double lambda, std::optional<double> incumbent,
                    std::optional<JoinPath> &found) {
    Weighting weighting =
        std::isinf(lambda) ? Weighting{0, 1} : Weighting{1, lambda};
    if (!frontierJoin(w, joiner, pm, Objective::Energy, options, deadline,
                      incumbent, result, found, weighting))
      return false;
    if (found) {
      found->energy = 0;
      for (const Pmapping *q : found->chosen)
        found->energy += q->energy;
    }
    return true;
  };
  // Each vertex with the weighting (a, b) that found it: every complete
  // mapping has a * E + b * L >= c, its weighted score (that join is exact).
  struct Vertex {
    JoinPath path;
    double a, b, c;
  };
  std::optional<JoinPath> least, fastest;
  if (!joinAt(0, std::nullopt, least) ||
      !joinAt(INFINITY, std::nullopt, fastest))
    return false;
  double leastEnergy = least->energy, leastLatency = fastest->latency;
  std::vector<Vertex> vertices{{std::move(*least), 1, 0, leastEnergy}};
  double bestEdp = vertices[0].path.energy * vertices[0].path.latency;
  std::vector<std::pair<size_t, size_t>> chords;
  if (fastest->energy != vertices[0].path.energy ||
      fastest->latency != vertices[0].path.latency) {
    bestEdp = std::min(bestEdp, fastest->energy * fastest->latency);
    vertices.push_back({std::move(*fastest), 0, 1, leastLatency});
    chords.push_back({0, 1});
  }
  while (!chords.empty()) {
    auto [a, b] = chords.back();
    chords.pop_back();
    const Vertex &lo = vertices[a], &hi = vertices[b];
    double e0 = lo.path.energy, l0 = lo.path.latency;
    double e1 = hi.path.energy, l1 = hi.path.latency;
    // An end with both the least energy and the least latency of the two
    // beats every mapping on their chord: no vertex lies between them.
    if (!(e0 < e1 && l0 > l1))
      continue;
    // A vertex between them lies below the chord and above both support
    // lines: in the triangle of the two ends and the lines' crossing. E * L
    // grows with each coordinate, so on the triangle it is least at a
    // corner; if even the crossing's is clearly above the best so far,
    // nothing there can improve it.
    double det = lo.a * hi.b - hi.a * lo.b;
    double crossE = e0, crossL = l1;
    if (det != 0) {
      crossE = std::max(e0, (lo.c * hi.b - hi.c * lo.b) / det);
      crossL = std::max(l1, (lo.a * hi.c - hi.a * lo.c) / det);
    }
    if (crossE * crossL > bestEdp * (1 + 1e-9))
      continue;
    double lambda = (e1 - e0) / (l0 - l1);
    double chord = e0 + lambda * l0;
    std::optional<JoinPath> below;
    if (!joinAt(lambda, chord, below))
      return false;
    // Sums taken in different orders round differently: a rounding-level
    // dip below the chord is no new vertex.
    double score = below ? below->energy + lambda * below->latency : INFINITY;
    if (score >= chord * (1 - 1e-12))
      continue;
    bestEdp = std::min(bestEdp, below->energy * below->latency);
    vertices.push_back({std::move(*below), 1, lambda, score});
    size_t c = vertices.size() - 1;
    chords.push_back({c, b});
    chords.push_back({a, c});
  }
  size_t pick = 0;
  for (size_t k = 1; k < vertices.size(); ++k)
    if (better(Objective::EDP, vertices[k].path.energy,
               vertices[k].path.latency, vertices[pick].path.energy,
               vertices[pick].path.latency))
      pick = k;
  best = std::move(vertices[pick].path);
  return true;
}
