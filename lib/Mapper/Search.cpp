//===- Search.cpp - joins (FFM) and the exhaustive reference --------------===//
#include "Pmappings.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <numeric>

using namespace ffm;
using namespace ffm::detail;

bool ffm::parseObjective(llvm::StringRef text, Objective &out) {
  std::optional<Objective> o = llvm::StringSwitch<std::optional<Objective>>(text)
                                   .Case("energy", Objective::Energy)
                                   .Case("latency", Objective::Latency)
                                   .Case("edp", Objective::EDP)
                                   .Default(std::nullopt);
  if (o)
    out = *o;
  return o.has_value();
}

static double scoreOf(Objective objective, double energy, double latency) {
  switch (objective) {
  case Objective::Energy:
    return energy;
  case Objective::Latency:
    return latency;
  case Objective::EDP:
    return energy * latency;
  }
  return energy;
}

double SearchResult::score(Objective objective) const {
  return scoreOf(objective, energy, latency);
}

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// The interface tensor of Einsum i at each of its interface slots.
std::vector<int> interfaceTensors(const Workload &w,
                                  const std::vector<bool> &fusable, size_t i) {
  std::vector<int> tensors;
  for (const TensorAccess *a : w.einsums[i].accesses())
    if (fusable[a->tensor])
      tensors.push_back(a->tensor);
  return tensors;
}

/// The Einsums other than i that share fusable tensor t with it.
std::vector<int> neighbours(const Workload &w, int t, size_t i) {
  std::vector<int> all = w.tensors[t].consumers;
  all.push_back(w.tensors[t].producer);
  llvm::erase(all, (int)i);
  return all;
}

/// A partial fused mapping of Einsums [0, i).
struct State {
  double energy = 0, latency = 0;
  /// While a fusion group is open: bytes per level held across the whole
  /// group, and the largest extra need of any one member.
  llvm::SmallVector<double, 4> sumPersistent, maxExtra;
  /// The on-chip intermediates a later Einsum still reads, with their keys,
  /// interned (Joiner::liveOf; 0: none): frontiers compare and bucket
  /// states by it, and extending a state copies no keys.
  uint32_t liveId = 0;
  int parent = -1;                        // index in the previous frontier
  const Pmapping *choice = nullptr;       // the pmapping of Einsum i-1
  bool groupStart = true;                 // Einsum i-1 opened a new group
};

struct Joiner {
  const Workload &w;
  const Arch &arch;
  const std::vector<EinsumPmappings> &pm;
  std::vector<int> lastConsumer; // per tensor

  using Group = std::pair<const std::vector<Key>, std::vector<Pmapping>>;
  /// Per Einsum: its groups by the keys of their interface inputs (what a
  /// partial mapping fixes), in the groups' own order.
  struct Bucket {
    std::vector<const Group *> groups;
    uint32_t before = 0; // the live set they continue
  };
  std::vector<std::map<std::vector<uint32_t>, Bucket>> byInputs;
  /// Per Einsum, in its groups' order, those that can be part of a
  /// complete mapping (viable()), with the live sets before and after.
  struct Joinable {
    const Group *group;
    uint32_t before, after;
  };
  std::vector<std::vector<Joinable>> joinable;

  /// Keys by id: live sets hold ids, so interning and comparing them
  /// compares integers, not the keys' loops.
  struct KeyHash {
    size_t operator()(const Key &k) const {
      // Short vectors of small integers: a multiplicative mix suffices.
      uint64_t h = k.size();
      for (int64_t v : k)
        h = (h ^ uint64_t(v)) * 0x9E3779B97F4A7C15ull;
      return h ^ (h >> 29);
    }
  };
  mutable std::unordered_map<Key, uint32_t, KeyHash> keyIds;
  mutable std::vector<const Key *> keyById; // map nodes are stable
  uint32_t keyId(const Key &key) const {
    auto [it, fresh] = keyIds.try_emplace(key, keyIds.size());
    if (fresh)
      keyById.push_back(&it->first);
    return it->second;
  }
  /// The id of each group's output key kept on chip, or -1 (in DRAM or
  /// not an interface tensor), by the group's keys.
  llvm::DenseMap<const std::vector<Key> *, int64_t> outputKey;

