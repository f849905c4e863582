//===- ModelTest.cpp - the model against hand-computed examples -----------===//
//
// Accesses are in data; with 8-bit data a "1 pJ per bit" level costs 8 pJ
// per datum. Access indices: 0 = A, 1 = B, 2 = the output Z.
// Ranks of a matmul: 0 = m, 1 = n, 2 = k.
//
//===----------------------------------------------------------------------===//
#include "TestUtil.h"
#include "ffm/Model/Model.h"

#include <gtest/gtest.h>

using namespace ffm;
using namespace ffm::test;

namespace {

Arch twoLevel(double dramE, double glbR, double glbW, int64_t glbCap,
              std::vector<int64_t> fanout = {}) {
  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, dramE, dramE),
                 level("GLB", glbCap, glbR, glbW, std::nullopt, fanout)};
  arch.compute = {1.0, fanout.empty() ? 1 : fanout[0], 1.0};
  return arch;
}

// DESIGN.md's sanity anchor: two chained 64^3 matmuls, everything from DRAM,
// every energy 1 per bit (8 per datum), 1 per MAC.
//   per Einsum: inputs 2 x 64^3 reads, output 64^3 writes and 64^3 - 64^2
//   reads (the first update of each element reads nothing), 64^3 MACs:
//   8 x (2 x 262144 + 262144 + 258048) + 262144 = 8,617,984
//   both: 17,235,968; latency 64^3 cycles each = 524,288.
TEST(Model, SanityAnchorTwoChainedMatmuls) {
  WorkloadBuilder b;
  int first = b.matmul("mm0", 64, 64, 64);
  b.matmul("mm1", 64, 64, 64, b.w.einsums[first].output.tensor);
  Workload w = b.finish({b.w.einsums[1].output.tensor});
  Arch arch = twoLevel(8, 8, 8, int64_t(1) << 40);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 64), loop(1, 64),
             loop(2, 64)}};
  double energy = 0, latency = 0;
  for (int e = 0; e < 2; ++e) {
    Evaluation ev = evaluate(w, e, arch, m);
    ASSERT_TRUE(ev.ok()) << ev.error;
    EXPECT_DOUBLE_EQ(ev.energy, 8617984);
    EXPECT_DOUBLE_EQ(ev.accesses[2][0].reads, 262144 - 4096);
    energy += ev.energy;
    latency += ev.latency;
  }
  EXPECT_DOUBLE_EQ(energy, 17235968);
  EXPECT_DOUBLE_EQ(latency, 524288);
}

struct Small : ::testing::Test {
  Workload w;
  void SetUp() override {
    WorkloadBuilder b;
    int e = b.matmul("mm", 4, 4, 4);
    w = b.finish({b.w.einsums[e].output.tensor});
  }
};

// 4x4x4 matmul, DRAM 10 pJ/datum, GLB read 1 write 2, MAC 1.
// B is kept in GLB under the m loop; m does not index B, so the B tile
// (all 16 elements) is filled once: DRAM reads 16, GLB writes 16; the MACs
// read B from GLB 64 times. A comes from DRAM per MAC (64), Z is written
// 64 times and read 64 - 16 = 48 times.
//   energy = 10 x (16 + 64 + 48) + 10 x 64 + 2 x 16 + 1 x 64 + 64 MACs = 2080
TEST_F(Small, MatmulWithReuse) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), keep(1, 1),
             loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 16);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].writes, 16);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].reads, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[2][0].reads, 48);
  EXPECT_DOUBLE_EQ(ev.energy, 2080);
  EXPECT_DOUBLE_EQ(ev.reservation[1], 16);
}

// docs/arch.md, "Mapspace rules of a level": a class set as a fanout
// dimension's reuse rule (the reference's `reuse: weight`) spreads only
// ranks that leave every tensor of the set unindexed and shares only those
// tensors. Over `par m : 4` the weight B is multicast: 64 MAC reads of B
// cost 16 DRAM reads; n and k index B and may not be spread. A set no
// tensor of the Einsum matches restricts nothing and shares nothing: B is
// then read by each of the 4 instances, 64 DRAM reads (480 pJ more).
TEST_F(Small, ReuseByTensorClass) {
  Arch arch = twoLevel(10, 1, 2, 1024, {4});
  arch.levels[1].reuse = {"weight"};
  ASSERT_EQ(arch.validate(), "");
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), par(0, 4, 1), loop(1, 4),
             loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 16);
  Mapping overN{{keep(0, 0), keep(1, 0), keep(2, 0), par(1, 4, 1), loop(0, 4),
                 loop(2, 4)}};
  EXPECT_NE(evaluate(w, 0, arch, overN).error.find("shares no tensor"),
            std::string::npos);
  arch.levels[1].reuse = {"intermediate"};
  Evaluation alone = evaluate(w, 0, arch, m);
  ASSERT_TRUE(alone.ok()) << alone.error;
  EXPECT_DOUBLE_EQ(alone.accesses[1][0].reads, 64);
  EXPECT_DOUBLE_EQ(alone.energy, ev.energy + 480);
  EXPECT_TRUE(evaluate(w, 0, arch, overN).ok());
  arch.levels[1].reuse = {"weights and sums"};
  EXPECT_NE(arch.validate().find("nor a class set"), std::string::npos);
}

