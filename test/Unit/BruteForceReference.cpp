//===- BruteForceReference.cpp - an FFM-independent optimal mapper --------===//
//
// Everything here follows docs/mapspace.md ("The mapspace", items 1-8) and
// docs/model.md ("Reservations and fusion"); nothing from lib/Mapper is
// used. See BruteForceReference.h.
//
//===----------------------------------------------------------------------===//
#include "BruteForceReference.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <limits>
#include <optional>

using namespace ffm;
using namespace ffm::bruteforce;

namespace {
/// Key entries of window and halo loops: (kWindowKey + dim, ...).
constexpr int64_t kWindowKey = 1000000;

std::vector<int64_t> divisorsOf(int64_t n) {
  std::vector<int64_t> d;
  for (int64_t i = 1; i <= n; ++i)
    if (n % i == 0)
      d.push_back(i);
  return d;
}

/// Adds (energy, latency) to a staircase: dropped when some member is at
/// least as good on both, else it removes the members it beats.
void addToFront(std::vector<Choice> &front, Choice c) {
  for (const Choice &f : front)
    if (f.energy <= c.energy && f.latency <= c.latency)
      return;
  front.erase(std::remove_if(front.begin(), front.end(),
                             [&](const Choice &f) {
                               return c.energy <= f.energy &&
                                      c.latency <= f.latency;
                             }),
              front.end());
  front.push_back(std::move(c));
}

} // namespace

Reference::Reference(const Workload &w, const Arch &arch, Options options)
    : w(w), arch(arch), opts(options) {
  // Item 1: an interface tensor is an intermediate whose consumers read it
  // directly (not through a reshape), that is not a function result, and
  // that every Einsum from its producer's successor to its last consumer
  // reads.
  interface.assign(w.tensors.size(), false);
  for (size_t t = 0; t < w.tensors.size(); ++t) {
    const Tensor &tensor = w.tensors[t];
    if (tensor.producer < 0 || tensor.isOutput || tensor.aliasOf >= 0 ||
        tensor.consumers.empty())
      continue;
    bool ok = true;
    int last = tensor.producer;
    for (size_t j = 0; j < w.einsums.size(); ++j) {
      bool direct = false, reshaped = false;
      for (const TensorAccess &in : w.einsums[j].inputs) {
        direct |= in.tensor == (int)t;
        reshaped |= in.tensor != (int)t && w.rootOf(in.tensor) == (int)t;
      }
      ok &= !reshaped;
      if (direct)
        last = std::max(last, (int)j);
    }
    for (int j = tensor.producer + 1; j <= last; ++j) {
      bool reads = false;
      for (const TensorAccess &in : w.einsums[j].inputs)
        reads |= in.tensor == (int)t;
      ok &= reads;
    }
    interface[t] = ok && last > tensor.producer;
  }
  spaces.resize(w.einsums.size());
  // Consumers first: their window loops say which halo loops a producer
  // may have.
  for (size_t i = w.einsums.size(); i-- > 0 && error_.empty();) {
    enumerate(i);
    if (opts.haloFusion)
      for (const Halo &halo : haloSets(i))
        enumerate(i, halo);
  }
}

std::vector<Reference::Halo> Reference::haloSets(int ei) const {
  const Einsum &e = w.einsums[ei];
  int t = e.output.tensor;
  std::set<Halo> sets;
  if (!interface[t])
    return {};
  for (int c : w.tensors[t].consumers) {
    std::vector<const TensorAccess *> acc = w.einsums[c].accesses();
    for (size_t a = 0; a + 1 < acc.size(); ++a) {
      if (acc[a]->tensor != t)
        continue;
      for (const Class &cls : spaces[c].classes) {
        if (!cls.onChip[a])
          continue;
        // The key's window entries: (kWindowKey + dim, count, span, step).
        Halo halo;
        const std::vector<int64_t> &key = cls.key[a];
        for (size_t k = 1; k + 3 < key.size(); k += 4)
          if (key[k] >= kWindowKey) {
            int rank = e.output.dimRanks[key[k] - kWindowKey];
            if (rank < 0)
              continue;
            halo.push_back({rank, key[k + 1], key[k + 2], key[k + 3]});
          }
        if (halo.empty())
          continue;
        std::sort(halo.begin(), halo.end());
        sets.insert(halo);
      }
    }
  }
  return {sets.begin(), sets.end()};
}

