//===- Caps.cpp - caps and floors: narrowed enumerations that lose nothing ===//
//
// The invariant: the caps cut nothing an optimum needs. A complete mapping
// scores at least the sum of its Einsums' floors, so a pmapping scoring more
// than a known complete mapping's score minus the other Einsums' floors is in
// no better one (for EDP: its energy and latency, with the others' sums at
// least their energy, latency and weighted floors' sums, multiply to more than
// a known EDP). The first capped pass caps each Einsum at its floor plus a
// slack; its result is kept only when within the least slack of the floors' sum
// (or when no cap cut anything within the found score's excess over them),
// which proves the optimum there too; otherwise one rerun with caps from the
// found (or all-unfused) score, after the pass at the global slack (where
// Einsums had less) if the first pass found nothing or a mapping just past
// that slack, and after a pass under those caps that keeps each group
// within a window of its least: its join is kept when within the window
// of the least complete mapping compatible keys allow with those leasts
// (no better mapping then lies outside the window), else the rerun caps
// each group by what its keys leave the others (docs/mapspace.md, "Least
// completions"). Caps get rounding-level slack on top, so they never cut a
// tie. Latency, whose floors tie across most
// mappings, caps the energy at the floors instead of the latency above them:
// kept only when the found mapping has every Einsum at its latency floor and
// its energy within the slack of their energy floors there (docs/mapspace.md,
// "Latency ties"). EDP's first pass, capped a little above the floors'
// product, is kept only when its mapping lies within that cap; its last
// pass is narrowed by least completions that bound what every mapping
// within its cap holds (EdpLeasts.cpp). A score to
// beat (SearchOptions::beat) is one more known score: nothing above it is
// needed.
//
//===----------------------------------------------------------------------===//
#include "JoinBound.h"
#include "Search.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <tuple>

using namespace ffm;
using namespace ffm::detail;

/// SearchOptions::beat with rounding-level slack on top: a search's sums
/// may round a score equal to it a little above.
static double beatBound(const SearchOptions &options) {
  return options.beat * (1 + 1e-9);
}

/// After a mapping the first capped pass found but did not prove, the
/// pass at the global slack runs only where the mapping's excess over the
/// floors is at most this many times that slack: a mapping within it then
/// mostly exists (GPT-3-size stacks on the TPU-like preset: 1.09 times),
/// further out it seldom does (the GPT-3 layer on `tpu_v4i` 1.9 times,
/// the DeepSeek-R1 block on Eyeriss-like 2.4 times; docs/mapspace.md).
static constexpr double kWidenReach = 1.5;

/// The window of the least completions' pass, a share of the known score
/// (Narrowing::window): wide enough for optima a little above what
/// compatible keys alone allow (the GPT-3 layer's energy on `tpu_v4i` lies
/// 0.87% of the unfused score above it), narrow enough to cut about as
/// much as a window of none.
static constexpr double kWindow = 1e-2;

/// The result of a search that shows that nothing scores below
/// SearchOptions::beat: by its floors, or by a pass capped at it.
static SearchResult cannotBeat(double beat,
                               llvm::StringRef why = "its floors sum to more") {
  SearchResult r;
  r.error = llvm::formatv(
      "no mapping scores below {0}, the score to beat ({1})", beat, why);
  return r;
}

/// The sum of per-Einsum floors, zero (no bound) where it is not finite
/// (an Einsum without a mapping).
static double floorSum(const std::vector<double> &floors) {
  double total = std::accumulate(floors.begin(), floors.end(), 0.0);
  return std::isfinite(total) ? total : 0;
}

namespace {
/// The spread floors of the objective's first criterion (their sum) and of
/// its second (per Einsum), from spreadFloors; none where the pass stopped.
struct SpreadFloors {
  double firstSum = 0;
  std::vector<double> second;
};
} // namespace