  using Live = std::vector<std::pair<int, uint32_t>>; // (tensor, key id)
  mutable std::map<Live, uint32_t> liveIds;
  mutable std::vector<const Live *> lives; // by id (map nodes are stable)
  uint32_t intern(const Live &live) const {
    auto [it, fresh] = liveIds.try_emplace(live, liveIds.size());
    if (fresh)
      lives.push_back(&it->first);
    return it->second;
  }
  const Live &liveOf(uint32_t id) const { return *lives[id]; }
  /// Memo of extend()'s live set: (live id before and Einsum, the id of
  /// the key it leaves on chip or -1) -> live id after.
  mutable llvm::DenseMap<std::pair<uint64_t, int64_t>, uint32_t> transitions;
  /// Per Einsum: the position of its output among its interface tensors
  /// (-1 if not there), and the output tensor.
  std::vector<int> outputSlot, outputTensor;

  Joiner(const Workload &w, const Arch &arch,
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

  uint64_t joinableGroups() const {
    uint64_t count = 0;
    for (const std::vector<Joinable> &groups : joinable)
      count += groups.size();
    return count;
  }

  /// Per Einsum and group (in order): whether each of its interface
  /// tensors' key is one that every other Einsum accessing the tensor has
  /// in a group that is itself viable. All the Einsums of a complete
  /// mapping agree on each tensor's key (required()), so the others can
  /// never join: most of a softmax's groups.
  std::vector<std::vector<bool>>
  viable(const std::vector<std::vector<std::vector<uint32_t>>> &ids) const {
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

  /// The groups of Einsum i that `req` (from required()) admits.
  llvm::ArrayRef<const Group *>
  groupsFor(size_t i, const std::vector<std::optional<Key>> &req) const {
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

  /// The groups of Einsum i that can continue a state with live set
  /// `liveId` (required() and groupsFor(), asked once per live set).
  llvm::ArrayRef<const Group *> groupsAfter(uint32_t liveId, int i) const {
    auto [it, fresh] = continuations.try_emplace({liveId, i});
    if (fresh) {
      State s;
      s.liveId = liveId;
      if (auto req = required(s, i))
        it->second = groupsFor(i, *req);
    }
    return it->second;
  }
  mutable llvm::DenseMap<std::pair<uint32_t, int>,
                         llvm::ArrayRef<const Group *>>
      continuations;

  /// The keys Einsum i's interface inputs must have after state `s`, or
  /// nullopt when `s` cannot be continued by Einsum i (a live on-chip
  /// tensor that Einsum i does not read would split its fusion group).
  std::optional<std::vector<std::optional<Key>>>
  required(const State &s, int i) const {
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

  static bool compatible(const std::vector<Key> &keys,
                         const std::vector<std::optional<Key>> &req) {
    for (size_t k = 0; k < keys.size(); ++k)
      if (req[k] && keys[k] != *req[k])
        return false;
    return true;
  }

  /// Extends `s` by pmapping `p` of Einsum i; false if capacity is exceeded.
  bool extend(const State &s, int i, const std::vector<Key> &keys,
              const Pmapping &p, State &next) const {
    advance(s, i, keys, p, next);
    return reserve(s, p, next);
  }

  /// extend()'s scores and live set: all a bound needs.
  void advance(const State &s, int i, const std::vector<Key> &keys,
               const Pmapping &p, State &next) const {
    next.energy = s.energy + p.energy;
    next.latency = s.latency + p.latency;
    next.choice = &p;
    next.groupStart = s.liveId == 0;
    next.liveId = liveAfter(s.liveId, i, keys);
  }

  /// extend()'s reservations, after advance(); false if capacity is
  /// exceeded.
  bool reserve(const State &s, const Pmapping &p, State &next) const {
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

  /// The live set after Einsum i takes a pmapping with `keys` from live
  /// set `before`: intermediates still read later, and its output if kept
  /// on chip.
  uint32_t liveAfter(uint32_t before, int i, const std::vector<Key> &keys) const {
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

  /// The id of the output key Einsum i leaves on chip with `keys` (their
  /// `ids` if known), or -1.
  int64_t outputKeyId(int i, const std::vector<Key> &keys,
                      llvm::ArrayRef<uint32_t> ids = {}) const {
    int slot = outputSlot[i];
    if (slot < 0 || inDram(keys[slot]))
      return -1;
    return ids.empty() ? keyId(keys[slot]) : ids[slot];
  }

  static bool dominates(const State &a, const State &b, Objective o) {
    if (!noWorse(o, a.energy, a.latency, b.energy, b.latency))
      return false;
    for (size_t l = 0; l < a.sumPersistent.size(); ++l)
      if (a.sumPersistent[l] > b.sumPersistent[l] ||
          a.maxExtra[l] > b.maxExtra[l])
        return false;
    return true;
  }
};

/// Branch and bound over the join for one additive criterion (energy, or
/// latency). Every Einsum through DRAM (each one's best pmapping with all
/// its interface tensors in DRAM) is a complete mapping, so the optimum
/// scores no worse. A partial mapping is completed at least by the best
/// continuation of its live intermediates when capacity is ignored: a
/// backward pass over the groups (the join without reservations keeps one
/// number per live set), exact wherever capacity does not bind. A partial
/// mapping whose least completion exceeds the incumbent cannot lead to the
/// optimum. Sums in different orders round differently: only a clear excess
/// cuts, never a tie.
class JoinBound {
public:
  JoinBound(const Joiner &joiner, Objective objective)
      : objective(objective), rest(joiner.pm.size() + 1) {
    size_t n = joiner.pm.size();
    assert(objective != Objective::EDP && "one additive criterion");
    rest[n][0] = 0; // nothing live after the last Einsum
    incumbent = 0;
    for (size_t i = n; i-- > 0;) {
      double dram = INFINITY;
      for (const Joiner::Joinable &link : joiner.joinable[i]) {
        const Joiner::Group &group = *link.group;
        double best = INFINITY;
        for (const Pmapping &p : group.second)
          best = std::min(best, criterion(p.energy, p.latency));
        if (llvm::all_of(group.first, inDram))
          dram = std::min(dram, best);
        auto next = rest[i + 1].find(link.after);
        if (next == rest[i + 1].end())
          continue; // no later Einsum can continue it
        auto [it, fresh] = rest[i].try_emplace(link.before, INFINITY);
        it->second = std::min(it->second, best + next->second);
      }
      incumbent += dram;
    }
  }

  /// Lowers the incumbent to a complete mapping's score.
  void tighten(double score) { incumbent = std::min(incumbent, score); }

  double criterion(double energy, double latency) const {
    return firstCriterion(objective, energy, latency);
  }

  /// The least score state `s` of Einsums [0, i) can complete to.
  double least(const State &s, size_t i) const {
    auto it = rest[i].find(s.liveId);
    return it == rest[i].end() ? INFINITY
                               : criterion(s.energy, s.latency) + it->second;
  }

  /// Whether state `s` of Einsums [0, i) is cut.
  bool cuts(const State &s, size_t i) const {
    return least(s, i) > incumbent * (1 + 1e-9);
  }

private:
  Objective objective;
  /// Per i: the least score Einsums [i, n) can add after each live set
  /// (absent: none can continue it).
  std::vector<llvm::DenseMap<uint32_t, double>> rest;
  double incumbent; // infinite when some Einsum cannot go through DRAM
};

/// Pareto-prunes states that share the same live intermediates and keys,
/// on one additive criterion (energy or latency) and their reservations.
std::vector<State> pruneFrontier(std::vector<State> states, Objective o) {
  auto primary = [&](const State &s) {
    return firstCriterion(o, s.energy, s.latency);
  };
  auto secondary = [&](const State &s) {
    return o == Objective::Latency ? s.energy : s.latency;
  };
  // States hold vectors: both stages sort indices, and only the states
  // kept are moved, once.
  std::vector<uint32_t> order(states.size());
  std::iota(order.begin(), order.end(), 0);
  // Stage 1: among states with identical live intermediates and
  // reservations, only the criterion differs: keep the best with one sort
  // and one sweep.
  auto sameReservations = [&](const State &a, const State &b) {
    return a.liveId == b.liveId && a.sumPersistent == b.sumPersistent &&
           a.maxExtra == b.maxExtra;
  };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    const State &a = states[x], &b = states[y];
    if (a.liveId != b.liveId)
      return a.liveId < b.liveId;
    if (a.sumPersistent != b.sumPersistent)
      return a.sumPersistent < b.sumPersistent;
    if (a.maxExtra != b.maxExtra)
      return a.maxExtra < b.maxExtra;
    if (primary(a) != primary(b))
      return primary(a) < primary(b);
    return secondary(a) < secondary(b);
  });
  std::vector<uint32_t> survivors;
  for (size_t i = 0; i < order.size(); ++i)
    if (survivors.empty() ||
        !sameReservations(states[order[i]], states[survivors.back()]) ||
        !Joiner::dominates(states[survivors.back()], states[order[i]], o))
      survivors.push_back(order[i]);
  // Stage 2: dominance across different reservations, per live bucket.
  std::stable_sort(survivors.begin(), survivors.end(),
                   [&](uint32_t x, uint32_t y) {
                     const State &a = states[x], &b = states[y];
                     if (a.liveId != b.liveId)
                       return a.liveId < b.liveId;
                     if (primary(a) != primary(b))
                       return primary(a) < primary(b);
                     return secondary(a) < secondary(b);
                   });
  std::vector<uint32_t> kept;
  size_t bucketStart = 0, lastDominator = 0;
  for (uint32_t x : survivors) {
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

bool better(Objective o, double e1, double l1, double e2, double l2) {
  double s1 = scoreOf(o, e1, l1), s2 = scoreOf(o, e2, l2);
  if (s1 != s2)
    return s1 < s2;
  if (e1 != e2)
    return e1 < e2;
  return l1 < l2;
}

/// The complete mapping to return of two: for energy or latency, a score
/// within rounding of the other's is a tie, broken by the other criterion.
/// (Not an ordering for sorts: ties are not transitive.)
bool preferred(Objective o, double e1, double l1, double e2, double l2) {
  if (o != Objective::EDP) {
    double s1 = scoreOf(o, e1, l1), s2 = scoreOf(o, e2, l2);
    if (clearlyBelow(s1, s2) || clearlyBelow(s2, s1))
      return s1 < s2;
    double t1 = secondCriterion(o, e1, l1), t2 = secondCriterion(o, e2, l2);
    if (t1 != t2)
      return t1 < t2;
    return s1 < s2;
  }
  return better(o, e1, l1, e2, l2);
}

void fillResult(const Workload &w, const Arch &arch,
                const std::vector<const Pmapping *> &chosen,
                const std::vector<bool> &starts, SearchResult &result) {
  result.energy = result.latency = 0;
  for (auto [i, p] : llvm::enumerate(chosen)) {
    EinsumResult er;
    er.mapping = p->mapping;
    er.onChipShared = onChipAccesses(w, i, er.mapping);
    er.eval = evaluate(w, i, arch, er.mapping, er.onChipShared);
    result.energy += er.eval.energy;
    result.latency += er.eval.latency;
    result.einsums.push_back(std::move(er));
    if (starts[i] || result.groups.empty())
      result.groups.push_back({});
    result.groups.back().push_back(i);
  }
}

std::string fitError(const Workload &w, int i, const EinsumPmappings &p) {
  if (!p.error.empty())
    return p.error;
  // Bypassing every on-chip level is always in the mapspace, so this means
  // the architecture itself rules the Einsum out.
  const Einsum &e = w.einsums[i];
  return llvm::formatv("no valid mapping for Einsum '{0}' ({1}) on this "
                       "architecture",
                       e.name, e.opName);
}

std::string lateError(const Workload &w, const Deadline &deadline, size_t i) {
  return llvm::formatv("{0} while joining Einsum '{1}' (raise {2})",
                       deadline.what(), w.einsums[i].name, deadline.option());
}

/// A complete mapping a join found: per Einsum, the pmapping chosen and
/// whether it opens a fusion group, and the sums the join kept.
struct JoinPath {
  std::vector<const Pmapping *> chosen;
  std::vector<bool> starts;
  double energy = 0, latency = 0;
};

/// FFM's join for energy or latency, Einsum by Einsum: every compatible
/// extension, Pareto-pruned within equal live keys and cut by JoinBound.
/// With `incumbent` (the score of a known complete mapping), an empty
/// `found` means that no mapping scores below it, up to the bound's slack.
/// False on an error (result.error); frontier sizes go to result.stats.
bool frontierJoin(const Workload &w, const Joiner &joiner,
                  const std::vector<EinsumPmappings> &pm, Objective objective,
                  const SearchOptions &options, const Deadline &deadline,
                  std::optional<double> incumbent, SearchResult &result,
                  std::optional<JoinPath> &found) {
  size_t n = pm.size();
  uint64_t extensions = 0;
  JoinBound bound(joiner, objective);
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
          for (const Pmapping &p : group) {
            if (++extensions % 4096 == 0 && deadline.passed()) {
              result.error = lateError(w, deadline, i);
              timedOut = true;
              return false;
            }
            State ns;
            // The bound first: most extensions fall to it, and it needs
            // no reservations.
            joiner.advance(s, i, keys, p, ns);
            if (bound.cuts(ns, i + 1) || !joiner.reserve(s, p, ns))
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
  std::vector<std::vector<State>> frontiers;
  // A complete mapping found by a narrow join is an incumbent as good as
  // any for the bound, and usually far better than all-DRAM: the exact
  // join then drops the partial mappings that cannot beat it.
  if (forward(/*beam=*/1, frontiers)) {
    for (const State &s : frontiers[n])
      bound.tighten(bound.criterion(s.energy, s.latency));
  } else if (timedOut) {
    return false;
  }
  result.error.clear();
  found.reset();
  emptied = false;
  if (!forward(/*beam=*/0, frontiers)) {
    // Below a given incumbent, an empty frontier is an answer: none.
    if (!incumbent || !emptied)
      return false;
    result.error.clear();
    return true;
  }
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
  found = std::move(path);
  return true;
}

/// The FFM join for energy or latency.
bool singleJoin(const Workload &w, const Arch &arch,
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
bool edpJoin(const Workload &w, const Arch &arch,
             const std::vector<EinsumPmappings> &pm,
             const SearchOptions &options, const Deadline &deadline,
             SearchResult &result, JoinPath &best) {
  // The same pmappings with the weighted sum in place of their energy; the
  // groups keep their order, so the two walk in step.
  // Einsums sharing their pmappings share the weighted ones too.
  std::vector<EinsumPmappings> weighted = pm;
  std::map<const EinsumPmappings::Groups *,
           std::shared_ptr<EinsumPmappings::Groups>>
      copies;
  llvm::DenseMap<const Pmapping *, const Pmapping *> original;
  for (size_t i = 0; i < pm.size(); ++i) {
    auto [copy, fresh] = copies.try_emplace(pm[i].groups.get());
    if (fresh)
      copy->second = std::make_shared<EinsumPmappings::Groups>(*pm[i].groups);
    weighted[i].groups = copy->second;
    for (auto [from, to] : llvm::zip(*pm[i].groups, *weighted[i].groups))
      for (auto [p, q] : llvm::zip(from.second, to.second))
        original[&q] = &p;
  }
  Joiner joiner(w, arch, weighted);
  result.stats.joinableGroups = joiner.joinableGroups();
  // Least energy + lambda * latency (lambda = infinity: least latency),
  // below `incumbent` if given; the path then holds the original
  // pmappings and their true sums.
  auto joinAt = [&](double lambda, std::optional<double> incumbent,
                    std::optional<JoinPath> &found) {
    bool latencyOnly = std::isinf(lambda);
    for (size_t i = 0; i < pm.size(); ++i)
      for (auto &[keys, group] : *weighted[i].groups)
        for (Pmapping &q : group)
          q.energy = latencyOnly ? q.latency
                                 : original[&q]->energy + lambda * q.latency;
    if (!frontierJoin(w, joiner, weighted, Objective::Energy, options,
                      deadline, incumbent, result, found))
      return false;
    if (found) {
      found->energy = 0;
      for (const Pmapping *&q : found->chosen) {
        q = original[q];
        found->energy += q->energy;
      }
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

} // namespace

/// Which unique Einsums to enumerate after the others, restricted to the
/// keys their neighbours kept (joinableKeys): the heads of fused chains,
/// whose every interface tensor is their own output. A head's groups
/// differ only in that output's key, which its consumers constrain by
/// everything else they read; a projection feeding attention keeps a few
/// percent of its groups. (No head reads another's output, so none waits
/// for another.)
static std::vector<bool> lateEinsums(const Workload &w,
                                     const std::vector<bool> &fusable,
                                     const std::vector<size_t> &unique) {
  std::vector<bool> late(w.einsums.size(), false);
  for (size_t u : unique) {
    std::vector<int> tensors = interfaceTensors(w, fusable, u);
    late[u] = !tensors.empty() && llvm::all_of(tensors, [&](int t) {
      return w.tensors[t].producer == (int)u;
    });
  }
  return late;
}

/// Per interface slot of unique Einsum u, the keys it may take: for each
/// Einsum that shares u's pmappings, the keys that every neighbour of its
/// tensor there enumerated before u kept for it (none: unrestricted).
static std::vector<std::optional<std::set<Key>>>
joinableKeys(const Workload &w, const std::vector<bool> &fusable,
             const std::vector<size_t> &source, const std::vector<bool> &late,
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
        if (late[source[j]] || !theirs.error.empty() || theirs.groups->empty())
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
        std::set<Key> both;
        std::set_intersection(all->begin(), all->end(), kept.begin(),
                              kept.end(), std::inserter(both, both.end()));
        all = std::move(both);
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
  std::vector<bool> binding = bindingLevels(w, arch);
  // Einsums that differ only in their tensors (the V, K and Q projections
  // of a layer; every layer of a stack) have the same pmappings: mappings
  // name ranks and accesses by index, and the model reads nothing else.
  auto signature = [&](const Einsum &e) {
    std::string s;
    llvm::raw_string_ostream os(s);
    for (const RankVar &r : e.ranks)
      os << r.name << ':' << r.bound << ',';
    for (const TensorAccess *a : e.accesses()) {
      os << '|' << fusable[a->tensor];
      for (int r : a->dimRanks)
        os << ',' << r;
      for (const std::vector<WindowTerm> &window : a->windows) {
        os << '/';
        for (const WindowTerm &t : window)
          os << t.rank << '*' << t.coeff << ';';
      }
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
  auto generate = [&](size_t i) {
    Narrowing narrow = narrowing.empty() ? Narrowing() : narrowing[i];
    narrow.joinable = std::move(joinable[i]);
    if (narrow.reuse) {
      pm[i] = *narrow.reuse;
      pm[i].steps = 0; // nothing enumerated for it
      return;
    }
    pm[i] = generatePmappings(w, i, arch, fusable, options, prune, binding,
                              *deadline, narrow);
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
  std::vector<bool> late = prune ? lateEinsums(w, fusable, unique)
                                 : std::vector<bool>(w.einsums.size());
  // A late Einsum waits for the neighbours whose keys restrict it; those
  // go first. Each worker takes the first Einsum ready, so a wait happens
  // only while another one runs (one worker alone never waits).
  std::vector<std::vector<size_t>> waitsFor(w.einsums.size());
  std::vector<bool> awaited(w.einsums.size());
  for (size_t u : unique)
    if (late[u])
      for (size_t c = 0; c < w.einsums.size(); ++c)
        if (source[c] == u)
          for (int t : interfaceTensors(w, fusable, c))
            for (int j : neighbours(w, t, c)) {
              size_t them = source[j];
              if (late[them] || llvm::is_contained(waitsFor[u], them))
                continue;
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
      if (late[u])
        joinable[u] = joinableKeys(w, fusable, source, late, pm, u);
      generate(u);
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
    if (!pm[source[i]].error.empty()) {
      generate(i); // its own error message, naming it
      continue;
    }
    pm[i] = pm[source[i]];
    pm[i].steps = 0; // nothing enumerated for it
  }
  for (size_t i = 0; i < pm.size(); ++i)
    pm[i].mapspaceLog10 = size[i];
  return pm;
}

std::vector<bool> ffm::onChipAccesses(const Workload &w, int einsum,
                                      const Mapping &mapping) {
  std::vector<bool> fusable = fusableTensors(w);
  auto accesses = w.einsums[einsum].accesses();
  std::vector<bool> onChip(accesses.size(), false);
  for (auto [a, acc] : llvm::enumerate(accesses))
    if (fusable[acc->tensor])
      onChip[a] = !llvm::any_of(mapping.nodes, [&](const MapNode &n) {
        return n.kind == MapNode::Keep && n.access == (int)a && n.level == 0;
      });
  return onChip;
}

/// FFM for energy or latency, which add over Einsums: a pmapping of Einsum
/// i can be part of a complete mapping scoring at most U only if it scores
/// at most U minus the least every other Einsum can score (its floor).
/// Every Einsum is enumerated with a cap of its own floor plus a slack (the
/// best pmapping found so far plus the slack while the floor is not yet
/// known), which cuts subtrees by the same lower bound as the group fronts
/// and drops the far end of every front (pmappings that save reservations
/// at any cost). If the mapping the join finds scores at most the sum of
/// the floors plus the slack, the optimum does too, and the caps cut none
/// of its pmappings; otherwise one rerun with caps from the found score
/// (or the all-unfused mapping's), which hold by the same argument.
template <typename Run>
static SearchResult cappedSearch(const Workload &w, const Arch &arch,
                                 const SearchOptions &options,
                                 const Deadline &deadline, Run run,
                                 double &generateSeconds,
                                 uint64_t &earlierSteps, unsigned &passes,
                                 std::vector<double> *floorsOut = nullptr) {
  size_t n = w.einsums.size();
  // A complete mapping to scale the slack by: every Einsum unfused, at its
  // best (one group each, so its branch and bound is quick).
  SearchOptions unfusedOptions = options;
  unfusedOptions.allowFusion = false;
  auto t0 = Clock::now();
  ++passes;
  std::vector<EinsumPmappings> unfused =
      generateAll(w, arch, unfusedOptions, /*prune=*/true, &deadline);
  generateSeconds += since(t0);
  double upper = 0;
  for (const EinsumPmappings &p : unfused) {
    // Errors are the full enumeration's to report, naming what failed.
    if (!p.error.empty() || p.groups->empty())
      return run({}, nullptr);
    upper += p.floor;
    earlierSteps += p.steps;
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
  // By default 0.5% of the unfused score: the GPT-3 layer's optimum lies
  // 0.26% of it above the sum of the floors (fusion saves 18%).
  // A negative slack would cut each Einsum's own floor, which the proof
  // below takes as exact.
  double slack = std::max(0.0, options.capSlack) * upper;
  std::vector<bool> fusable = fusableTensors(w);
  std::vector<Narrowing> caps(n);
  for (size_t i = 0; i < n; ++i) {
    caps[i].slack = slack;
    // Without an interface tensor an Einsum has one group, judged on the
    // objective alone: exactly what the unfused pass kept.
    if (!options.allowFusion || interfaceTensors(w, fusable, i).empty())
      caps[i].reuse = &unfused[i];
  }
  std::vector<EinsumPmappings> pm;
  SearchResult result = run(caps, &pm);
  std::vector<double> floor;
  for (const EinsumPmappings &p : pm)
    floor.push_back(std::min(p.floor, p.unjoinableFloor));
  double sum = std::accumulate(floor.begin(), floor.end(), 0.0);
  if (floorsOut)
    *floorsOut = floor;
  double score =
      firstCriterion(options.objective, result.energy, result.latency);
  if ((result.ok() && score - sum <= slack) || deadline.passed() ||
      !std::isfinite(sum))
    return withBaseline(std::move(result));
  earlierSteps += result.stats.steps;
  double bound = result.ok() ? std::min(score, upper) : upper;
  for (size_t i = 0; i < n; ++i) {
    // Rounding-level slack on top: the caps must never cut a tie.
    caps[i] = Narrowing();
    caps[i].cap = floor[i] + (bound - sum) + 1e-9 * bound;
    // An Einsum whose caps cut nothing under the new one keeps its fronts.
    if (pm[i].cutAt > caps[i].cap * (1 + 1e-9))
      caps[i].reuse = &pm[i];
  }
  return withBaseline(run(caps, nullptr));
}

/// FFM for EDP, which does not add over Einsums, but energy and latency
/// do: a pmapping (e, l) of Einsum i is in no complete mapping with an EDP
/// below (e + the other Einsums' energy floors) * (l + their latency
/// floors). The energy and the latency searches give both floors of every
/// Einsum (exact: their capped enumerations' least) and two complete
/// mappings, the better EDP of which caps the EDP enumeration by that
/// bound; no pmapping of an EDP optimum is cut.
template <typename RunFor>
static SearchResult edpSearch(const Workload &w, const Arch &arch,
                              const SearchOptions &options,
                              const Deadline &deadline, RunFor runFor,
                              double &generateSeconds, uint64_t &earlierSteps,
                              unsigned &passes) {
  size_t n = w.einsums.size();
  std::vector<double> floors[2];
  double incumbent = INFINITY;
  for (Objective o : {Objective::Energy, Objective::Latency}) {
    SearchOptions additive = options;
    additive.objective = o;
    SearchResult r = cappedSearch(w, arch, additive, deadline,
                                  runFor(additive), generateSeconds,
                                  earlierSteps, passes,
                                  &floors[o == Objective::Latency]);
    earlierSteps += r.stats.steps;
    if (r.ok())
      incumbent = std::min(incumbent, r.energy * r.latency);
  }
  std::vector<Narrowing> caps(n);
  if (std::isfinite(incumbent) && floors[0].size() == n &&
      floors[1].size() == n) {
    double sumE = std::accumulate(floors[0].begin(), floors[0].end(), 0.0);
    double sumL = std::accumulate(floors[1].begin(), floors[1].end(), 0.0);
    if (std::isfinite(sumE) && std::isfinite(sumL))
      for (size_t i = 0; i < n; ++i) {
        caps[i].edpCap = incumbent;
        // The other Einsums' floors, rounded down a little: a bound.
        caps[i].otherEnergyFloors = std::max(0.0, sumE - floors[0][i]) *
                                    (1 - 1e-12);
        caps[i].otherLatencyFloors = std::max(0.0, sumL - floors[1][i]) *
                                     (1 - 1e-12);
      }
  }
  return runFor(options)(caps, nullptr);
}

SearchResult ffm::search(const Workload &w, const Arch &arch,
                         const SearchOptions &options) {
  if (std::string err = arch.validate(); !err.empty()) {
    SearchResult result;
    result.error = "invalid architecture: " + err;
    return result;
  }
  for (const Einsum &e : w.einsums)
    if (e.ranks.size() > Einsum::kMaxRanks ||
        e.accesses().size() > Einsum::kMaxOperands) {
      SearchResult result;
      result.error = llvm::formatv(
          "Einsum '{0}' has {1} ranks and {2} operands; the mapper handles "
          "at most {3} and {4}",
          e.name, e.ranks.size(), e.accesses().size(), Einsum::kMaxRanks,
          Einsum::kMaxOperands);
      return result;
    }
  Deadline deadline(options);
  double generateSeconds = 0, joinSeconds = 0;
  uint64_t earlierSteps = 0;
  unsigned passes = 0;
  // One enumeration and join under `o`; `kept` receives the pmappings.
  auto runFor = [&](const SearchOptions &o) {
    return [&, o](const std::vector<Narrowing> &narrowing,
                  std::vector<EinsumPmappings> *kept) {
      ++passes;
      auto t0 = Clock::now();
      std::vector<EinsumPmappings> pm = generateAll(
          w, arch, o, /*prune=*/!o.exhaustive, &deadline, narrowing);
      generateSeconds += since(t0);
      SearchResult result = joinPmappings(w, arch, pm, o, &deadline);
      joinSeconds += result.stats.joinSeconds;
      for (const EinsumPmappings &p : pm)
        result.stats.mapspaceLog10 += p.mapspaceLog10;
      if (kept)
        *kept = std::move(pm);
      return result;
    };
  };
  SearchResult result;
  if (options.exhaustive)
    result = runFor(options)({}, nullptr);
  else if (options.objective != Objective::EDP)
    result = cappedSearch(w, arch, options, deadline, runFor(options),
                          generateSeconds, earlierSteps, passes);
  else
    result = edpSearch(w, arch, options, deadline, runFor, generateSeconds,
                       earlierSteps, passes);
  result.stats.generateSeconds = generateSeconds;
  result.stats.joinSeconds = joinSeconds;
  result.stats.generationPasses = passes;
  result.stats.steps += earlierSteps;
  return result;
}

SearchResult detail::joinPmappings(const Workload &w, const Arch &arch,
                                   const std::vector<EinsumPmappings> &pm,
                                   const SearchOptions &options,
                                   const Deadline *deadline) {
  Deadline local(options);
  if (!deadline)
    deadline = &local;
  SearchResult result;
  size_t n = w.einsums.size();
  if (n == 0)
    return result;
  for (size_t i = 0; i < n; ++i) {
    result.stats.candidates += pm[i].candidates;
    result.stats.pmappings += pm[i].valid;
    result.stats.steps += pm[i].steps;
    result.stats.groups += pm[i].groups->size();
    for (auto &g : *pm[i].groups)
      result.stats.kept += g.second.size();
    if (!pm[i].error.empty() || pm[i].groups->empty()) {
      result.error = fitError(w, i, pm[i]);
      return result;
    }
  }

  auto t1 = Clock::now();
  std::vector<const Pmapping *> chosen(n);
  std::vector<bool> starts(n);
  if (!options.exhaustive) {
    JoinPath best;
    bool ok = options.objective == Objective::EDP
                  ? edpJoin(w, arch, pm, options, *deadline, result, best)
                  : singleJoin(w, arch, pm, options, *deadline, result, best);
    if (!ok)
      return result;
    chosen = std::move(best.chosen);
    starts = std::move(best.starts);
  } else {
    // The reference: depth-first over every combination of pmappings,
    // sharing compatibility and capacity rules with the joins but with no
    // grouping and no Pareto pruning. Only subtrees that an admissible
    // bound (the best each remaining Einsum could do alone) proves cannot
    // beat the incumbent are skipped, so the optimum is exact.
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
          chosen = path;
          starts = pathStarts;
        }
        return;
      }
      auto req = joiner.required(stack[i], i);
      if (!req)
        return;
      for (auto [keys, p] : all[i]) {
        if (result.stats.combinations % 4096 == 0 && deadline->passed()) {
          budgetError = lateError(w, *deadline, i);
          return;
        }
        if (++result.stats.combinations > options.maxPmappings) {
          budgetError = llvm::formatv(
              "search budget exceeded: exhaustive search visited {0} partial "
              "mappings (raise max-pmappings)",
              options.maxPmappings);
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
      return result;
    }
    if (!found) {
      result.error = "no valid fused mapping exists";
      return result;
    }
  }
  result.stats.joinSeconds = since(t1);
  fillResult(w, arch, chosen, starts, result);
  return result;
}
