//===- Model.cpp - analytical model of one Einsum's mapping ---------------===//
#include "ffm/Model/Model.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>

using namespace ffm;

std::string Mapping::str(const Workload &w, const Einsum &e,
                         const Arch &arch) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  auto accesses = e.accesses();
  llvm::interleaveComma(nodes, os, [&](const MapNode &n) {
    switch (n.kind) {
    case MapNode::Keep:
      os << "keep " << w.tensors[accesses[n.access]->tensor].name << " in "
         << arch.levels[n.level].name;
      break;
    case MapNode::Temporal:
      os << "for " << e.ranks[n.rank].name << " : " << n.factor;
      if (n.isHalo())
        os << " halo " << n.haloSpan << " step " << n.haloStep;
      break;
    case MapNode::Spatial:
      os << "par " << e.ranks[n.rank].name << " : " << n.factor << " in "
         << arch.levels[n.level].name;
      break;
    }
  });
  if (arch.numUnits() > 1)
    os << " on " << arch.unit(unit).displayName();
  return s;
}

unsigned ffm::einsumKinds(const Einsum &e) {
  bool reduces = llvm::any_of(llvm::seq<size_t>(0, e.ranks.size()),
                              [&](size_t r) { return !e.output.indexedBy(r); });
  bool unary = e.inputs.size() <= 1;
  unsigned kinds = !reduces ? kElementwiseKind
                   : unary  ? kReductionKind
                            : kContractionKind;
  return unary ? kinds | kUnaryKind : kinds;
}

std::vector<int> ffm::unitsFor(const Arch &arch, const Einsum &e) {
  std::vector<int> units;
  unsigned kinds = einsumKinds(e);
  for (size_t k = 0; k < arch.numUnits(); ++k)
    if (arch.unit(k).runsKinds(kinds))
      units.push_back(k);
  return units;
}

unsigned ffm::accessClasses(const Workload &w, int einsum, int a,
                            bool fused) {
  const Einsum &e = w.einsums[einsum];
  bool isOutput = a == (int)e.inputs.size();
  const TensorAccess &acc = isOutput ? e.output : e.inputs[a];
  const Tensor &t = w.tensors[w.rootOf(acc.tensor)];
  unsigned classes = isOutput ? kOutputClass : kInputClass;
  // A weight is the operand read alongside the data, as the reference's
  // renames have it: the second input of a two-input Einsum, matmul(x,
  // W)'s W (not x, even where x too is a function argument), attention's
  // K in Q K^T. Einsums of one input or of three or more have none.
  if (!isOutput && a == 1 && e.inputs.size() == 2)
    classes |= kWeightClass;
  if (isOutput ? !t.consumers.empty() : t.producer >= 0)
    classes |= kIntermediateClass;
  if (fused)
    classes |= kFusedClass;
  return classes;
}

std::vector<unsigned> ffm::reuseClasses(const Workload &w, int einsum) {
  std::vector<unsigned> classes;
  for (size_t a = 0; a <= w.einsums[einsum].inputs.size(); ++a)
    classes.push_back(accessClasses(w, einsum, a, /*fused=*/false));
  return classes;
}

bool ffm::reuseAllows(const Level &level, size_t dim, const Einsum &e,
                      int rank, llvm::ArrayRef<unsigned> classes) {
  switch (level.reuseOf(dim)) {
  case Level::Reuse::Classes: {
    // Every tensor the rule shares must be left unindexed; a rule no
    // tensor of this Einsum matches restricts nothing (and shares nothing).
    std::vector<const TensorAccess *> accesses = e.accesses();
    for (auto [a, acc] : llvm::enumerate(accesses))
      if (level.shares(dim, a + 1 == accesses.size(), classes[a]) &&
          acc->indexedBy(rank))
        return false;
    return true;
  }
  case Level::Reuse::Inputs:
    return llvm::any_of(e.inputs, [&](const TensorAccess &in) {
      return !in.indexedBy(rank);
    });
  case Level::Reuse::Outputs:
    return !e.output.indexedBy(rank);
  default:
    return true;
  }
}