/// Every Einsum's least lower bound on the objective's first and on its
/// second criterion over its keep sets and spatial loops
/// (Narrowing::spreadBoundsOnly): no mapping of it scores less on either.
/// A pass of thousands of steps where the loop nests below take millions;
/// on a bandwidth- or compute-bound Einsum the latency bound there is its
/// floor. Empty (no bound) where a pass stopped, which the full
/// enumeration reports.
static SpreadFloors spreadFloors(const Workload &w, const Arch &arch,
                                 const SearchOptions &options,
                                 const Deadline &deadline, PassTotals &totals) {
  std::vector<Narrowing> spread(w.einsums.size());
  for (Narrowing &n : spread)
    n.spreadBoundsOnly = true;
  auto t0 = Clock::now();
  std::vector<EinsumPmappings> pm =
      generateAll(w, arch, options, /*prune=*/true, &deadline, spread);
  totals.add(pm, since(t0));
  SpreadFloors floors;
  std::vector<double> first;
  for (const EinsumPmappings &p : pm) {
    if (!p.error.empty())
      return {};
    first.push_back(p.floor);
    floors.second.push_back(p.spreadSecond);
  }
  floors.firstSum = floorSum(first);
  return floors;
}

/// (Search.h.)
std::vector<std::shared_ptr<const KeyExcess>>
detail::keyExcess(const Completions &c,
                  const std::vector<EinsumPmappings> &least,
                  const std::vector<double> &floor, double sum) {
  return sharedPerGroups<KeyExcess>(least, [&](size_t i, KeyExcess &merged) {
    double others = sum - floor[i];
    for (const auto &[keys, score] : c.others[i]) {
      double above = std::max(0.0, score - others -
                                       1e-9 * (std::abs(score) + sum));
      auto [it, fresh] = merged.try_emplace(keys, above);
      it->second = std::min(it->second, above);
    }
  });
}

