//===- MapperTest.cpp - FFM against exhaustive search, and its invariants -===//
#include "FailingAllocation.h"
#include "TestUtil.h"
#include "ffm/Mapper/Mapper.h"
#include "../../lib/Mapper/FrontIndex.h"
#include "../../lib/Mapper/Generator.h"
#include "../../lib/Mapper/JoinBound.h"
#include "../../lib/Mapper/Pmappings.h"
#include "../../lib/Mapper/Search.h"

#include <gtest/gtest.h>
#include <cmath>
#include <functional>
#include <new>
#include <optional>
#include <random>
#include <set>
#include <thread>

using namespace ffm;
using namespace ffm::test;

namespace {

Arch chainArch(int64_t glbCapacity) {
  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, 100, 100),
                 level("GLB", glbCapacity, 2, 2)};
  arch.compute = {1.0, 1, 1.0};
  return arch;
}

// Halo co-tiling: b = conv(a, stride 2) reads a's rows 2p + r. Its fused
// loop `for p : 3` hands over tiles of 3 rows, 2 apart: the reverse pass
// offers a exactly that halo loop (and the one a loop over b's taps
// needs), and
// the two sides' keys on a agree; a plain loop over a's rows does not
// join it.
TEST(Mapper, HaloCandidatesAndKeysMatch) {
  Workload w = strideTwoConvChain();
  const int a = 0, c = 1;
  std::vector<bool> fusable = detail::fusableTensors(w);
  auto halo = detail::haloCandidates(w, fusable, SearchOptions{});
  // b's p (3 iterations of 1 row: rows [2i, 2i + 3)) and b's filter tap r
  // (3 iterations of 1 tap: rows [i, i + 5)) each have one count above 1.
  ASSERT_EQ(halo[a].size(), 2u);
  ASSERT_EQ(halo[a][0].size(), 1u);
  ASSERT_EQ(halo[a][1].size(), 1u);
  EXPECT_EQ(halo[a][0][0], (detail::HaloTag{0, 3, 3, 2}));
  EXPECT_EQ(halo[a][1][0], (detail::HaloTag{0, 3, 5, 1}));
  EXPECT_TRUE(halo[c].empty());
  SearchOptions off;
  off.haloFusion = false;
  EXPECT_TRUE(detail::haloCandidates(w, fusable, off)[a].empty());

  MapNode hl = loop(0, 3);
  hl.haloSpan = 3;
  hl.haloStep = 2;
  Mapping producer{{keep(0, 0), keep(1, 0), hl, keep(0, 1), keep(1, 1),
                    keep(2, 1), loop(0, 3), loop(2, 3)}};
  Mapping consumer{{keep(1, 0), keep(2, 0), loop(0, 3), keep(0, 1),
                    keep(1, 1), keep(2, 1), loop(2, 3)}};
  llvm::ArrayRef<int64_t> shape = w.tensors[w.einsums[a].output.tensor].shape;
  auto pk = fusionKey(w.einsums[a], w.einsums[a].output, producer, 2, shape);
  auto ck =
      fusionKey(w.einsums[c], w.einsums[c].inputs[0], consumer, 0, shape);
  ASSERT_TRUE(pk && ck);
  EXPECT_EQ(*pk, *ck);
  EXPECT_EQ(*ck, (std::vector<int64_t>{1, kHaloKeyDim, 3, 3, 2}));
  Mapping plain = producer;
  plain.nodes[2] = loop(0, 3);
  EXPECT_NE(*fusionKey(w.einsums[a], w.einsums[a].output, plain, 2, shape),
            *ck);

  // The search fuses the chain through the window on a buffer too small
  // for a whole: a's rows are recomputed rather than sent to DRAM.
  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, 100, 100),
                 level("GLB", 12, 1, 1)};
  arch.compute = {1.0, 1, 1.0};
  SearchResult r = search(w, arch);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(llvm::any_of(r.einsums[a].mapping.nodes,
                           [](const MapNode &n) { return n.isHalo(); }));
  SearchOptions plainOnly;
  plainOnly.haloFusion = false;
  SearchResult p = search(w, arch, plainOnly);
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_LT(r.energy, p.energy);
}

// A window whose tiles are disjoint and cover its input exactly (stride 2
// over taps 2: b's p hands over rows [2i, 2i + 2) of a's 6) takes what a
// plain loop of a's hands over: keyed as one, it needs no halo loop, and a
// is enumerated once for it instead of once per count (a 1x1
// convolution's producer took most of a ResNet block's steps).
TEST(Mapper, DisjointWindowTilesArePlainLoops) {
  WorkloadBuilder b;
  const int a = b.conv1d("a", 6, 1, 1, 1);
  const int c = b.conv1d("b", 3, 1, 2, 1, /*stride=*/2, 1,
                         b.w.einsums[a].output.tensor);
  Workload w = b.finish({b.w.einsums[c].output.tensor});
  std::vector<bool> fusable = detail::fusableTensors(w);
  auto halo = detail::haloCandidates(w, fusable, SearchOptions{});
  // Only b's tap loop (2 taps of 1: rows [i, i + 5)) overlaps.
  ASSERT_EQ(halo[a].size(), 1u);
  ASSERT_EQ(halo[a][0].size(), 1u);
  EXPECT_EQ(halo[a][0][0], (detail::HaloTag{0, 2, 5, 1}));

  llvm::ArrayRef<int64_t> shape = w.tensors[w.einsums[a].output.tensor].shape;
  Mapping producer{{keep(0, 0), keep(1, 0), loop(0, 3), keep(2, 1),
                    keep(0, 1), keep(1, 1), loop(0, 2)}};
  Mapping consumer{{keep(1, 0), keep(2, 0), loop(0, 3), keep(0, 1),
                    keep(1, 1), keep(2, 1), loop(2, 2)}};
  auto pk = fusionKey(w.einsums[a], w.einsums[a].output, producer, 2, shape);
  auto ck =
      fusionKey(w.einsums[c], w.einsums[c].inputs[0], consumer, 0, shape);
  ASSERT_TRUE(pk && ck);
  EXPECT_EQ(*ck, (std::vector<int64_t>{1, 0, 3, 0, 0}));
  EXPECT_EQ(*pk, *ck);
  // A halo loop of the same tiles is keyed as the plain one too.
  Mapping tagged = producer;
  tagged.nodes[2].haloSpan = 2;
  tagged.nodes[2].haloStep = 2;
  EXPECT_EQ(*fusionKey(w.einsums[a], w.einsums[a].output, tagged, 2, shape),
            *ck);
}

TEST(Mapper, FusionWinsWhenTheIntermediateFits) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchResult fused = search(w, chainArch(4096));
  ASSERT_TRUE(fused.ok()) << fused.error;
  SearchOptions unfusedOpts;
  unfusedOpts.allowFusion = false;
  SearchResult unfused = search(w, chainArch(4096), unfusedOpts);
  ASSERT_TRUE(unfused.ok()) << unfused.error;
  EXPECT_LT(fused.energy, unfused.energy);
  ASSERT_EQ(fused.groups.size(), 1u);
  EXPECT_EQ(fused.groups[0], (std::vector<int>{0, 1}));
  // The intermediate (output of mm0, input 0 of mm1) is on chip on both
  // sides and has no DRAM traffic.
  EXPECT_TRUE(fused.einsums[0].onChipShared[2]);
  EXPECT_TRUE(fused.einsums[1].onChipShared[0]);
  EXPECT_EQ(fused.einsums[0].eval.accesses[2][0].writes, 0);
  EXPECT_EQ(fused.einsums[1].eval.accesses[0][0].reads, 0);
}

// The capped search's first pass is the unfused search: its result comes
// along, the same figures as a search without fusion.
TEST(Mapper, UnfusedBaselineComesWithTheSearch) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchOptions unfusedOpts;
  unfusedOpts.allowFusion = false;
  for (Objective o : {Objective::Energy, Objective::Latency}) {
    SearchOptions opts;
    opts.objective = unfusedOpts.objective = o;
    SearchResult fused = search(w, chainArch(4096), opts);
    SearchResult unfused = search(w, chainArch(4096), unfusedOpts);
    ASSERT_TRUE(fused.ok() && unfused.ok());
    ASSERT_TRUE(fused.unfused.has_value());
    EXPECT_EQ(fused.unfused->first, unfused.energy);
    EXPECT_EQ(fused.unfused->second, unfused.latency);
  }
}

TEST(Mapper, CapacityForbidsFusion) {
  // GLB holds 2 bytes: no tile of the intermediate fits beside the operand
  // tiles, so the only valid mappings go through DRAM.
  Workload w = matmulChain(8, 8, 4, 4);
  SearchResult r = search(w, chainArch(2));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.groups.size(), 2u);
  EXPECT_FALSE(r.einsums[0].onChipShared[2]);
  EXPECT_GT(r.einsums[0].eval.accesses[2][0].writes, 0);
}

// Sets of ranks, operands and levels are bit masks in the generator: past
// its limits the search refuses, rather than overflow a shift.
TEST(Mapper, OversizedEinsumsAndArchsAreErrors) {
  WorkloadBuilder b;
  std::vector<RankVar> ranks;
  std::vector<int> dims;
  for (size_t r = 0; r <= Einsum::kMaxRanks; ++r) {
    ranks.push_back({"r" + std::to_string(r), 2});
    dims.push_back(r);
  }
  int x = b.tensor("x", std::vector<int64_t>(ranks.size(), 2));
  int y = b.tensor("y", std::vector<int64_t>(ranks.size(), 2));
  b.einsum("wide", ranks, {{x, dims}}, {y, dims});
  SearchResult r = search(b.finish({y}), chainArch(1 << 20));
  EXPECT_EQ(r.error, "Einsum 'wide' has 17 ranks and 2 operands; the mapper "
                     "handles at most 16 and 16");

  Arch deep = chainArch(1 << 20);
  while (deep.levels.size() <= Arch::kMaxLevels)
    deep.levels.push_back(
        level("L" + std::to_string(deep.levels.size()), 1 << 10, 1, 1));
  r = search(matmulChain(4, 4, 4, 4), deep);
  EXPECT_EQ(r.error, "invalid architecture: arch has 17 memory levels; at "
                     "most 16 are supported");
}

TEST(Mapper, DramOnlyMappingAlwaysExists) {
  WorkloadBuilder b;
  int e = b.matmul("mm", 4, 4, 4);
  Workload w = b.finish({b.w.einsums[e].output.tensor});
  Arch arch = chainArch(8);
  arch.levels.push_back(level("RF", 1, 1, 1));
  // Every tensor may bypass the on-chip levels, so even a tiny RF works.
  EXPECT_TRUE(search(w, arch).ok());
}

// On a roomy three-level machine nearly every pmapping is valid; the
// branch and bound must cut most of them without changing any group's best.
TEST(Mapper, BranchAndBoundPrunesWithoutChangingTheOptimum) {
  Workload w = matmulChain(8, 8, 4, 8);
  Arch arch = chainArch(1 << 20);
  arch.levels[1].fanout = {4};
  arch.levels.push_back(level("RF", 1 << 12, 0.5, 0.5));
  SearchOptions o;
  auto all = detail::generateAll(w, arch, o, /*prune=*/false);
  auto pruned = detail::generateAll(w, arch, o, /*prune=*/true);
  for (size_t i = 0; i < w.einsums.size(); ++i) {
    ASSERT_EQ(all[i].error, "");
    EXPECT_LT(pruned[i].valid * 10, all[i].valid) << "Einsum " << i;
    for (auto &[key, group] : *all[i].groups) {
      auto it = pruned[i].groups->find(key);
      ASSERT_NE(it, pruned[i].groups->end());
      auto energy = [](const detail::Pmapping &a, const detail::Pmapping &b) {
        return a.energy < b.energy;
      };
      EXPECT_EQ(llvm::min_element(group, energy)->energy,
                llvm::min_element(it->second, energy)->energy);
    }
  }
}

// Einsums of one signature share the first one's enumeration, its error
// too: a copy never enumerates again to name itself (a stack's every layer
// then ran to the budget once more: 54 s instead of 10 s for a four-layer
// GPT-3-size stack past max-pmappings).
TEST(Mapper, SharedEnumerationsShareTheirError) {
  WorkloadBuilder b;
  int x = b.tensor("x", {8, 8});
  int first = b.w.einsums[b.matmul("first", 8, 8, 8, x)].output.tensor;
  int second = b.w.einsums[b.matmul("second", 8, 8, 8, x)].output.tensor;
  Workload w = b.finish({first, second});
  SearchOptions o;
  o.maxPmappings = 1;
  auto pm = detail::generateAll(w, chainArch(1 << 20), o, /*prune=*/false);
  EXPECT_NE(pm[0].error.find("Einsum 'first' holds more than 1"),
            std::string::npos)
      << pm[0].error;
  EXPECT_GT(pm[0].steps, 0u);
  EXPECT_EQ(pm[1].error, pm[0].error);
  EXPECT_EQ(pm[1].steps, 0u);
}