// docs/model.md, "Accounting": with `accounting: reference` a tile is
// refilled on every iteration of every loop above it. B kept in the GLB
// below `for m : 4` is refilled 4 times (64 DRAM reads, 64 GLB writes;
// 16 and 16 with DESIGN.md's stationarity). The output Z below `for m : 4,
// for k : 2` (tile: a row of 4, all = 8 loop iterations above it, fresh
// = 4, those of m alone): the compute drains 64 updates into the GLB and
// takes back 64 - 16 (its fresh starts: m x n) refills; the GLB refills
// itself 4 x (8 - 4) = 16 times and drains 4 x 8 = 32: GLB 80 writes and
// 80 reads, DRAM 32 writes and 32 - 16 = 16 reads.
TEST_F(Small, ReferenceAccounting) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  arch.accounting = "reference";
  Mapping inputs{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), keep(1, 1),
                  loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, inputs);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].writes, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].reads, 64);
  Mapping outputs{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), loop(2, 2),
                   keep(2, 1), loop(1, 4), loop(2, 2)}};
  ev = evaluate(w, 0, arch, outputs);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].writes, 80);
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].reads, 80);
  EXPECT_DOUBLE_EQ(ev.accesses[2][0].writes, 32);
  EXPECT_DOUBLE_EQ(ev.accesses[2][0].reads, 16);
  arch.accounting = "timeloop";
  EXPECT_EQ(arch.validate(),
            "accounting must be looptree or reference, got 'timeloop'");
}

// docs/model.md, "Datum widths": the GLB stores weights in 24 bits, three
// data of the arch's 8. In the mapping above B (the weight) moves 16
// writes and 64 reads at the GLB: 1 x 64 + 2 x 16 = 96 pJ at 8 bits,
// 3 x 96 = 288 at 24, so energy rises by 192 to 2272; its 16-element tile
// takes 48 bytes. DRAM still moves B in 8 bits. With a GLB bandwidth of 2
// data per cycle the 80 accesses take 3 x 80 / 2 = 120 cycles, above the
// 64 of compute. A tensor takes the widest rule it matches (B is an input
// and a weight).
TEST_F(Small, DatumWidthByClassAndLevel) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  arch.levels[1].datumBits = {{"input", 16}, {"weight", 24}};
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), keep(1, 1),
             loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].reads, 64); // still counted in data
  EXPECT_DOUBLE_EQ(ev.energy, 2272);
  EXPECT_DOUBLE_EQ(ev.reservation[1], 48);
  EXPECT_DOUBLE_EQ(arch.bytesAt(1, kInputClass), 2);
  EXPECT_DOUBLE_EQ(arch.bytesAt(0, kInputClass | kWeightClass), 1);
  arch.levels[1].bandwidth = 2;
  ev = evaluate(w, 0, arch, m);
  EXPECT_DOUBLE_EQ(ev.componentCycles[1], 120);
  EXPECT_DOUBLE_EQ(ev.latency, 120);
  arch.levels[1].capacity = 47;
  EXPECT_EQ(evaluate(w, 0, arch, m).error,
            "level 'GLB' needs 48 bytes per instance, its capacity is 47");
  arch.levels[1].capacity = 1024;
  arch.levels[1].datumBits = {{"output", 0}};
  EXPECT_EQ(arch.validate(), "level 'GLB': datum_bits of 'output' must be an "
                             "integer from 1 to 4096, got 0");
  arch.levels[1].datumBits = {{"partial sums", 24}};
  EXPECT_EQ(arch.validate(),
            "level 'GLB': datum_bits rule 'partial sums' is not classes "
            "(input, output, weight, intermediate, fused, all) joined by + "
            "and -");
}