EinsumModel::EinsumModel(const Workload &w, int einsum, const Arch &arch,
                         std::vector<bool> onChipShared)
    : w(w), einsum(einsum), arch(arch), onChip(std::move(onChipShared)) {
  const Einsum &e = w.einsums[einsum];
  accesses = e.accesses();
  onChip.resize(accesses.size(), false);
  reuse = reuseClasses(w, einsum);
  const size_t numLevels = arch.levels.size();
  for (size_t a = 0; a < accesses.size(); ++a) {
    classes.push_back(accessClasses(w, einsum, a, onChip[a]));
    indexes.emplace_back(e.ranks.size());
    for (size_t r = 0; r < e.ranks.size(); ++r)
      indexes[a][r] = accesses[a]->indexedBy(r);
    // Only levels with width rules need the classes.
    width.emplace_back(numLevels, 1.0);
    for (size_t l = 0; l < numLevels; ++l)
      if (!arch.levels[l].datumBits.empty())
        width[a][l] = arch.widthAt(l, classes[a]);
  }
  for (const Level &level : arch.levels) {
    keep.emplace_back();
    for (unsigned c : classes)
      keep.back().push_back(level.keepRule(c));
    spreads.emplace_back();
    shares.emplace_back();
    for (size_t dim = 0; dim < level.fanout.size(); ++dim) {
      spreads.back().emplace_back(e.ranks.size());
      for (size_t r = 0; r < e.ranks.size(); ++r)
        spreads.back()[dim][r] = e.maySpread(r) &&
                                 level.allowsSpatial(e.ranks[r].name) &&
                                 reuseAllows(level, dim, e, r, reuse);
      shares.back().emplace_back();
      for (size_t a = 0; a < accesses.size(); ++a)
        shares.back()[dim].push_back(
            level.shares(dim, a + 1 == accesses.size(), reuse[a]));
    }
  }
  referenceAccounting = arch.referenceAccounting();
  everyUpdateReads = arch.everyUpdateReads();
  unsigned kinds = einsumKinds(e);
  for (size_t k = 0; k < arch.numUnits(); ++k)
    unitRuns.push_back(arch.unit(k).runsKinds(kinds));
  for (const RankVar &r : e.ranks)
    macs *= r.bound;
  leakagePerCycle = arch.leakagePerCycle();
}

