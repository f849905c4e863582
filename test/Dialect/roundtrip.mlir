// RUN: ffm-opt %s | ffm-opt | FileCheck %s
// RUN: ffm-opt %ffm_src/examples/arch/tpu_v4i_like.mlir | ffm-opt | FileCheck %s --check-prefix=TPU
// RUN: ffm-opt %ffm_src/examples/arch/eyeriss_like.mlir | ffm-opt | FileCheck %s --check-prefix=EYERISS
// RUN: ffm-opt %ffm_src/examples/arch/tpu_v4i.mlir | ffm-opt | FileCheck %s --check-prefix=TPU4I
// RUN: ffm-opt %ffm_src/examples/arch/simba.mlir | ffm-opt | FileCheck %s --check-prefix=SIMBA
// SIMBA: #ffm.level<name = "AccumulationBuffer", {{.*}} reuse = ["outputs", "input - weight"], keep = ["output"], bypass = ["input"], datum_bits = {output = 24 : i64}>
// SIMBA-SAME: output_rmw = "every_update">

// CHECK: ffm.arch = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 7.5, write_energy = 8.0, bandwidth = 64.0>, #ffm.level<name = "GLB", capacity = 65536, read_energy = 1.25, write_energy = 2.0, read_bandwidth = 2048.0, write_bandwidth = 1024.0, leakage = 0.5, fanout = [4, 2], min_usage = 0.25, spatial_ranks = ["m", "n"]>], compute = <mac_energy = 0.084, instances = 8, throughput = 2.0, leakage = 0.25>, units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 16.0>], datum_bits = 16>
// CHECK-SAME: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, for m : 4, par n : 2 in GLB, keep matmul_0.out in GLB, keep "odd name" in GLB]>
// CHECK-SAME: ffm.mapping2 = #ffm.mapping<[par m : 4 in GLB[1], par n : 2 in GLB[0]]>
// CHECK-SAME: ffm.mapping3 = #ffm.mapping<[keep arg0 in GLB, for m : 4] on Vec>
// CHECK-SAME: ffm.mapping4 = #ffm.mapping<[for p : 7 halo 3 step 2, keep x in GLB]>
// CHECK-SAME: ffm.space = #ffm.level_space<"GLB">
module attributes {
  ffm.arch = #ffm.arch<levels = [
      #ffm.level<name = "DRAM", read_energy = 7.5, write_energy = 8, bandwidth = 64>,
      #ffm.level<name = "GLB", capacity = 65536, read_energy = 1.25, write_energy = 0x4000000000000000,
                 read_bandwidth = 2048, write_bandwidth = 1024, leakage = 0.5,
                 fanout = [4, 2], min_usage = 0.25, spatial_ranks = ["m", "n"]>],
    compute = #ffm.compute<mac_energy = 0.084, instances = 8, throughput = 2.0, leakage = 0.25>,
    units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 16.0>],
    datum_bits = 16>,
  ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, for m : 4, par n : 2 in GLB,
                              keep matmul_0.out in GLB, keep "odd name" in GLB]>,
  ffm.mapping2 = #ffm.mapping<[par m : 4 in GLB[1], par n : 2 in GLB[0]]>,
  ffm.mapping3 = #ffm.mapping<[keep arg0 in GLB, for m : 4] on Vec>,
  ffm.mapping4 = #ffm.mapping<[for p : 7 halo 3 step 2, keep x in GLB]>,
  ffm.space = #ffm.level_space<"GLB">
} {}

// TPU: #ffm.level<name = "DRAM", read_energy = 56.24, write_energy = 56.24, bandwidth = 584.76>
// TPU-SAME: #ffm.level<name = "GlobalBuffer", capacity = 134217728, read_energy = 15.04, write_energy = 18.88, bandwidth = 1950.48, fanout = [4], reuse = ["none"]>
// TPU-SAME: #ffm.level<name = "LocalBuffer", capacity = 4194304, read_energy = 1.992, write_energy = 2.344, fanout = [128, 128], reuse = ["inputs", "outputs"], keep = ["inputs", "outputs"]>
// TPU-SAME: compute = <mac_energy = 0.084, instances = 65536, throughput = 1.0>
// EYERISS: capacity = 110592
// EYERISS-SAME: name = "Scratchpad", capacity = 512
// EYERISS-SAME: datum_bits = 16

// Names longer than std::string's inline buffer: attribute storage never
// runs destructors, so these must not be owned strings (LeakSanitizer in
// scripts/sanitize.sh reports them otherwise; the fuzzer found it).
// RUN: ffm-opt %s --split-input-file | FileCheck %s --check-prefix=LONG
// LONG: spatial_ranks = ["a_rank_with_a_rather_long_name"]
// LONG: #ffm.mapping<[keep a_tensor_with_a_rather_long_name in DRAM_with_a_long_name]>
module attributes {
  ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM_with_a_long_name", read_energy = 1.0, write_energy = 1.0>,
    #ffm.level<name = "GLB", capacity = 64, read_energy = 1.0, write_energy = 1.0,
               fanout = [2], spatial_ranks = ["a_rank_with_a_rather_long_name"]>],
    compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>,
  ffm.mapping = #ffm.mapping<[keep a_tensor_with_a_rather_long_name in DRAM_with_a_long_name]>
} {}

// -----
// Mapspace rules of a level: what each fanout dimension shares, and the
// tensor roles the level must / must not hold.

// RUN: ffm-opt %s --split-input-file | ffm-opt | FileCheck %s --check-prefix=RULES
// RULES: #ffm.level<name = "PE", capacity = 64, read_energy = 1.0, write_energy = 1.0, fanout = [8, 8], reuse = ["inputs", "none"], keep = ["outputs"], bypass = ["inputs"], datum_bits = {"all - weight" = 16 : i64, output = 24 : i64}>
module attributes {ffm.a = #ffm.level<name = "PE", capacity = 64, read_energy = 1.0, write_energy = 1.0,
                                  fanout = [8, 8], reuse = ["inputs", "none"],
                                  keep = ["outputs"], bypass = ["inputs"],
                                  datum_bits = {output = 24, "all - weight" = 16}>} {}
// TPU4I: #ffm.level<name = "Register", capacity = 1, read_energy = 0.0, write_energy = 0.0, keep = ["weight"], bypass = ["all - weight"]>
// TPU4I-SAME: compute = <name = "MAC", runs = "all - unary", mac_energy = 0.084, throughput = 1.0>
// TPU4I-SAME: units = [#ffm.compute<name = "ScalarUnit", level = "LocalBuffer", runs = "unary", mac_energy = 0.0, throughput = 128.0>], output_rmw = "every_update">