// Under accounting: reference a tile is refilled on every loop above it, so
// the order of a run of loops between two nodes is unobservable: one order
// per run is generated, and every mapping of the looptree accounting's
// mapspace still has its representative (its runs sorted by rank).
TEST(Mapper, ReferenceAccountingGeneratesOneOrderPerRun) {
  WorkloadBuilder b;
  int e = b.matmul("mm", 4, 6, 4);
  Workload w = b.finish({b.w.einsums[e].output.tensor});
  Arch arch = chainArch(1 << 20);
  arch.levels.push_back(level("RF", 1 << 10, 0.5, 0.5));
  auto canonical = [&](Mapping m) {
    for (auto at = m.nodes.begin(); at != m.nodes.end();) {
      auto end = std::find_if(at, m.nodes.end(), [](const MapNode &n) {
        return n.kind != MapNode::Temporal;
      });
      std::sort(at, end, [](const MapNode &x, const MapNode &y) {
        return x.rank < y.rank;
      });
      at = end == m.nodes.end() ? end : end + 1;
    }
    return m.str(w, w.einsums[0], arch);
  };
  auto mappings = [&](const Arch &a) {
    std::vector<std::string> all;
    std::vector<bool> fusable(w.tensors.size(), false);
    detail::EinsumPmappings pm = detail::generatePmappings(
        w, 0, a, fusable, {}, /*prune=*/false,
        detail::bindingLevels(w, a, fusable), detail::Deadline(0));
    EXPECT_EQ(pm.error, "");
    for (auto &[key, group] : *pm.groups)
      for (const detail::Pmapping &p : group)
        all.push_back(canonical(p.mapping));
    return all;
  };
  std::vector<std::string> looptree = mappings(arch);
  arch.accounting = "reference";
  std::vector<std::string> reference = mappings(arch);
  std::set<std::string> distinct(reference.begin(), reference.end());
  EXPECT_EQ(distinct.size(), reference.size()) << "an order generated twice";
  EXPECT_LT(reference.size(), looptree.size());
  for (const std::string &m : looptree)
    EXPECT_TRUE(distinct.count(m)) << m;
}

// Key-first enumeration with its bounds keeps GPT-3-size Einsums tractable
// on the TPU-like preset: the enumeration steps of a chain of two matmuls
// (8192x4096x4096, then x16384) are counted, not timed. Enumerating the
// levels above a fused node before looking its group up took over 10^9
// steps for the first matmul alone; key first takes 193,215 for both (the
// bound, 30% above, leaves room for changes that do not lose the idea).
TEST(Mapper, KeyFirstEnumerationScalesToLargeBounds) {
  Workload w = matmulChain(8192, 4096, 4096, 16384);
  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, 56.24, 56.24, 584.76),
                 level("GlobalBuffer", 134217728, 15.04, 18.88, 1950.48, {4}),
                 level("LocalBuffer", 4194304, 1.992, 2.344, std::nullopt,
                       {128, 128})};
  arch.levels[1].reuse = {"none"};
  arch.levels[2].reuse = {"inputs", "outputs"};
  arch.levels[2].keep = {"inputs", "outputs"};
  arch.compute = {0.084, 65536, 1};
  SearchResult r = search(w, arch);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LT(r.stats.steps, 250'000u);
}

// The counted mapspace of a 4x4x4 matmul on DRAM + one buffer: per tensor
// keep-or-bypass x 4 positions (8^3), factorizations of each 2^2 bound over
// two blocks (3^3), two blocks of 3! orders (36).
TEST(Mapper, RawMapspaceIsCounted) {
  WorkloadBuilder b;
  int e = b.matmul("mm", 4, 4, 4);
  Workload w = b.finish({b.w.einsums[e].output.tensor});
  std::vector<bool> fusable(w.tensors.size(), false);
  double log = detail::rawMapspaceLog10(w, 0, chainArch(64), fusable);
  EXPECT_NEAR(std::pow(10.0, log), 512.0 * 27 * 36, 1e-6);
}

// Einsums that differ only in their tensors are generated once: the copy
// enumerates nothing and holds the same groups; a different bound or a
// different fusion interface is generated on its own.
TEST(Mapper, IdenticalEinsumsShareGeneration) {
  WorkloadBuilder b;
  int x = b.tensor("x", {8, 8});
  int p = b.matmul("p", 8, 8, 8, x), q = b.matmul("q", 8, 8, 8, x);
  int r = b.matmul("r", 8, 8, 4, x);
  int s = b.matmul("s", 8, 8, 8, x);
  int t = b.matmul("t", 8, 8, 8, b.w.einsums[s].output.tensor);
  Workload w = b.finish(
      {b.w.einsums[p].output.tensor, b.w.einsums[q].output.tensor,
       b.w.einsums[r].output.tensor, b.w.einsums[t].output.tensor});
  auto pm = detail::generateAll(w, chainArch(1 << 12), SearchOptions{},
                                /*prune=*/true);
  EXPECT_GT(pm[p].steps, 0u);
  EXPECT_EQ(pm[q].steps, 0u); // a copy of p's
  EXPECT_EQ(pm[q].groups->size(), pm[p].groups->size());
  EXPECT_EQ(pm[q].valid, pm[p].valid);
  EXPECT_GT(pm[r].steps, 0u); // another bound
  EXPECT_GT(pm[s].steps, 0u); // writes a fusable intermediate
  EXPECT_NE(pm[s].groups->size(), pm[p].groups->size());
}

// Inputs that differ only in their tensor (not interface tensors) trade
// keep sets without changing any criterion: only nondecreasing keep sets
// are walked, read back from every pmapping kept, and the optimum is the
// exhaustive one on every objective, beside an interface input that has
// the same ranks.
TEST(Mapper, InterchangeableInputsWalkNondecreasingKeepSets) {
  WorkloadBuilder b;
  int p = b.matmul("p", 8, 6, 4);
  std::vector<TensorAccess> ins{{b.w.einsums[p].output.tensor, {0, 1}}};
  for (int k = 0; k < 3; ++k)
    ins.push_back({b.tensor("a" + std::to_string(k), {8, 6}), {0, 1}});
  int out = b.tensor("s.out", {8, 6});
  int s = b.einsum("s", {{"i", 8}, {"j", 6}}, ins, {out, {0, 1}});
  Workload w = b.finish({out});
  for (const char *name : {"eyeriss_like", "tpu_v4i_like", "small_2level"}) {
    SCOPED_TRACE(name);
    Arch arch = preset(name);
    auto pm = detail::generateAll(w, arch, SearchOptions{}, /*prune=*/true);
    size_t seen = 0;
    for (const auto &[keys, group] : *pm[s].groups)
      for (const detail::Pmapping &q : group) {
        std::vector<uint32_t> levels(ins.size() + 1, 0);
        for (const MapNode &n : q.mapping.nodes)
          if (n.kind == MapNode::Keep)
            levels[n.access] |= 1u << n.level;
        EXPECT_LE(levels[1], levels[2]);
        EXPECT_LE(levels[2], levels[3]);
        ++seen;
      }
    for (Objective obj :
         {Objective::Energy, Objective::Latency, Objective::EDP}) {
      SearchOptions o, exhaustive;
      o.objective = exhaustive.objective = obj;
      exhaustive.exhaustive = true;
      SearchResult r = search(w, arch, o), ref = search(w, arch, exhaustive);
      ASSERT_TRUE(r.ok() && ref.ok()) << r.error << ref.error;
      EXPECT_NEAR(r.energy, ref.energy, 1e-9 * ref.energy);
      EXPECT_NEAR(r.latency, ref.latency, 1e-9 * ref.latency);
    }
  }
}

// Interchangeable inputs: each added one multiplies the keep sets walked
// by the levels it may be kept at (4 on the Eyeriss-like preset) only
// where their order counts; as a multiset, three more inputs add a
// factor of at most C(n + 3, 3) / C(n, 3) keep sets, not 4^3.
TEST(Mapper, InterchangeableInputsGrowTheWalkPolynomially) {
  auto sum = [](int n) {
    WorkloadBuilder b;
    std::vector<TensorAccess> ins;
    for (int k = 0; k < n; ++k)
      ins.push_back({b.tensor("a" + std::to_string(k), {16, 20}), {0, 1}});
    int out = b.tensor("out", {16, 20});
    b.einsum("sum", {{"i", 16}, {"j", 20}}, ins, {out, {0, 1}});
    return b.finish({out});
  };
  Arch arch = preset("eyeriss_like");
  auto steps = [&](int n) {
    return detail::generateAll(sum(n), arch, SearchOptions{},
                               /*prune=*/true)[0]
        .steps;
  };
  uint64_t three = steps(3), six = steps(6);
  EXPECT_LT(six, 8 * three) << three << " -> " << six;
}

// chainArch with a register file below the buffer and two instances
// between them that may spread only `rank`: in a chain, a rank that
// indexes the intermediate on one side only gives keys the other side
// never has.
Arch spreadingArch(std::string rank) {
  Arch arch = chainArch(4096);
  arch.levels[1].fanout = {2};
  arch.levels[1].spatialRanks = {std::move(rank)};
  arch.levels.push_back(level("RF", 256, 1, 1));
  arch.compute.instances = 2;
  return arch;
}

// An Einsum whose only interface tensor is its output (the head of a fused
// chain) is enumerated after its consumer, in the groups whose key the
// consumer kept: no other could join. What it leaves out still bounds its
// floor (the differential test fails without that).
TEST(Mapper, ChainHeadKeepsOnlyJoinableKeys) {
  // Rank "n" is the intermediate's second dimension in mm0, but "k" (not
  // spread) in mm1, so only mm0 has keys with a spatial loop over it.
  Workload w = matmulChain(16, 16, 8, 4);
  Arch arch = spreadingArch("n");
  auto pm = detail::generateAll(w, arch, SearchOptions{}, /*prune=*/true);
  ASSERT_TRUE(pm[0].error.empty() && pm[1].error.empty());
  // mm0's interface: its output; mm1's: its first input.
  std::set<detail::Key> consumed, produced, unrestricted;
  for (const auto &[keys, group] : *pm[1].groups)
    consumed.insert(keys[0]);
  for (const auto &[keys, group] : *pm[0].groups)
    produced.insert(keys[0]);
  EXPECT_TRUE(std::includes(consumed.begin(), consumed.end(),
                            produced.begin(), produced.end()));
  std::vector<bool> fusable = detail::fusableTensors(w);
  detail::Deadline none(0);
  detail::EinsumPmappings alone = detail::generatePmappings(
      w, 0, arch, fusable, SearchOptions{}, /*prune=*/true,
      detail::bindingLevels(w, arch, fusable), none);
  for (const auto &[keys, group] : *alone.groups)
    unrestricted.insert(keys[0]);
  EXPECT_GT(unrestricted.size(), produced.size());
  // The floor of what was left out bounds every left-out pmapping (its
  // energy: the default objective's criterion) and is a real bound.
  double leftOutLeast = INFINITY;
  for (const auto &[keys, group] : *alone.groups)
    if (!produced.count(keys[0]))
      for (const detail::Pmapping &p : group)
        leftOutLeast = std::min(leftOutLeast, p.energy);
  ASSERT_LT(leftOutLeast, INFINITY);
  EXPECT_GT(pm[0].unjoinableFloor, 0);
  EXPECT_LE(pm[0].unjoinableFloor, leftOutLeast);
}

