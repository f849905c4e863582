//===- Keys.cpp - compatibility keys and the groups they select -----------===//
//
// The invariant: a pmapping's key (fusionKey) is everything its neighbours
// must agree on, and the group lookUpGroup() picks for a subtree is the one
// every pmapping in it falls in: keyState() holds every choice that fixes
// the keys (each interface tensor's outermost level and the loops above
// it), so subtrees with equal states share keys and the keys are built
// once per state. Groups Narrowing::joinable rules out are never filled,
// but their bounds still count toward the floors and the cut record (a
// subtree mayStillJoin() leaves out before its keys are fixed is bounded
// where it is left out, no higher than its groups' bounds). A group's
// surcharge is at most what the neighbours that constrain it must score
// above their floors in any mapping joining it, so the cap it lowers still
// cuts only what no mapping within the known score holds; likewise an EDP
// group's corners (groupCornersFor) bound what the other Einsums sum to in
// any complete mapping holding its keys.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"
#include "Search.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace ffm;
using namespace ffm::detail;

std::optional<std::vector<int64_t>>
ffm::fusionKey(const Einsum &e, const TensorAccess &acc, const Mapping &m,
               int access, llvm::ArrayRef<int64_t> shape) {
  size_t pos = 0;
  while (pos < m.nodes.size() && !(m.nodes[pos].kind == MapNode::Keep &&
                                   m.nodes[pos].access == access))
    ++pos;
  if (pos == m.nodes.size() || m.nodes[pos].level == 0)
    return std::vector<int64_t>{0};
  std::vector<int64_t> key{m.nodes[pos].level};
  // Tiles of dimension d, `span` long and `step` apart: one key for each
  // way of handing them over.
  auto tiles = [&](int64_t d, int64_t count, int64_t span, int64_t step) {
    if ((size_t)d < shape.size() && plainTiles(count, span, step, shape[d]))
      key.insert(key.end(), {d, count, 0, 0});
    else
      key.insert(key.end(), {kHaloKeyDim + d, count, span, step});
  };
  for (size_t i = 0; i < pos; ++i) {
    const MapNode &n = m.nodes[i];
    if (!n.isLoop())
      continue;
    auto dim = llvm::find(acc.dimRanks, n.rank);
    if (dim != acc.dimRanks.end()) {
      int64_t d = dim - acc.dimRanks.begin();
      // A halo loop hands each iteration an overlapping tile: what the
      // consumers' windows must take is its span and step, not its count.
      if (n.isHalo()) {
        tiles(d, n.factor, n.haloSpan, n.haloStep);
        continue;
      }
      key.push_back(d);
      key.push_back(n.factor);
      key.push_back(n.kind == MapNode::Spatial ? n.level + 1 : 0);
      key.push_back(n.kind == MapNode::Spatial ? n.dim : 0);
      continue;
    }
    // A loop over one rank of a window dimension (docs/model.md, "Halo
    // co-tiling"): temporal, the only loop above the node over any of the
    // dimension's ranks (the others are whole below it). Iteration i then
    // reads [i * step, i * step + span) of the dimension.
    int64_t h = -1;
    for (size_t d = 0; d < acc.windows.size() && h < 0; ++d)
      if (acc.dimRanks[d] == TensorAccess::kWindow)
        for (const WindowTerm &t : acc.windows[d])
          if (t.rank == n.rank)
            h = d;
    if (h < 0 || n.kind != MapNode::Temporal)
      return std::nullopt;
    for (size_t j = 0; j < pos; ++j)
      if (j != i && m.nodes[j].isLoop() &&
          llvm::any_of(acc.windows[h], [&](const WindowTerm &t) {
            return t.rank == m.nodes[j].rank;
          }))
        return std::nullopt;
    // The other ranks are whole at their bounds, which a halo loop of
    // theirs would make virtual (Halo.cpp lists no such candidate).
    for (const WindowTerm &t : acc.windows[h])
      if (t.rank != n.rank && llvm::any_of(m.nodes, [&](const MapNode &o) {
            return o.isLoop() && o.isHalo() && o.rank == t.rank;
          }))
        return std::nullopt;
    int64_t bound = e.ranks[n.rank].bound;
    if (!n.isHalo() && bound % n.factor != 0)
      return std::nullopt;
    int64_t tile = n.isHalo() ? n.haloSpan : bound / n.factor;
    int64_t stride = n.isHalo() ? n.haloStep : tile;
    int64_t span = 1, step = 0;
    for (const WindowTerm &t : acc.windows[h]) {
      if (t.rank == n.rank) {
        span += t.coeff * (tile - 1);
        step += t.coeff * stride;
      } else {
        span += t.coeff * (e.ranks[t.rank].bound - 1);
      }
    }
    tiles(h, n.factor, span, step);
  }
  return key;
}

