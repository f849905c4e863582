//===- Join.h - the joins' shared internals ---------------------*- C++ -*-===//
//
// What the joins (Join.cpp, EdpJoin.cpp, Exhaustive.cpp), the bound that
// cuts them (JoinBound.cpp) and their dispatch (Search.cpp) share: how
// complete mappings rank, the partial mappings a join extends and the rules
// it extends them by (Joiner), and the joins themselves. Internal to
// lib/Mapper.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_LIB_MAPPER_JOIN_H
#define FFM_LIB_MAPPER_JOIN_H

#include "Pmappings.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ffm::detail {

/// A complete mapping's score on `objective` (SearchResult::score).
inline double scoreOf(Objective objective, double energy, double latency) {
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

/// Whether (e1, l1) ranks strictly before (e2, l2): by score on `o`, then
/// energy, then latency (an ordering, for sorts).
inline bool better(Objective o, double e1, double l1, double e2, double l2) {
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
inline bool preferred(Objective o, double e1, double l1, double e2,
                      double l2) {
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

/// The energy a join sums for a pmapping: its energy, or for EDP's joins
/// at a chord slope lambda its energy + lambda * latency (the latency
/// alone at lambda = infinity, as {0, 1}: energies are finite), read from
/// the pmappings as they are.
struct Weighting {
  double energy = 1, latency = 0;
  double of(const Pmapping &p) const {
    return energy * p.energy + latency * p.latency;
  }
};

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

  // SmallVector's move is not declared noexcept, so without these a
  // frontier's growth would copy every state it holds.
  State() = default;
  State(const State &) = default;
  State(State &&) noexcept = default;
  State &operator=(const State &) = default;
  State &operator=(State &&) noexcept = default;
};
static_assert(std::is_nothrow_move_constructible<State>::value,
              "frontiers move their states when they grow");

/// The rules a join extends partial mappings by (definitions in Join.cpp):
/// which groups of an Einsum can continue a state (its live intermediates
/// and their keys), the state after a pmapping, and whether its fusion
/// group still fits every level.
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
         const std::vector<EinsumPmappings> &pm);

  uint64_t joinableGroups() const;

  /// Per Einsum and group (in order): whether each of its interface
  /// tensors' key is one that every other Einsum accessing the tensor has
  /// in a group that is itself viable. All the Einsums of a complete
  /// mapping agree on each tensor's key (required()), so the others can
  /// never join: most of a softmax's groups.
  std::vector<std::vector<bool>>
  viable(const std::vector<std::vector<std::vector<uint32_t>>> &ids) const;

  /// The groups of Einsum i that `req` (from required()) admits.
  llvm::ArrayRef<const Group *>
  groupsFor(size_t i, const std::vector<std::optional<Key>> &req) const;

  /// The groups of Einsum i that can continue a state with live set
  /// `liveId` (required() and groupsFor(), asked once per live set).
  llvm::ArrayRef<const Group *> groupsAfter(uint32_t liveId, int i) const;
  mutable llvm::DenseMap<std::pair<uint32_t, int>,
                         llvm::ArrayRef<const Group *>>
      continuations;

  /// The keys Einsum i's interface inputs must have after state `s`, or
  /// nullopt when `s` cannot be continued by Einsum i (a live on-chip
  /// tensor that Einsum i does not read would split its fusion group).
  std::optional<std::vector<std::optional<Key>>>
  required(const State &s, int i) const;

  static bool compatible(const std::vector<Key> &keys,
                         const std::vector<std::optional<Key>> &req);

  /// Extends `s` by pmapping `p` of Einsum i; false if capacity is exceeded.
  bool extend(const State &s, int i, const std::vector<Key> &keys,
              const Pmapping &p, State &next) const;

  /// extend()'s scores and live set (`after`, liveAfter() of the keys,
  /// the same for a whole group), `energy` being p's (Weighting).
  void advance(const State &s, uint32_t after, const Pmapping &p,
               double energy, State &next) const;

  /// extend()'s reservations, after advance(); false if capacity is
  /// exceeded.
  bool reserve(const State &s, const Pmapping &p, State &next) const;

  /// The live set after Einsum i takes a pmapping with `keys` from live
  /// set `before`: intermediates still read later, and its output if kept
  /// on chip.
  uint32_t liveAfter(uint32_t before, int i,
                     const std::vector<Key> &keys) const;

  /// The id of the output key Einsum i leaves on chip with `keys` (their
  /// `ids` if known), or -1.
  int64_t outputKeyId(int i, const std::vector<Key> &keys,
                      llvm::ArrayRef<uint32_t> ids = {}) const;

  /// Whether `a` makes `b` redundant: no worse on the objective's criteria
  /// (noWorse) and holding no more of any level.
  static bool dominates(const State &a, const State &b, Objective o);
};

/// A complete mapping a join found: per Einsum, the pmapping chosen and
/// whether it opens a fusion group, and the sums the join kept.
struct JoinPath {
  std::vector<const Pmapping *> chosen;
  std::vector<bool> starts;
  double energy = 0, latency = 0;
};

/// FFM's join for energy or latency, Einsum by Einsum: every compatible
/// extension, Pareto-pruned within equal live keys and cut by JoinBound.
/// With `incumbent` (a score to beat, not necessarily a mapping's: it cuts
/// no ties), an empty `found` means that no mapping scores below it, up to
/// the bound's slack. The energy it sums is `weighting`'s (and the path's
/// energy too). The narrow first join's mapping is a candidate as well.
/// False on an error (result.error); frontier sizes go to result.stats.
bool frontierJoin(const Workload &w, const Joiner &joiner,
                  const std::vector<EinsumPmappings> &pm, Objective objective,
                  const SearchOptions &options, const Deadline &deadline,
                  std::optional<double> incumbent, SearchResult &result,
                  std::optional<JoinPath> &found, Weighting weighting = {});

/// The FFM join for energy or latency (frontierJoin). False on an error
/// (result.error), else the mapping it picks is in `best`; so below.
bool singleJoin(const Workload &w, const Arch &arch,
                const std::vector<EinsumPmappings> &pm,
                const SearchOptions &options, const Deadline &deadline,
                SearchResult &result, JoinPath &best);

/// The FFM join for EDP: frontierJoins at chord slopes (EdpJoin.cpp).
bool edpJoin(const Workload &w, const Arch &arch,
             const std::vector<EinsumPmappings> &pm,
             const SearchOptions &options, const Deadline &deadline,
             SearchResult &result, JoinPath &best);

/// The reference join: every combination of unpruned pmappings
/// (Exhaustive.cpp).
bool exhaustiveJoin(const Workload &w, const Arch &arch,
                    const std::vector<EinsumPmappings> &pm,
                    const SearchOptions &options, const Deadline &deadline,
                    SearchResult &result, JoinPath &best);

} // namespace ffm::detail

#endif // FFM_LIB_MAPPER_JOIN_H