// Inside a chain too (docs/mapspace.md): in mm0 -> mm1 -> mm2 the head mm0
// is late, so its neighbour mm1 is not, and mm2, whose only neighbour is
// mm1, is enumerated after it and keeps only the X1 keys mm1 kept. Only mm2
// spreads X1's second dimension (its "k"), so without the restriction it
// has keys mm1 never has; the optimum is the exhaustive one.
TEST(Mapper, LateEinsumInsideAChainKeepsOnlyJoinableKeys) {
  WorkloadBuilder b;
  int e0 = b.matmul("mm0", 8, 8, 4);
  int e1 = b.matmul("mm1", 8, 4, 8, b.w.einsums[e0].output.tensor);
  int e2 = b.matmul("mm2", 8, 4, 4, b.w.einsums[e1].output.tensor);
  int x1 = b.w.einsums[e1].output.tensor;
  Workload w = b.finish({b.w.einsums[e2].output.tensor});
  Arch arch = spreadingArch("k");
  auto pm = detail::generateAll(w, arch, SearchOptions{}, /*prune=*/true);
  ASSERT_TRUE(pm[1].error.empty() && pm[2].error.empty());
  std::vector<bool> fusable = detail::fusableTensors(w);
  auto keysOf = [&](const detail::EinsumPmappings &p, size_t einsum) {
    std::vector<int> slots = detail::interfaceTensors(w, fusable, einsum);
    size_t slot = llvm::find(slots, x1) - slots.begin();
    std::set<detail::Key> keys;
    for (const auto &[k, group] : *p.groups)
      keys.insert(k[slot]);
    return keys;
  };
  std::set<detail::Key> produced = keysOf(pm[1], 1), consumed = keysOf(pm[2], 2);
  EXPECT_TRUE(std::includes(produced.begin(), produced.end(),
                            consumed.begin(), consumed.end()));
  detail::Deadline none(0);
  std::set<detail::Key> unrestricted = keysOf(
      detail::generatePmappings(w, 2, arch, fusable, SearchOptions{},
                                /*prune=*/true,
                                detail::bindingLevels(w, arch, fusable), none),
      2);
  EXPECT_GT(unrestricted.size(), consumed.size());
  SearchOptions exhaustive;
  exhaustive.exhaustive = true;
  SearchResult r = search(w, arch), reference = search(w, arch, exhaustive);
  ASSERT_TRUE(r.ok() && reference.ok()) << r.error << reference.error;
  EXPECT_EQ(r.energy, reference.energy);
}

// An Einsum with more interface tensors than a byte has bits: the
// enumeration's on-chip masks put each of them on chip, the ninth as well
// as the first (a flag kept as a byte once dropped all past the eighth).
TEST(Mapper, EveryInterfaceTensorMayGoOnChip) {
  // t_k = t_0 + ... + t_{k-1} (t_0 = x): every Einsum reads all the
  // tensors before it, so each stays fusable up to the last one, which
  // reads nine.
  WorkloadBuilder b;
  const int64_t m = 4;
  std::vector<TensorAccess> parts = {{b.tensor("x", {m}), {0}}};
  for (int k = 0; k < 9; ++k) {
    int t = b.tensor("t" + std::to_string(k), {m});
    b.einsum("add" + std::to_string(k), {{"m", m}}, parts, {t, {0}});
    if (k == 0)
      parts.clear();
    parts.push_back({t, {0}});
  }
  int z = b.tensor("sum.out", {m});
  int sum = b.einsum("sum", {{"m", m}}, parts, {z, {0}});
  Workload w = b.finish({z});
  Arch arch = chainArch(1 << 20);
  std::vector<bool> fusable = detail::fusableTensors(w);
  ASSERT_EQ(detail::interfaceTensors(w, fusable, sum).size(), 9u);
  detail::Deadline none(0);
  detail::EinsumPmappings pm = detail::generatePmappings(
      w, sum, arch, fusable, SearchOptions{}, /*prune=*/true,
      detail::bindingLevels(w, arch, fusable), none);
  ASSERT_TRUE(pm.error.empty()) << pm.error;
  // A key's first entry is the level of the tensor's outermost node
  // (0: DRAM).
  std::vector<bool> onChip(9, false);
  for (const auto &[keys, group] : *pm.groups)
    for (size_t s = 0; s < keys.size(); ++s)
      if (keys[s][0] != 0)
        onChip[s] = true;
  for (size_t s = 0; s < onChip.size(); ++s)
    EXPECT_TRUE(onChip[s]) << "interface tensor " << s << " never on chip";
}

// The join indexes only groups whose keys the other Einsums sharing their
// tensors have (in groups that can join in turn); the rest never join.
TEST(Mapper, JoinSkipsGroupsNoNeighbourMatches) {
  // Only mm1 spreads its reduction rank, over the intermediate's second
  // dimension, so some of its keys are ones mm0 never has.
  Workload w = matmulChain(8, 8, 8, 8);
  Arch arch = spreadingArch("k");
  SearchOptions exhaustive;
  exhaustive.exhaustive = true;
  SearchResult r = search(w, arch), reference = search(w, arch, exhaustive);
  ASSERT_TRUE(r.ok() && reference.ok()) << r.error << reference.error;
  EXPECT_GT(r.stats.joinableGroups, 0u);
  EXPECT_LT(r.stats.joinableGroups, r.stats.groups);
  EXPECT_EQ(r.energy, reference.energy);
}

TEST(Mapper, BudgetExceededIsAnError) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchOptions o;
  o.maxPmappings = 10;
  SearchResult r = search(w, chainArch(4096), o);
  EXPECT_NE(r.error.find("search budget exceeded"), std::string::npos);
  EXPECT_NE(r.error.find("raise max-pmappings"), std::string::npos);
}

// A hand-built pmapping for the join, tagged by a loop whose count names
// it, so that a test can tell which one the join chose (tagOf); `bytes`
// are held on the global buffer, persistent and reserved unless given
// apart.
static detail::Pmapping taggedPmapping(double energy, double latency,
                                       int64_t tag, bool fused = false,
                                       double bytes = 0,
                                       std::optional<double> reserved = {}) {
  detail::Pmapping p;
  p.energy = energy;
  p.latency = latency;
  p.persistent = {0, bytes};
  p.reservation = {0, reserved.value_or(bytes)};
  p.fused = fused;
  p.mapping.nodes = {{MapNode::Temporal, -1, -1, 0, tag}};
  return p;
}

static int64_t tagOf(const SearchResult &r, int einsum) {
  return r.einsums[einsum].mapping.nodes.at(0).factor;
}

// The pmappings of a fused pair (mm0 writes the intermediate, mm1 reads
// it on chip): mm0 has `options` of them, the i-th with (energy, latency)
// from `score(i)`, persistent bytes falling with i, `reservation(i)` bytes
// reserved and a loop of count i + 1 that names it; mm1 has one.
static std::vector<detail::EinsumPmappings>
fusedPairPmappings(int64_t options,
                   std::function<std::pair<double, double>(int64_t)> score,
                   std::function<double(int64_t)> reservation) {
  std::vector<detail::EinsumPmappings> pm(2);
  pm[0].interface = {2};
  pm[1].interface = {0};
  for (int64_t i = 0; i < options; ++i) {
    auto [energy, latency] = score(i);
    (*pm[0].groups)[{{1}}].push_back(taggedPmapping(
        energy, latency, i + 1, /*fused=*/true, options - i, reservation(i)));
  }
  (*pm[1].groups)[{{1}}].push_back(
      taggedPmapping(1, 1, 1, /*fused=*/true));
  return pm;
}

// The join's own budget: pmappings that tie on energy and trade persistent
// bytes against the rest of their reservation are all Pareto-optimal, so
// no bound or pruning can shrink the frontier they make.
TEST(Mapper, JoinFrontierBudgetIsAnError) {
  Workload w = matmulChain(8, 8, 4, 4);
  const int64_t options = 8;
  std::vector<detail::EinsumPmappings> pm = fusedPairPmappings(
      options, [](int64_t) { return std::pair(1.0, 1.0); },
      [&](int64_t i) { return double(options - i + 2 * i); });
  SearchOptions o;
  o.maxPmappings = options / 2;
  SearchResult r = detail::joinPmappings(w, chainArch(4096), pm, o);
  EXPECT_EQ(r.error, "search budget exceeded: the join frontier at Einsum "
                     "'mm0' passed 4 partial mappings (raise max-pmappings)");
  o.maxPmappings = options;
  EXPECT_TRUE(detail::joinPmappings(w, chainArch(4096), pm, o).ok());
}

// Latency ties broken by energy bound the join too: pmappings that tie on
// latency and trade energy against persistent bytes are all Pareto-optimal
// to the frontier, but once a complete mapping is known every one whose
// energy plus the least the rest can add exceeds its energy is cut (the
// tie would go to it): the exact join's frontier holds one, the least
// energy's.
TEST(Mapper, JoinBoundBreaksLatencyTiesByEnergy) {
  Workload w = matmulChain(8, 8, 4, 4);
  const int64_t options = 8;
  std::vector<detail::EinsumPmappings> pm = fusedPairPmappings(
      options, [](int64_t i) { return std::pair(1.0 + i, 1.0); },
      [&](int64_t i) { return double(options - i); });
  SearchOptions o;
  o.objective = Objective::Latency;
  SearchResult r = detail::joinPmappings(w, chainArch(4096), pm, o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.stats.maxFrontier, 1u);
  EXPECT_EQ(tagOf(r, 0), 1);
}

// Two Einsums' unfused pmappings, built by hand.
struct TaggedPmappings {
  std::vector<detail::EinsumPmappings> pm{2};
  void add(int einsum, double energy, double latency, int64_t tag) {
    (*pm[einsum].groups)[{}].push_back(taggedPmapping(energy, latency, tag));
  }
};

// EDP is joined as energy + lambda * latency at the slopes of the lower
// convex hull: the 20 staircase points of Einsum 0, none dominated, never
// make a frontier of 20.
TEST(Mapper, EdpJoinFrontiersStaySmall) {
  Workload w = matmulChain(8, 8, 4, 4);
  TaggedPmappings t;
  for (int e = 1; e <= 20; ++e)
    t.add(0, e, e == 1 || e == 20 ? 21 - e : 21.5 - e, e);
  t.add(1, 0, 100, 1);
  t.add(1, 100, 0, 2);
  SearchOptions o;
  o.objective = Objective::EDP;
  SearchResult r = detail::joinPmappings(w, chainArch(4096), t.pm, o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LE(r.stats.maxFrontier, 2u);
}

// The EDP optimum may be neither the least-energy nor the least-latency
// mapping: (4, 4) beats (2, 11) and (11, 2), and only the join at their
// chord's slope finds it.
TEST(Mapper, EdpFindsTheHullVertexBetweenTheExtremes) {
  Workload w = matmulChain(8, 8, 4, 4);
  TaggedPmappings t;
  t.add(0, 1, 10, 1);
  t.add(0, 3, 3, 2);
  t.add(0, 10, 1, 3);
  t.add(0, 6, 6, 4); // above the hull: never a candidate
  t.add(1, 1, 1, 5);
  SearchOptions o;
  o.objective = Objective::EDP;
  SearchResult r = detail::joinPmappings(w, chainArch(4096), t.pm, o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(tagOf(r, 0), 2);
  o.objective = Objective::Energy;
  r = detail::joinPmappings(w, chainArch(4096), t.pm, o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(tagOf(r, 0), 1);
  o.objective = Objective::Latency;
  r = detail::joinPmappings(w, chainArch(4096), t.pm, o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(tagOf(r, 0), 3);
}

// The region EDP's caps bound the other Einsums' (E, L) by: both floors'
// sums and a weighted floors' line. Where the line passes above the box's
// corner it cuts it off, leaving the two points where it meets the box's
// sides; below it, the corner alone. The least of (e + E)(l + L) over the
// region is then the least over these.
TEST(Mapper, EdpCapCornersOfTheFloorsRegion) {
  using P = std::pair<double, double>;
  // x >= 1, y >= 2, x + 2y >= 11: the line meets x = 1 at y = 5 and y = 2
  // at x = 7.
  auto c = detail::corners(1, 2, {{2, 11}});
  std::sort(c.begin(), c.end());
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], P(1, 5));
  EXPECT_EQ(c[1], P(7, 2));
  // x + 2y >= 4 holds at (1, 2) already: the box's corner alone.
  c = detail::corners(1, 2, {{2, 4}});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0], P(1, 2));
  // No line: the corner.
  c = detail::corners(3, 4, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0], P(3, 4));
  // Two lines, one steeper: x + y >= 10 and x + 4y >= 16 over x >= 0,
  // y >= 0 meet at (8, 2); the region's corners are (0, 10), (8, 2) and
  // (16, 0).
  c = detail::corners(0, 0, {{1, 10}, {4, 16}});
  std::sort(c.begin(), c.end());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], P(0, 10));
  EXPECT_EQ(c[1], P(8, 2));
  EXPECT_EQ(c[2], P(16, 0));
}