bool Generator::markHalo(Mapping &m) const {
  int out = acc.size() - 1;
  for (const HaloTag &tag : halo) {
    bool found = false;
    for (MapNode &n : m.nodes) {
      if (n.kind == MapNode::Keep && n.access == out)
        return false; // the output's tile above the halo loop
      if (!n.isLoop() || n.rank != tag.rank)
        continue;
      if (n.kind != MapNode::Temporal || n.factor != tag.count)
        return false;
      n.haloSpan = tag.span;
      n.haloStep = tag.step;
      found = true;
      break;
    }
    if (!found)
      return false;
  }
  return true;
}

std::optional<std::vector<Key>> Generator::keysOf(Mapping m) const {
  if (!halo.empty() && !markHalo(m))
    return std::nullopt;
  std::vector<Key> keys;
  for (int a : out.interface) {
    std::optional<Key> key =
        fusionKey(e, *acc[a], m, a, w.tensors[acc[a]->tensor].shape);
    if (!key)
      return std::nullopt;
    keys.push_back(std::move(*key));
  }
  return keys;
}

bool Generator::lookUpGroup() {
  group = nullptr;
  groupFused = llvm::any_of(onChip, [](bool b) { return b; });
  if (!prune)
    return true;
  // The enumeration reaches each key many times: the mapping and its
  // keys are built once per state that fixes them.
  llvm::SmallVector<int64_t, 32> state;
  keyState(state);
  auto [it, fresh] = groupAt.try_emplace(
      llvm::StringRef(reinterpret_cast<const char *>(state.data()),
                      state.size() * sizeof(int64_t)),
      GroupAt());
  if (fresh)
    if (std::optional<std::vector<Key>> keys =
            keysOf(buildMapping(keysKnownAt + 1))) {
      it->second.unjoinable = !joinable(*keys);
      if (!it->second.unjoinable) {
        it->second.group = &(*out.groups)[*keys];
        it->second.front = &fronts[it->second.group];
        it->second.surcharge = surcharge(*keys);
        it->second.corners = groupCornersFor(*keys);
      }
    }
  if (it->second.unjoinable)
    leaveOut();
  group = it->second.group;
  front = it->second.front;
  groupSurcharge = it->second.surcharge;
  groupCorners = &it->second.corners;
  if (group && narrowing.keyBoundsOnly) {
    // The key's bound, not its pmappings: every one of them lies below a
    // node like this one, and scores at least its bound.
    auto [energy, latency] = lowerBound();
    if (!cutByCap(energy, latency) &&
        (group->empty() ||
         criterion(energy, latency) < primary(group->front()))) {
      Pmapping bound;
      bound.energy = energy;
      bound.latency = latency;
      group->assign(1, std::move(bound));
    }
    group = nullptr;
  }
  return group;
}

void Generator::leaveOut() {
  // Left out, but the floors must still bound it: its bound does.
  auto [energy, latency] = lowerBound();
  double least = ranked(energy, latency);
  out.unjoinableFloor = std::min(out.unjoinableFloor, least);
  // Only what may lie at the floor, which is at most the best, counts.
  if (narrowing.secondSlack < INFINITY && atBest(least))
    out.unjoinableBounds.add(least, otherCriterion(energy, latency));
}