// Separate read and write ports. The mapping above moves, at DRAM, 128
// reads (A 64, B 16, Z 48) and 64 writes (Z). A shared port of 4 takes
// 192 / 4 = 48 cycles, a read port of 2 takes 128 / 2 = 64, a write port
// of 0.5 takes 64 / 0.5 = 128: the level takes the longest, 128, above the
// 64 cycles of compute. Without the write port: max(48, 64) = 64.
TEST_F(Small, SeparateReadAndWriteBandwidth) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  arch.levels[0].bandwidth = 4;
  arch.levels[0].readBandwidth = 2;
  arch.levels[0].writeBandwidth = 0.5;
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), keep(1, 1),
             loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.componentCycles[0], 128);
  EXPECT_DOUBLE_EQ(ev.latency, 128);
  arch.levels[0].writeBandwidth.reset();
  ev = evaluate(w, 0, arch, m);
  EXPECT_DOUBLE_EQ(ev.componentCycles[0], 64);
  EXPECT_DOUBLE_EQ(ev.latency, 64);
  arch.levels[0].readBandwidth = -1;
  EXPECT_EQ(arch.validate(),
            "level 'DRAM': bandwidths must be positive");
}

// docs/model.md, "Sliding windows": out[p] += in[2p + r] w[r] with P = 4,
// R = 3 (a stride-2 convolution; one channel in and out). The input spans
// 2*3 + 2 + 1 = 9 elements. GLB keeps the input under `for p : 2`; below it
// p covers 2 and r 3, so a tile spans 2*(2-1) + (3-1) + 1 = 5 elements:
// [0, 5) then [4, 9). The overlap (element 4) is fetched twice: 10 DRAM
// reads and GLB writes, where a projection would move the 9 once; the 12
// MACs read the GLB 12 times.
TEST(Model, SlidingWindowHaloIsRefetched) {
  WorkloadBuilder b;
  int e = b.conv1d("conv", 4, 1, 3, 1, /*stride=*/2);
  Workload w = b.finish({b.w.einsums[e].output.tensor});
  Arch arch = twoLevel(10, 1, 2, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 2), keep(0, 1),
             loop(0, 2), loop(2, 3)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[0][0].reads, 10);
  EXPECT_DOUBLE_EQ(ev.accesses[0][1].writes, 10);
  EXPECT_DOUBLE_EQ(ev.accesses[0][1].reads, 12);
  EXPECT_DOUBLE_EQ(ev.reservation[1], 5);
  // Dilation 2 instead: in[2p + 2r] spans 2*1 + 2*2 + 1 = 7 per tile.
  WorkloadBuilder d;
  int f = d.conv1d("conv", 4, 1, 3, 1, /*stride=*/2, /*dilation=*/2);
  Workload wd = d.finish({d.w.einsums[f].output.tensor});
  ev = evaluate(wd, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.reservation[1], 7);
  EXPECT_DOUBLE_EQ(ev.accesses[0][0].reads, 14);
}

// Halo co-tiling (docs/model.md): a = conv(x) with P = 7, R = 3, then
// b = conv(a) with stride 2 (P = 3, R = 3: a's rows 2p + r, 7 of them).
// b's fused loop `for p : 3` reads rows [2i, 2i + 3) of a per iteration,
// so a runs `for p : 3 halo 3 step 2`: 9 rows computed for 7 (rows 2 and
// 4 twice), evaluated as a with P = 9. Hand-computed, DRAM 10 pJ per
// datum, GLB 1 read / 2 write, MAC 1: 27 MACs (not 21); x's GLB tile
// spans 5 rows, filled 3 times (15 DRAM reads, 15 GLB writes, 27 GLB
// reads); the 3-tap weight is filled once (3, 3, 27); a's 3-row tile
// takes 27 updates and 27 - 3 * 3 = 18 read-backs. Energy 180 + 36 + 54
// + 54 + 18 + 27 = 369 pJ; the GLB holds 5 + 3 + 3 = 11 bytes.
TEST(Model, HaloLoopChargesTheRecomputedHalo) {
  Workload w = strideTwoConvChain();
  const int a = 0;
  Arch arch = twoLevel(10, 1, 2, 1024);
  MapNode halo = loop(0, 3);
  halo.haloSpan = 3;
  halo.haloStep = 2;
  Mapping m{{keep(0, 0), keep(1, 0), halo, keep(0, 1), keep(1, 1),
             keep(2, 1), loop(0, 3), loop(2, 3)}};
  std::vector<bool> onChip{false, false, true};
  Evaluation ev = evaluate(w, a, arch, m, onChip);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.macs, 27);
  EXPECT_DOUBLE_EQ(ev.accesses[0][0].reads, 15);
  EXPECT_DOUBLE_EQ(ev.accesses[0][1].writes, 15);
  EXPECT_DOUBLE_EQ(ev.accesses[0][1].reads, 27);
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 3);
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].writes, 27);
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].reads, 18);
  EXPECT_DOUBLE_EQ(ev.reservation[1], 11);
  EXPECT_DOUBLE_EQ(ev.energy, 369);
  EXPECT_EQ(m.str(w, w.einsums[a], arch),
            "keep a.in in DRAM, keep a.w in DRAM, for p : 3 halo 3 step 2, "
            "keep a.in in GLB, keep a.w in GLB, keep a.out in GLB, for p : "
            "3, for r : 3");

  // What the model refuses: overlapping tiles written to DRAM, a halo
  // loop under another loop over its rank, tiles past the tensor's 7 rows.
  EXPECT_FALSE(evaluate(w, a, arch, m).ok());
  Mapping under = m;
  std::swap(under.nodes[2], under.nodes[6]);
  EXPECT_FALSE(evaluate(w, a, arch, under, onChip).ok());
  Mapping past = m;
  past.nodes[2].haloSpan = 3;
  past.nodes[2].haloStep = 3;
  EXPECT_FALSE(evaluate(w, a, arch, past, onChip).ok());
}

