//===- Join.cpp - FFM's join: compatible extensions, Pareto frontiers -----===//
//
// The invariant: every complete mapping that no other complete mapping
// dominates survives the join, or loses to the incumbent it returns too,
// so the join returns an optimum. Joiner
// extends a partial mapping exactly as a complete mapping may continue it:
// each shared tensor on the same key in every Einsum that accesses it, no
// live on-chip intermediate split from a later reader, and no fusion group
// holding more than a level's capacity; viable() drops only groups whose
// keys no neighbour can match. pruneFrontier drops a partial mapping only
// for another with the same live intermediates and keys (so the same
// continuations) that is no worse on the criterion and holds no more of
// any level; JoinBound (JoinBound.cpp) cuts only partial mappings whose
// least completion clearly exceeds a known complete mapping, or scores at
// least as much and clearly loses on the other criterion. The beam pass
// is a heuristic for that incumbent, which is a candidate too: the exact
// pass prunes nothing else.
//
//===----------------------------------------------------------------------===//
#include "Join.h"
#include "JoinBound.h"
#include "Search.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cstring>

using namespace ffm;
using namespace ffm::detail;

Joiner::Joiner(const Workload &w, const Arch &arch,
               const std::vector<EinsumPmappings> &pm)
    : w(w), arch(arch), pm(pm), lastConsumer(w.tensors.size(), -1),
      byInputs(pm.size()), joinable(pm.size()) {
  intern({}); // State()'s liveId 0: nothing live
  for (auto [t, tensor] : llvm::enumerate(w.tensors))
    for (int c : tensor.consumers)
      lastConsumer[t] = std::max(lastConsumer[t], c);
  for (size_t i = 0; i < pm.size(); ++i) {
    int output = w.einsums[i].inputs.size();
    auto slot = llvm::find(pm[i].interface, output);
    outputSlot.push_back(slot == pm[i].interface.end()
                             ? -1
                             : slot - pm[i].interface.begin());
    outputTensor.push_back(w.einsums[i].output.tensor);
  }
  // Per Einsum, group (in order) and interface slot: the key's id.
  std::vector<std::vector<std::vector<uint32_t>>> ids(pm.size());
  for (size_t i = 0; i < pm.size(); ++i)
    for (const Group &group : *pm[i].groups) {
      std::vector<uint32_t> keys;
      for (const Key &key : group.first)
        keys.push_back(keyId(key));
      ids[i].push_back(std::move(keys));
    }
  std::vector<std::vector<bool>> ok = viable(ids);
  for (size_t i = 0; i < pm.size(); ++i) {
    int output = w.einsums[i].inputs.size();
    auto accesses = w.einsums[i].accesses();
    for (auto [g, group] : llvm::enumerate(*pm[i].groups)) {
      if (!ok[i][g])
        continue;
      std::vector<uint32_t> inputs;
      for (auto [k, a] : llvm::enumerate(pm[i].interface))
        if (a != output)
          inputs.push_back(ids[i][g][k]);
      auto [bucket, fresh] = byInputs[i].try_emplace(inputs);
      if (fresh) {
        // The only live set the bucket's groups can continue
        // (required()): their on-chip interface inputs, with their keys.
        Live live;
        size_t in = 0;
        for (auto [k, a] : llvm::enumerate(pm[i].interface))
          if (a != output) {
            if (!inDram(group.first[k]))
              live.push_back({accesses[a]->tensor, inputs[in]});
            ++in;
          }
        llvm::sort(live);
        bucket->second.before = intern(live);
      }
      bucket->second.groups.push_back(&group);
      outputKey[&group.first] = outputKeyId(i, group.first, ids[i][g]);
      uint32_t before = bucket->second.before;
      joinable[i].push_back(
          {&group, before, liveAfter(before, i, group.first)});
    }
  }
}

uint64_t Joiner::joinableGroups() const {
  uint64_t count = 0;
  for (const std::vector<Joinable> &groups : joinable)
    count += groups.size();
  return count;
}