// The cap slack only trades speed: a zero or a negative one (taken as
// zero) reaches the same optimum as the default, through a rerun.
TEST(Mapper, CapSlackOnlyTradesSpeed) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchResult reference = search(w, chainArch(256));
  ASSERT_TRUE(reference.ok()) << reference.error;
  for (double slack : {0.0, -1.0}) {
    SearchOptions o;
    o.capSlack = slack;
    SearchResult r = search(w, chainArch(256), o);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.energy, reference.energy);
  }
}

// A level's reservations are join criteria only where a fusion group can
// overflow it: where some tile may outlive the fused loops, above the
// outermost on-chip node of a fused intermediate. Where every
// intermediate must be kept higher up, each pmapping's own fit suffices.
TEST(Mapper, ReservationsBindOnlyWhereFusedTilesMayPersist) {
  Workload w = matmulChain(8, 8, 4, 4);
  Arch arch = chainArch(16);
  arch.levels.push_back(level("RF", 4, 1, 1));
  arch.compute.instances = 1;
  std::vector<bool> fusable = detail::fusableTensors(w);
  EXPECT_EQ(detail::bindingLevels(w, arch, fusable),
            (std::vector<bool>{false, true, true}));
  // Without fusion no tile outlives its Einsum's loops.
  EXPECT_EQ(detail::bindingLevels(w, arch,
                                  std::vector<bool>(fusable.size(), false)),
            (std::vector<bool>{false, false, false}));
  // Every intermediate in the GLB: no RF tile outlives a fused loop.
  arch.levels[1].keep = {"intermediate"};
  EXPECT_EQ(detail::bindingLevels(w, arch, fusable),
            (std::vector<bool>{false, true, false}));
  // The consumer reads the intermediate as a weight. Produced into a GLB
  // that must keep outputs and read past a GLB that must bypass weights,
  // it is on chip in no join (the two sides' keys never agree), so not
  // even the GLB binds, and the RF, the weight's only on-chip level as
  // the consumer reads it, binds nothing either.
  {
    WorkloadBuilder b;
    int t = b.w.einsums[b.matmul("mm0", 8, 8, 4)].output.tensor;
    int x = b.tensor("mm1.A", {8, 8}), c = b.tensor("mm1.out", {8, 8});
    b.einsum("mm1", {{"m", 8}, {"n", 8}, {"k", 8}},
             {{x, {0, 2}}, {t, {2, 1}}}, {c, {0, 1}});
    Workload v = b.finish({c});
    std::vector<bool> vFusable = detail::fusableTensors(v);
    ASSERT_TRUE(vFusable[t]);
    Arch split = arch;
    split.levels[1].keep = {"output"};
    split.levels[1].bypass = {"weight"};
    split.levels[2].keep = {"weight"};
    EXPECT_EQ(detail::bindingLevels(v, split, vFusable),
              (std::vector<bool>{false, false, false}));
    SearchOptions o;
    o.exhaustive = true;
    SearchResult r = search(v, split), ex = search(v, split, o);
    ASSERT_TRUE(r.ok() && ex.ok()) << r.error << ex.error;
    EXPECT_EQ(r.energy, ex.energy);
    EXPECT_EQ(r.latency, ex.latency);
    // A GLB either side may keep it in is where its node sits.
    split.levels[1].bypass.clear();
    EXPECT_EQ(detail::bindingLevels(v, split, vFusable),
              (std::vector<bool>{false, true, false}));
  }
  // Main memory alone binds nothing (and has no level 1 to look at).
  Arch dramOnly = arch;
  dramOnly.levels.resize(1);
  EXPECT_EQ(detail::bindingLevels(w, dramOnly, fusable),
            (std::vector<bool>{false}));
  // The same search either way: the RF's reservations decided nothing.
  SearchResult r = search(w, arch);
  ASSERT_TRUE(r.ok()) << r.error;
  SearchOptions o;
  o.exhaustive = true;
  SearchResult ex = search(w, arch, o);
  ASSERT_TRUE(ex.ok()) << ex.error;
  EXPECT_EQ(r.energy, ex.energy);
  EXPECT_EQ(r.latency, ex.latency);
}

// Whether a level binds asks whether every tile held whole could exceed
// it, and a window's whole tile is its span, gaps included: a stride of 4
// over one tap touches 2 of the 5 elements it spans. The chain's tiles
// total 22 elements touched but 25 held whole, so a GLB of 23 binds.
TEST(Mapper, ReservationsBindByWindowSpans) {
  WorkloadBuilder b;
  int a = b.conv1d("a", 8, 1, 1, 1);
  int c = b.conv1d("b", 2, 1, 1, 1, /*stride=*/4, /*dilation=*/1,
                   b.w.einsums[a].output.tensor);
  Workload w = b.finish({b.w.einsums[c].output.tensor});
  std::vector<bool> fusable = detail::fusableTensors(w);
  ASSERT_TRUE(fusable[b.w.einsums[a].output.tensor]);
  Arch arch = chainArch(0);
  auto glb = [&](double elements) {
    arch.levels[1].capacity = (int64_t)(elements * arch.widestBytesAt(1));
    return detail::bindingLevels(w, arch, fusable);
  };
  EXPECT_EQ(glb(23), (std::vector<bool>{false, true}));
  EXPECT_EQ(glb(25), (std::vector<bool>{false, false}));
}

/// Three n-cubed matmuls in a chain.
static Workload threeMatmuls(int64_t n) {
  WorkloadBuilder b;
  int e0 = b.matmul("mm0", n, n, n);
  int e1 = b.matmul("mm1", n, n, n, b.w.einsums[e0].output.tensor);
  int e2 = b.matmul("mm2", n, n, n, b.w.einsums[e1].output.tensor);
  return b.finish({b.w.einsums[e2].output.tensor});
}

// The join's pruning judges ties on partial sums, its tie cut on complete
// ones: the narrow first join's mapping M (mm0 A, mm1 p, mm2 s) must stay
// a candidate. In the exact join B + q is clearly faster than A + p after
// mm1 (by 2e-9 of 11 cycles) and holds fewer bytes, so it prunes A + p;
// once mm2's million cycles are added it only ties M, with 34 times M's
// energy, and the tie cut drops it; r, which would have made it clearly
// faster, fits nowhere. Nothing else completes within the tie: without M
// the exact frontier empties.
static std::vector<detail::EinsumPmappings> narrowJoinsCase() {
  std::vector<detail::EinsumPmappings> pm(3);
  pm[0].interface = {2};
  pm[1].interface = {0, 2};
  pm[2].interface = {0};
  auto add = [&](int einsum, std::vector<detail::Key> keys, double latency,
                 double energy, double bytes, int64_t tag) {
    (*pm[einsum].groups)[keys].push_back(
        taggedPmapping(energy, latency, tag, /*fused=*/true, bytes));
  };
  add(0, {{1}}, 1, 1, 5, 1);               // A
  add(0, {{1}}, 2, 100, 1, 2);             // B
  add(1, {{1}, {1}}, 10, 1, 2, 1);         // p
  add(1, {{1}, {1}}, 9 - 2.2e-8, 1, 5, 2); // q
  add(2, {{1}}, 1e6, 1, 0, 1);             // s
  add(2, {{1}}, 1e6 - 1, 1, 10, 2);        // r: fits with nothing
  return pm;
}

TEST(Mapper, JoinKeepsTheNarrowJoinsMappingAsACandidate) {
  SearchOptions o;
  o.objective = Objective::Latency;
  SearchResult r = detail::joinPmappings(threeMatmuls(8), chainArch(8),
                                         narrowJoinsCase(), o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.budgetSpent);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(tagOf(r, i), 1) << "Einsum " << i;
}

// A join that stops at max-pmappings says so (SearchResult::budgetSpent):
// EDP's first pass tells it from a join that found nothing within its caps,
// which under a score to beat would show that nothing beats it.
TEST(Mapper, JoinBudgetIsFlagged) {
  SearchOptions o;
  o.objective = Objective::Latency;
  o.maxPmappings = 1; // mm0's A and B both extend the empty state
  SearchResult r = detail::joinPmappings(threeMatmuls(8), chainArch(8),
                                         narrowJoinsCase(), o);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.budgetSpent);
  EXPECT_NE(r.error.find("join frontier"), std::string::npos) << r.error;
}

/// Two PEs under a small global buffer, no bandwidths: a mapping's latency
/// is its compute time. At 256 for threeMatmuls(16) (128 for n = 8) the
/// buffer is too small to fuse both intermediates whole: each Einsum's
/// floor keeps its neighbours' tensors on chip in ways no one mapping
/// combines.
static Arch twoPeArch(int64_t glbCapacity) {
  Arch arch = chainArch(glbCapacity);
  arch.levels[1].fanout = {2};
  arch.levels.push_back(level("RF", 16, 1, 1));
  arch.compute.instances = 2;
  return arch;
}

/// search() once per value of one option, each required to reach the
/// exhaustive search's mapping; the results by value (those that reach
/// it).
static std::map<double, SearchResult>
searchEach(const Workload &w, const Arch &arch, SearchOptions o,
           double SearchOptions::*option, std::vector<double> values,
           const SearchResult &ex) {
  std::map<double, SearchResult> by;
  for (double v : values) {
    o.*option = v;
    SearchResult r = search(w, arch, o);
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.energy, ex.energy) << v;
    EXPECT_EQ(r.latency, ex.latency) << v;
    if (r.ok() && r.energy == ex.energy && r.latency == ex.latency)
      by[v] = std::move(r);
  }
  return by;
}

/// Pmappings held over every Einsum's groups.
static size_t keptPmappings(const std::vector<detail::EinsumPmappings> &pm) {
  size_t n = 0;
  for (const detail::EinsumPmappings &p : pm)
    for (const auto &group : *p.groups)
      n += group.second.size();
  return n;
}

namespace {
/// A three-matmul chain under the rerun's fixed caps from its optimum,
/// with (`bounded`) and without (`plain`) the neighbours' key bounds.
struct FixedCaps {
  Workload w = threeMatmuls(16);
  Arch arch = twoPeArch(256);
  SearchOptions o;
  SearchResult best;
  std::vector<detail::Narrowing> plain, bounded;
};
} // namespace

static void fixedCaps(FixedCaps &c) {
  std::vector<detail::EinsumPmappings> all =
      detail::generateAll(c.w, c.arch, c.o, /*prune=*/true);
  c.best = detail::joinPmappings(c.w, c.arch, all, c.o);
  ASSERT_TRUE(c.best.ok()) << c.best.error;
  std::vector<double> floor;
  for (const detail::EinsumPmappings &p : all)
    floor.push_back(p.floor);
  double sum = floor[0] + floor[1] + floor[2];
  ASSERT_GT(c.best.energy, sum * (1 + 1e-6)) << "floors must be loose here";
  c.plain.resize(3);
  c.bounded.resize(3);
  for (size_t i = 0; i < 3; ++i) {
    c.plain[i].cap = floor[i] + (c.best.energy - sum) + 1e-9 * c.best.energy;
    c.bounded[i] = c.plain[i];
    c.bounded[i].floor = floor[i]; // enables the neighbours' key bounds
  }
}

/// Whether `pm` joins to the optimum `c` found without caps.
static void expectOptimum(const FixedCaps &c,
                          const std::vector<detail::EinsumPmappings> &pm) {
  SearchResult r = detail::joinPmappings(c.w, c.arch, pm, c.o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.energy, c.best.energy);
  EXPECT_EQ(r.latency, c.best.latency);
}

// Under fixed caps (the rerun's), what each neighbour can score with a key
// bounds a group: pmappings whose neighbours must score too far above
// their floors to join them are left out (Narrowing::surcharges), and the
// optimum stays.
TEST(Mapper, NeighbourKeyBoundsNarrowFixedCaps) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  auto a = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.plain);
  auto b = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.bounded);
  EXPECT_LT(keptPmappings(b), keptPmappings(a));
  expectOptimum(c, a);
  expectOptimum(c, b);
}

// Under fixed caps, each group kept within a window of its least gives
// exact least scores per key; the least complete mapping compatible keys
// allow with them (capacity ignored) bounds every complete mapping, so a
// mapping their join finds within the window of it is the optimum. Here
// the floors are loose (fixedCaps) and that bound is not.
TEST(Mapper, WindowedGroupsBoundTheOptimumByTheirKeys) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  double window = 1e-6 * c.best.energy;
  std::vector<detail::Narrowing> windowed = c.bounded;
  for (detail::Narrowing &n : windowed)
    n.window = window;
  auto least = detail::generateAll(c.w, c.arch, c.o, true, nullptr, windowed);
  auto plain = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.plain);
  EXPECT_LT(keptPmappings(least), keptPmappings(plain));
  detail::Completions comp =
      detail::leastCompletions(c.w, c.arch, least, Objective::Energy);
  double floors = 0;
  for (const detail::Narrowing &n : c.bounded)
    floors += n.floor;
  EXPECT_LE(comp.least, c.best.energy * (1 + 1e-12));
  EXPECT_GT(comp.least, floors * (1 + 1e-6));
  SearchResult r = detail::joinPmappings(c.w, c.arch, least, c.o);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LE(r.energy, comp.least + window);
  EXPECT_EQ(r.energy, c.best.energy);
  EXPECT_EQ(r.latency, c.best.latency);
}