// Keep/bypass sets by tensor class (docs/arch.md): in X = A B, Y = X C the
// inputs A, B, C, X are inputs and B, C (not the first operands A, X)
// weights, X is mm0's output and mm1's input and an intermediate in both,
// Y only an output; fused marks an intermediate this mapping keeps on
// chip. In Z = X X (attention's Q K^T) the second X is a weight too.
TEST(Model, TensorClassesAndRules) {
  Workload w = matmulChain(4, 4, 4, 4);
  EXPECT_EQ(accessClasses(w, 0, 0, false), unsigned(kInputClass));
  EXPECT_EQ(accessClasses(w, 0, 1, false), kInputClass | kWeightClass);
  EXPECT_EQ(accessClasses(w, 0, 2, false), kOutputClass | kIntermediateClass);
  EXPECT_EQ(accessClasses(w, 0, 2, true),
            kOutputClass | kIntermediateClass | kFusedClass);
  EXPECT_EQ(accessClasses(w, 1, 0, false), kInputClass | kIntermediateClass);
  EXPECT_EQ(accessClasses(w, 1, 1, false), kInputClass | kWeightClass);
  EXPECT_EQ(accessClasses(w, 1, 2, false), kOutputClass);
  WorkloadBuilder b;
  int mm = b.matmul("mm", 4, 4, 4);
  int x = b.w.einsums[mm].output.tensor, z = b.tensor("z", {4, 4});
  b.einsum("sq", {{"m", 4}, {"n", 4}, {"k", 4}}, {{x, {0, 2}}, {x, {2, 1}}},
           {z, {0, 1}});
  Workload sq = b.finish({z});
  EXPECT_EQ(accessClasses(sq, 1, 0, false), kInputClass | kIntermediateClass);
  EXPECT_EQ(accessClasses(sq, 1, 1, false),
            kInputClass | kWeightClass | kIntermediateClass);

  std::optional<ClassSet> set = parseClassSet("all - weight");
  ASSERT_TRUE(set);
  EXPECT_TRUE(set->matches(kInputClass | kIntermediateClass));
  EXPECT_FALSE(set->matches(kInputClass | kWeightClass));
  set = parseClassSet(" inputs + output - fused - weights ");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->include, unsigned(kInputClass | kOutputClass));
  EXPECT_EQ(set->exclude, unsigned(kFusedClass | kWeightClass));
  EXPECT_FALSE(parseClassSet("all -"));
  EXPECT_FALSE(parseClassSet("activations"));

  // A bypass set wins over a keep set that also holds the tensor.
  Level glb = level("GLB", 64, 1, 1);
  glb.keep = {"input"};
  glb.bypass = {"weight"};
  EXPECT_EQ(glb.keepRule(kInputClass | kWeightClass), -1);
  EXPECT_EQ(glb.keepRule(kInputClass | kIntermediateClass), 1);
  EXPECT_EQ(glb.keepRule(kOutputClass), 0);
}