std::vector<std::vector<bool>> Joiner::viable(
    const std::vector<std::vector<std::vector<uint32_t>>> &ids) const {
  size_t n = pm.size();
  std::vector<std::vector<int>> tensorAt(n); // per Einsum and slot
  std::vector<std::vector<bool>> ok(n);
  for (size_t i = 0; i < n; ++i) {
    auto accesses = w.einsums[i].accesses();
    for (int a : pm[i].interface)
      tensorAt[i].push_back(accesses[a]->tensor);
    ok[i].assign(ids[i].size(), true);
  }
  for (bool changed = true; changed;) {
    changed = false;
    // Per tensor and Einsum accessing it: the keys its viable groups use.
    std::map<std::pair<int, size_t>, llvm::DenseSet<uint32_t>> used;
    for (size_t i = 0; i < n; ++i)
      for (auto [g, keys] : llvm::enumerate(ids[i]))
        if (ok[i][g])
          for (auto [k, id] : llvm::enumerate(keys))
            used[{tensorAt[i][k], i}].insert(id);
    for (size_t i = 0; i < n; ++i)
      for (auto [g, keys] : llvm::enumerate(ids[i])) {
        if (!ok[i][g])
          continue;
        for (auto [k, id] : llvm::enumerate(keys)) {
          int t = tensorAt[i][k];
          for (int j : neighbours(w, t, i))
            if (!used[{t, (size_t)j}].count(id)) {
              ok[i][g] = false;
              changed = true;
              break;
            }
          if (!ok[i][g])
            break;
        }
      }
  }
  return ok;
}

llvm::ArrayRef<const Joiner::Group *>
Joiner::groupsFor(size_t i, const std::vector<std::optional<Key>> &req) const {
  std::vector<uint32_t> inputs;
  for (const std::optional<Key> &k : req) {
    if (!k)
      continue;
    auto id = keyIds.find(*k);
    if (id == keyIds.end())
      return {}; // no group has it
    inputs.push_back(id->second);
  }
  auto it = byInputs[i].find(inputs);
  if (it == byInputs[i].end())
    return {};
  return it->second.groups;
}

llvm::ArrayRef<const Joiner::Group *> Joiner::groupsAfter(uint32_t liveId,
                                                          int i) const {
  auto [it, fresh] = continuations.try_emplace({liveId, i});
  if (fresh) {
    State s;
    s.liveId = liveId;
    if (auto req = required(s, i))
      it->second = groupsFor(i, *req);
  }
  return it->second;
}

std::optional<std::vector<std::optional<Key>>>
Joiner::required(const State &s, int i) const {
  const EinsumPmappings &p = pm[i];
  auto accesses = w.einsums[i].accesses();
  std::vector<std::optional<Key>> req(p.interface.size());
  size_t matched = 0;
  const Live &live = liveOf(s.liveId);
  for (auto [k, a] : llvm::enumerate(p.interface)) {
    if (a == (int)accesses.size() - 1)
      continue; // the output: free
    int t = accesses[a]->tensor;
    auto it = llvm::find_if(live, [&](auto &l) { return l.first == t; });
    if (it != live.end()) {
      req[k] = *keyById[it->second];
      ++matched;
    } else {
      req[k] = Key{0};
    }
  }
  if (matched != live.size())
    return std::nullopt;
  return req;
}

bool Joiner::compatible(const std::vector<Key> &keys,
                        const std::vector<std::optional<Key>> &req) {
  for (size_t k = 0; k < keys.size(); ++k)
    if (req[k] && keys[k] != *req[k])
      return false;
  return true;
}

bool Joiner::extend(const State &s, int i, const std::vector<Key> &keys,
                    const Pmapping &p, State &next) const {
  advance(s, liveAfter(s.liveId, i, keys), p, p.energy, next);
  return reserve(s, p, next);
}

void Joiner::advance(const State &s, uint32_t after, const Pmapping &p,
                     double energy, State &next) const {
  next.energy = s.energy + energy;
  next.latency = s.latency + p.latency;
  next.choice = &p;
  next.groupStart = s.liveId == 0;
  next.liveId = after;
}

bool Joiner::reserve(const State &s, const Pmapping &p, State &next) const {
  size_t numLevels = arch.levels.size();
  next.sumPersistent.clear();
  next.maxExtra.clear();
  if (!p.fused)
    return true;
  bool joinsGroup = s.liveId != 0;
  if (joinsGroup) {
    next.sumPersistent = s.sumPersistent;
    next.maxExtra = s.maxExtra;
  } else {
    next.sumPersistent.assign(numLevels, 0);
    next.maxExtra.assign(numLevels, 0);
  }
  for (size_t l = 1; l < numLevels; ++l) {
    next.sumPersistent[l] += p.persistent[l];
    next.maxExtra[l] =
        std::max(next.maxExtra[l], p.reservation[l] - p.persistent[l]);
    if (next.sumPersistent[l] + next.maxExtra[l] >
        (double)*arch.levels[l].capacity)
      return false;
  }
  if (next.liveId == 0) {
    next.sumPersistent.clear();
    next.maxExtra.clear();
  }
  return true;
}