/// Structural checks shared by every evaluation; returns why not, or "".
std::string EinsumModel::checkStructure(const Mapping &m) const {
  const Einsum &e = w.einsums[einsum];
  size_t numAccesses = accesses.size();
  if (m.unit < 0 || m.unit >= (int)arch.numUnits())
    return llvm::formatv("the mapping names no compute unit ({0})", m.unit);
  const Compute &unit = arch.unit(m.unit);
  if (!unitRuns[m.unit])
    return llvm::formatv("compute unit '{0}' does not run this Einsum (it "
                         "runs {1})",
                         unit.displayName(), unit.runs);
  size_t unitLevel = arch.unitLevel(m.unit);
  llvm::SmallVector<int64_t, 8> product(e.ranks.size(), 1);
  llvm::SmallVector<int, 8> lastLevel(numAccesses, -1);
  // Per level and fanout dimension, the instances its spatial loops use.
  llvm::SmallVector<llvm::SmallVector<int64_t, 4>, 8> dimUsed(
      arch.levels.size());
  for (size_t l = 0; l < arch.levels.size(); ++l)
    dimUsed[l].assign(arch.levels[l].fanout.size(), 1);
  const size_t numLevels = arch.levels.size();
  for (auto [i, n] : llvm::enumerate(m.nodes)) {
    if (n.kind != MapNode::Keep)
      continue;
    if (n.access < 0 || n.access >= (int)numAccesses)
      return llvm::formatv("storage node {0} names no tensor of the Einsum",
                           i);
    if (n.level < 0 || n.level >= (int)numLevels)
      return llvm::formatv("storage node {0} names no memory level", i);
  }
  // Per position, the deepest level kept above it and the shallowest kept
  // below: a spatial loop must sit between them (checked per loop below).
  llvm::SmallVector<int, 32> deepestAbove(m.nodes.size() + 1, -1),
      shallowestBelow(m.nodes.size() + 1, INT_MAX);
  for (auto [i, n] : llvm::enumerate(m.nodes))
    deepestAbove[i + 1] = std::max(
        deepestAbove[i], n.kind == MapNode::Keep ? n.level : -1);
  for (size_t i = m.nodes.size(); i-- > 0;)
    shallowestBelow[i] =
        std::min(shallowestBelow[i + 1],
                 m.nodes[i].kind == MapNode::Keep ? m.nodes[i].level : INT_MAX);
  // [access * levels + level]: the mapping keeps the tensor there.
  llvm::SmallVector<bool, 64> kept(numAccesses * numLevels, false);
  for (auto [i, n] : llvm::enumerate(m.nodes)) {
    if (n.kind == MapNode::Keep) {
      kept[n.access * numLevels + n.level] = true;
      if (n.level <= lastLevel[n.access])
        return llvm::formatv("tensor kept at level '{0}' below a deeper or "
                             "equal level",
                             arch.levels[n.level].name);
      lastLevel[n.access] = n.level;
      if (n.level > (int)unitLevel)
        return llvm::formatv("storage node {0} keeps a tile in level '{1}', "
                             "below compute unit '{2}'",
                             i, arch.levels[n.level].name, unit.displayName());
      if (keep[n.level][n.access] < 0)
        return llvm::formatv("level '{0}' bypasses tensor {1} of the Einsum "
                             "({2}: a bypass rule), yet storage node {3} "
                             "keeps it there",
                             arch.levels[n.level].name, n.access,
                             classNames(classes[n.access]), i);
      continue;
    }
    if (n.rank < 0 || n.rank >= (int)e.ranks.size())
      return llvm::formatv("loop {0} names no rank of the Einsum", i);
    if (n.factor < 1)
      return llvm::formatv("loop over '{0}' has {1} iterations",
                           e.ranks[n.rank].name, n.factor);
    if (__builtin_mul_overflow(product[n.rank], n.factor, &product[n.rank]))
      return llvm::formatv("loops over '{0}' overflow", e.ranks[n.rank].name);
    if (n.kind != MapNode::Spatial)
      continue;
    if (n.level < 0 || n.level >= (int)arch.levels.size())
      return llvm::formatv("spatial loop {0} names no memory level", i);
    const Level &level = arch.levels[n.level];
    if (!arch.unitUsesFanout(m.unit, n.level))
      return llvm::formatv("spatial loop {0} uses the fanout of level '{1}', "
                           "which does not lead to compute unit '{2}'",
                           i, level.name, unit.displayName());
    if (n.dim < 0 || n.dim >= (int)level.fanout.size())
      return llvm::formatv("level '{0}' has no fanout dimension {1}",
                           level.name, n.dim);
    // Several ranks may share a dimension: their counts multiply.
    int64_t &used = dimUsed[n.level][n.dim];
    if (__builtin_mul_overflow(used, n.factor, &used) ||
        used > level.fanout[n.dim])
      return llvm::formatv("spatial loop over '{0}' ({1}) exceeds the fanout "
                           "{2} of level '{3}'{4}",
                           e.ranks[n.rank].name, n.factor,
                           level.fanout[n.dim], level.name,
                           used == n.factor ? "" : " with the loops before it");
    if (!spreads[n.level][n.dim][n.rank]) {
      if (!e.maySpread(n.rank))
        return llvm::formatv("rank '{0}' is a reduction whose step depends "
                             "on its order and may not be spread over the "
                             "fanout of level '{1}'",
                             e.ranks[n.rank].name, level.name);
      if (!level.allowsSpatial(e.ranks[n.rank].name))
        return llvm::formatv("rank '{0}' may not be spread over the fanout "
                             "of level '{1}'",
                             e.ranks[n.rank].name, level.name);
      return llvm::formatv("rank '{0}' on fanout dimension {1} of level "
                           "'{2}' shares no tensor that dimension reuses "
                           "('{3}')",
                           e.ranks[n.rank].name, n.dim, level.name,
                           level.reuse[n.dim]);
    }
    // The instances below a level's fanout hold deeper levels only.
    if (deepestAbove[i] <= n.level && shallowestBelow[i + 1] > n.level)
      continue;
    for (auto [j, other] : llvm::enumerate(m.nodes)) {
      if (other.kind != MapNode::Keep)
        continue;
      if (j < i && other.level > n.level)
        return llvm::formatv("spatial loop over the fanout of '{0}' sits "
                             "below storage in deeper level '{1}'",
                             level.name, arch.levels[other.level].name);
      if (j > i && other.level <= n.level)
        return llvm::formatv("spatial loop over the fanout of '{0}' sits "
                             "above storage in level '{1}'",
                             level.name, arch.levels[other.level].name);
    }
  }
  for (auto [l, level] : llvm::enumerate(arch.levels)) {
    if (level.minUsage <= 0 || !arch.unitUsesFanout(m.unit, l))
      continue; // every mapping meets it: no walk on the hot path
    double used = 1;
    for (const MapNode &n : m.nodes)
      if (n.kind == MapNode::Spatial && n.level == (int)l)
        used *= n.factor;
    if (!level.meetsMinUsage(used))
      return llvm::formatv("level '{0}': the mapping uses {1} of its {2} "
                           "instances, below its min_usage {3}",
                           level.name, llvm::format("%g", used),
                           llvm::format("%g", level.fanoutInstances()),
                           llvm::format("%g", level.minUsage));
  }
  for (auto [r, rank] : llvm::enumerate(e.ranks))
    if (product[r] != rank.bound)
      return llvm::formatv("loops over '{0}' multiply to {1}, not its bound "
                           "{2}",
                           rank.name, product[r], rank.bound);
  for (size_t a = 0; a < numAccesses; ++a) {
    if (lastLevel[a] < 0)
      return llvm::formatv("tensor {0} of the Einsum is never stored: every "
                           "tensor must reach compute",
                           a);
    bool shared = onChip[a];
    bool inDram = kept[a * numLevels];
    if (!shared && !inDram)
      return llvm::formatv("tensor {0} of the Einsum must be kept in '{1}'",
                           a, arch.levels[0].name);
    if (shared && inDram)
      return llvm::formatv("fused intermediate {0} of the Einsum must not be "
                           "kept in '{1}'",
                           a, arch.levels[0].name);
    for (size_t l = 1; l <= unitLevel; ++l)
      if (keep[l][a] > 0 && !kept[a * numLevels + l])
        return llvm::formatv("level '{0}' must keep tensor {1} of the Einsum "
                             "({2}: a keep rule), but it is not stored there",
                             arch.levels[l].name, a, classNames(classes[a]));
  }
  return "";
}

