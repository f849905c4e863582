//===- GenerateAll.cpp - every Einsum's pmappings, shared and ordered -----===//
//
// The invariant: every Einsum gets the pmappings its own enumeration would
// give under its narrowing. Einsums with the same signature (ranks, and
// whether the reduction is ordered; per access its fusability, classes,
// dimensions, windows and whether a consumer of the output reads it too;
// the halo loops their consumers allow) share one enumeration, because
// a mapping names ranks and accesses by index and neither the mapspace nor
// the model reads anything else. A
// late Einsum (the head of a fused chain) is enumerated only after every
// neighbour whose keys restrict it, and keeps only keys those neighbours
// kept: a group with any other key has no partner to join, so no complete
// mapping loses a pmapping. Under fixed
// caps every Einsum is also restricted to the keys its neighbours can take
// within their caps (their key bounds, a cheap first pass) and capped
// lower by what those neighbours must score above their floors with its
// keys: a complete mapping within the known score scores at least its
// pmappings' neighbours' bounds, so none it holds is cut. (A reused
// Einsum's kept groups stand for its bounds, their least exact.) The order
// the unique Einsums run in changes when they finish, never what they keep.
//
//===----------------------------------------------------------------------===//
#include "Pmappings.h"
#include "Search.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <iterator>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <string>

using namespace ffm;
using namespace ffm::detail;

/// The unique Einsums (as `source` maps each Einsum to the one whose
/// enumeration it shares) sharing an interface tensor with any Einsum
/// that shares unique Einsum u's enumeration, u aside.
static std::set<size_t> neighbourhood(const Workload &w,
                                      const std::vector<bool> &fusable,
                                      const std::vector<size_t> &source,
                                      size_t u) {
  std::set<size_t> around;
  for (size_t c = 0; c < w.einsums.size(); ++c)
    if (source[c] == u)
      for (int t : interfaceTensors(w, fusable, c))
        for (int j : neighbours(w, t, c))
          if (source[j] != u)
            around.insert(source[j]);
  return around;
}

/// Which unique Einsums to enumerate after the others, restricted to the
/// keys their neighbours kept (joinableKeys). First the heads of fused
/// chains, whose every interface tensor is their own output: a head's
/// groups differ only in that output's key, which its consumers constrain
/// by everything else they read (a projection feeding attention keeps a
/// few percent of its groups). Then, largest mapspace first, any Einsum
/// inside a chain none of whose neighbours is late (a softmax's exponent:
/// its keys multiply over three interface tensors, and most combinations
/// join nothing). A late Einsum restricts itself only by neighbours that
/// are not late, so no late Einsum waits for another.
static std::vector<bool> lateEinsums(const Workload &w,
                                     const std::vector<bool> &fusable,
                                     const std::vector<size_t> &unique,
                                     const std::vector<size_t> &source) {
  std::vector<bool> late(w.einsums.size(), false);
  for (size_t u : unique) {
    std::vector<int> tensors = interfaceTensors(w, fusable, u);
    late[u] = !tensors.empty() && llvm::all_of(tensors, [&](int t) {
      return w.tensors[t].producer == (int)u;
    });
  }
  // `unique` comes largest first.
  for (size_t u : unique) {
    if (late[u] || interfaceTensors(w, fusable, u).empty())
      continue;
    std::set<size_t> around = neighbourhood(w, fusable, source, u);
    late[u] = !around.empty() &&
              llvm::none_of(around, [&](size_t j) { return late[j]; });
  }
  return late;
}

static std::set<Key> common(const std::set<Key> &a, const std::set<Key> &b) {
  std::set<Key> both;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                        std::inserter(both, both.end()));
  return both;
}