// min_usage: a level's spatial loops must use that much of its fanout. A
// 4-wide GLB row with min_usage 0.5 accepts `par m : 2` and rejects a
// mapping with no spatial loop.
TEST_F(Small, MinUsageOfTheFanout) {
  Arch arch = twoLevel(10, 1, 2, 1024, {4});
  arch.levels[1].minUsage = 0.5;
  Mapping idle{{keep(0, 0), keep(1, 0), keep(2, 0), keep(1, 1), loop(0, 4),
                loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, idle);
  EXPECT_EQ(ev.error, "level 'GLB': the mapping uses 1 of its 4 instances, "
                      "below its min_usage 0.5");
  Mapping half{{keep(0, 0), keep(1, 0), keep(2, 0), keep(1, 1), loop(0, 2),
                par(0, 2, 1), loop(1, 4), loop(2, 4)}};
  EXPECT_TRUE(evaluate(w, 0, arch, half).ok())
      << evaluate(w, 0, arch, half).error;
  arch.levels[1].minUsage = 1.5;
  EXPECT_EQ(arch.validate(),
            "level 'GLB': min_usage must be between 0 and 1, got 1.5");
}

// docs/model.md, "Leakage": every instance of the machine leaks for the
// Einsum's whole latency. `for m : 4, keep B in GLB, for n : 4, for k : 4`
// runs 64 cycles (one MAC unit, no bandwidth limits); DRAM leaks 1, the
// GLB 2 and the MAC unit 0.5 pJ per cycle: 3.5 x 64 = 224 pJ on top, the
// latency unchanged. With the GLB's fanout of 4 (and 4 MAC units) below
// it the MAC units leak 4 x 0.5: 5 x latency.
TEST_F(Small, LeakageIsPerInstancePerCycle) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), keep(1, 1),
             loop(1, 4), loop(2, 4)}};
  Evaluation quiet = evaluate(w, 0, arch, m);
  arch.levels[0].leakage = 1;
  arch.levels[1].leakage = 2;
  arch.compute.leakage = 0.5;
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.latency, 64);
  EXPECT_DOUBLE_EQ(ev.leakageEnergy, 224);
  EXPECT_DOUBLE_EQ(ev.energy, quiet.energy + 224);
  arch.levels[1].fanout = {4};
  arch.compute.instances = 4;
  EXPECT_DOUBLE_EQ(arch.leakagePerCycle(), 1 + 2 + 4 * 0.5);
  arch.levels[1].leakage = -1;
  EXPECT_EQ(arch.validate(), "level 'GLB': leakage must be non-negative");
}

// Same, but the n loop sits between m and B's storage: n indexes B, so the
// B tile (one column, 4 elements) is refilled for every (m, n): 16 fills of
// 4 = 64 DRAM reads and GLB writes instead of 16.
TEST_F(Small, MatmulWithoutReuse) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), loop(1, 4),
             keep(1, 1), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].writes, 64);
  EXPECT_DOUBLE_EQ(ev.reservation[1], 4);
  // Swapping m and n makes m trailing again: the column stays for all m.
  Mapping swapped{{keep(0, 0), keep(1, 0), keep(2, 0), loop(1, 4), loop(0, 4),
                   keep(1, 1), loop(2, 4)}};
  Evaluation ev2 = evaluate(w, 0, arch, swapped);
  EXPECT_DOUBLE_EQ(ev2.accesses[1][0].reads, 16);
}

// Three levels; B bypasses GLB and goes straight from DRAM to the register
// file. The RF tile of B is a k-column (4 elements) refilled for each of the
// 16 (m, n) iterations: 64 DRAM reads, 64 RF writes, 64 RF reads by the
// MACs; GLB sees no B traffic at all.
TEST_F(Small, BypassedLevel) {
  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, 10, 10), level("GLB", 1024, 2, 2),
                 level("RF", 64, 1, 1)};
  arch.compute = {0, 1, 1};
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), loop(1, 4),
             keep(1, 2), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[1][0].reads, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].reads + ev.accesses[1][1].writes, 0);
  EXPECT_DOUBLE_EQ(ev.accesses[1][2].writes, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[1][2].reads, 64);
}

// GLB feeds 4 MACs; n is spread over them. A[m,k] is not indexed by n, so
// one GLB read of A serves all 4 MACs (multicast): 64 / 4 = 16 reads. B and
// Z are indexed by n: 64 reads of B, 64 updates of Z. Compute takes
// 64 MACs / 4 units = 16 cycles.
TEST_F(Small, SpatialFanoutMulticasts) {
  Arch arch = twoLevel(10, 1, 1, 1024, {4});
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), keep(0, 1), keep(1, 1),
             keep(2, 1), par(1, 4, 1), loop(0, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[0][1].reads, 16);
  EXPECT_DOUBLE_EQ(ev.accesses[1][1].reads, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].writes, 64);
  EXPECT_DOUBLE_EQ(ev.latency, 16);
}