uint32_t Joiner::liveAfter(uint32_t before, int i,
                           const std::vector<Key> &keys) const {
  auto known = outputKey.find(&keys);
  int64_t kept =
      known != outputKey.end() ? known->second : outputKeyId(i, keys);
  uint64_t from = uint64_t(before) << 32 | uint32_t(i);
  auto [memo, fresh] = transitions.try_emplace({from, kept}, 0);
  if (fresh) {
    Live live;
    for (auto &l : liveOf(before))
      if (lastConsumer[l.first] > i)
        live.push_back(l);
    if (kept >= 0)
      live.push_back({outputTensor[i], (uint32_t)kept});
    llvm::sort(live);
    memo->second = intern(live);
  }
  return memo->second;
}

int64_t Joiner::outputKeyId(int i, const std::vector<Key> &keys,
                            llvm::ArrayRef<uint32_t> ids) const {
  int slot = outputSlot[i];
  if (slot < 0 || inDram(keys[slot]))
    return -1;
  return ids.empty() ? keyId(keys[slot]) : ids[slot];
}

bool Joiner::dominates(const State &a, const State &b, Objective o) {
  if (!noWorse(Dominance(o), a.energy, a.latency, b.energy, b.latency))
    return false;
  for (size_t l = 0; l < a.sumPersistent.size(); ++l)
    if (a.sumPersistent[l] > b.sumPersistent[l] ||
        a.maxExtra[l] > b.maxExtra[l])
      return false;
  return true;
}