std::string ffm::checkHalo(const Workload &w, int einsumIdx, const Mapping &m,
                           const std::vector<bool> &onChipShared) {
  const Einsum &e = w.einsums[einsumIdx];
  int out = e.inputs.size();
  for (auto [i, n] : llvm::enumerate(m.nodes)) {
    if (!n.isLoop() || (n.haloSpan == 0 && n.haloStep == 0))
      continue;
    if (n.rank < 0 || n.rank >= (int)e.ranks.size())
      return llvm::formatv("loop {0} names no rank of the Einsum", i);
    llvm::StringRef name = e.ranks[n.rank].name;
    if (n.kind != MapNode::Temporal || n.haloSpan < 1 || n.haloStep < 1 ||
        n.factor < 2)
      return llvm::formatv("halo loop over '{0}' must be temporal, with at "
                           "least 2 iterations, a span and a step of at "
                           "least 1",
                           name);
    // The output's own dimension: the recomputed tiles are the consumer's
    // halo. A reduction rank would sum overlapping tiles twice.
    auto dim = llvm::find(e.output.dimRanks, n.rank);
    if (dim == e.output.dimRanks.end() || e.output.view >= 0)
      return llvm::formatv("halo loop over '{0}', which walks no dimension "
                           "of the output alone",
                           name);
    size_t h = dim - e.output.dimRanks.begin();
    const Tensor &t = w.tensors[e.output.tensor];
    if (h >= t.shape.size() || n.haloStep * (n.factor - 1) + n.haloSpan >
                                   t.shape[h])
      return llvm::formatv("halo loop over '{0}' reaches past the output's "
                           "extent",
                           name);
    // Overlapping tiles written to DRAM would be written twice: the
    // output stays on chip, under the halo loop.
    if (out >= (int)onChipShared.size() || !onChipShared[out])
      return llvm::formatv("halo loop over '{0}', but the output is not a "
                           "fused intermediate kept on chip",
                           name);
    for (size_t j = 0; j < i; ++j) {
      const MapNode &above = m.nodes[j];
      if (above.isLoop() && above.rank == n.rank)
        return llvm::formatv("halo loop over '{0}' is not the outermost loop "
                             "over it",
                             name);
      // Above the halo loop a tile would span the virtual extent (the
      // recomputed rows counted apart), which no real buffer holds.
      if (above.kind == MapNode::Keep && above.level > 0 &&
          (above.access == out ||
           e.accesses()[above.access]->indexedBy(n.rank)))
        return llvm::formatv("halo loop over '{0}' lies below an on-chip "
                             "tile that it indexes",
                             name);
    }
  }
  return "";
}