uint64_t Reference::hashOf(const Mapping &m) {
  // Adjacent storage nodes are unordered (nothing between them): sort each
  // run of them before hashing.
  std::vector<MapNode> nodes = m.nodes;
  for (size_t i = 0; i < nodes.size();) {
    size_t j = i;
    while (j < nodes.size() && nodes[j].kind == MapNode::Keep)
      ++j;
    std::sort(nodes.begin() + i, nodes.begin() + j,
              [](const MapNode &a, const MapNode &b) {
                return std::make_pair(a.level, a.access) <
                       std::make_pair(b.level, b.access);
              });
    i = j == i ? i + 1 : j;
  }
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](int64_t v) {
    for (int b = 0; b < 8; ++b) {
      h ^= (uint64_t(v) >> (8 * b)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  for (const MapNode &n : nodes) {
    mix(n.kind);
    mix(n.access);
    mix(n.level);
    mix(n.rank);
    mix(n.factor);
    mix(n.dim);
    mix(n.haloSpan);
    mix(n.haloStep);
  }
  return h;
}

// The fusion choices, fusion validity (rules 7 and 8), fused loops and
// reservations of one Einsum's mapping, from the LoopTree alone.
Reference::Analysis Reference::analyze(int ei, const Mapping &m) const {
  Analysis an;
  const Einsum &e = w.einsums[ei];
  std::vector<const TensorAccess *> acc = e.accesses();
  const size_t nA = acc.size(), nL = arch.levels.size();
  const auto &nodes = m.nodes;
  an.onChip.assign(nA, false);
  an.key.assign(nA, {});
  an.reservation.assign(nL, 0);
  an.persistent.assign(nL, 0);

  std::vector<int> outermost(nA, -1); // node index
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].kind == MapNode::Keep && outermost[nodes[i].access] < 0)
      outermost[nodes[i].access] = i;
  auto loopsAbove = [&](size_t pos) {
    int n = 0;
    for (size_t i = 0; i < pos; ++i)
      n += nodes[i].isLoop();
    return n;
  };
  // Per access: an input that a consumer of this Einsum's output also reads
  // (rule 7, second half).
  std::vector<bool> readWithOutput(nA, false);
  for (size_t a = 0; a + 1 < nA; ++a)
    for (int c : w.tensors[e.output.tensor].consumers)
      for (const TensorAccess &in : w.einsums[c].inputs)
        if (in.tensor == acc[a]->tensor)
          readWithOutput[a] = true;

  int fusedDepth = 0;
  for (size_t a = 0; a < nA; ++a) {
    if (outermost[a] < 0) {
      an.error = "tensor never stored";
      return an;
    }
    const MapNode &outer = nodes[outermost[a]];
    if (outer.level == 0)
      continue; // in DRAM
    if (!interface[acc[a]->tensor]) {
      an.error = "a tensor that may not be fused is not in DRAM";
      return an;
    }
    an.onChip[a] = true;
    // Rules 7 and 8; the fused loops as (tensor dim, count, spatial level +
    // 1 or 0, fanout dim), and the level.
    an.key[a].push_back(outer.level);
    // Tiles `span` long and `step` apart along dimension d: disjoint ones
    // that cover it exactly are what a plain loop of that count hands
    // over, and keyed as one.
    const std::vector<int64_t> &shape = w.tensors[acc[a]->tensor].shape;
    auto tiles = [&](int64_t d, int64_t count, int64_t span, int64_t step) {
      if (span == step && count * step == shape[d])
        an.key[a].insert(an.key[a].end(), {d, count, 0, 0});
      else
        an.key[a].insert(an.key[a].end(),
                         {kWindowKey + d, count, span, step});
    };
    std::map<int, unsigned> perRank;
    unsigned fused = 0;
    for (int i = 0; i < outermost[a]; ++i) {
      const MapNode &n = nodes[i];
      if (!n.isLoop())
        continue;
      auto dim = std::find(acc[a]->dimRanks.begin(), acc[a]->dimRanks.end(),
                           n.rank);
      if (dim == acc[a]->dimRanks.end() && opts.haloFusion) {
        // A window loop: the one loop above the node over the ranks of
        // its window dimension, temporal. It reads per iteration the
        // dimension's extent under the node, from the rank's start
        // (times its coefficient) apart.
        int h = -1;
        for (size_t d = 0; d < acc[a]->windows.size(); ++d)
          for (const WindowTerm &term : acc[a]->windows[d])
            if (term.rank == n.rank)
              h = d;
        bool alone = h >= 0 && n.kind == MapNode::Temporal;
        for (int j = 0; alone && j < outermost[a]; ++j)
          for (const WindowTerm &term : acc[a]->windows[h])
            alone &= j == i || !nodes[j].isLoop() ||
                     nodes[j].rank != term.rank;
        for (const MapNode &o : nodes)
          for (const WindowTerm &term : alone ? acc[a]->windows[h]
                                              : std::vector<WindowTerm>{})
            alone &= !(o.isLoop() && o.isHalo() && term.rank != n.rank &&
                       o.rank == term.rank);
        if (!alone) {
          an.error = "a window loop above an on-chip intermediate is not "
                     "the only temporal loop over its dimension";
          return an;
        }
        if ((readWithOutput[a] && !e.output.indexedBy(n.rank)) ||
            (opts.maxFusedLoopsPerRank &&
             ++perRank[n.rank] > opts.maxFusedLoopsPerRank) ||
            (opts.maxFusedLoops && ++fused > opts.maxFusedLoops)) {
          an.error = "rules 7 and 8 (fused loop limits) on a window loop";
          return an;
        }
        auto below = [&](int r, size_t from) {
          int64_t extent = 1;
          for (size_t j = from + 1; j < nodes.size(); ++j)
            if (nodes[j].isLoop() && nodes[j].rank == r)
              extent *= nodes[j].factor;
          return extent;
        };
        int64_t span = acc[a]->extent(h, [&](int r) {
          return (double)below(r, outermost[a]);
        });
        int64_t coeff = 0;
        for (const WindowTerm &term : acc[a]->windows[h])
          if (term.rank == n.rank)
            coeff = term.coeff;
        int64_t step = coeff * (n.isHalo() ? n.haloStep : below(n.rank, i));
        tiles(h, n.factor, span, step);
        continue;
      }
      if (dim == acc[a]->dimRanks.end()) {
        an.error = "rule 7: a loop above an on-chip intermediate does not "
                   "index it";
        return an;
      }
      if (n.isHalo()) {
        tiles(dim - acc[a]->dimRanks.begin(), n.factor, n.haloSpan,
              n.haloStep);
        continue;
      }
      if (readWithOutput[a] && !e.output.indexedBy(n.rank)) {
        an.error = "rule 7: a loop above an on-chip input read by a consumer "
                   "of the output does not index the output";
        return an;
      }
      if ((opts.maxFusedLoopsPerRank &&
           ++perRank[n.rank] > opts.maxFusedLoopsPerRank) ||
          (opts.maxFusedLoops && ++fused > opts.maxFusedLoops)) {
        an.error = "rule 8: too many fused loops over one rank or in all";
        return an;
      }
      an.key[a].push_back(dim - acc[a]->dimRanks.begin());
      an.key[a].push_back(n.factor);
      an.key[a].push_back(n.kind == MapNode::Spatial ? n.level + 1 : 0);
      an.key[a].push_back(n.kind == MapNode::Spatial ? n.dim : 0);
    }
    // docs/model.md: the fused loops are those above each intermediate's
    // outermost (shared) node; its deeper copies do not deepen them.
    fusedDepth = std::max(fusedDepth, loopsAbove(outermost[a]));
  }
  // docs/model.md: a node's tile spans, per tensor dimension, what the
  // loops below it cover (a window's halo included); a level reserves the
  // sum of its tiles.
  for (size_t i = 0; i < nodes.size(); ++i) {
    const MapNode &n = nodes[i];
    if (n.kind != MapNode::Keep || n.level == 0)
      continue;
    double tile = acc[n.access]->footprint([&](int r) {
      double extent = 1;
      for (size_t j = i + 1; j < nodes.size(); ++j)
        if (nodes[j].isLoop() && nodes[j].rank == r)
          extent *= nodes[j].factor;
      return extent;
    });
    double bytes =
        tile * arch.bytesAt(n.level, accessClasses(w, ei, n.access,
                                                   an.onChip[n.access]));
    an.reservation[n.level] += bytes;
    if (loopsAbove(i) < fusedDepth)
      an.persistent[n.level] += bytes;
  }
  for (size_t l = 1; l < nL; ++l)
    if (an.reservation[l] > (double)*arch.levels[l].capacity) {
      an.error = "capacity";
      return an;
    }
  return an;
}