// What each group's keys leave the other Einsums (the least completions,
// Narrowing::completions) caps the rerun's groups below the floors' caps
// and the neighbours' key bounds, and the optimum stays.
TEST(Mapper, LeastCompletionsNarrowFixedCaps) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  std::vector<detail::Narrowing> windowed = c.bounded;
  for (detail::Narrowing &n : windowed)
    n.window = 1e-6 * c.best.energy;
  auto least = detail::generateAll(c.w, c.arch, c.o, true, nullptr, windowed);
  std::vector<double> floor;
  for (const detail::Narrowing &n : c.bounded)
    floor.push_back(n.floor);
  auto excess = detail::keyExcess(
      detail::leastCompletions(c.w, c.arch, least, Objective::Energy), least,
      floor, floor[0] + floor[1] + floor[2]);
  std::vector<detail::Narrowing> narrowed = c.bounded;
  for (size_t i = 0; i < 3; ++i)
    narrowed[i].completions = excess[i];
  auto bounded = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.bounded);
  auto cut = detail::generateAll(c.w, c.arch, c.o, true, nullptr, narrowed);
  EXPECT_LT(keptPmappings(cut), keptPmappings(bounded));
  expectOptimum(c, cut);
}

// A reused Einsum's kept groups stand for its key bounds: the key-bounds
// pass does not walk it, and its exact least per key narrows the
// neighbours at least as much as its bounds did, the optimum kept.
TEST(Mapper, ReusedEinsumsGiveTheirKeyBounds) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  auto first = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.bounded);
  std::vector<detail::Narrowing> reusing = c.bounded;
  reusing[0].reuse = &first[0];
  auto again = detail::generateAll(c.w, c.arch, c.o, true, nullptr, reusing);
  EXPECT_EQ(again[0].steps, 0u);
  EXPECT_LE(keptPmappings(again), keptPmappings(first));
  expectOptimum(c, again);
}

// A key-bounds enumeration past its step limit stops and bounds no key:
// the keys it had reached would read as the only ones the Einsum can take.
TEST(Mapper, KeyBoundsPastTheirStepLimitBoundNothing) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  std::vector<detail::Narrowing> keyBounds = c.plain;
  for (detail::Narrowing &n : keyBounds)
    n.keyBoundsOnly = true;
  auto whole = detail::generateAll(c.w, c.arch, c.o, true, nullptr, keyBounds);
  ASSERT_GT(whole[1].steps, 3u);
  EXPECT_FALSE(whole[1].abandoned);
  EXPECT_FALSE(whole[1].groups->empty());
  keyBounds[1].stepLimit = 3;
  auto stopped =
      detail::generateAll(c.w, c.arch, c.o, true, nullptr, keyBounds);
  EXPECT_TRUE(stopped[1].abandoned);
  EXPECT_TRUE(stopped[1].groups->empty());
  EXPECT_LE(stopped[1].steps, 4u); // the step past the limit counts
  EXPECT_TRUE(stopped[1].error.empty());
  EXPECT_FALSE(stopped[0].abandoned);
}

// A late Einsum's key bounds may spend at most half of what its
// neighbours' enumerations took in the pass before
// (Narrowing::earlierSteps); past that they narrow nothing, and the
// optimum stays.
TEST(Mapper, LateKeyBoundsStopAtTheirBudget) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  auto unlimited =
      detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.bounded);
  std::vector<detail::Narrowing> budgeted = c.bounded;
  for (detail::Narrowing &n : budgeted)
    n.earlierSteps = 2; // a budget of 1 step per neighbour
  auto cut = detail::generateAll(c.w, c.arch, c.o, true, nullptr, budgeted);
  // The chain's ends are late (the head, and the tail whose only
  // neighbour is not): their key bounds stop, the middle one is narrowed
  // by less and keeps at least as much.
  EXPECT_LT(cut[0].steps, unlimited[0].steps);
  EXPECT_LT(cut[2].steps, unlimited[2].steps);
  auto kept = [](const detail::EinsumPmappings &p) {
    return keptPmappings({p});
  };
  EXPECT_GE(kept(cut[1]), kept(unlimited[1]));
  expectOptimum(c, unlimited);
  expectOptimum(c, cut);
}

// Narrowing a reused neighbour saves nothing: a late Einsum whose only
// neighbour is reused stops its key bounds at the first step, whatever
// that neighbour took before, and the optimum stays.
TEST(Mapper, LateKeyBoundsSpendNothingOnReusedNeighbours) {
  FixedCaps c;
  ASSERT_NO_FATAL_FAILURE(fixedCaps(c));
  auto first = detail::generateAll(c.w, c.arch, c.o, true, nullptr, c.bounded);
  std::vector<detail::Narrowing> reusing = c.bounded;
  for (detail::Narrowing &n : reusing)
    n.earlierSteps = 1000000; // budget enough for any key bounds
  auto keyBoundSteps = [](const detail::EinsumPmappings &p) {
    return p.steps - p.ownSteps;
  };
  auto whole = detail::generateAll(c.w, c.arch, c.o, true, nullptr, reusing);
  EXPECT_GT(keyBoundSteps(whole[0]), 2u);
  EXPECT_GT(keyBoundSteps(whole[2]), 2u);
  // The middle Einsum, the only neighbour of both late ends, reused.
  reusing[1].reuse = &first[1];
  auto cut = detail::generateAll(c.w, c.arch, c.o, true, nullptr, reusing);
  EXPECT_LE(keyBoundSteps(cut[0]), 2u);
  EXPECT_LE(keyBoundSteps(cut[2]), 2u);
  expectOptimum(c, cut);
}

// Latency ties (docs/mapspace.md): on twoPeArch() every mapping using both
// PEs runs at the compute floor, and the latency search is decided by
// energy. Its energy caps at the floors cut, their second floors are
// floors of the whole mapspace, a slack the found mapping proves finishes
// in one capped pass, a smaller one reruns under fixed energy caps, and
// every way reaches the exhaustive optimum.
TEST(Mapper, LatencyTiesCapEnergyAtTheFloors) {
  // 16-cubed: with 8-cubed matmuls the capacity checks before the suffix
  // leave the first pass's second floors combining into the optimum.
  Workload w = threeMatmuls(16);
  Arch arch = twoPeArch(512);
  SearchOptions o;
  o.objective = Objective::Latency;
  o.exhaustive = true;
  std::vector<detail::EinsumPmappings> all =
      detail::generateAll(w, arch, o, /*prune=*/false);
  SearchResult ex = detail::joinPmappings(w, arch, all, o);
  ASSERT_TRUE(ex.ok()) << ex.error;
  o.exhaustive = false;

  // The first capped pass, as cappedSearch runs it, with an energy slack
  // of 5% of the optimum's (cappedSearch scales it by the unfused one's).
  std::vector<detail::Narrowing> tie(3);
  for (detail::Narrowing &n : tie) {
    n.slack = 0;
    n.secondSlack = 0.05 * ex.energy;
  }
  auto capped = detail::generateAll(w, arch, o, true, nullptr, tie);
  auto uncapped = detail::generateAll(w, arch, o, true);
  EXPECT_LT(keptPmappings(capped), keptPmappings(uncapped));
  bool cut = false;
  for (size_t i = 0; i < 3; ++i) {
    cut |= capped[i].secondCutAt < INFINITY;
    // The least energy at the latency floor, over the whole mapspace.
    double floor = INFINITY, least = INFINITY;
    for (const auto &[keys, group] : *all[i].groups)
      for (const detail::Pmapping &p : group)
        floor = std::min(floor, p.latency);
    for (const auto &[keys, group] : *all[i].groups)
      for (const detail::Pmapping &p : group)
        if (p.latency <= floor * (1 + 1e-9))
          least = std::min(least, p.energy);
    EXPECT_EQ(std::min(capped[i].floor, capped[i].unjoinableFloor), floor);
    EXPECT_LE(capped[i].secondFloor, least);
  }
  EXPECT_TRUE(cut) << "the energy caps must cut here";

  // The rerun's fixed caps: the latency at the floors, the energy at each
  // second floor plus the found mapping's gap above their sum.
  SearchResult found = detail::joinPmappings(w, arch, capped, o);
  ASSERT_TRUE(found.ok()) << found.error;
  double gap = found.energy;
  for (const detail::EinsumPmappings &p : capped)
    gap -= p.secondFloor;
  ASSERT_GT(gap, 0) << "the floors must not combine here";
  std::vector<detail::Narrowing> fixed(3);
  for (size_t i = 0; i < 3; ++i) {
    fixed[i].cap = capped[i].floor * (1 + 1e-9);
    fixed[i].secondCap = (capped[i].secondFloor + gap) * (1 + 1e-9);
  }
  auto rerun = detail::generateAll(w, arch, o, true, nullptr, fixed);
  EXPECT_LT(keptPmappings(rerun), keptPmappings(uncapped));
  EXPECT_TRUE(llvm::any_of(rerun, [](const detail::EinsumPmappings &p) {
    return p.secondCutAt < INFINITY;
  })) << "the fixed energy caps must cut here";
  SearchResult again = detail::joinPmappings(w, arch, rerun, o);
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(again.latency, ex.latency);
  EXPECT_EQ(again.energy, ex.energy);

  // Through search(): without energy caps, with a slack that proves them
  // (one capped pass after the unfused one), and with none (a rerun).
  std::map<double, SearchResult> by =
      searchEach(w, arch, o, &SearchOptions::tieSlack, {-1.0, 1.0, 0.0}, ex);
  if (by.size() != 3)
    return;
  EXPECT_EQ(by[1.0].stats.generationPasses(), 2u);
  EXPECT_EQ(by[0.0].stats.generationPasses(), 3u);
  EXPECT_LT(by[1.0].stats.steps, by[-1.0].stats.steps);
}

// EDP's first pass (docs/mapspace.md): where the optimum lies within its
// slack of the floors' product, the pass capped there finds it and proves
// it, and the latency search is not run: fewer passes and steps than
// without the first pass, the exhaustive search's mapping either way.
TEST(Mapper, EdpFirstPassProvesNearTheFloors) {
  WorkloadBuilder b;
  int e0 = b.matmul("mm0", 8, 8, 8);
  int e1 = b.matmul("mm1", 8, 8, 8, b.w.einsums[e0].output.tensor);
  Workload w = b.finish({b.w.einsums[e1].output.tensor});
  Arch arch = twoPeArch(256);
  SearchOptions o;
  o.objective = Objective::EDP;
  o.exhaustive = true;
  SearchResult ex = search(w, arch, o);
  ASSERT_TRUE(ex.ok()) << ex.error;
  o.exhaustive = false;
  std::map<double, SearchResult> by =
      searchEach(w, arch, o, &SearchOptions::edpFirstSlack, {-1.0, 0.02}, ex);
  if (by.size() != 2)
    return;
  // The spread pass, the energy search's unfused and first capped pass,
  // the weighted floors and the first EDP pass, which proves; without it
  // (and no spread pass) the latency search's two passes come before the
  // weighted floors and the last EDP pass, which its least completions'
  // pass precedes.
  EXPECT_EQ(by[0.02].stats.generationPasses(), 5u);
  EXPECT_EQ(by[-1.0].stats.generationPasses(), 7u);
  EXPECT_LT(by[0.02].stats.steps, by[-1.0].stats.steps);

  // A score to beat just below the optimum, which the floors do not rule
  // out: the first pass, capped at it, shows that nothing beats it, and
  // the latency search is not run either.
  o.beat = ex.energy * ex.latency * (1 - 1e-6);
  SearchResult below = search(w, arch, o);
  EXPECT_FALSE(below.ok());
  EXPECT_NE(below.error.find("none within caps from it"), std::string::npos)
      << below.error;
  EXPECT_LE(below.stats.generationPasses(), 5u);
}