namespace {

/// Pareto-prunes states that share the same live intermediates and keys,
/// on one additive criterion (energy or latency) and their reservations.
std::vector<State> pruneFrontier(std::vector<State> states, Objective o) {
  auto primary = [&](const State &s) {
    return firstCriterion(o, s.energy, s.latency);
  };
  auto secondary = [&](const State &s) {
    return o == Objective::Latency ? s.energy : s.latency;
  };
  // States are large and the frontier outgrows the caches: both stages
  // sort rows of small keys, read from the states in one sequential pass,
  // and only the states kept are moved, once.
  struct Row {
    uint64_t group; // stage 1: the reservations' hash; stage 2: liveId
    double primary, secondary;
    uint32_t index;
  };
  auto byRow = [](const Row &a, const Row &b) {
    if (a.group != b.group)
      return a.group < b.group;
    if (a.primary != b.primary)
      return a.primary < b.primary;
    if (a.secondary != b.secondary)
      return a.secondary < b.secondary;
    return a.index < b.index;
  };
  // Stage 1: among states with identical live intermediates and
  // reservations, only the criterion differs: keep the best with one sort
  // and one sweep. Rows group by a hash of the reservations; a collision
  // only interleaves two groups, so the sweep keeps more, never fewer.
  auto sameReservations = [&](const State &a, const State &b) {
    return a.liveId == b.liveId && a.sumPersistent == b.sumPersistent &&
           a.maxExtra == b.maxExtra;
  };
  auto reservationHash = [](const State &s) {
    uint64_t h = s.liveId;
    auto mix = [&h](double v) {
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      h = (h ^ bits) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 29;
    };
    for (double v : s.sumPersistent)
      mix(v);
    for (double v : s.maxExtra)
      mix(v);
    return h;
  };
  std::vector<Row> rows(states.size());
  for (auto [i, s] : llvm::enumerate(states))
    rows[i] = {reservationHash(s), primary(s), secondary(s), (uint32_t)i};
  std::sort(rows.begin(), rows.end(), byRow);
  std::vector<Row> survivors;
  for (const Row &r : rows)
    if (survivors.empty() || survivors.back().group != r.group ||
        !sameReservations(states[survivors.back().index], states[r.index]) ||
        !Joiner::dominates(states[survivors.back().index], states[r.index],
                           o))
      survivors.push_back(r);
  // Stage 2: dominance across different reservations, per live bucket, in
  // an order that does not depend on the hash (ties on the criteria, rare,
  // by the reservations), so the states kept are too.
  for (Row &r : survivors)
    r.group = states[r.index].liveId;
  std::sort(survivors.begin(), survivors.end(),
            [&](const Row &a, const Row &b) {
              if (a.group != b.group || a.primary != b.primary ||
                  a.secondary != b.secondary)
                return byRow(a, b);
              const State &x = states[a.index], &y = states[b.index];
              if (x.sumPersistent != y.sumPersistent)
                return x.sumPersistent < y.sumPersistent;
              if (x.maxExtra != y.maxExtra)
                return x.maxExtra < y.maxExtra;
              return a.index < b.index;
            });
  std::vector<uint32_t> kept;
  size_t bucketStart = 0, lastDominator = 0;
  for (const Row &r : survivors) {
    uint32_t x = r.index;
    const State &s = states[x];
    if (bucketStart < kept.size() && states[kept[bucketStart]].liveId != s.liveId)
      bucketStart = lastDominator = kept.size();
    // Neighbours in this order tend to fall to the same state: try it first.
    bool dominated = lastDominator < kept.size() &&
                     Joiner::dominates(states[kept[lastDominator]], s, o);
    for (size_t k = bucketStart; k < kept.size() && !dominated; ++k)
      if (Joiner::dominates(states[kept[k]], s, o)) {
        dominated = true;
        lastDominator = k;
      }
    if (!dominated)
      kept.push_back(x);
  }
  std::vector<State> result;
  result.reserve(kept.size());
  for (uint32_t x : kept)
    result.push_back(std::move(states[x]));
  return result;
}

/// Keeps the `beam` states of each live-key bucket of a frontier of
/// Einsums [0, i) whose least completed score is lowest.
std::vector<State> bestPerBucket(std::vector<State> states, size_t beam,
                                 const JoinBound &bound, size_t i) {
  std::stable_sort(states.begin(), states.end(),
                   [&](const State &a, const State &b) {
                     if (a.liveId != b.liveId)
                       return a.liveId < b.liveId;
                     return bound.least(a, i) < bound.least(b, i);
                   });
  std::vector<State> kept;
  size_t run = 0;
  for (State &s : states) {
    run = !kept.empty() && kept.back().liveId == s.liveId ? run + 1 : 0;
    if (run < beam)
      kept.push_back(std::move(s));
  }
  return kept;
}

} // namespace