/// FFM for energy or latency, which add over Einsums: a pmapping of Einsum
/// i can be part of a complete mapping scoring at most U only if it scores
/// at most U minus the least every other Einsum can score (its floor).
/// Every Einsum is enumerated with a cap of its own floor plus a slack (the
/// best pmapping found so far, at most its unfused best, plus the slack
/// while the floor is not yet known), which cuts subtrees by the same
/// lower bound as the group fronts and drops the far end of every front
/// (pmappings that save reservations at any cost); the slack is a share
/// of the unfused score, the smaller of the whole mapping's and the
/// Einsum's own. If the mapping the join finds scores at most the sum of
/// the floors plus the least slack, the optimum does too, and the caps cut
/// none of its pmappings; otherwise (after the pass at the whole mapping's
/// share, if some Einsum had less and the join found nothing or a mapping
/// at most kWidenReach times that share above the floors) one pass with
/// caps from the found score (or the all-unfused mapping's), which hold
/// by the same argument (docs/mapspace.md, "Each Einsum's own slack"),
/// each group within a window of its least; its join proves by the least
/// completion of those leasts, or a rerun follows, capped by them too
/// (docs/mapspace.md, "Least completions").
/// Latency caps itself at the floors and the energy there instead, and
/// reruns under fixed energy caps when the floors hold but the energy
/// slack does not (docs/mapspace.md, "Latency ties"). With a score to
/// beat, it stops once the floors show nothing does, and its last rerun
/// is capped by that score.
SearchResult detail::cappedSearch(const Workload &w, const Arch &arch,
                                  const SearchOptions &options,
                                  const Deadline &deadline, const Run &run,
                                  PassTotals &totals,
                                  std::vector<double> *floorsOut,
                                  bool optimum) {
  size_t n = w.einsums.size();
  // A complete mapping to scale the slack by: every Einsum unfused, at its
  // best (one group each, so its branch and bound is quick).
  SearchOptions unfusedOptions = options;
  unfusedOptions.allowFusion = false;
  auto t0 = Clock::now();
  std::vector<EinsumPmappings> unfused =
      generateAll(w, arch, unfusedOptions, /*prune=*/true, &deadline);
  totals.add(unfused, since(t0));
  double upper = 0;
  for (const EinsumPmappings &p : unfused) {
    // Errors are the full enumeration's to report, naming what failed.
    if (!p.error.empty() || p.groups->empty())
      return run({}, nullptr);
    upper += p.floor;
  }
  // The unfused baseline reports ask for, at the cost of a trivial join
  // (one group of one front per Einsum).
  SearchResult baseline =
      joinPmappings(w, arch, unfused, unfusedOptions, &deadline);
  auto withBaseline = [&](SearchResult result) {
    if (baseline.ok())
      result.unfused = {baseline.energy, baseline.latency};
    return result;
  };
  // A score to beat (the folded form's, mostly) that the spread floors
  // already reach: no pass is needed to show that nothing beats it.
  if (std::isfinite(options.beat) &&
      spreadFloors(w, arch, options, deadline, totals).firstSum >
          beatBound(options))
    return withBaseline(cannotBeat(options.beat));
  // By default 0.5% of the unfused score: the GPT-3 layer's optimum lies
  // 0.26% of it above the sum of the floors (fusion saves 18%).
  // A negative slack would cut each Einsum's own floor, which the proof
  // below takes as exact.
  double slack = std::max(0.0, options.capSlack) * upper;
  // Latency ties: a compute-bound Einsum runs at its compute floor in most
  // of its mappings, which a slack on latency cuts none of; they differ in
  // energy, which is capped at the floor instead (the slack scaled by the
  // unfused mapping's energy), and the latency capped at its best.
  bool atFloors = options.objective == Objective::Latency &&
                  options.tieSlack >= 0 && baseline.ok();
  double secondSlack =
      atFloors ? options.tieSlack * secondCriterion(options.objective,
                                                    baseline.energy,
                                                    baseline.latency)
               : INFINITY;
  std::vector<bool> fusable = fusableTensors(w);
  std::vector<Narrowing> caps(n);
  // The slack the first pass proves: the least any Einsum was given.
  double proves = atFloors ? 0 : slack;
  for (size_t i = 0; i < n; ++i) {
    // Each Einsum's own share where that is less: a global slack can
    // exceed a small Einsum's whole score, which then keeps everything.
    // (Written so that an infinite share of a zero score, NaN, is none.)
    double own = std::max(0.0, options.einsumSlack) * unfused[i].floor;
    double nominal = atFloors ? 0 : own < slack ? own : slack;
    // The proof compares sums over every Einsum, whose rounding a slack
    // that small can be below: a rounding margin of the whole on top.
    caps[i].slack = nominal < slack && !atFloors ? nominal + 1e-9 * upper
                                                 : nominal;
    caps[i].secondSlack = secondSlack;
    // Its floor is at most its unfused one (the all-DRAM pmappings are
    // among its own), so until the enumeration finds better the cap is
    // that plus the slack, not none: the same pmappings are kept, and
    // fewer subtrees are walked before a good one is found.
    caps[i].cap = (unfused[i].floor + caps[i].slack) * (1 + 1e-9);
    // Without an interface tensor an Einsum has one group, judged on the
    // objective alone: exactly what the unfused pass kept, uncapped.
    if (!options.allowFusion || interfaceTensors(w, fusable, i).empty())
      caps[i].reuse = &unfused[i];
    else
      proves = std::min(proves, nominal);
  }
  std::vector<EinsumPmappings> pm;
  SearchResult result = run(caps, &pm);
  // A stopped enumeration's least is no floor; its error is the result.
  if (llvm::any_of(pm, [](const EinsumPmappings &p) {
        return !p.error.empty();
      }))
    return withBaseline(std::move(result));
  std::vector<double> floor;
  for (size_t i = 0; i < n; ++i) {
    floor.push_back(std::min(pm[i].floor, pm[i].unjoinableFloor));
    // The pass proves only what its caps kept: should a floor lie above
    // the unfused one after all, its cap kept less than its slack.
    if (!caps[i].reuse)
      proves = std::min(proves, caps[i].cap - floor[i]);
  }
  double sum = std::accumulate(floor.begin(), floor.end(), 0.0);
  if (floorsOut)
    *floorsOut = floor;
  // Nothing scores below the floors' sum (rounding aside), and a better
  // mapping than the one to beat is all that is asked for.
  if (sum > beatBound(options))
    return withBaseline(cannotBeat(options.beat));
  // Without the optimum to prove, the first mapping found is the result:
  // this pass's, else the unfused one.
  if (!optimum)
    return withBaseline(result.ok() ? std::move(result) : baseline);
  double score =
      firstCriterion(options.objective, result.energy, result.latency);
  bool proven = result.ok() && score - sum <= proves;
  // With second caps: once every Einsum of the mapping found is at its
  // floor (within the rounding the floors' window allows), so is every
  // Einsum of an optimum, whose second criteria then lie at most this gap
  // above their second floors (the found one's second criterion minus
  // the others' floors).
  std::optional<double> secondGap;
  if (atFloors && result.ok()) {
    double least = INFINITY, secondSum = 0;
    for (size_t i = 0; i < n; ++i) {
      if (floor[i] > 0)
        least = std::min(least, floor[i]);
      secondSum += pm[i].secondFloor;
    }
    double second =
        secondCriterion(options.objective, result.energy, result.latency);
    if (score - sum <= 1e-9 * least && std::isfinite(secondSum))
      secondGap = second - secondSum;
    proven = secondGap && *secondGap <= secondSlack;
  }
  if (proven || deadline.passed() || !std::isfinite(sum))
    return withBaseline(std::move(result));
  // The caps for any mapping scoring at most `bound`: floor plus the
  // bound's excess over the floors (and the second criterion's gap). An
  // Einsum whose caps cut nothing under the new ones keeps its fronts if
  // it left out no group there as unjoinable, or if every neighbour (of
  // every Einsum sharing its pmappings) keeps its fronts: those that
  // restricted it left out none of their own (in the passes whose fronts
  // are reused, only late Einsums leave groups out, restricted by
  // neighbours that are never late), so the groups it left out join
  // nothing within the bound. When the caps cut nothing there in any
  // Einsum, the join of `was` already found the best mapping within the
  // bound: the pass is not run. (`was` holds no stopped enumeration: the
  // first pass returns such an error, and the second is kept only if its
  // join succeeded.)
  auto rerun = [&](double bound, const std::vector<EinsumPmappings> &was,
                   bool keyBounds, std::vector<EinsumPmappings> *kept,
                   double window = INFINITY,
                   const std::vector<std::shared_ptr<const KeyExcess>>
                       *completions = nullptr) -> std::optional<SearchResult> {
    bool cutNothing = true;
    std::vector<bool> capsKept(n);
    for (size_t i = 0; i < n; ++i) {
      // Rounding-level slack on top: the caps must never cut a tie.
      caps[i] = Narrowing();
      caps[i].cap = floor[i] + (bound - sum) + 1e-9 * bound;
      caps[i].floor = floor[i];
      caps[i].window = window;
      if (completions)
        caps[i].completions = (*completions)[i];
      caps[i].earlierSteps = was[i].ownSteps;
      if (secondGap)
        caps[i].secondCap = was[i].secondFloor + *secondGap +
                            1e-9 * std::abs(was[i].secondFloor + *secondGap);
      bool secondKept = was[i].secondCutAt == INFINITY ||
                        was[i].secondCutAt > caps[i].secondCap * (1 + 1e-9);
      capsKept[i] = was[i].cutAt > caps[i].cap * (1 + 1e-9) && secondKept;
      cutNothing &= capsKept[i];
    }
    if (cutNothing)
      return std::nullopt;
    // Whether every neighbour of every Einsum sharing i's pmappings has
    // `of` (true of k) in it.
    auto aroundAll = [&](size_t i, auto of) {
      for (size_t j = 0; j < n; ++j)
        if (was[j].groups == was[i].groups)
          for (int t : interfaceTensors(w, fusable, j))
            for (int k : neighbours(w, t, j))
              if (k >= 0 && !of(k))
                return false;
      return true;
    };
    for (size_t i = 0; i < n; ++i) {
      bool keeps = capsKept[i];
      if (keeps && was[i].unjoinableFloor <= caps[i].cap * (1 + 1e-9))
        keeps = aroundAll(i, [&](int k) { return capsKept[k]; });
      if (keeps)
        caps[i].reuse = &was[i];
      else if (!keyBounds)
        caps[i].floor = -INFINITY; // a cap, but no fixed one (generateAll)
    }
    SearchResult r = run(caps, kept);
    // A reused Einsum left its groups out by neighbours that may now be
    // enumerated anew, keeping keys they lacked: for what follows, its
    // left-out groups count as cut.
    if (kept)
      for (size_t i = 0; i < n; ++i)
        if (caps[i].reuse &&
            !aroundAll(i, [&](int k) { return caps[k].reuse != nullptr; }))
          (*kept)[i].cutAt =
              std::min((*kept)[i].cutAt, (*kept)[i].unjoinableFloor);
    return r;
  };
  double bound = result.ok() ? std::min(score, upper) : upper;
  // The Einsums' own slacks left no complete mapping (their caps left no
  // compatible combination), or one barely past the global slack: the
  // pass the global slack would have been, now that the floors are
  // known. After a mapping further out the rerun from its score follows
  // instead: this pass then seldom proves (docs/mapspace.md) and its
  // steps are lost. It goes without the neighbours' key bounds, whose
  // caps hold under its bound only: its fronts are then complete wherever
  // its caps cut nothing, as the first pass's, for the rerun to reuse.
  if (!atFloors && proves < slack && bound - sum > slack &&
      (!result.ok() || bound - sum <= kWidenReach * slack)) {
    std::vector<EinsumPmappings> wider;
    if (std::optional<SearchResult> second =
            rerun(sum + slack, pm, /*keyBounds=*/false, &wider)) {
      double found =
          firstCriterion(options.objective, second->energy, second->latency);
      if ((second->ok() && found - sum <= slack) || deadline.passed())
        return withBaseline(std::move(*second));
      // A failed pass (nothing within the slack, or a budget) leaves the
      // rerun to the first pass's fronts, and its error to the rerun.
      if (second->ok()) {
        bound = std::min(bound, found);
        result = std::move(*second);
        pm = std::move(wider);
      }
    }
  }
  // Caps from the score to beat too: an optimum above it is of no use.
  bound = std::min(bound, beatBound(options));
  // Each group within a window of its least, where no second cap applies
  // (ties at the latency floors, whose excess the least completions cannot
  // see): if their join lies within the window of the least any
  // compatible keys allow, nothing better lies outside it; else every
  // group is capped by what its keys leave the other Einsums
  // (docs/mapspace.md, "Least completions").
  std::vector<std::shared_ptr<const KeyExcess>> excess;
  if (!secondGap) {
    double window = kWindow * bound;
    std::vector<EinsumPmappings> least;
    std::optional<SearchResult> joined =
        rerun(bound, pm, /*keyBounds=*/true, &least, window);
    if (deadline.passed() || !joined)
      return withBaseline(joined ? std::move(*joined) : std::move(result));
    if (llvm::none_of(least, [](const EinsumPmappings &p) {
          return !p.error.empty();
        })) {
      Completions c = leastCompletions(w, arch, least, options.objective);
      double found = firstCriterion(options.objective, joined->energy,
                                    joined->latency);
      // Sums in different orders: rounding margins on both.
      if (joined->ok() &&
          found * (1 + 1e-9) <= c.least * (1 - 1e-9) + window) {
        ++totals.windowProofs;
        return withBaseline(std::move(*joined));
      }
      ++totals.windowReruns;
      // Its mapping bounds the rerun, and is no result of its own: a rerun
      // that cuts nothing returns the first pass's join, whose fronts then
      // hold everything within the bound (and its error, if it failed).
      if (joined->ok())
        bound = std::min(bound, found);
      excess = keyExcess(c, least, floor, sum);
    }
  }
  std::optional<SearchResult> last =
      rerun(bound, pm, /*keyBounds=*/true, nullptr, INFINITY,
            excess.empty() ? nullptr : &excess);
  return withBaseline(last ? std::move(*last) : std::move(result));
}