void Reference::enumerate(int ei, const Halo &halo) {
  // A halo loop recomputes its overlap: the Einsum is enumerated with its
  // rank count * span long (docs/model.md), the only change.
  Workload longer;
  if (!halo.empty()) {
    longer = this->w;
    for (const auto &h : halo)
      longer.einsums[ei].ranks[h[0]].bound = h[1] * h[2];
  }
  const Workload &w = halo.empty() ? this->w : longer;
  const Einsum &e = w.einsums[ei];
  EinsumSpace &space = spaces[ei];
  std::vector<const TensorAccess *> acc = e.accesses();
  const int nA = acc.size(), nL = arch.levels.size(), nR = e.ranks.size();
  std::map<std::vector<int64_t>, size_t> classOf;

  // The compute unit (docs/arch.md): it keeps no tile below its level
  // (`unitLevel`) and spreads over the fanouts above it, and the primary
  // unit below the innermost level over that level's too.
  int unit = 0, unitLevel = nL - 1;
  // The spatial slots: (level, fanout dim) with a fanout above 1.
  std::vector<std::pair<int, int>> slots;

  std::vector<bool> onChip(nA);
  std::optional<EinsumModel> model; // evaluate()'s, under onChip
  std::vector<uint32_t> keepSet(nA);
  std::vector<std::pair<int, int64_t>> spatial(slots.size());
  std::vector<int64_t> rem(nR);
  std::vector<int> blocks; // levels with a temporal block
  std::vector<std::vector<int64_t>> count; // [level][rank]
  std::vector<std::vector<int>> order;     // [level] ranks
  std::vector<int> position;               // per access, in its block

  auto emit = [&] {
    if (error_.size())
      return;
    if (++space.enumerated > opts.maxMappingsPerEinsum) {
      error_ = "reference: too many mappings for Einsum " + e.name;
      return;
    }
    // Item 6: DRAM nodes at the top; level L's nodes head L's block except
    // an on-chip intermediate's outermost node (at its chosen position);
    // then the spatial loops over L's fanout.
    Mapping m;
    m.unit = unit;
    for (int a = 0; a < nA; ++a)
      if (keepSet[a] & 1)
        m.nodes.push_back({MapNode::Keep, a, 0});
    for (int l = 0; l < nL; ++l) {
      if (std::find(blocks.begin(), blocks.end(), l) != blocks.end()) {
        for (size_t p = 0; p <= order[l].size(); ++p) {
          for (int a = 0; a < nA && l > 0; ++a)
            if ((keepSet[a] >> l & 1) && position[a * nL + l] == (int)p)
              m.nodes.push_back({MapNode::Keep, a, l});
          if (p < order[l].size())
            m.nodes.push_back({MapNode::Temporal, -1, -1, order[l][p],
                               count[l][order[l][p]]});
        }
      }
      for (size_t s = 0; s < slots.size(); ++s)
        if (slots[s].first == l && spatial[s].first >= 0)
          m.nodes.push_back({MapNode::Spatial, -1, l, spatial[s].first,
                             spatial[s].second, slots[s].second});
    }
    for (const auto &h : halo) {
      // The rank's outermost loop is the halo loop, temporal with the
      // count, above the output's node and below every on-chip tile of a
      // tensor the rank indexes.
      bool found = false;
      for (MapNode &n : m.nodes) {
        if (n.kind == MapNode::Keep && n.level > 0 &&
            (n.access == nA - 1 || acc[n.access]->indexedBy(h[0])))
          return;
        if (!n.isLoop() || n.rank != h[0])
          continue;
        if (n.kind != MapNode::Temporal || n.factor != h[1])
          return;
        n.haloSpan = h[2];
        n.haloStep = h[3];
        found = true;
        break;
      }
      if (!found)
        return;
    }
    Analysis an = analyze(ei, m);
    if (!an.error.empty())
      return;
    if (an.onChip != onChip) {
      error_ = "reference: fusion choice lost in " + m.str(w, e, arch);
      return;
    }
    Evaluation ev = model->evaluate(m);
    if (!ev.ok()) {
      // The reference built it from the definitions and found it valid:
      // the model must agree.
      error_ = "reference: the model rejects " + m.str(w, e, arch) + ": " +
               ev.error;
      return;
    }
    ++space.validCount;
    space.valid.insert(hashOf(m));
    std::vector<int64_t> sig;
    for (int a = 0; a < nA; ++a) {
      sig.push_back(onChip[a]);
      if (onChip[a]) {
        sig.push_back(an.key[a].size());
        sig.insert(sig.end(), an.key[a].begin(), an.key[a].end());
      }
    }
    bool fused = std::find(onChip.begin(), onChip.end(), true) != onChip.end();
    if (fused)
      for (int l = 0; l < nL; ++l) {
        sig.push_back(std::llround(an.reservation[l] * 8));
        sig.push_back(std::llround(an.persistent[l] * 8));
      }
    auto [it, fresh] = classOf.try_emplace(sig, space.classes.size());
    if (fresh) {
      Class c;
      c.onChip = onChip;
      c.key = an.key;
      c.reservation = an.reservation;
      c.persistent = an.persistent;
      space.classes.push_back(std::move(c));
    }
    addToFront(space.classes[it->second].front,
               {std::move(m), ev.energy, ev.latency});
  };

  // Item 6: whether the node of access a at level l > 0 may sit anywhere
  // among its block's loops: an on-chip intermediate's outermost (with
  // nodeDepths, every node); the others head the block.
  auto moves = [&](int a, int l) {
    return opts.nodeDepths || (onChip[a] && __builtin_ctz(keepSet[a]) == l);
  };

  // Item 6: positions of the nodes that move.
  auto positionsThenEmit = [&] {
    // Every node heads its block, then the ones that may move do.
    position.assign(nA * nL, 0);
    std::function<void(int)> go = [&](int a) {
      if (a == nA) {
        if (!opts.floatingMayLeadBlock)
          // Some node of each level sits at the head of its block.
          for (int l = 1; l < nL; ++l) {
            bool any = false, head = false;
            for (int b = 0; b < nA; ++b)
              if (keepSet[b] >> l & 1) {
                any = true;
                head |= position[b * nL + l] == 0;
              }
            if (any && !head)
              return;
          }
        return emit();
      }
      // The levels whose node of `a` moves, from level 1 up.
      std::function<void(int)> level = [&](int l) {
        if (l == nL)
          return go(a + 1);
        if (!(keepSet[a] >> l & 1) || l == 0 || !moves(a, l) ||
            order[l].empty())
          return level(l + 1);
        for (size_t p = 0; p <= order[l].size(); ++p) {
          position[a * nL + l] = p;
          level(l + 1);
        }
        position[a * nL + l] = 0;
      };
      level(0);
    };
    go(0);
  };

  // Item 5: every order of every block.
  std::function<void(size_t)> chooseOrders = [&](size_t b) {
    if (b == blocks.size())
      return positionsThenEmit();
    int l = blocks[b];
    order[l].clear();
    for (int r = 0; r < nR; ++r)
      if (count[l][r] > 1)
        order[l].push_back(r);
    std::vector<int> perm = order[l];
    do {
      order[l] = perm;
      chooseOrders(b + 1);
    } while (std::next_permutation(perm.begin(), perm.end()) && error_.empty());
  };

  // Item 4: every perfect factorization of every rank over the blocks.
  std::function<void(int, size_t, int64_t)> chooseCounts =
      [&](int r, size_t b, int64_t left) {
        if (r == nR) {
          // Capacity holds only if it holds with every node that may move
          // at the bottom of its block (its least tile): cut early.
          std::vector<double> least(nL, 0);
          for (int a = 0; a < nA; ++a)
            for (int l = 1; l < nL; ++l) {
              if (!(keepSet[a] >> l & 1))
                continue;
              double tile = acc[a]->footprint([&](int q) {
                double extent = 1;
                for (int m = moves(a, l) ? l + 1 : l; m < nL; ++m)
                  extent *= count[m][q];
                for (size_t s = 0; s < slots.size(); ++s)
                  if (slots[s].first >= l && spatial[s].first == q)
                    extent *= spatial[s].second;
                return extent;
              });
              least[l] +=
                  tile * arch.bytesAt(l, accessClasses(w, ei, a, onChip[a]));
            }
          for (int l = 1; l < nL; ++l)
            if (least[l] > (double)*arch.levels[l].capacity)
              return;
          return chooseOrders(0);
        }
        if (b + 1 == blocks.size()) {
          count[blocks[b]][r] = left;
          chooseCounts(r + 1, 0, rem[r + 1 < nR ? r + 1 : r]);
          count[blocks[b]][r] = 1;
          return;
        }
        for (int64_t d : divisorsOf(left)) {
          count[blocks[b]][r] = d;
          chooseCounts(r, b + 1, left / d);
        }
        count[blocks[b]][r] = 1;
      };

  // Item 3: each fanout dimension unused, or spreading one allowed rank by
  // the largest divisor of what remains of its bound that fits.
  std::function<void(size_t)> chooseSpatial = [&](size_t s) {
    if (s == slots.size()) {
      // docs/arch.md: min_usage of each level's fanout.
      for (int l = 0; l < nL; ++l) {
        if (!llvm::any_of(slots, [&](auto &q) { return q.first == l; }))
          continue; // no fanout of this level leads to the unit
        double used = 1, all = 1;
        for (int64_t f : arch.levels[l].fanout)
          all *= f;
        for (size_t q = 0; q < slots.size(); ++q)
          if (slots[q].first == l)
            used *= spatial[q].second;
        if (used < arch.levels[l].minUsage * all * (1 - 1e-12))
          return;
      }
      for (int r = 0; r < nR; ++r) {
        rem[r] = e.ranks[r].bound;
        for (auto [q, f] : spatial)
          if (q == r)
            rem[r] /= f;
      }
      blocks = {0};
      for (int l = 1; l < nL; ++l)
        for (int a = 0; a < nA; ++a)
          if (keepSet[a] >> l & 1) {
            blocks.push_back(l);
            break;
          }
      count.assign(nL, std::vector<int64_t>(nR, 1));
      order.assign(nL, {});
      return chooseCounts(0, 0, rem[0]);
    }
    spatial[s] = {-1, 1};
    chooseSpatial(s + 1);
    const Level &lv = arch.levels[slots[s].first];
    auto reuse = lv.reuseOf(slots[s].second);
    // The slots of one dimension are adjacent; a later one is used only
    // after the one before it, by another rank, within what they leave.
    int64_t width = lv.fanout[slots[s].second];
    std::vector<int> before;
    for (size_t q = s; q-- > 0 && slots[q] == slots[s];) {
      if (spatial[q].first < 0)
        return;
      width /= spatial[q].second;
      before.push_back(spatial[q].first);
    }
    for (int r = 0; r < nR; ++r) {
      if (!lv.allowsSpatial(e.ranks[r].name) || !e.maySpread(r) ||
          llvm::is_contained(before, r))
        continue;
      if (reuse == Level::Reuse::Inputs) {
        bool leaves = false;
        for (const TensorAccess &in : e.inputs)
          leaves |= !in.indexedBy(r);
        if (!leaves)
          continue;
      }
      if (reuse == Level::Reuse::Outputs && e.output.indexedBy(r))
        continue;
      // A class set: no tensor of the set may be indexed by the rank.
      if (reuse == Level::Reuse::Classes) {
        std::optional<ClassSet> set =
            parseClassSet(lv.reuse[slots[s].second]);
        bool indexed = false;
        for (int a = 0; a < nA; ++a)
          indexed |= set->matches(accessClasses(w, ei, a, false)) &&
                     acc[a]->indexedBy(r);
        if (indexed)
          continue;
      }
      int64_t left = e.ranks[r].bound;
      for (size_t q = 0; q < s; ++q)
        if (spatial[q].first == r)
          left /= spatial[q].second;
      int64_t f = 1;
      for (int64_t d : divisorsOf(left))
        if (d <= width)
          f = d;
      if (f < 2)
        continue;
      spatial[s] = {r, f};
      chooseSpatial(s + 1);
    }
    spatial[s] = {-1, 1};
  };

  // Item 2: keep sets. DRAM iff not an on-chip intermediate; keep / bypass
  // rules of the on-chip levels.
  std::function<void(int)> chooseKeeps = [&](int a) {
    if (a == nA)
      return chooseSpatial(0);
    unsigned classes = accessClasses(w, ei, a, onChip[a]);
    for (uint32_t set = 1; set < (1u << (unitLevel + 1)); ++set) {
      if ((bool)(set & 1) == (bool)onChip[a])
        continue;
      bool ok = true;
      for (int l = 1; l <= unitLevel; ++l) {
        int rule = arch.levels[l].keepRule(classes);
        if (rule > 0 && !(set >> l & 1))
          ok = false;
        if (rule < 0 && (set >> l & 1))
          ok = false;
      }
      if (!ok)
        continue;
      keepSet[a] = set;
      chooseKeeps(a + 1);
    }
  };

  // Item 0: a unit whose rule takes the Einsum's kind: a contraction
  // (a rank the output lacks, two or more inputs), a reduction (such a
  // rank, one input), else elementwise; unary with one input.
  bool reduces = false;
  for (int r = 0; r < nR; ++r)
    reduces |= !e.output.indexedBy(r);
  bool unary = e.inputs.size() <= 1;
  unsigned kinds = (unary ? kUnaryKind : 0u) |
                   (!reduces ? kElementwiseKind
                    : unary  ? kReductionKind
                             : kContractionKind);
  for (unit = 0; unit < (int)arch.numUnits(); ++unit) {
    const Compute &c = arch.unit(unit);
    if (!c.runs.empty() && !parseKindSet(c.runs)->matches(kinds))
      continue;
    unitLevel = c.level.empty() ? nL - 1 : arch.levelIndex(c.level);
    slots.clear();
    for (int l = 0; l <= unitLevel; ++l)
      if (l < unitLevel || (unit == 0 && l == nL - 1))
        for (size_t d = 0; d < arch.levels[l].fanout.size(); ++d)
          if (arch.levels[l].fanout[d] > 1)
            for (unsigned k = 0; k < opts.maxSpatialRanksPerDim; ++k)
              slots.push_back({l, (int)d});
    spatial.assign(slots.size(), {-1, 1});
    // Item 1: each interface tensor in DRAM or on chip.
    for (uint32_t mask = 0; mask < (1u << nA) && error_.empty(); ++mask) {
      // Halo loops keep the output on chip only.
      bool ok = halo.empty() || (mask >> (nA - 1) & 1);
      for (int a = 0; a < nA; ++a) {
        onChip[a] = mask >> a & 1;
        if (onChip[a] && (!opts.allowFusion || !interface[acc[a]->tensor]))
          ok = false;
      }
      if (ok) {
        model.emplace(w, ei, arch, onChip);
        chooseKeeps(0);
      }
    }
  }
  if (space.classes.empty() && error_.empty())
    error_ = "reference: no valid mapping for Einsum " + e.name;
  space.minEnergy = space.minLatency = INFINITY;
  for (Class &c : space.classes) {
    c.minEnergy = c.minLatency = INFINITY;
    for (const Choice &ch : c.front) {
      c.minEnergy = std::min(c.minEnergy, ch.energy);
      c.minLatency = std::min(c.minLatency, ch.latency);
    }
    space.minEnergy = std::min(space.minEnergy, c.minEnergy);
    space.minLatency = std::min(space.minLatency, c.minLatency);
  }
}