/// (Join.h.)
bool detail::frontierJoin(const Workload &w, const Joiner &joiner,
                          const std::vector<EinsumPmappings> &pm,
                          Objective objective, const SearchOptions &options,
                          const Deadline &deadline,
                          std::optional<double> incumbent,
                          SearchResult &result,
                          std::optional<JoinPath> &found,
                          Weighting weighting) {
  size_t n = pm.size();
  uint64_t extensions = 0;
  JoinBound bound(joiner, objective, weighting);
  if (incumbent)
    bound.tighten(*incumbent);
  // One join, Einsum by Einsum; with a beam, each live-key bucket keeps
  // only its `beam` best states (a heuristic: it finds a complete mapping
  // fast, not the optimum).
  bool timedOut = false, emptied = false;
  auto forward = [&](size_t beam,
                     std::vector<std::vector<State>> &frontiers) -> bool {
    // States of Einsums [0, i] are pruned.
    auto prune = [&](std::vector<State> states, size_t i) {
      states = pruneFrontier(std::move(states), objective);
      return beam ? bestPerBucket(std::move(states), beam, bound, i + 1)
                  : std::move(states);
    };
    frontiers.assign(n + 1, {});
    frontiers[0].push_back(State());
    for (size_t i = 0; i < n; ++i) {
      std::vector<State> next;
      size_t pruneAt = 1 << 16;
      for (auto [si, s] : llvm::enumerate(frontiers[i])) {
        for (const Joiner::Group *g : joiner.groupsAfter(s.liveId, i)) {
          const auto &[keys, group] = *g;
          // What follows a group's pmappings is the same for all of them.
          uint32_t after = joiner.liveAfter(s.liveId, i, keys);
          std::pair<double, double> rest = bound.rest(after, i + 1);
          for (const Pmapping &p : group) {
            if (++extensions % 4096 == 0 && deadline.passed()) {
              result.error = deadline.error("joining", w.einsums[i].name);
              timedOut = true;
              return false;
            }
            // The bound first: most extensions fall to it, and it needs
            // no state.
            double energy = weighting.of(p);
            if (bound.cuts(s.energy + energy, s.latency + p.latency, rest))
              continue;
            State ns;
            joiner.advance(s, after, p, energy, ns);
            if (!joiner.reserve(s, p, ns))
              continue;
            ns.parent = si;
            next.push_back(std::move(ns));
          }
        }
        // Pruning is idempotent: pruning the growing list now and then
        // bounds memory without changing the result.
        if (next.size() > pruneAt) {
          next = prune(std::move(next), i);
          pruneAt = std::max<size_t>(pruneAt, 2 * next.size());
        }
        if (next.size() > options.maxPmappings) {
          result.error = llvm::formatv(
              "search budget exceeded: the join frontier at Einsum '{0}' "
              "passed {1} partial mappings (raise max-pmappings)",
              w.einsums[i].name, options.maxPmappings);
          result.budgetSpent = true;
          return false;
        }
      }
      frontiers[i + 1] = prune(std::move(next), i);
      if (!beam)
        result.stats.maxFrontier = std::max<uint64_t>(
            result.stats.maxFrontier, frontiers[i + 1].size());
      if (frontiers[i + 1].empty()) {
        result.error = llvm::formatv(
            "no valid fused mapping reaches Einsum '{0}'", w.einsums[i].name);
        emptied = true;
        return false;
      }
    }
    return true;
  };
  // The complete mapping of a finished join that the objective prefers.
  std::vector<std::vector<State>> frontiers;
  auto bestPath = [&] {
    int best = -1;
    for (auto [k, s] : llvm::enumerate(frontiers[n]))
      if (best < 0 || preferred(objective, s.energy, s.latency,
                             frontiers[n][best].energy,
                             frontiers[n][best].latency))
        best = k;
    JoinPath path;
    path.chosen.resize(n);
    path.starts.resize(n);
    path.energy = frontiers[n][best].energy;
    path.latency = frontiers[n][best].latency;
    for (size_t i = n; i-- > 0;) {
      const State &s = frontiers[i + 1][best];
      path.chosen[i] = s.choice;
      path.starts[i] = s.groupStart;
      best = s.parent;
    }
    return path;
  };
  // A complete mapping found by a narrow join is an incumbent as good as
  // any for the bound, and usually far better than all-DRAM: the exact
  // join then drops the partial mappings that cannot beat it. It is kept
  // too (if below a given incumbent): the exact join's pruning judges ties
  // on partial sums, so the incumbent's own line may be pruned for one
  // that ties it in the end and loses on the other criterion, and cut.
  std::optional<JoinPath> narrow;
  if (forward(/*beam=*/1, frontiers)) {
    for (const State &s : frontiers[n])
      bound.tighten(bound.criterion(s.energy, s.latency),
                    secondCriterion(objective, s.energy, s.latency));
    narrow = bestPath();
    if (incumbent &&
        !(bound.criterion(narrow->energy, narrow->latency) < *incumbent))
      narrow.reset();
  } else if (timedOut) {
    return false;
  }
  // The narrow join's failure, a spent budget included, is not the exact
  // join's: an answer from it must not carry that flag.
  result.error.clear();
  result.budgetSpent = false;
  found.reset();
  emptied = false;
  if (!forward(/*beam=*/0, frontiers)) {
    // Below a given incumbent, an empty frontier is an answer: none.
    if (!emptied || (!narrow && !incumbent))
      return false;
    result.error.clear();
    found = std::move(narrow);
    return true;
  }
  found = bestPath();
  if (narrow && preferred(objective, narrow->energy, narrow->latency,
                          found->energy, found->latency))
    found = std::move(narrow);
  return true;
}

bool detail::singleJoin(const Workload &w, const Arch &arch,
                        const std::vector<EinsumPmappings> &pm,
                        const SearchOptions &options, const Deadline &deadline,
                        SearchResult &result, JoinPath &best) {
  Joiner joiner(w, arch, pm);
  result.stats.joinableGroups = joiner.joinableGroups();
  std::optional<JoinPath> found;
  if (!frontierJoin(w, joiner, pm, options.objective, options, deadline,
                    std::nullopt, result, found))
    return false;
  best = std::move(*found);
  return true;
}