// The same mapping on a fanout dimension that shares nothing (reuse
// "none"): each MAC reads its own copy of A, 64 GLB reads instead of 16.
// On one that shares outputs only, A is not multicast either; n indexes
// the output, so such a dimension may not spread n at all (and k, which
// the output does not index, is the rank it takes).
TEST_F(Small, FanoutReuseRules) {
  Arch arch = twoLevel(10, 1, 1, 1024, {4});
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), keep(0, 1), keep(1, 1),
             keep(2, 1), par(1, 4, 1), loop(0, 4), loop(2, 4)}};
  arch.levels[1].reuse = {"none"};
  Evaluation none = evaluate(w, 0, arch, m);
  ASSERT_TRUE(none.ok()) << none.error;
  EXPECT_DOUBLE_EQ(none.accesses[0][1].reads, 64);
  arch.levels[1].reuse = {"outputs"};
  EXPECT_NE(evaluate(w, 0, arch, m).error.find("shares no tensor"),
            std::string::npos);
  // k spread over 4 MACs: the 4 partial sums of each Z element are reduced
  // on the way up, so GLB takes 64 / 4 = 16 updates, unless nothing is
  // shared: then all 64.
  Mapping k{{keep(0, 0), keep(1, 0), keep(2, 0), keep(0, 1), keep(1, 1),
             keep(2, 1), par(2, 4, 1), loop(0, 4), loop(1, 4)}};
  Evaluation reduced = evaluate(w, 0, arch, k);
  ASSERT_TRUE(reduced.ok()) << reduced.error;
  EXPECT_DOUBLE_EQ(reduced.accesses[2][1].writes, 16);
  arch.levels[1].reuse = {"none"};
  EXPECT_DOUBLE_EQ(evaluate(w, 0, arch, k).accesses[2][1].writes, 64);
}

// Z is kept in GLB under (k:2, m:4); k is a reduction loop that is not
// innermost above Z, so each Z tile (a row of 4) is visited 8 times:
// 32 residencies. GLB: 64 updates from the MACs, 64 - 32 reads. DRAM: 32
// write-backs of partial sums, of which 32 - 16 need the old value read.
TEST_F(Small, ReductionWithPartialSums) {
  Arch arch = twoLevel(10, 1, 1, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(2, 2), loop(0, 4),
             keep(2, 1), loop(1, 4), loop(2, 2)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].writes, 64);
  EXPECT_DOUBLE_EQ(ev.accesses[2][1].reads, 32);
  EXPECT_DOUBLE_EQ(ev.accesses[2][0].writes, 32);
  EXPECT_DOUBLE_EQ(ev.accesses[2][0].reads, 16);
}

// A fused chain: mm0 writes X into GLB under the m loop and mm1 reads it
// there. X never touches DRAM: zero DRAM accesses for X on both sides.
TEST(Model, FusedChainKeepsIntermediateOnChip) {
  WorkloadBuilder b;
  int e0 = b.matmul("mm0", 4, 4, 4);
  int x = b.w.einsums[e0].output.tensor;
  int e1 = b.matmul("mm1", 4, 4, 4, x);
  Workload w = b.finish({b.w.einsums[e1].output.tensor});
  Arch arch = twoLevel(10, 1, 1, 1024);
  // Producer: X (access 2) lives only in GLB, below the shared m loop.
  Mapping prod{{keep(0, 0), keep(1, 0), loop(0, 4), keep(2, 1), keep(1, 1),
                loop(1, 4), loop(2, 4)}};
  Evaluation ep = evaluate(w, 0, arch, prod, {false, false, true});
  ASSERT_TRUE(ep.ok()) << ep.error;
  EXPECT_DOUBLE_EQ(ep.accesses[2][0].reads + ep.accesses[2][0].writes, 0);
  EXPECT_DOUBLE_EQ(ep.accesses[2][1].writes, 64);
  // Consumer: X (access 0) read from GLB under the same m loop.
  Mapping cons{{keep(1, 0), keep(2, 0), loop(0, 4), keep(0, 1), keep(1, 1),
                loop(1, 4), loop(2, 4)}};
  Evaluation ec = evaluate(w, 1, arch, cons, {true, false, false});
  ASSERT_TRUE(ec.ok()) << ec.error;
  EXPECT_DOUBLE_EQ(ec.accesses[0][0].reads + ec.accesses[0][0].writes, 0);
  EXPECT_DOUBLE_EQ(ec.accesses[0][1].reads, 64);
  EXPECT_DOUBLE_EQ(ec.accesses[0][1].writes, 0);
  // The B tile of the consumer sits above no fused loop that it shares...
  // but X's storage is at depth 1 and B's too: nothing persists.
  EXPECT_DOUBLE_EQ(ec.persistent[1], 0);
  // Keeping a fused intermediate in DRAM is rejected.
  Mapping bad{{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 4), loop(1, 4),
               loop(2, 4)}};
  EXPECT_FALSE(evaluate(w, 1, arch, bad, {true, false, false}).ok());
}