uint64_t Reference::enumerated() const {
  uint64_t n = 0;
  for (const EinsumSpace &s : spaces)
    n += s.enumerated;
  return n;
}
uint64_t Reference::validMappings() const {
  uint64_t n = 0;
  for (const EinsumSpace &s : spaces)
    n += s.validCount;
  return n;
}
uint64_t Reference::classes() const {
  uint64_t n = 0;
  for (const EinsumSpace &s : spaces)
    n += s.classes.size();
  return n;
}

namespace {
/// The state of a partial complete mapping: fusion choice and fused loops
/// of every tensor produced so far, the open fusion group's reservations.
struct Partial {
  std::vector<int> onChip;                     // per tensor: -1 unknown
  std::vector<const std::vector<int64_t> *> key; // per tensor
  std::vector<double> sumPersistent, maxExtra;  // open fusion group
  bool open = false;

  /// Before the first Einsum: workload inputs live in DRAM, the rest
  /// undecided.
  static Partial start(const Workload &w) {
    Partial p;
    p.onChip.assign(w.tensors.size(), -1);
    p.key.assign(w.tensors.size(), nullptr);
    for (size_t t = 0; t < w.tensors.size(); ++t)
      if (w.tensors[t].producer < 0)
        p.onChip[t] = 0;
    return p;
  }
};

/// docs/model.md: a fusion group's peak at a level is the sum of its
/// members' persistent bytes plus the largest of their other bytes.
/// Adds Einsum i's class to `p`; false when it cannot follow.
bool follow(const Workload &w, const Arch &arch, int i, const Class &c,
            Partial &p) {
  const Einsum &e = w.einsums[i];
  auto acc = e.accesses();
  bool readsOnChip = false, anyOnChip = false;
  for (size_t a = 0; a < acc.size(); ++a) {
    int t = acc[a]->tensor;
    anyOnChip |= c.onChip[a];
    if (a + 1 == acc.size())
      continue;
    bool produced = w.tensors[t].producer >= 0;
    if (!produced) {
      if (c.onChip[a])
        return false;
      continue;
    }
    // The producer (earlier in program order) fixed the choice.
    if (p.onChip[t] != (int)c.onChip[a])
      return false;
    if (c.onChip[a]) {
      if (*p.key[t] != c.key[a])
        return false; // producer and consumer disagree on the fused loops
      readsOnChip = true;
    }
  }
  // Every on-chip tensor still live (produced, and some consumer not yet
  // placed) must be read here: item 1 makes interface tensors so.
  for (size_t t = 0; t < w.tensors.size(); ++t) {
    if (p.onChip[t] != 1)
      continue;
    int last = -1;
    for (int c2 : w.tensors[t].consumers)
      last = std::max(last, c2);
    if (last < i)
      continue;
    bool reads = false;
    for (const TensorAccess &in : e.inputs)
      reads |= in.tensor == (int)t;
    if (!reads)
      return false;
  }
  size_t nL = arch.levels.size();
  if (readsOnChip) {
    if (!p.open)
      return false;
  } else if (anyOnChip) {
    p.open = true;
    p.sumPersistent.assign(nL, 0);
    p.maxExtra.assign(nL, 0);
  } else {
    p.open = false;
  }
  if (p.open)
    for (size_t l = 1; l < nL; ++l) {
      p.sumPersistent[l] += c.persistent[l];
      p.maxExtra[l] =
          std::max(p.maxExtra[l], c.reservation[l] - c.persistent[l]);
      if (p.sumPersistent[l] + p.maxExtra[l] >
          (double)*arch.levels[l].capacity)
        return false;
    }
  int o = e.output.tensor;
  p.onChip[o] = c.onChip[acc.size() - 1];
  p.key[o] = &c.key[acc.size() - 1];
  // The group stays open while an on-chip tensor is live past Einsum i.
  bool live = false;
  for (size_t t = 0; t < w.tensors.size(); ++t)
    if (p.onChip[t] == 1)
      for (int c2 : w.tensors[t].consumers)
        live |= c2 > i;
  if (!live)
    p.open = false;
  return true;
}
} // namespace