Einsum ffm::haloEinsum(const Einsum &e, const Mapping &m) {
  Einsum v = e;
  for (const MapNode &n : m.nodes)
    if (n.isLoop() && n.isHalo() && n.rank >= 0 &&
        n.rank < (int)v.ranks.size())
      v.ranks[n.rank].bound = n.factor * n.haloSpan;
  return v;
}

Evaluation ffm::evaluate(const Workload &w, int einsumIdx, const Arch &arch,
                         const Mapping &m,
                         const std::vector<bool> &onChipShared) {
  return EinsumModel(w, einsumIdx, arch, onChipShared).evaluate(m);
}

Evaluation EinsumModel::evaluate(const Mapping &m) const {
  Evaluation ev;
  evaluate(m, ev);
  return ev;
}

void EinsumModel::evaluate(const Mapping &m, Evaluation &ev) const {
  const Einsum &e = w.einsums[einsum];
  ev.error.clear();
  ev.energy = ev.latency = ev.macs = ev.leakageEnergy = 0;
  ev.componentCycles.clear();
  // A halo loop recomputes its overlap: the Einsum is evaluated as if its
  // rank were factor * span long (docs/model.md, "Halo co-tiling").
  if (llvm::any_of(m.nodes, [](const MapNode &n) {
        return n.haloSpan != 0 || n.haloStep != 0;
      })) {
    ev.error = checkHalo(w, einsum, m, onChip);
    if (!ev.ok())
      return;
    Einsum v = haloEinsum(e, m);
    bool same = llvm::all_of(llvm::seq<size_t>(0, e.ranks.size()), [&](size_t r) {
      return v.ranks[r].bound == e.ranks[r].bound;
    });
    if (!same) {
      Workload copy = w;
      copy.einsums[einsum] = std::move(v);
      return EinsumModel(copy, einsum, arch, onChip).evaluate(m, ev);
    }
  }
  ev.error = checkStructure(m);
  if (!ev.ok())
    return;

  const size_t numLevels = arch.levels.size();
  const int outputAccess = accesses.size() - 1;
  ev.accesses.resize(accesses.size());
  for (std::vector<Accesses> &perLevel : ev.accesses)
    perLevel.assign(numLevels, Accesses());
  ev.reservation.assign(numLevels, 0);
  ev.persistent.assign(numLevels, 0);
  ev.macs = macs;

  const auto &nodes = m.nodes;
  const size_t numNodes = nodes.size();
  auto product = [&](size_t from, size_t to, auto pred) {
    double p = 1;
    for (size_t i = from; i < to; ++i)
      if (nodes[i].isLoop() && pred(nodes[i]))
        p *= nodes[i].factor;
    return p;
  };
  // Products of the loops above each position, one walk for every query
  // below (a search evaluates millions of mappings): [i] covers nodes
  // [0, i). Loop counts are integers, so the products are exact.
  llvm::SmallVector<double, 32> allAbove(numNodes + 1, 1),
      spatialAbove(numNodes + 1, 1), temporalAbove(numNodes + 1, 1);
  llvm::SmallVector<int, 32> loopsAbove(numNodes + 1, 0);
  for (auto [i, n] : llvm::enumerate(nodes)) {
    bool loop = n.isLoop();
    allAbove[i + 1] = allAbove[i] * (loop ? n.factor : 1);
    spatialAbove[i + 1] =
        spatialAbove[i] * (n.kind == MapNode::Spatial ? n.factor : 1);
    temporalAbove[i + 1] =
        temporalAbove[i] * (n.kind == MapNode::Temporal ? n.factor : 1);
    loopsAbove[i + 1] = loopsAbove[i] + loop;
  }

  // The fused loops are those above each fused intermediate's outermost
  // node (deeper copies of it are this Einsum's own): tiles above the
  // deepest of these outlive one iteration of the fused loops.
  int fusedDepth = 0;
  llvm::SmallVector<bool, 8> seen(accesses.size(), false);
  for (auto [i, n] : llvm::enumerate(nodes))
    if (n.kind == MapNode::Keep && onChip[n.access] && !seen[n.access]) {
      seen[n.access] = true;
      fusedDepth = std::max(fusedDepth, loopsAbove[i]);
    }

  // Reservations first: most candidates of a search fail capacity, and
  // this is cheap. The tile of each storage node is kept for the accesses.
  llvm::SmallVector<double, 32> tileAt(numNodes, 0);
  for (size_t a = 0; a < accesses.size(); ++a) {
    const TensorAccess &acc = *accesses[a];
    // Walked inside out: the loops below a node over ranks indexing the
    // tensor multiply to its tile.
    double below = 1;
    for (size_t i = numNodes; i-- > 0;) {
      const MapNode &n = nodes[i];
      if (n.isLoop()) {
        if (indexes[a][n.rank])
          below *= n.factor;
        continue;
      }
      if (n.access != (int)a)
        continue;
      double tile = below;
      // A sliding window's tile also holds its halo: its dimensions span
      // more than the product of their ranks' extents says.
      if (acc.hasWindows())
        tile = acc.footprint([&](int r) {
          return product(i + 1, numNodes,
                         [&](const MapNode &m) { return m.rank == r; });
        });
      tileAt[i] = tile;
    }
  }
  for (auto [i, n] : llvm::enumerate(nodes)) {
    if (n.kind != MapNode::Keep)
      continue;
    double bytes = tileAt[i] * arch.datumBytes() * width[n.access][n.level];
    ev.reservation[n.level] += bytes;
    if (n.level > 0 && loopsAbove[i] < fusedDepth)
      ev.persistent[n.level] += bytes;
  }
  for (size_t l = 1; l < numLevels; ++l)
    if (ev.reservation[l] > (double)*arch.levels[l].capacity) {
      ev.error = llvm::formatv("level '{0}' needs {1} bytes per instance, its "
                               "capacity is {2}",
                               arch.levels[l].name,
                               llvm::format("%.15g", ev.reservation[l]),
                               *arch.levels[l].capacity);
      return;
    }

  llvm::SmallVector<size_t, 8> keeps;
  for (size_t a = 0; a < accesses.size(); ++a) {
    bool isOutput = (int)a == outputAccess;
    // The spatial loops between `from` and `to` that multicast the tensor
    // (or reduce it) to the instances below them.
    auto sharedAcross = [&](size_t from, size_t to) {
      double p = 1;
      for (size_t i = from; i < to; ++i) {
        const MapNode &n = nodes[i];
        if (n.kind == MapNode::Spatial && !indexes[a][n.rank] &&
            shares[n.level][n.dim][a])
          p *= n.factor;
      }
      return p;
    };

    keeps.clear();
    for (auto [i, n] : llvm::enumerate(nodes))
      if (n.kind == MapNode::Keep && n.access == (int)a)
        keeps.push_back(i);

    if (referenceAccounting) {
      // docs/model.md, "Accounting": per node X (and the compute, a tile
      // of 1 below every node), all = Π of every loop above it, fresh = Π
      // of the temporal loops over ranks indexing the tensor and of every
      // spatial loop, shared = Π of the spatial loops multicasting it to X
      // (no node of the tensor between). Fills and drains are tile x all
      // / shared, an output's fresh starts tile x fresh / shared.
      struct Node {
        double tile, all, fresh, shared;
      };
      llvm::SmallVector<Node, 8> xs;
      double fresh = 1;
      size_t walked = 0, above = 0;
      auto at = [&](size_t pos, double tile) {
        for (; walked < pos; ++walked) {
          const MapNode &n = nodes[walked];
          if (n.kind == MapNode::Spatial ||
              (n.kind == MapNode::Temporal && indexes[a][n.rank]))
            fresh *= n.factor;
        }
        xs.push_back({tile, allAbove[pos], fresh, sharedAcross(above, pos)});
        above = pos;
      };
      for (size_t pos : keeps)
        at(pos, tileAt[pos]);
      at(numNodes, 1);
      for (size_t k = 0; k < keeps.size(); ++k) {
        const Node &x = xs[k], &y = xs[k + 1];
        Accesses &here = ev.accesses[a][nodes[keeps[k]].level];
        double fills = y.tile * y.all / y.shared;
        if (isOutput) {
          double fresh = y.tile * y.fresh / y.shared;
          here.writes += fills; // the child's drains
          here.reads += fills - fresh; // its refills
          if (k > 0) {
            here.writes += x.tile * (x.all - x.fresh); // own refills
            here.reads += x.tile * x.all;              // own drains
          }
        } else {
          here.reads += fills;
          if (k > 0)
            here.writes += x.tile * x.all;
        }
      }
      continue;
    }
    // Residencies of each keep, aggregated over instances.
    llvm::SmallVector<double, 8> residencies(keeps.size());
    for (auto [k, pos] : llvm::enumerate(keeps)) {
      double fills = temporalAbove[pos];
      for (size_t i = pos; i-- > 0;) {
        const MapNode &n = nodes[i];
        if (n.kind != MapNode::Temporal)
          continue;
        if (indexes[a][n.rank])
          break;
        fills /= n.factor; // stationary across this loop
      }
      residencies[k] = fills * tileAt[pos] * spatialAbove[pos];
    }
    // Partial sums the ancestors of an output node send back down to it.
    double refills = 0;
    for (auto [k, pos] : llvm::enumerate(keeps)) {
      int level = nodes[pos].level;
      Accesses &here = ev.accesses[a][level];
      bool innermost = k + 1 == keeps.size();
      size_t childPos = innermost ? numNodes : keeps[k + 1];
      // One read of this level serves every instance below it that needs
      // the same data (multicast); partial sums of such instances are
      // reduced on the way up.
      double shared = sharedAcross(pos, childPos);
      double childDemand =
          innermost ? ev.macs / shared : residencies[k + 1] / shared;
      if (isOutput) {
        // A residency's first update reads nothing (DESIGN.md); the
        // reference reads and writes a node below the outermost on every
        // update and on every refill (output_rmw: every_update).
        double updates = childDemand - residencies[k];
        if (k > 0 && everyUpdateReads) {
          here.writes += childDemand + refills;
          here.reads += childDemand + refills;
        } else {
          here.writes += childDemand;
          here.reads += updates;
        }
        refills += updates;
      } else {
        here.reads += childDemand;
        if (k > 0)
          here.writes += residencies[k];
      }
    }
  }

  // Energy and latency, on data of datum_bits: a wider datum costs more.
  llvm::SmallVector<double, 8> reads(numLevels, 0), writes(numLevels, 0);
  for (auto [a, perLevel] : llvm::enumerate(ev.accesses))
    for (size_t l = 0; l < numLevels; ++l) {
      double r = perLevel[l].reads * width[a][l];
      double wr = perLevel[l].writes * width[a][l];
      ev.energy += r * arch.levels[l].readEnergy +
                   wr * arch.levels[l].writeEnergy;
      reads[l] += r;
      writes[l] += wr;
    }
  const Compute &unit = arch.unit(m.unit);
  ev.energy += ev.macs * unit.macEnergy;
  // A level's instances are the spatial loops over the fanouts above it.
  llvm::SmallVector<double, 8> spreadAt(numLevels, 1);
  for (const MapNode &n : nodes)
    if (n.kind == MapNode::Spatial)
      spreadAt[n.level] *= n.factor;
  double instances = 1;
  for (size_t l = 0; l < numLevels; ++l) {
    ev.componentCycles.push_back(arch.levels[l].portCycles(
        reads[l] / instances, writes[l] / instances));
    instances *= spreadAt[l];
  }
  ev.componentCycles.push_back(ev.macs / spatialAbove[numNodes] /
                               unit.throughput);
  ev.latency = *std::max_element(ev.componentCycles.begin(),
                                 ev.componentCycles.end());
  // Every instance of the machine leaks while the Einsum runs, used or not.
  ev.leakageEnergy = leakagePerCycle * ev.latency;
  ev.energy += ev.leakageEnergy;
}

Evaluation ffm::evaluateMove(const Arch &arch, double reads, double writes) {
  Evaluation ev;
  const Level &dram = arch.levels.front();
  ev.energy = reads * dram.readEnergy + writes * dram.writeEnergy;
  ev.latency = dram.portCycles(reads, writes);
  ev.leakageEnergy = arch.leakagePerCycle() * ev.latency;
  ev.energy += ev.leakageEnergy;
  return ev;
}