/// Every Einsum's floor of energy + weight * latency among what `caps`
/// keep, by a pass capped at each one's best of it (none where some
/// enumeration stopped). Where Einsums cannot all sit at both floors at
/// once, as the energy-best and the latency-best mappings of most differ,
/// their sum lies above what the two floors' sums give.
static std::vector<double> weightedFloors(const Workload &w, const Arch &arch,
                                          const SearchOptions &options,
                                          const Deadline &deadline,
                                          double weight, PassTotals &totals,
                                          const std::vector<Narrowing> &caps) {
  std::vector<Narrowing> ranked = caps;
  for (Narrowing &n : ranked) {
    n.slack = 0;
    n.rankWeight = weight;
  }
  auto t0 = Clock::now();
  std::vector<EinsumPmappings> pm =
      generateAll(w, arch, options, /*prune=*/true, &deadline, ranked);
  totals.add(pm, since(t0));
  std::vector<double> floor;
  for (const EinsumPmappings &p : pm) {
    if (!p.error.empty())
      return {};
    floor.push_back(std::min(p.floor, p.unjoinableFloor));
  }
  return floor;
}

llvm::SmallVector<std::pair<double, double>, 4>
detail::corners(double e, double l,
                llvm::ArrayRef<std::pair<double, double>> lines) {
  struct Side {
    double a, b, c; // a * x + b * y >= c
  };
  llvm::SmallVector<Side> sides = {{1, 0, e}, {0, 1, l}};
  for (auto [weight, c] : lines)
    sides.push_back({1, weight, c});
  llvm::SmallVector<std::pair<double, double>, 4> out;
  for (size_t i = 0; i < sides.size(); ++i)
    for (size_t j = i + 1; j < sides.size(); ++j) {
      const Side &p = sides[i], &q = sides[j];
      double det = p.a * q.b - q.a * p.b;
      if (det == 0)
        continue;
      double x = (p.c * q.b - q.c * p.b) / det;
      double y = (p.a * q.c - q.a * p.c) / det;
      if (llvm::all_of(sides, [&](const Side &s) {
            return s.a * x + s.b * y >= s.c - 1e-9 * std::abs(s.c);
          }))
        out.push_back({x, y});
    }
  return out;
}