TEST_F(Small, CapacityViolationIsReported) {
  Arch arch = twoLevel(10, 1, 1, 8);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), keep(1, 1), loop(0, 4),
             loop(1, 4), loop(2, 4)}};
  Evaluation ev = evaluate(w, 0, arch, m);
  EXPECT_EQ(ev.error,
            "level 'GLB' needs 16 bytes per instance, its capacity is 8");
}

TEST_F(Small, StructuralErrors) {
  Arch arch = twoLevel(10, 1, 1, 1024, {2});
  auto err = [&](Mapping m) { return evaluate(w, 0, arch, m).error; };
  EXPECT_EQ(err({{keep(0, 0), keep(1, 0), keep(2, 0), loop(0, 2), loop(1, 4),
                  loop(2, 4)}}),
            "loops over 'm' multiply to 2, not its bound 4");
  EXPECT_EQ(err({{keep(0, 0), keep(1, 0), loop(0, 4), loop(1, 4),
                  loop(2, 4)}}),
            "tensor 2 of the Einsum is never stored: every tensor must reach "
            "compute");
  EXPECT_EQ(err({{keep(0, 0), keep(1, 0), keep(2, 0), par(0, 4, 1),
                  loop(1, 4), loop(2, 4)}}),
            "spatial loop over 'm' (4) exceeds the fanout 2 of level 'GLB'");
  EXPECT_EQ(err({{keep(0, 0), keep(1, 0), keep(2, 0), par(0, 2, 1),
                  keep(2, 1), loop(0, 2), loop(1, 4), loop(2, 4)}}),
            "spatial loop over the fanout of 'GLB' sits above storage in "
            "level 'GLB'");
  EXPECT_EQ(err({{keep(0, 0), keep(1, 0), keep(2, 1), loop(0, 4), loop(1, 4),
                  loop(2, 4)}}),
            "tensor 2 of the Einsum must be kept in 'DRAM'");
}

} // namespace