Result Reference::best(Objective objective) const {
  Result res;
  if (!error_.empty()) {
    res.error = error_;
    return res;
  }
  const size_t n = w.einsums.size();
  auto score = [&](double e, double l) {
    return objective == Objective::Energy    ? e
           : objective == Objective::Latency ? l
                                             : e * l;
  };
  // What the Einsums after i add at least (each at its own minimum): an
  // admissible bound, ties never cut.
  std::vector<double> restE(n + 1, 0), restL(n + 1, 0);
  for (size_t i = n; i-- > 0;) {
    restE[i] = restE[i + 1] + spaces[i].minEnergy;
    restL[i] = restL[i + 1] + spaces[i].minLatency;
  }
  double bestScore = INFINITY, bestE = INFINITY, bestL = INFINITY;
  std::vector<const Choice *> chosen(n), bestChosen;
  Partial start = Partial::start(w);

  std::function<void(size_t, const Partial &, double, double)> dfs =
      [&](size_t i, const Partial &p, double E, double L) {
        if (i == n) {
          ++res.combinations;
          double s = score(E, L);
          if (s < bestScore ||
              (s == bestScore && (E < bestE || (E == bestE && L < bestL)))) {
            bestScore = s;
            bestE = E;
            bestL = L;
            bestChosen = chosen;
          }
          return;
        }
        for (const Class &c : spaces[i].classes) {
          if (score(E + c.minEnergy + restE[i + 1],
                    L + c.minLatency + restL[i + 1]) > bestScore)
            continue;
          Partial next = p;
          if (!follow(w, arch, i, c, next))
            continue;
          for (const Choice &ch : c.front) {
            double e = E + ch.energy, l = L + ch.latency;
            if (score(e + restE[i + 1], l + restL[i + 1]) > bestScore)
              continue;
            chosen[i] = &ch;
            dfs(i + 1, next, e, l);
          }
        }
      };
  dfs(0, start, 0, 0);
  if (bestChosen.empty()) {
    res.error = "reference: no valid complete mapping";
    return res;
  }
  res.energy = res.latency = 0;
  for (const Choice *c : bestChosen) {
    res.mappings.push_back(c->mapping);
    res.energy += c->energy;
    res.latency += c->latency;
  }
  return res;
}

