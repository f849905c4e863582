// Stock mlir-opt loads our dialect and passes from the plugin.
// UNSUPPORTED: asan
// RUN: mlir-opt --load-dialect-plugin=%ffm_lib/FFMPlugin%shlibext --load-pass-plugin=%ffm_lib/FFMPlugin%shlibext %s | FileCheck %s
// RUN: mlir-opt --load-dialect-plugin=%ffm_lib/FFMPlugin%shlibext --load-pass-plugin=%ffm_lib/FFMPlugin%shlibext --pass-pipeline="builtin.module(func.func(ffm-einsum-graph))" %s | FileCheck %s --check-prefix=GRAPH

// CHECK: ffm.arch = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 56.24, write_energy = 56.24>, #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.5, write_energy = 2.0>], compute = <mac_energy = 0.084, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 56.24, write_energy = 56.24>, #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.5, write_energy = 2.0>], compute = #ffm.compute<mac_energy = 0.084, instances = 1, throughput = 1.0>>} {
  // GRAPH: einsum matmul_0 (linalg.matmul) ranks {m:4, n:4, k:4+}: matmul_0.out[m, n] += arg0[m, k] arg1[k, n]
  func.func @mm(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