/// Per interface slot of unique Einsum u, the keys it may take: for each
/// Einsum that shares u's pmappings, the keys that every neighbour of its
/// tensor there enumerated before u (`known`) kept for it (none:
/// unrestricted).
static std::vector<std::optional<std::set<Key>>>
joinableKeys(const Workload &w, const std::vector<bool> &fusable,
             const std::vector<size_t> &source,
             const std::vector<size_t> &known,
             const std::vector<EinsumPmappings> &pm, size_t u) {
  size_t slots = interfaceTensors(w, fusable, u).size();
  std::vector<std::optional<std::set<Key>>> joinable(slots);
  for (size_t k = 0; k < slots; ++k) {
    std::set<Key> any;
    bool restricted = true;
    for (size_t c = 0; c < w.einsums.size() && restricted; ++c) {
      if (source[c] != u)
        continue;
      int t = interfaceTensors(w, fusable, c)[k];
      std::optional<std::set<Key>> all;
      for (int j : neighbours(w, t, c)) {
        const EinsumPmappings &theirs = pm[source[j]];
        // Not known yet, or failed: the failure is its own to report.
        if (!llvm::is_contained(known, source[j]) || !theirs.error.empty() ||
            theirs.groups->empty())
          continue;
        std::vector<int> tensors = interfaceTensors(w, fusable, j);
        size_t slot = llvm::find(tensors, t) - tensors.begin();
        std::set<Key> kept;
        for (const auto &[keys, group] : *theirs.groups)
          kept.insert(keys[slot]);
        if (!all) {
          all = std::move(kept);
          continue;
        }
        all = common(*all, kept);
      }
      if (!all)
        restricted = false; // some Einsum here takes any key
      else
        any.insert(all->begin(), all->end());
    }
    if (restricted)
      joinable[k] = std::move(any);
  }
  return joinable;
}

/// Per slot, the keys both restrictions allow (absent: unrestricted).
static std::vector<std::optional<std::set<Key>>>
intersect(std::vector<std::optional<std::set<Key>>> a,
          const std::vector<std::optional<std::set<Key>>> &b) {
  a.resize(b.size());
  for (size_t k = 0; k < b.size(); ++k) {
    if (!b[k])
      continue;
    if (!a[k]) {
      a[k] = b[k];
      continue;
    }
    a[k] = common(*a[k], *b[k]);
  }
  return a;
}

/// Narrowing::surcharges of unique Einsum u under fixed caps: per
/// neighbour enumerated before it (`known`) and slot they share, the least
/// score its pmappings with each key have above its floor. Only where u's
/// pmappings are its own: shared ones serve Einsums with other neighbours.
static std::vector<Narrowing::Surcharge>
surcharges(const Workload &w, const std::vector<bool> &fusable,
           const std::vector<size_t> &source, const std::vector<size_t> &known,
           const std::vector<EinsumPmappings> &pm,
           const std::vector<Narrowing> &narrowing, Objective objective,
           size_t u) {
  std::vector<Narrowing::Surcharge> out;
  if (llvm::count(source, u) != 1)
    return out;
  std::vector<int> tensors = interfaceTensors(w, fusable, u);
  for (auto [k, t] : llvm::enumerate(tensors))
    for (int j : neighbours(w, t, u)) {
      const EinsumPmappings &theirs = pm[source[j]];
      if (!llvm::is_contained(known, source[j]) || !theirs.error.empty())
        continue;
      std::vector<int> slots = interfaceTensors(w, fusable, j);
      size_t slot = llvm::find(slots, t) - slots.begin();
      Narrowing::Surcharge s{(size_t)j, k, {}};
      for (const auto &[keys, group] : *theirs.groups)
        for (const Pmapping &p : group) {
          double score = firstCriterion(objective, p.energy, p.latency);
          // Rounded down: the join sums scores in its own order.
          double above = std::max(
              0.0, score - narrowing[j].floor - 1e-9 * std::abs(score));
          auto [it, fresh] = s.above.try_emplace(keys[slot], above);
          it->second = std::min(it->second, above);
        }
      out.push_back(std::move(s));
    }
  return out;
}