// Several compute units (docs/arch.md, "Compute units"). DRAM (10 pJ)
// above a GLB (1 pJ read, 2 pJ write) with a fanout of 4 to MACs (1 pJ per
// MAC, 1 per cycle, contractions only) and beside it a vector unit (0.25 pJ
// per op, 8 per cycle, everything but contractions). Y[i] = exp(X[i]),
// i = 64, on the vector unit, both tensors through the GLB: DRAM reads
// 64 and writes 64 (1280 pJ); GLB 64 writes of X and 64 reads of it, 64
// writes of Y and no reads (each update of Y is its first): 64 x (2 + 1) +
// 64 x 2 = 320 pJ; ops 64 x 0.25 = 16 pJ. The vector unit takes 64 / 8 = 8
// cycles.
TEST(Model, ComputeUnitsByKind) {
  WorkloadBuilder b;
  int x = b.tensor("X", {64}), y = b.tensor("Y", {64});
  b.einsum("exp", {{"i", 64}}, {{x, {0}}}, {y, {0}});
  Workload w = b.finish({y});
  Workload mm = matmulChain(4, 4, 4, 4);
  EXPECT_EQ(einsumKinds(w.einsums[0]), unsigned(kElementwiseKind | kUnaryKind));
  EXPECT_EQ(einsumKinds(mm.einsums[0]), unsigned(kContractionKind));

  Arch arch;
  arch.levels = {level("DRAM", std::nullopt, 10, 10),
                 level("GLB", 1024, 1, 2, std::nullopt, {4})};
  arch.compute = {1.0, 4, 1.0};
  arch.compute.runs = "contraction";
  Compute vec;
  vec.name = "Vec";
  vec.level = "GLB";
  vec.runs = "all - contraction";
  vec.macEnergy = 0.25;
  vec.throughput = 8;
  arch.units = {vec};
  ASSERT_EQ(arch.validate(), "");
  EXPECT_EQ(arch.unitInstances(0), 4);
  EXPECT_EQ(arch.unitInstances(1), 1);
  EXPECT_EQ(unitsFor(arch, w.einsums[0]), std::vector<int>{1});
  EXPECT_EQ(unitsFor(arch, mm.einsums[0]), std::vector<int>{0});

  Mapping m{{keep(0, 0), keep(1, 0), keep(0, 1), keep(1, 1), loop(0, 64)}};
  m.unit = 1;
  Evaluation ev = evaluate(w, 0, arch, m);
  ASSERT_TRUE(ev.ok()) << ev.error;
  EXPECT_DOUBLE_EQ(ev.energy, 1280 + 320 + 16);
  EXPECT_DOUBLE_EQ(ev.latency, 8);

  // The MACs do not run it; the vector unit has no GLB fanout below it.
  m.unit = 0;
  EXPECT_EQ(evaluate(w, 0, arch, m).error,
            "compute unit 'MAC' does not run this Einsum (it runs "
            "contraction)");
  Mapping spread{{keep(0, 0), keep(1, 0), keep(0, 1), keep(1, 1),
                  par(0, 4, 1, 0), loop(0, 16)}};
  spread.unit = 1;
  EXPECT_EQ(evaluate(w, 0, arch, spread).error,
            "spatial loop 4 uses the fanout of level 'GLB', which does not "
            "lead to compute unit 'Vec'");

  // Specs that cannot work.
  Arch bad = arch;
  bad.units[0].level = "";
  EXPECT_EQ(bad.validate(), "compute unit 'Vec': name the level it sits below");
  bad = arch;
  bad.units[0].level = "L9";
  EXPECT_EQ(bad.validate(), "compute unit 'Vec' sits below level 'L9', which "
                            "the architecture does not have");
  bad = arch;
  bad.units[0].runs = "unary - unary";
  EXPECT_EQ(bad.validate(), "compute unit 'Vec': runs 'unary - unary' "
                            "matches no Einsum");
  bad = arch;
  bad.units[0].instances = 4;
  EXPECT_EQ(bad.validate(), "compute unit 'Vec' has 4 instances, but the "
                            "levels above it give 1");
  bad = arch;
  bad.units[0].name = "MAC";
  EXPECT_EQ(bad.validate(), "duplicate compute unit name 'MAC'");
}

// output_rmw: every_update (the reference's accounting, docs/model.md). Z
// refilled in the GLB: `for k:2, for m:2, keep Z in GLB, for m:2, for n:4,
// for k:2`: 4 residencies of a 2x4 tile (32 data), 64 updates. DRAM, the
// outermost node, as by default: 32 writes, 32 - 16 = 16 reads (the
// partial sums sent back). The GLB by default: 64 writes, 64 - 32 = 32
// reads; every_update: 64 updates + 16 refills = 80 writes and 80 reads
// (every update reads, and the drains count): 48 x 1 + 16 x 2 = 80 pJ more.
TEST_F(Small, OutputReadModifyWriteEveryUpdate) {
  Arch arch = twoLevel(10, 1, 2, 1024);
  Mapping m{{keep(0, 0), keep(1, 0), keep(2, 0), loop(2, 2), loop(0, 2),
             keep(2, 1), loop(0, 2), loop(1, 4), loop(2, 2)}};
  Evaluation first = evaluate(w, 0, arch, m);
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_DOUBLE_EQ(first.accesses[2][0].writes, 32);
  EXPECT_DOUBLE_EQ(first.accesses[2][0].reads, 16);
  EXPECT_DOUBLE_EQ(first.accesses[2][1].writes, 64);
  EXPECT_DOUBLE_EQ(first.accesses[2][1].reads, 32);
  arch.outputRmw = "every_update";
  Evaluation every = evaluate(w, 0, arch, m);
  ASSERT_TRUE(every.ok()) << every.error;
  EXPECT_DOUBLE_EQ(every.accesses[2][0].writes, 32);
  EXPECT_DOUBLE_EQ(every.accesses[2][0].reads, 16);
  EXPECT_DOUBLE_EQ(every.accesses[2][1].writes, 80);
  EXPECT_DOUBLE_EQ(every.accesses[2][1].reads, 80);
  EXPECT_DOUBLE_EQ(every.energy, first.energy + 80);
  arch.outputRmw = "always";
  EXPECT_EQ(arch.validate(),
            "output_rmw must be skip_first or every_update, got 'always'");
}