bool Generator::mayStillJoin(size_t counted) {
  // Halo loops are marked on complete mappings only (markHalo). Keys are
  // open while decided <= keysKnownAt. Counted loops of block `decided`
  // lengthen only deeper nodes' keys (its own nodes are placed among them,
  // their keys already whole), so they are asked while decided <
  // keysKnownAt; then decided < numLevels too.
  if (!prune || !halo.empty() ||
      (int)decided + (counted > 0) > keysKnownAt ||
      llvm::none_of(narrowing.joinable,
                    [](const auto &j) { return j.has_value(); }))
    return true;
  llvm::SmallVector<int64_t, 32> state{(int64_t)decided, (int64_t)counted};
  // keyState() has no loops above a node not yet placed, as above one
  // placed first: the positions tell them apart.
  for (int r : llvm::ArrayRef<int>(order[decided]).take_front(counted))
    state.append({r, temporal[decided][r]});
  for (int a : out.interface)
    state.push_back(position[decided][a]);
  keyState(state);
  auto [it, fresh] = joinsAt.try_emplace(
      llvm::StringRef(reinterpret_cast<const char *>(state.data()),
                      state.size() * sizeof(int64_t)),
      true);
  if (fresh) {
    // The decided levels' loops, then the counted ones, are above every
    // node still to come, in mapping order: a key whose node is deeper
    // (or not yet placed among them) begins with them, as if its node
    // came right after them, and only grows. A node placed among the
    // counted loops, or above `decided`, has its whole key.
    Mapping prefix = buildMapping(decided);
    size_t decidedNodes = prefix.nodes.size();
    for (int r : llvm::ArrayRef<int>(order[decided]).take_front(counted))
      prefix.nodes.push_back(
          {MapNode::Temporal, -1, -1, r, temporal[decided][r]});
    for (auto [k, allowed] : llvm::enumerate(narrowing.joinable)) {
      int a = out.interface[k];
      if (!allowed || !onChip[a])
        continue;
      Mapping m = prefix;
      bool whole = outerOnChip[a] < (int)decided;
      if (outerOnChip[a] == (int)decided && position[decided][a] >= 0) {
        whole = true;
        m.nodes.resize(decidedNodes + position[decided][a]);
      }
      if (outerOnChip[a] >= (int)decided)
        m.nodes.push_back({MapNode::Keep, a, outerOnChip[a]});
      std::optional<Key> key =
          fusionKey(e, *acc[a], m, a, w.tensors[acc[a]->tensor].shape);
      if (!key)
        continue;
      auto next = allowed->lower_bound(*key);
      bool begins = next != allowed->end() &&
                    (whole ? *next == *key
                           : next->size() >= key->size() &&
                                 std::equal(key->begin(), key->end(),
                                            next->begin()));
      if (!begins) {
        it->second = false;
        break;
      }
    }
  }
  if (!it->second)
    leaveOut();
  return it->second;
}

bool Generator::joinable(const std::vector<Key> &keys) const {
  for (auto [k, allowed] : llvm::enumerate(narrowing.joinable))
    if (allowed && !allowed->count(keys[k]))
      return false;
  return true;
}

llvm::SmallVector<std::pair<double, double>, 4>
Generator::groupCornersFor(const std::vector<Key> &keys) const {
  const KeyCompletions *c = narrowing.edpCompletions.get();
  if (!c || !(narrowing.edpCap < INFINITY))
    return {}; // the Einsum's own (leastEdp)
  auto it = c->least.find(keys);
  if (it == c->least.end())
    return {{INFINITY, INFINITY}}; // in no complete mapping within the caps
  // What the keys leave the other Einsums bounds their sums at both
  // slopes (at a slope of 0 or infinity, the energy or the latency alone:
  // a side of the box), besides the floors' box and lines.
  auto [energy, latency] = narrowing.otherBox;
  llvm::SmallVector<std::pair<double, double>, 4> lines(
      narrowing.otherLines.begin(), narrowing.otherLines.end());
  auto [atLo, atHi] = it->second;
  if (c->lo > 0)
    lines.push_back({c->lo, atLo});
  else
    energy = std::max(energy, atLo);
  if (std::isfinite(c->hi))
    lines.push_back({c->hi, c->hi * atHi * (1 - 1e-9)});
  else
    latency = std::max(latency, atHi);
  // Never empty (the sides meet within rounding); if it were, the
  // Einsum's own corners would stand (leastEdp).
  return corners(energy, latency, lines);
}

double Generator::surcharge(const std::vector<Key> &keys) const {
  // One neighbour's score is bounded by each slot it shares: the largest
  // bound counts, once.
  llvm::SmallDenseMap<size_t, double, 8> most;
  for (const Narrowing::Surcharge &s : narrowing.surcharges) {
    auto it = s.above.find(keys[s.slot]);
    if (it != s.above.end())
      most[s.neighbour] = std::max(most[s.neighbour], it->second);
  }
  double total = 0;
  for (const auto &entry : most)
    total += entry.second;
  // What the keys leave the other Einsums bounds them together, and more
  // tightly than each neighbour alone; a key no complete mapping within
  // the caps holds joins nothing.
  if (narrowing.completions) {
    auto it = narrowing.completions->find(keys);
    total = std::max(total, it == narrowing.completions->end() ? INFINITY
                                                              : it->second);
  }
  return total;
}

void Generator::keyState(llvm::SmallVectorImpl<int64_t> &state) const {
  for (int a : out.interface) {
    state.push_back(-1);
    if (!onChip[a])
      continue;
    size_t outer = outerOnChip[a];
    state.push_back(outer);
    for (size_t m = 0; m <= outer; ++m) {
      for (int r : m < outer ? llvm::ArrayRef<int>(order[m])
                             : loopsAboveIn(a, m))
        state.append({r, temporal[m][r]});
      for (auto [slot, s] : llvm::enumerate(spatial))
        if (m < outer && s.first >= 0 && fanoutSlots[slot].first == (int)m)
          state.append({int64_t(128 + slot), s.first, s.second});
    }
  }
}