std::string Reference::check(const std::vector<Mapping> &mappings,
                             double &energy, double &latency) const {
  if (!error_.empty())
    return error_;
  if (mappings.size() != w.einsums.size())
    return "one mapping per Einsum expected";
  energy = latency = 0;
  Partial p = Partial::start(w);
  std::vector<Class> classes(mappings.size());
  for (size_t i = 0; i < mappings.size(); ++i) {
    const Einsum &e = w.einsums[i];
    std::string name = "Einsum " + e.name + " (" +
                       mappings[i].str(w, e, arch) + "): ";
    Analysis an = analyze(i, mappings[i]);
    if (!an.error.empty())
      return name + an.error;
    if (!spaces[i].valid.count(hashOf(mappings[i])))
      return name + "not in the reference's mapspace";
    classes[i].onChip = an.onChip;
    classes[i].key = an.key;
    classes[i].reservation = an.reservation;
    classes[i].persistent = an.persistent;
    if (!follow(w, arch, i, classes[i], p))
      return name + "cannot follow the Einsums before it (fusion choice, "
                    "fused loops or fusion-group capacity)";
    Evaluation ev = evaluate(w, i, arch, mappings[i], an.onChip);
    if (!ev.ok())
      return name + ev.error;
    energy += ev.energy;
    latency += ev.latency;
  }
  for (size_t t = 0; t < w.tensors.size(); ++t)
    if (p.onChip[t] == 1 && p.open)
      return "a fusion group is left open";
  return "";
}