/// EDP's first pass runs only where the energy mapping's EDP is at most
/// this many times the floors' product (edpSearch).
static constexpr double kEdpFirstReach = 5;

namespace {
/// Per-Einsum EDP caps and the least EDP the floors leave any mapping.
struct EdpCaps {
  std::vector<Narrowing> caps;
  double least = 0;
};
} // namespace

/// The EDP caps at `cap` from every Einsum's energy and latency floors
/// (summing to sumE and sumL), tightened by a weighted floors' pass at
/// `weight` (none when 0): the other Einsums' sums lie at or above both
/// floors' sums and on or above the weighted floors' line, and the least of
/// the product over that region (at a corner: the product is concave along
/// each side) bounds every mapping. The weighted pass is left out once the
/// floors' product alone exceeds the cap.
static EdpCaps edpCaps(const Workload &w, const Arch &arch,
                       const SearchOptions &options, const Deadline &deadline,
                       PassTotals &totals, const std::vector<double> &energy,
                       const std::vector<double> &latency, double sumE,
                       double sumL, double cap, double weight) {
  size_t n = w.einsums.size();
  // Sums rounded down a little, the Einsum's own floor left out: bounds.
  auto others = [](double sum, double own) {
    return std::max(0.0, sum - own) * (1 - 1e-9);
  };
  EdpCaps out;
  out.caps.resize(n);
  out.least = others(sumE, 0) * others(sumL, 0);
  for (size_t i = 0; i < n; ++i) {
    out.caps[i].edpCap = cap;
    out.caps[i].otherBox = {others(sumE, energy[i]), others(sumL, latency[i])};
    out.caps[i].otherCorners = {out.caps[i].otherBox};
  }
  if (out.least > cap || !(weight > 0) || !std::isfinite(weight) ||
      deadline.passed())
    return out;
  std::vector<double> f =
      weightedFloors(w, arch, options, deadline, weight, totals, out.caps);
  if (f.size() != n)
    return out;
  double sumW = std::accumulate(f.begin(), f.end(), 0.0);
  // An Einsum with nothing within the cap (every subtree cut by it, none
  // left out unjoinable): no mapping is.
  if (llvm::is_contained(f, INFINITY))
    out.least = INFINITY;
  if (!std::isfinite(sumW))
    return out;
  // (The region lies within the box: its least is never below the box's.)
  double least = INFINITY;
  for (auto [e, l] :
       corners(others(sumE, 0), others(sumL, 0), {{weight, others(sumW, 0)}}))
    least = std::min(least, e * l);
  if (std::isfinite(least))
    out.least = std::max(out.least, least);
  for (size_t i = 0; i < n; ++i) {
    auto [e, l] = out.caps[i].otherBox;
    std::pair<double, double> line{weight, others(sumW, f[i])};
    auto c = corners(e, l, {line});
    // Never empty (the sides meet within rounding), but an empty set
    // would cut everything: the box's corner stays then.
    if (!c.empty()) {
      out.caps[i].otherCorners = std::move(c);
      out.caps[i].otherLines = {line};
    }
  }
  return out;
}