// Each Einsum's own slack (docs/mapspace.md): beside a large matmul, the
// global slack exceeds a small chain's whole score and caps nothing there.
// Its own share caps it, the optimum lies at the floors, and one capped
// pass proves it, with fewer steps for the small Einsums and the same
// optimum as the exhaustive search.
TEST(Mapper, EinsumSlackCapsSmallEinsums) {
  WorkloadBuilder b;
  // A copy of many data: most of the energy, a small mapspace.
  int big = b.einsum("copy", {{"i", 1 << 16}},
                     {{b.tensor("copy.in", {1 << 16}), {0}}},
                     {b.tensor("copy.out", {1 << 16}), {0}});
  int e0 = b.matmul("mm0", 8, 8, 8);
  int e1 = b.matmul("mm1", 8, 8, 8, b.w.einsums[e0].output.tensor);
  Workload w = b.finish(
      {b.w.einsums[big].output.tensor, b.w.einsums[e1].output.tensor});
  Arch arch = twoPeArch(1024);
  SearchOptions o;
  o.exhaustive = true;
  SearchResult ex = search(w, arch, o);
  ASSERT_TRUE(ex.ok()) << ex.error;
  o.exhaustive = false;
  std::map<double, SearchResult> by = searchEach(
      w, arch, o, &SearchOptions::einsumSlack, {INFINITY, 0.05}, ex);
  if (by.size() != 2)
    return;
  EXPECT_EQ(by[0.05].stats.generationPasses(), 2u);
  for (int i : {e0, e1})
    EXPECT_LT(by[0.05].stats.einsumSteps[i],
              by[INFINITY].stats.einsumSteps[i])
        << w.einsums[i].name;
}

// A score to beat (SearchOptions::beat, as ffm-fuse's folded form is
// searched against the form as written): above the optimum, even just
// above, it changes nothing; at it, nothing better is returned; below the floors' sum (or,
// for EDP, their product) the search stops after the floors, with fewer
// steps than the full search. Where the spread floors (keep sets and
// spatial loops only) already show it, no loop nest is walked: latency
// runs its unfused pass (for the report's baseline) and the spread pass,
// EDP one spread pass alone (it bounds energy and latency at once).
TEST(Mapper, BeatStopsOnceTheFloorsCannot) {
  Workload w = threeMatmuls(16);
  Arch arch = twoPeArch(256);
  SearchOptions unfused;
  unfused.allowFusion = false;
  unfused.objective = Objective::Latency;
  uint64_t unfusedSteps = search(w, arch, unfused).stats.steps;
  for (Objective obj :
       {Objective::Energy, Objective::Latency, Objective::EDP}) {
    SearchOptions o;
    o.objective = obj;
    SearchResult plain = search(w, arch, o);
    ASSERT_TRUE(plain.ok()) << plain.error;
    double best = plain.score(obj);
    // Just above the optimum the caps from it must keep the optimum.
    for (double factor : {2.0, 1 + 1e-6}) {
      o.beat = factor * best;
      SearchResult above = search(w, arch, o);
      ASSERT_TRUE(above.ok()) << above.error;
      EXPECT_EQ(above.energy, plain.energy) << factor;
      EXPECT_EQ(above.latency, plain.latency) << factor;
    }
    o.beat = best;
    SearchResult at = search(w, arch, o);
    EXPECT_TRUE(!at.ok() || at.score(obj) >= best) << (int)obj;
    o.beat = best / 4;
    SearchResult below = search(w, arch, o);
    EXPECT_FALSE(below.ok()) << (int)obj;
    EXPECT_NE(below.error.find("score to beat"), std::string::npos)
        << below.error;
    EXPECT_LT(below.stats.steps, plain.stats.steps) << (int)obj;
    // 6,047 steps, 3,462 of them the unfused pass; 20,007 with a fused
    // first pass.
    if (obj == Objective::Latency) {
      EXPECT_LT(below.stats.steps, unfusedSteps * 2);
    }
    if (obj == Objective::EDP) {
      EXPECT_EQ(below.stats.generationPasses(), 1u);
    }
  }
}

TEST(Mapper, DeterministicWithThreads) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchResult serial = search(w, chainArch(256));
  SearchOptions o;
  o.parallelFor = [](size_t n, const std::function<void(size_t)> &body) {
    std::vector<std::thread> threads;
    for (size_t i = n; i-- > 0;) // reverse start order on purpose
      threads.emplace_back(body, i);
    for (auto &t : threads)
      t.join();
  };
  SearchResult parallel = search(w, chainArch(256), o);
  ASSERT_TRUE(serial.ok() && parallel.ok());
  EXPECT_EQ(serial.energy, parallel.energy);
  EXPECT_EQ(serial.latency, parallel.latency);
  for (size_t i = 0; i < serial.einsums.size(); ++i)
    EXPECT_EQ(serial.einsums[i].mapping, parallel.einsums[i].mapping);
}

// An allocation that fails between two checks of the memory budget ends the
// search with an error, never the process: on a pool thread, where an
// exception would terminate, the enumeration under way reports it; on the
// search's own thread, the search does.
TEST(Mapper, FailedAllocationIsAnError) {
  Workload w = matmulChain(8, 8, 4, 4);
  SearchOptions o;
  o.parallelFor = [](size_t, const std::function<void(size_t)> &body) {
    std::thread pool([&] {
      failingAllocation = 200;
      body(0);
      failingAllocation = 0;
    });
    pool.join();
  };
  SearchResult r = search(w, chainArch(256), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error.find("out of memory (an allocation failed) while "
                         "enumerating Einsum"),
            std::string::npos)
      << r.error;
  o.parallelFor = [](size_t, const std::function<void(size_t)> &) {
    throw std::bad_alloc();
  };
  r = search(w, chainArch(256), o);
  EXPECT_EQ(r.error, "out of memory during the search (an allocation "
                     "failed; lower max-memory-mb to stop sooner)");
}

// For a matmul, no valid mapping moves less DRAM data than the compulsory
// traffic: each input read once, the output written once.
TEST(Mapper, DramTrafficIsAtLeastCompulsory) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    int64_t dims[] = {2, 4, 6, 8};
    int64_t m = dims[rng() % 4], n = dims[rng() % 4], k = dims[rng() % 4];
    WorkloadBuilder b;
    int e = b.matmul("mm", m, n, k);
    Workload w = b.finish({b.w.einsums[e].output.tensor});
    Arch arch;
    arch.levels = {level("DRAM", std::nullopt, 10, 10),
                   level("GLB", 8 + rng() % 64, 1, 1, std::nullopt,
                         {int64_t(1 + rng() % 3)})};
    arch.compute = {1, arch.levels[1].fanout[0], 1};
    std::vector<bool> fusable(w.tensors.size(), false);
    detail::EinsumPmappings pm =
        detail::generatePmappings(w, 0, arch, fusable, {}, /*prune=*/false,
                                  detail::bindingLevels(w, arch, fusable),
                                  detail::Deadline(0));
    ASSERT_GT(pm.valid, 0u);
    for (auto &[key, group] : *pm.groups)
      for (const detail::Pmapping &p : group) {
        Evaluation ev = evaluate(w, 0, arch, p.mapping);
        ASSERT_TRUE(ev.ok());
        EXPECT_GE(ev.accesses[0][0].reads, double(m * k));
        EXPECT_GE(ev.accesses[1][0].reads, double(k * n));
        EXPECT_GE(ev.accesses[2][0].writes, double(m * n));
      }
  }
}

/// A random chain or DAG of 2-5 small Einsums: matmuls, elementwise ops and
/// reductions, each reading one or two earlier results.
Workload randomWorkload(std::mt19937 &rng, int numEinsums, bool deep) {
  WorkloadBuilder b;
  // Deeper hierarchies multiply the mapspace: keep their bounds smaller.
  const int64_t sizes[] = {2, 4, 6};
  auto pick = [&] { return sizes[rng() % (deep ? 2 : 3)]; };
  int64_t rows = pick();
  std::vector<int> results; // output tensors, all [rows x cols_i]
  std::vector<int64_t> cols;
  std::vector<bool> consumed;
  for (int i = 0; i < numEinsums; ++i) {
    std::string name = "e" + std::to_string(i);
    int kind = i == 0 ? 0 : rng() % 3;
    int src = i == 0 ? -1 : (int)(rng() % results.size());
    if (i > 0 && rng() % 2)
      src = results.size() - 1; // mostly chains
    int64_t n = pick();
    int out;
    if (kind == 0) { // matmul: [rows x k] x [k x n]
      int64_t k = src < 0 ? pick() : cols[src];
      int a = src < 0 ? b.tensor(name + ".A", {rows, k}) : results[src];
      int w = b.tensor(name + ".W", {k, n});
      out = b.tensor(name + ".out", {rows, n});
      b.einsum(name, {{"m", rows}, {"n", n}, {"k", k}},
               {{a, {0, 2}}, {w, {2, 1}}}, {out, {0, 1}});
    } else if (kind == 1) { // elementwise of one or two results
      n = cols[src];
      std::vector<TensorAccess> ins{{results[src], {0, 1}}};
      for (size_t j = 0; j < results.size(); ++j)
        if ((int)j != src && cols[j] == n && rng() % 2) {
          ins.push_back({results[j], {0, 1}});
          consumed[j] = true;
          break;
        }
      out = b.tensor(name + ".out", {rows, n});
      b.einsum(name, {{"m", rows}, {"n", n}}, ins, {out, {0, 1}});
    } else { // row reduction, then broadcast back by a matmul-like op
      int64_t k = cols[src];
      n = 1;
      out = b.tensor(name + ".out", {rows, 1});
      b.einsum(name, {{"m", rows}, {"k", k}}, {{results[src], {0, 1}}},
               {out, {0, -1}});
    }
    if (src >= 0)
      consumed[src] = true;
    results.push_back(out);
    cols.push_back(n);
    consumed.push_back(false);
  }
  std::vector<int> outputs;
  for (size_t j = 0; j < results.size(); ++j)
    if (!consumed[j])
      outputs.push_back(results[j]);
  return b.finish(outputs);
}

Arch randomArch(std::mt19937 &rng, int numLevels) {
  Arch arch;
  arch.levels.push_back(level("DRAM", std::nullopt, 50 + rng() % 100,
                              50 + rng() % 100, 1.0 + rng() % 4));
  int64_t cap = 8 + rng() % 56;
  for (int l = 1; l < numLevels; ++l) {
    arch.levels.push_back(level("L" + std::to_string(l), cap,
                                1 + rng() % 8, 1 + rng() % 8,
                                std::optional<double>(2.0 + rng() % 6)));
    cap = std::max<int64_t>(2, cap / (2 + rng() % 4));
  }
  int64_t fan = 1 + rng() % 2;
  if (fan > 1)
    arch.levels[numLevels - 1].fanout = {fan};
  // Mapspace rules (their own stream, so the cases above stay as they
  // were): what a fanout dimension shares, and roles a level must keep or
  // bypass.
  std::mt19937 rules(rng());
  const char *reuse[] = {"any", "none", "inputs", "outputs"};
  Level &inner = arch.levels[numLevels - 1];
  if (fan > 1 && rules() % 2)
    inner.reuse = {reuse[rules() % 4]};
  for (int l = 1; l < numLevels; ++l) {
    const char *role = rules() % 2 ? "inputs" : "outputs";
    switch (rules() % 6) {
    case 0:
      arch.levels[l].keep = {role};
      break;
    case 1:
      arch.levels[l].bypass = {role};
      break;
    }
  }
  arch.compute = {0.5 + rng() % 3, fan, 1.0};
  return arch;
}

/// The differential tests' options for their `tried`-th workload: half
/// the cases allow any number of fused loops per rank.
SearchOptions differentialOptions(int tried) {
  SearchOptions o;
  o.maxPmappings = 2'000'000;
  o.maxFusedLoopsPerRank = tried % 2;
  return o;
}

/// The EDP tests' random cases: three 8-cubed matmuls, EDP, on a random
/// three-level architecture.
struct EdpCase {
  Arch arch;
  Workload w = threeMatmuls(8);
  SearchOptions o;
};
static EdpCase edpCase(std::mt19937 &rng) {
  EdpCase c;
  c.arch = randomArch(rng, 3);
  c.o.objective = Objective::EDP;
  return c;
}

/// Every complete mapping's least energy and least latency (the energy and
/// the latency searches' optima): bounds of the floors' sums.
static std::pair<double, double> leastSums(const EdpCase &c) {
  SearchResult least[2];
  for (Objective obj : {Objective::Energy, Objective::Latency}) {
    SearchOptions a = c.o;
    a.objective = obj;
    least[obj == Objective::Latency] = search(c.w, c.arch, a);
    EXPECT_TRUE(least[obj == Objective::Latency].ok());
  }
  return {least[0].energy, least[1].latency};
}

