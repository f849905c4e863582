// The architecture can come from the module (or the function) attribute;
// the report's statistics count what the search did (MLIR pass statistics
// carry the same counts where LLVM is built with statistics enabled); the
// textual pipeline works.
// RUN: ffm-opt --ffm-fuse="objective=edp report=%t.json" %s | FileCheck %s
// RUN: FileCheck %s --check-prefix=STATS < %t.json
// RUN: ffm-opt --pass-pipeline="builtin.module(func.func(ffm-fuse{objective=latency search=exhaustive}))" %s | FileCheck %s --check-prefix=PIPE
// RUN: ffm-opt --pass-pipeline="builtin.module(func.func(ffm-fuse{objective=latency}))" %s | FileCheck %s --check-prefix=PIPE

// CHECK: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM
// STATS: "objective": "edp",
// STATS: "stats": {
// STATS-DAG: "candidates": {{[1-9][0-9]*}}
// STATS-DAG: "pmappings": {{[1-9][0-9]*}}
// STATS-DAG: "kept": {{[1-9][0-9]*}}
// STATS-DAG: "max_frontier": {{[1-9][0-9]*}}
// The exhaustive reference and FFM find the same minimal latency: 64 MACs
// on one MAC unit, operands resident in the 256-byte GLB.
// PIPE: func.func @mm({{.*}}ffm.latency_cycles = 6.400000e+01 : f64}
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GLB", capacity = 256, read_energy = 2.0, write_energy = 2.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
  func.func @mm(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