// The slopes (Search.h): an EDP optimum within `cap` is the one point
// least on E + lambda * L at lambda = E* / L* (below that line,
// 2 sqrt(lambda E L) <= E + lambda L < 2 E* gives E L < E* L*), and
// E* >= sumE, L* >= sumL, E* L* <= cap bound E* / L* to
// [sumE^2 / cap, cap / sumL^2]. Pruning at every slope in between keeps
// for each Einsum a pmapping no worse at the optimum's own slope, so the
// join still builds a mapping at its point (docs/mapspace.md, "EDP's
// slopes"). Not for the weighted floors' pass, whose weight may lie
// outside them.
void detail::edpSlopes(std::vector<Narrowing> &caps, double sumE,
                       double sumL, double cap) {
  if (!std::isfinite(cap) || !(cap > 0) || !std::isfinite(sumE) ||
      !std::isfinite(sumL))
    return;
  // Rounded outwards: a wider range keeps more. (Divided before squared:
  // large scores would overflow.)
  double lo = sumE > 0 ? sumE / cap * sumE * (1 - 1e-9) : 0;
  double hi = sumL > 0 ? cap / sumL / sumL * (1 + 1e-9) : INFINITY;
  if (!(lo <= hi) || !(hi > 0))
    return;
  for (Narrowing &n : caps) {
    n.edpSlopeLo = lo;
    n.edpSlopeHi = hi;
  }
}