// EDP's slopes (docs/mapspace.md): an EDP optimum is the one point least
// on E + lambda * L at its own E* / L*, which the floors and a cap at or
// above its EDP bound. Groups pruned at every slope of that range keep
// fewer pmappings than the two-criteria fronts where energy and latency
// trade within a group, and the join over them still finds the optimum.
TEST(Mapper, EdpSlopesKeepWhatMayBeLeastAtTheOptimumsSlope) {
  std::mt19937 rng(18);
  int fewer = 0;
  for (int round = 0; round < 12; ++round) {
    auto [arch, w, o] = edpCase(rng);
    // The two-criteria fronts and their join: the optimum, by pruning
    // that does not depend on the slopes.
    auto fronts = detail::generateAll(w, arch, o, /*prune=*/true);
    SearchResult opt = detail::joinPmappings(w, arch, fronts, o);
    if (!opt.ok())
      continue;
    // Complete mappings' least energy and latency: floors' sums, at most.
    auto [sumE, sumL] = leastSums({arch, w, o});
    double edp = opt.energy * opt.latency;
    for (double cap : {edp, 1.5 * edp}) {
      std::vector<detail::Narrowing> caps(w.einsums.size());
      detail::edpSlopes(caps, sumE, sumL, cap);
      double slope = opt.energy / opt.latency;
      EXPECT_LE(caps[0].edpSlopeLo, slope);
      EXPECT_GE(caps[0].edpSlopeHi, slope);
      auto sloped =
          detail::generateAll(w, arch, o, /*prune=*/true, nullptr, caps);
      EXPECT_LE(keptPmappings(sloped), keptPmappings(fronts));
      fewer += keptPmappings(sloped) < keptPmappings(fronts);
      SearchResult r = detail::joinPmappings(w, arch, sloped, o);
      ASSERT_TRUE(r.ok()) << r.error;
      EXPECT_NEAR(r.energy * r.latency, edp, 1e-9 * edp) << "round " << round;
    }
  }
  EXPECT_GE(fewer, 12);
}

// EDP's least completions (docs/mapspace.md): a pass that keeps only each
// group's least at both ends of EDP's slopes, cutting every subtree whose
// bound reaches both, holds each group's two leasts exactly as the
// unpruned enumeration has them, in at most two pmappings per group, and
// every group the fronts under the same narrowing hold.
TEST(Mapper, LeastOnlyKeepsEachGroupsLeastsAtBothSlopes) {
  std::mt19937 rng(31);
  int compared = 0;
  for (int round = 0; round < 8; ++round) {
    auto [arch, w, o] = edpCase(rng);
    auto all = detail::generateAll(w, arch, o, /*prune=*/false);
    if (llvm::any_of(all, [](const detail::EinsumPmappings &p) {
          return !p.error.empty() || p.groups->empty();
        }))
      continue;
    // Slopes on the scale of the Einsums' own E / L, and none.
    const detail::Pmapping &any = all[0].groups->begin()->second.front();
    double r = any.energy / any.latency;
    for (auto [lo, hi] : {std::pair{0.0, (double)INFINITY},
                          std::pair{r / 4, 4 * r}}) {
      std::vector<detail::Narrowing> n(w.einsums.size());
      for (detail::Narrowing &each : n) {
        each.leastOnly = true;
        each.edpSlopeLo = lo;
        each.edpSlopeHi = hi;
      }
      auto least = detail::generateAll(w, arch, o, true, nullptr, n);
      // The same groups as the fronts under the same narrowing (late
      // Einsums restricted alike): a group is left empty by neither.
      for (detail::Narrowing &each : n)
        each.leastOnly = false;
      auto fronts = detail::generateAll(w, arch, o, true, nullptr, n);
      for (size_t i = 0; i < w.einsums.size(); ++i) {
        ASSERT_EQ(least[i].groups->size(), fronts[i].groups->size());
        for (const auto &entry : *fronts[i].groups)
          EXPECT_TRUE(least[i].groups->count(entry.first));
      }
      detail::Dominance d(Objective::EDP, lo, hi);
      auto leasts = [&](const std::vector<detail::Pmapping> &group) {
        double first = INFINITY, second = INFINITY;
        for (const detail::Pmapping &p : group) {
          first = std::min(first, d.first(p.energy, p.latency));
          second = std::min(second, d.second(p.energy, p.latency));
        }
        return std::pair{first, second};
      };
      EXPECT_LT(keptPmappings(least), keptPmappings(all));
      for (size_t i = 0; i < w.einsums.size(); ++i) {
        ASSERT_FALSE(least[i].groups->empty());
        for (const auto &[keys, group] : *least[i].groups) {
          EXPECT_LE(group.size(), 2u);
          auto it = all[i].groups->find(keys);
          ASSERT_NE(it, all[i].groups->end());
          auto [first, second] = leasts(group);
          auto [allFirst, allSecond] = leasts(it->second);
          EXPECT_NEAR(first, allFirst, 1e-9 * allFirst) << "round " << round;
          EXPECT_NEAR(second, allSecond, 1e-9 * allSecond)
              << "round " << round;
          ++compared;
        }
      }
    }
  }
  EXPECT_GE(compared, 100);
}

// The last EDP pass narrowed by its least completions (EdpLeasts.cpp): the
// other Einsums' least sums at both slopes with each key bound each group,
// so it keeps fewer pmappings than the pass under the same caps without
// them, and its join is still the exhaustive search's optimum.
TEST(Mapper, EdpLeastCompletionsKeepTheOptimum) {
  std::mt19937 rng(44);
  int fewer = 0, rounds = 0;
  for (int round = 0; round < 12; ++round) {
    // Named, not bound: the pass's Run captures them.
    EdpCase c = edpCase(rng);
    const Arch &arch = c.arch;
    const Workload &w = c.w;
    SearchOptions &o = c.o;
    o.exhaustive = true;
    SearchResult ex = search(w, arch, o);
    if (!ex.ok())
      continue;
    o.exhaustive = false;
    // Every mapping's energy and latency are at least the least of each.
    auto [sumE, sumL] = leastSums(c);
    double edp = ex.energy * ex.latency;
    for (double cap : {edp * (1 + 1e-9), 1.2 * edp}) {
      std::vector<detail::Narrowing> caps(w.einsums.size());
      for (detail::Narrowing &n : caps) {
        n.edpCap = cap;
        n.otherCorners = {{0, 0}};
      }
      detail::edpSlopes(caps, sumE, sumL, cap);
      auto plain = detail::generateAll(w, arch, o, true, nullptr, caps);
      detail::Deadline none(0);
      detail::Run run = [&](const std::vector<detail::Narrowing> &narrowing,
                            std::vector<detail::EinsumPmappings> *kept) {
        auto pm = detail::generateAll(w, arch, o, true, nullptr, narrowing);
        SearchResult r = detail::joinPmappings(w, arch, pm, o);
        if (kept)
          *kept = std::move(pm);
        return r;
      };
      std::vector<detail::EinsumPmappings> narrowed;
      SearchResult r = detail::leastCompletedEdpPass(w, arch, none, run, caps,
                                                     sumE, sumL, &narrowed);
      ASSERT_TRUE(r.ok()) << r.error;
      EXPECT_NEAR(r.energy * r.latency, edp, 1e-9 * edp) << "round " << round;
      // The narrowed pass's own pmappings hold an optimum (the first
      // pass's mapping, which stands in where they do not, often is one).
      SearchResult own = detail::joinPmappings(w, arch, narrowed, o);
      ASSERT_TRUE(own.ok()) << own.error << " round " << round;
      EXPECT_NEAR(own.energy * own.latency, edp, 1e-9 * edp)
          << "round " << round;
      EXPECT_LE(keptPmappings(narrowed), keptPmappings(plain));
      fewer += keptPmappings(narrowed) < keptPmappings(plain);
      ++rounds;
    }
  }
  EXPECT_GE(rounds, 12);
  EXPECT_GE(fewer, rounds / 2);
}

// paretoPrune under EDP's slopes: of (10, 10), (11, 9.5) and (12, 8) all
// three are on the two-criteria front, but over slopes [0.5, 1.5] the
// second loses to the first at both ends. The front stays in energy order,
// also where a member lower at both ends stays for its reservation.
TEST(Mapper, ParetoPruneUnderEdpSlopes) {
  using namespace ffm::detail;
  auto at = [](double e, double l) {
    Pmapping p;
    p.energy = e;
    p.latency = l;
    return p;
  };
  std::vector<Pmapping> list = {at(12, 8), at(11, 9.5), at(10, 10)};
  std::vector<Pmapping> pareto = list;
  paretoPrune(pareto, false, Dominance(Objective::EDP));
  EXPECT_EQ(pareto.size(), 3u);
  paretoPrune(list, false, Dominance(Objective::EDP, 0.5, 1.5));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].energy, 10);
  EXPECT_EQ(list[1].energy, 12);

  // (11, 5) is lower than (10, 10) at both ends but reserves more.
  auto reserving = [&](double e, double l, double bytes) {
    Pmapping p = at(e, l);
    p.reservation = {bytes};
    p.persistent = {0};
    return p;
  };
  std::vector<Pmapping> held = {reserving(10, 10, 1), reserving(11, 5, 9)};
  paretoPrune(held, true, Dominance(Objective::EDP, 0.5, 1.5));
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].energy, 10);
  EXPECT_EQ(held[1].energy, 11);
}