/// The share of its neighbours' steps in the pass before that a late
/// Einsum's key bounds may take (generateAll): on the GPT-3 layer, half
/// stops the costly ones on every preset where stopping them pays and none
/// on Simba, where they pay for themselves; a quarter stopped one there
/// (bench/results/key-bounds-budget.txt).
static constexpr double kKeyBoundsBudget = 0.5;

std::vector<EinsumPmappings>
detail::generateAll(const Workload &w, const Arch &arch,
                    const SearchOptions &options, bool prune,
                    const Deadline *deadline,
                    const std::vector<Narrowing> &narrowing) {
  Deadline local(options);
  if (!deadline)
    deadline = &local;
  std::vector<bool> fusable = fusableTensors(w);
  if (!options.allowFusion)
    fusable.assign(fusable.size(), false);
  std::vector<bool> binding = bindingLevels(w, arch, fusable);
  std::vector<std::vector<HaloTags>> halo = haloCandidates(w, fusable, options);
  // Einsums that differ only in their tensors (the V, K and Q projections
  // of a layer; every layer of a stack) have the same pmappings: mappings
  // name ranks and accesses by index, and the model reads nothing else but
  // the tensors' classes, which the architecture's rules may tell apart.
  // Fusion validity reads which inputs a consumer of the output reads too
  // (readWithOutput): a row sum feeding a softmax-like normalisation, which
  // reads the summed rows again, may fuse over fewer loops than one whose
  // consumer does not.
  auto signature = [&](const Einsum &e) {
    std::string s;
    llvm::raw_string_ostream os(s);
    int einsum = &e - &w.einsums[0];
    for (const RankVar &r : e.ranks)
      os << r.name << ':' << r.bound << ',';
    // An ordered reduction's rank may not be spread; a sum's may.
    os << (e.orderedReduction ? "o" : "");
    for (auto [a, access] : llvm::enumerate(e.accesses())) {
      os << '|' << fusable[access->tensor] << ':'
         << accessClasses(w, einsum, a, /*fused=*/false) << ':'
         << readWithOutput(w, einsum, a);
      for (int r : access->dimRanks)
        os << ',' << r;
      for (const std::vector<WindowTerm> &window : access->windows) {
        os << '/';
        for (const WindowTerm &t : window)
          os << t.rank << '*' << t.coeff << ';';
      }
    }
    // Its consumers decide which halo loops it may have.
    for (const HaloTags &tags : halo[einsum]) {
      os << "|h";
      for (const HaloTag &t : tags)
        os << ',' << t.rank << ':' << t.count << ':' << t.span << ':'
           << t.step;
    }
    return s;
  };
  std::vector<size_t> source(w.einsums.size()), unique;
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < w.einsums.size(); ++i) {
    auto [it, fresh] = seen.try_emplace(signature(w.einsums[i]), i);
    source[i] = it->second;
    if (fresh)
      unique.push_back(i);
  }
  std::vector<EinsumPmappings> pm(w.einsums.size());
  // Per late Einsum: the keys each interface tensor may take.
  std::vector<std::vector<std::optional<std::set<Key>>>> joinable(
      w.einsums.size());
  std::vector<std::vector<Narrowing::Surcharge>> surcharged(
      w.einsums.size());
  std::vector<uint64_t> boundSteps(w.einsums.size(), 0);
  std::vector<double> boundSeconds(w.einsums.size(), 0);
  auto generate = [&](size_t i) {
    Narrowing narrow = narrowing.empty() ? Narrowing() : narrowing[i];
    narrow.joinable = std::move(joinable[i]);
    narrow.surcharges = std::move(surcharged[i]);
    if (narrow.reuse) {
      pm[i] = *narrow.reuse;
      pm[i].steps = 0; // nothing enumerated for it
      pm[i].seconds = 0;
      return;
    }
    auto t0 = Clock::now();
    pm[i] = generatePmappings(w, i, arch, fusable, options, prune, binding,
                              *deadline, narrow, halo[i]);
    pm[i].seconds = since(t0);
  };
  // The long enumerations first, so that they run together instead of one
  // waiting for the other: those with more interface tensors (each one
  // multiplies the groups), then larger mapspaces.
  std::vector<double> size(w.einsums.size());
  std::vector<size_t> interfaces(w.einsums.size());
  for (size_t i = 0; i < w.einsums.size(); ++i) {
    size[i] = rawMapspaceLog10(w, i, arch, fusable);
    interfaces[i] = interfaceTensors(w, fusable, i).size();
  }
  llvm::stable_sort(unique, [&](size_t a, size_t b) {
    return std::make_pair(interfaces[a], size[a]) >
           std::make_pair(interfaces[b], size[b]);
  });
  // With fixed caps (each a known score's excess over the floors), what a
  // neighbour can score with a key bounds what it adds to any mapping
  // within the known score. A first pass bounds each key from below
  // without enumerating below the choices that fix it (keyBoundsOnly, so
  // cheap); every Einsum is then restricted to the keys each neighbour can
  // take within its cap and capped lower by the neighbours' least excess
  // over their floors with its keys (Narrowing::surcharges).
  bool fixedCaps =
      prune && !narrowing.empty() &&
      llvm::all_of(narrowing, [&](const Narrowing &n) {
        return std::isfinite(n.cap) && std::isfinite(n.floor) &&
               !n.keyBoundsOnly;
      });
  // The least completions (Narrowing::completions), where known, bound
  // every key at least as the key bounds would (Caps.cpp).
  bool walkKeyBounds =
      fixedCaps && llvm::none_of(narrowing, [](const Narrowing &n) {
                     return n.completions != nullptr;
                   });
  // The key-bounds pass restricts its late Einsums too, to the keys their
  // neighbours can take within their caps: any complete mapping within
  // the known score has every Einsum within its cap, so the keys left out
  // are in none of them (the softmax's exponent walked all of its many
  // keys here, most of its search's steps on the Eyeriss-like preset).
  std::vector<bool> late = prune ? lateEinsums(w, fusable, unique, source)
                                 : std::vector<bool>(w.einsums.size());
  if (walkKeyBounds) {
    std::vector<Narrowing> keyBounds = narrowing;
    // A reused Einsum's groups hold every key it can take under its cap,
    // each with its least (at most that of any pmapping of the key there,
    // at least any bound), and cost no pass. Groups a late Einsum left
    // out as unjoinable stay out only where the reuse rule (Caps.cpp)
    // shows they join nothing.
    for (Narrowing &n : keyBounds) {
      n.keyBoundsOnly = true;
      n.window = INFINITY; // a key's bound is its least, the window's base
    }
    // A late Einsum is narrowed by what its neighbours keep in any case;
    // its own key bounds only narrow them, and cannot save more than
    // their enumerations cost. Past kKeyBoundsBudget of what those took
    // in the pass before, its key-bounds enumeration stops and narrows
    // nothing (on the Eyeriss-like preset the softmax exponent's took four
    // times that, and saved a fraction of it). A reused neighbour is not
    // enumerated again: narrowing it saves nothing, so it adds nothing,
    // and with only such neighbours the enumeration stops at its first
    // step. (Without steps from the pass before, as where no pass came
    // first, there is no limit.)
    for (size_t u : unique) {
      if (!late[u])
        continue;
      double budget = 0;
      bool known = false;
      for (size_t j : neighbourhood(w, fusable, source, u)) {
        known |= narrowing[j].earlierSteps > 0;
        if (!narrowing[j].reuse)
          budget += narrowing[j].earlierSteps;
      }
      if (known)
        keyBounds[u].stepLimit =
            std::max<uint64_t>(1, budget * kKeyBoundsBudget);
    }
    std::vector<EinsumPmappings> bounds =
        generateAll(w, arch, options, prune, deadline, keyBounds);
    for (size_t u : unique) {
      std::set<size_t> around = neighbourhood(w, fusable, source, u);
      std::vector<size_t> known(around.begin(), around.end());
      joinable[u] = joinableKeys(w, fusable, source, known, bounds, u);
      surcharged[u] = surcharges(w, fusable, source, known, bounds,
                                 narrowing, options.objective, u);
    }
    for (size_t i = 0; i < bounds.size(); ++i) {
      boundSteps[i] = bounds[i].steps;
      boundSeconds[i] = bounds[i].seconds;
    }
  }
  // A late Einsum waits for the neighbours whose keys restrict it; those
  // go first. Each worker takes the first Einsum ready, so a wait happens
  // only while another one runs (one worker alone never waits).
  std::vector<std::vector<size_t>> waitsFor(w.einsums.size());
  std::vector<bool> awaited(w.einsums.size());
  for (size_t u : unique)
    if (late[u])
      for (size_t them : neighbourhood(w, fusable, source, u))
        if (!late[them]) {
          waitsFor[u].push_back(them);
          awaited[them] = true;
        }
  llvm::stable_sort(unique, [&](size_t a, size_t b) {
    return awaited[a] > awaited[b];
  });
  enum { Pending, Running, Done };
  std::vector<int> state(w.einsums.size(), Pending);
  std::mutex mutex;
  std::condition_variable changed;
  auto worker = [&](size_t) {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      auto done = [&](size_t u) { return state[u] == Done; };
      auto ready = llvm::find_if(unique, [&](size_t u) {
        return state[u] == Pending && llvm::all_of(waitsFor[u], done);
      });
      if (ready == unique.end()) {
        if (llvm::all_of(unique, done))
          return;
        changed.wait(lock);
        continue;
      }
      size_t u = *ready;
      state[u] = Running;
      lock.unlock();
      // An allocation the memory budget's checks did not see coming ends
      // this enumeration with an error, not the process: it runs on a
      // pool thread, where an exception would terminate.
      try {
        if (late[u])
          joinable[u] = intersect(
              std::move(joinable[u]),
              joinableKeys(w, fusable, source, waitsFor[u], pm, u));
        // What the neighbours it waited for kept bounds them at least as
        // well as their key bounds (the larger one counts).
        if (fixedCaps)
          llvm::append_range(surcharged[u],
                             surcharges(w, fusable, source, waitsFor[u], pm,
                                        narrowing, options.objective, u));
        generate(u);
      } catch (const std::bad_alloc &) {
        // Every other enumeration stops too: the next allocation, perhaps
        // in a container that aborts instead of throwing, would fail.
        deadline->allocationFailed();
        pm[u] = EinsumPmappings();
        pm[u].error = deadline->error("enumerating", w.einsums[u].name);
        pm[u].stopped = true;
      }
      lock.lock();
      state[u] = Done;
      changed.notify_all();
    }
  };
  if (options.parallelFor)
    options.parallelFor(unique.size(), worker);
  else
    worker(0);
  for (size_t i = 0; i < pm.size(); ++i) {
    if (source[i] == i)
      continue;
    // Nothing enumerated for it. An error is its source's, which comes
    // first (failedEinsum) and names the Einsum that failed first; running
    // the same enumeration again for each copy, to name it, took as long
    // as the source did per copy (a stack's every layer, past a budget).
    pm[i] = pm[source[i]];
    pm[i].steps = 0;
    pm[i].seconds = 0;
  }
  for (size_t i = 0; i < pm.size(); ++i) {
    pm[i].mapspaceLog10 = size[i];
    // The key bounds' enumeration counts too.
    pm[i].steps += boundSteps[i];
    pm[i].seconds += boundSeconds[i];
  }
  return pm;
}