/// FFM for EDP, which does not add over Einsums, but energy and latency
/// do: a pmapping (e, l) of Einsum i is in no complete mapping with an EDP
/// below (e + the other Einsums' energy floors) * (l + their latency
/// floors). The energy and the latency searches' first capped passes give
/// both floors of every Einsum (exact: their capped enumerations' least)
/// and, mostly, complete mappings, the better EDP of which caps the EDP
/// enumeration by that bound; no pmapping of an EDP optimum is cut.
/// Energy + w * latency adds over Einsums too: with each Einsum's floor of
/// it (one more pass), the others' sums also lie on or above that line,
/// and the bound is the product's least over the region both leave them
/// (docs/mapspace.md, "EDP caps"). Near the floors, a first EDP pass
/// capped a little above their product proves the optimum without the
/// latency search, or gives the incumbent in its stead ("EDP's first
/// pass"). The last pass is narrowed by the least completions of one that
/// keeps each group's leasts only ("EDP's least completions").
SearchResult detail::edpSearch(const Workload &w, const Arch &arch,
                               const SearchOptions &options,
                               const Deadline &deadline, const RunFor &runFor,
                               PassTotals &totals) {
  size_t n = w.einsums.size();
  std::vector<double> floors[2];
  double incumbent = INFINITY, weight = 0;
  // A complete mapping found on the way becomes the incumbent where its
  // EDP is less, with the slope of the EDP's level curve there as the
  // weighted floors' weight.
  auto adopt = [&](const SearchResult &r) {
    if (!r.ok() || !(r.energy * r.latency < incumbent))
      return false;
    incumbent = r.energy * r.latency;
    weight = r.latency > 0 ? r.energy / r.latency : 0;
    return true;
  };
  auto additiveSearch = [&](Objective o, bool optimum) {
    SearchOptions additive = options;
    additive.objective = o;
    additive.beat = INFINITY; // an EDP to beat, not an energy or latency
    SearchResult r = cappedSearch(w, arch, additive, deadline,
                                  runFor(additive), totals,
                                  &floors[o == Objective::Latency], optimum);
    adopt(r);
  };
  // The spread floors: cheap, and on latency mostly the floors themselves.
  // With an EDP to beat they may show at once, or with the energy floors,
  // that nothing beats it.
  SearchOptions energyOptions = options;
  energyOptions.objective = Objective::Energy;
  SpreadFloors spread;
  if (std::isfinite(options.beat) || options.edpFirstSlack >= 0)
    spread = spreadFloors(w, arch, energyOptions, deadline, totals);
  double spreadL = floorSum(spread.second);
  if (spread.firstSum * spreadL > beatBound(options))
    return cannotBeat(options.beat);
  additiveSearch(Objective::Energy, /*optimum=*/false);
  double sumE = std::accumulate(floors[0].begin(), floors[0].end(), 0.0);
  if (floors[0].size() == n && sumE * spreadL > beatBound(options))
    return cannotBeat(options.beat);
  // A first EDP pass at the floors' bound plus a slack (docs/mapspace.md,
  // "EDP's first pass"): a mapping it finds within its cap is optimal, as
  // any better one would lie within the cap too; finding none within the
  // score to beat shows that nothing beats it; otherwise what it finds, if
  // better than the energy mapping, is the incumbent, and the spread
  // floors stand in for the latency floors.
  // Not where the energy mapping's EDP lies far above the floors' product:
  // the Einsums' energy- and latency-best mappings then differ widely, the
  // product is no estimate of the optimum and the pass finds nothing.
  bool haveLatencyFloors = false;
  if (floors[0].size() == n && spread.second.size() == n &&
      !deadline.passed()) {
    double product = sumE * spreadL;
    double near = product * (1 + options.edpFirstSlack);
    if (product > 0 && std::isfinite(product) && options.edpFirstSlack >= 0 &&
        incumbent <= kEdpFirstReach * product) {
      double cap = std::min({near, incumbent, beatBound(options)});
      bool beatCaps = cap == beatBound(options);
      // Its weighted floors at the slope of the level curve through the
      // floors' corner, where an optimum this near lies.
      EdpCaps first = edpCaps(w, arch, options, deadline, totals, floors[0],
                              spread.second, sumE, spreadL, cap,
                              sumE / spreadL);
      if (first.least <= cap && !deadline.passed()) {
        edpSlopes(first.caps, sumE, spreadL, cap);
        std::vector<EinsumPmappings> pm;
        SearchResult r = runFor(options)(first.caps, &pm);
        // A spent budget (an enumeration's error, or the time limit) ends
        // the search with what it has.
        if (deadline.passed() ||
            llvm::any_of(pm, [](const EinsumPmappings &p) {
              return !p.error.empty();
            }))
          return r;
        if (r.ok() && r.energy * r.latency <= cap)
          return r;
        // A join that ran out of its budget (max-pmappings; the others
        // pass the deadline) fails with that error; otherwise a failed
        // join found nothing within the caps.
        if (r.budgetSpent)
          return r;
        if (beatCaps)
          return cannotBeat(options.beat, "none within caps from it");
        if (adopt(r)) {
          floors[1] = spread.second;
          haveLatencyFloors = true;
        }
      } else if (first.least > cap && beatCaps) {
        return cannotBeat(options.beat, "none within caps from it");
      }
    }
  }
  // The latency floors and whatever mapping the latency search's first
  // capped pass finds: proving either optimum costs reruns that no EDP
  // cap needs.
  if (!haveLatencyFloors)
    additiveSearch(Objective::Latency, /*optimum=*/false);
  // Only where neither search found a mapping does a whole search run, for
  // an incumbent. (A first pass that failed before its floors, or an EDP
  // to beat that already caps, leaves nothing a whole search would add.)
  for (Objective o : {Objective::Energy, Objective::Latency})
    if (!std::isfinite(incumbent) && !std::isfinite(options.beat) &&
        floors[o == Objective::Latency].size() == n && !deadline.passed())
      additiveSearch(o, /*optimum=*/true);
  // Caps from the EDP to beat too: an optimum above it is of no use.
  incumbent = std::min(incumbent, beatBound(options));
  if (!std::isfinite(incumbent) || floors[0].size() != n ||
      floors[1].size() != n)
    return runFor(options)(std::vector<Narrowing>(n), nullptr);
  // (The energy floors are new where a whole energy search ran.)
  sumE = std::accumulate(floors[0].begin(), floors[0].end(), 0.0);
  double sumL = std::accumulate(floors[1].begin(), floors[1].end(), 0.0);
  if (!std::isfinite(sumE) || !std::isfinite(sumL))
    return runFor(options)(std::vector<Narrowing>(n), nullptr);
  // A weighted floors' pass, by the slope of the EDP's level curve at the
  // incumbent: near it, where an optimum lies, the weighted sum is tight.
  // (More passes, at slopes around it, cost more than they cut on the
  // GPT-3 layer and the DeepSeek block.) No mapping's EDP lies below the
  // least the floors leave, which may already show that nothing beats the
  // score to beat, before the EDP pass walks a loop nest.
  EdpCaps last = edpCaps(w, arch, options, deadline, totals, floors[0],
                         floors[1], sumE, sumL, incumbent, weight);
  if (last.least > beatBound(options))
    return cannotBeat(options.beat);
  edpSlopes(last.caps, sumE, sumL, incumbent);
  return leastCompletedEdpPass(w, arch, deadline, runFor(options), last.caps,
                               sumE, sumL);
}