// The core promise: within the mapspace, FFM's optimum equals exhaustive
// search's, on every objective.
TEST(Mapper, DifferentialOptimalityAgainstExhaustive) {
  std::mt19937 rng(2026);
  int cases = 0, tried = 0, fusedWins = 0;
  int proved = 0, rerun = 0; // capped passes that proved their caps, or not
  int tieProved = 0, tieRerun = 0; // of them, the latency searches
  // Of the reruns, those the pass within a window of each key's least
  // proved, and those it capped by the least completions.
  int windowProved = 0, windowRerun = 0;
  // Energy with little or no slack of the Einsums' own: proved in one
  // capped pass, or by the passes after it (counted by generation passes,
  // the unfused one included).
  int ownProved = 0, ownThree = 0, ownFour = 0, ownFive = 0;
  // Bounded, so that a reference that skips too many workloads fails the
  // counts below instead of looping.
  while (cases < 200 && tried < 400) {
    int numEinsums = 2 + rng() % 4;
    int numLevels = numEinsums <= 3 ? 2 + rng() % 2 : 2;
    Workload w =
        randomWorkload(rng, numEinsums, numLevels > 2 || numEinsums > 3);
    Arch arch = randomArch(rng, numLevels);
    // The reference enumerates everything once; FFM runs per objective
    // through search(), as the pass does (its branch and bound, its caps
    // and its pruning depend on the objective).
    SearchOptions o = differentialOptions(tried);
    auto all = detail::generateAll(w, arch, o, /*prune=*/false);
    bool tooLarge = false;
    for (Objective obj :
         {Objective::Energy, Objective::Latency, Objective::EDP}) {
      o.objective = obj;
      // The default slacks, ones whose caps the mapping found often does
      // not prove (3% of the unfused score; latency's energy caps at the
      // floors with none), and 3% with no slack of the Einsums' own (the
      // first capped pass proves only at the floors, and a found mapping
      // within 3% of them must not be taken for proved) or 10% of their
      // own (the larger Einsums at 3%, the others less): all must reach
      // the optimum. EDP's first pass likewise at its default, capped at
      // the floors' product itself (a mapping within it is rare: mostly
      // the incumbent), not run, and far above it (mostly proved, or
      // capped at the energy mapping's EDP).
      std::vector<SearchResult> ffms;
      for (auto [slack, tie, own, edpFirst] :
           {std::tuple{0.005, 0.05, 0.05, 0.02},
            {0.03, 0.0, 0.05, 0.0},
            {0.03, 0.05, 0.0, -1.0},
            {0.03, 0.05, 0.1, 0.5}}) {
        o.exhaustive = false;
        o.capSlack = slack;
        o.tieSlack = tie;
        o.einsumSlack = own;
        o.edpFirstSlack = edpFirst;
        ffms.push_back(search(w, arch, o));
      }
      if (obj == Objective::Energy)
        for (size_t k : {2, 3})
          if (ffms[k].ok()) {
            ownProved += ffms[k].stats.generationPasses() == 2;
            ownThree += ffms[k].stats.generationPasses() == 3;
            ownFour += ffms[k].stats.generationPasses() == 4;
            ownFive += ffms[k].stats.generationPasses() == 5;
          }
      o.exhaustive = true;
      SearchResult ex = detail::joinPmappings(w, arch, all, o);
      if (!ex.ok() && ex.error.find("budget") != std::string::npos) {
        tooLarge = true; // too large for the reference: skip this workload
        break;
      }
      for (const SearchResult &ffm : ffms) {
        ASSERT_EQ(ffm.ok(), ex.ok()) << ffm.error << " | " << ex.error;
        if (!ffm.ok())
          continue;
        ASSERT_EQ(ffm.score(obj), ex.score(obj))
            << "case " << cases << " objective " << (int)obj;
        // Ties on the objective are broken by the other criterion.
        if (obj != Objective::EDP) {
          double a = obj == Objective::Energy ? ffm.latency : ffm.energy;
          double b = obj == Objective::Energy ? ex.latency : ex.energy;
          ASSERT_NEAR(a, b, 1e-9 * std::max(a, b))
              << "case " << cases << " objective " << (int)obj;
        }
        if (obj != Objective::EDP)
          ++(ffm.stats.generationPasses() == 2 ? proved : rerun);
        windowProved += ffm.stats.windowProofs;
        windowRerun += ffm.stats.windowReruns;
        // Latency's energy caps at the floors (docs/mapspace.md, "Latency
        // ties"), proved in one capped pass or not.
        if (obj == Objective::Latency)
          ++(ffm.stats.generationPasses() == 2 ? tieProved : tieRerun);
      }
      if (obj == Objective::Energy && ffms[0].ok() &&
          ffms[0].groups.size() < w.einsums.size())
        ++fusedWins;
    }
    if (!tooLarge)
      ++cases;
    ++tried;
  }
  EXPECT_EQ(cases, 200);
  // Most random workloads must be small enough for the reference.
  EXPECT_LT(tried, 260);
  // The random cases must exercise fusion, or the test proves little.
  EXPECT_GT(fusedWins, 20);
  // And both ends of the capped search: caps the found mapping proves, and
  // caps it does not (a rerun).
  EXPECT_GT(proved, 20);
  EXPECT_GT(rerun, 20);
  // Of them the latency searches, each way at least a hundred times.
  EXPECT_GT(tieProved, 100);
  EXPECT_GT(tieRerun, 100);
  EXPECT_GT(ownProved, 40);
  // The pass at the global slack runs only where the first pass found no
  // mapping or one at most 1.5 times that slack above the floors; the pass
  // within a window of each key's least follows where it does not prove
  // (or does not run), and the rerun capped by the least completions where
  // that pass's join does not prove. Three passes: one of the two proved
  // (97 of the searches); four: both ran, or the window pass and the rerun
  // (40); five: all three (14). Before the window pass, 42 widened and 109
  // reran.
  EXPECT_GT(ownThree, 85);
  EXPECT_LT(ownThree, 110);
  EXPECT_GT(ownFour, 32);
  EXPECT_LT(ownFour, 48);
  EXPECT_GT(ownFive, 8);
  EXPECT_LT(ownFive, 20);
  // Every objective's capped searches (EDP's energy and latency ones too):
  // the window pass's proof and its rerun, each many times.
  EXPECT_GT(windowProved, 400);
  EXPECT_GT(windowRerun, 30);
}

// With node depths the generator places nodes among loops whose counts are
// still open: its bound must stay below every completion (open counts
// above a node: all of their rank for its refills, none for its tile) and
// its dedup must keep one placement per observable set of loops. The
// pruned search, as the pass runs it, against the exhaustive join of the
// unpruned enumeration, every objective.
TEST(Mapper, NodeDepthsDifferentialAgainstExhaustive) {
  std::mt19937 rng(2027);
  int cases = 0, tried = 0;
  uint64_t deep = 0;
  while (cases < 60 && tried < 120) {
    int numEinsums = 2 + rng() % 3;
    int numLevels = 2 + rng() % 2;
    Workload w = randomWorkload(rng, numEinsums, numLevels > 2);
    Arch arch = randomArch(rng, numLevels);
    // Half under the reference's accounting, where no run is free.
    if (tried % 4 >= 2)
      arch.accounting = "reference";
    SearchOptions o = differentialOptions(tried);
    o.nodeDepths = true;
    auto all = detail::generateAll(w, arch, o, /*prune=*/false);
    bool tooLarge = false;
    for (Objective obj :
         {Objective::Energy, Objective::Latency, Objective::EDP}) {
      o.objective = obj;
      o.exhaustive = false;
      SearchResult ffm = search(w, arch, o);
      o.exhaustive = true;
      SearchResult ex = detail::joinPmappings(w, arch, all, o);
      if (!ex.ok() && ex.error.find("budget") != std::string::npos) {
        tooLarge = true;
        break;
      }
      ASSERT_EQ(ffm.ok(), ex.ok()) << ffm.error << " | " << ex.error;
      if (!ffm.ok())
        continue;
      ASSERT_EQ(ffm.score(obj), ex.score(obj))
          << "case " << cases << " objective " << (int)obj;
      for (auto [i, er] : llvm::enumerate(ffm.einsums))
        deep += deepArgumentNodes(w, w.einsums[i], er.mapping);
    }
    cases += !tooLarge;
    ++tried;
  }
  EXPECT_EQ(cases, 60);
  // The optima must use the depths, or the test proves little.
  EXPECT_GT(deep, 20u);
}

// The generator's bound asks FrontIndex whether any member of a group
// dominates a bound; the index must answer as the plain scan over the
// members no worse on the first criterion does, for every objective, with
// and without reservations, while the group changes as the generator
// changes it (members erased, one inserted in order, update from the
// first moved). Criteria come from a few values, so that ties on the
// first criterion, near-ties within rounding and dominance all occur. Its
// quick test on the criteria alone (mayDominate) must be exact too, and
// never false where a member is no worse under EDP's slopes.
TEST(Mapper, FrontIndexAnswersAsThePlainScan) {
  using namespace ffm::detail;
  std::mt19937 rng(7);
  auto pick = [&](std::initializer_list<double> values) {
    std::uniform_int_distribution<size_t> d(0, values.size() - 1);
    return values.begin()[d(rng)];
  };
  auto random = [&](size_t levels) {
    Pmapping p;
    p.energy = pick({10, 20, 20 * (1 + 1e-12), 30, 40});
    p.latency = pick({5, 6, 7, 7 * (1 - 1e-12)});
    for (size_t l = 0; l < levels; ++l) {
      p.reservation.push_back(pick({0, 1, 2, 4}));
      p.persistent.push_back(pick({0, 1, 3}));
    }
    return p;
  };
  size_t found = 0, missed = 0, beaten = 0, slopedFound = 0;
  for (Dominance obj :
       {Dominance(Objective::Energy), Dominance(Objective::Latency),
        Dominance(Objective::EDP), Dominance(Objective::EDP, 5, 50)})
    for (bool withRes : {false, true})
      for (int round = 0; round < 40; ++round) {
        std::vector<Pmapping> group;
        FrontIndex index;
        auto primary = [&](const Pmapping &p) {
          return firstCriterion(obj.objective, p.energy, p.latency);
        };
        bool sloped = obj.slopeLo > 0;
        for (int step = 0; step < 60; ++step) {
          // The generator's emit: drop what the newcomer strictly
          // dominates, insert it after every member no worse on the first
          // criterion, update from the first member that moved.
          Pmapping p = random(3);
          size_t changed = group.size();
          for (size_t i = 0; i < group.size();)
            if (dominates(p, group[i], withRes, obj) &&
                !dominates(group[i], p, withRes, obj)) {
              changed = std::min(changed, i);
              group.erase(group.begin() + i);
            } else {
              ++i;
            }
          size_t at = 0;
          while (at < group.size() && primary(group[at]) <= primary(p))
            ++at;
          changed = std::min(changed, at);
          group.insert(group.begin() + at, p);
          index.update(group, changed, obj);
          for (int q = 0; q < 20; ++q) {
            Pmapping b = random(3);
            bool plain = false;
            for (const Pmapping &m : group)
              plain |= dominates(m, b, withRes, obj);
            long hint = std::uniform_int_distribution<long>(0, 80)(rng);
            long got = index.dominator(group, b, withRes, obj, hint);
            ASSERT_EQ(got >= 0, plain) << "objective " << (int)obj.objective
                                       << " withRes " << withRes;
            // An index never filled answers by the plain scan.
            ASSERT_EQ(FrontIndex().dominator(group, b, withRes, obj, hint) >= 0,
                      plain);
            if (got >= 0) {
              ASSERT_TRUE(dominates(group[got], b, withRes, obj));
            }
            ++(plain ? found : missed);
            slopedFound += sloped && plain;
            // The bound skips the reservations where no member is no
            // worse on the criteria: exactly where none is.
            bool criteria = llvm::any_of(group, [&](const Pmapping &m) {
              return noWorse(obj, m.energy, m.latency, b.energy, b.latency);
            });
            bool may = index.mayDominate(group, b.energy, b.latency, obj);
            if (sloped)
              ASSERT_TRUE(may || !criteria);
            else
              ASSERT_EQ(may, criteria) << "objective " << (int)obj.objective;
            ASSERT_TRUE(FrontIndex().mayDominate(group, b.energy, b.latency,
                                                 obj));
            beaten += !criteria;
          }
        }
      }
  // Both answers must be common, or the comparison shows little.
  EXPECT_GT(found, 5000u);
  EXPECT_GT(missed, 5000u);
  EXPECT_GT(beaten, 1000u);
  EXPECT_GT(slopedFound, 1000u);
}

} // namespace

// Several searches for one result share one time limit (ffm-fuse's form
// as written, its reruns, the folded form and the report's baseline): a
// search whose limit started long enough before it stops at once, naming
// the limit as given, where a search of its own limit finds the optimum.
// Einsums enumerate in parallel: when a time limit trips, every one under
// way stops, and the first in order may have just begun. The error names
// the one the time went to, unless one failed on its own.
TEST(Mapper, FailureNamesTheEinsumTheLimitStopped) {
  std::vector<detail::EinsumPmappings> pm(3);
  for (detail::EinsumPmappings &p : pm)
    (*p.groups)[{}] = {};
  EXPECT_EQ(detail::failedEinsum(pm), 3u);
  for (auto [p, seconds] : llvm::zip(pm, std::vector<double>{0.2, 0.01, 5})) {
    p.error = "search time limit of 1 s exceeded";
    p.stopped = true;
    p.seconds = seconds;
  }
  EXPECT_EQ(detail::failedEinsum(pm), 2u);
  pm[1].stopped = false; // its own failure, whatever the time
  EXPECT_EQ(detail::failedEinsum(pm), 1u);
  pm[1].error.clear();
  pm[1].groups->clear(); // no valid mapping
  EXPECT_EQ(detail::failedEinsum(pm), 1u);
}

TEST(Mapper, TimeLimitSharedAcrossSearches) {
  Workload w = threeMatmuls(16);
  Arch arch = chainArch(1 << 20);
  SearchOptions options;
  options.timeLimitSeconds = 30;
  ASSERT_TRUE(search(w, arch, options).ok());
  options.timeLimitFrom =
      std::chrono::steady_clock::now() - std::chrono::seconds(31);
  SearchResult late = search(w, arch, options);
  EXPECT_FALSE(late.ok());
  EXPECT_NE(late.error.find("search time limit of 30 s exceeded"),
            std::string::npos)
      << late.error;
}

// The orders of a block are enumerated once per set of stationary runs:
// whether a set was seen must not change where the list turns into a hash
// set (past a few entries), nor for the empty set (no tensor below).
TEST(Mapper, SeenRunsAnswersAsAPlainList) {
  std::mt19937 rng(7);
  for (size_t width : {0, 1, 3, 9}) {
    detail::SeenRuns seen;
    std::vector<std::vector<uint64_t>> plain;
    for (int i = 0; i < 400; ++i) {
      std::vector<uint64_t> runs(width);
      for (uint64_t &r : runs)
        r = rng() % 4;
      bool fresh = std::find(plain.begin(), plain.end(), runs) == plain.end();
      if (fresh)
        plain.push_back(runs);
      ASSERT_EQ(seen.insert(runs), fresh) << "width " << width << ", " << i;
    }
    // Enough distinct sets to pass the list (all but the narrowest).
    if (width >= 3) {
      EXPECT_GT(plain.size(), 32u);
    }
  }
}
