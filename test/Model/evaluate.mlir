// RUN: ffm-opt --ffm-evaluate -split-input-file %s | FileCheck %s

// The DESIGN.md sanity anchor: a 64^3 matmul entirely from DRAM at 1 pJ per
// bit (8 per datum) and 1 pJ per MAC costs 8,617,984 pJ and 262,144 cycles.
// CHECK: einsum matmul_0: energy 8617984 pJ, latency 262144 cycles, macs 262144
// CHECK-NEXT: DRAM arg0: reads 262144 writes 0
// CHECK-NEXT: DRAM arg1: reads 262144 writes 0
// CHECK-NEXT: DRAM matmul_0.out: reads 258048 writes 262144
// CHECK: total @anchor: energy 8617984 pJ, latency 262144 cycles
// CHECK: linalg.matmul {ffm.energy_pj = {{.*}} : f64, ffm.latency_cycles = 2.621440e+05 : f64
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1099511627776, read_energy = 8.0, write_energy = 8.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
  func.func @anchor(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
    %e = tensor.empty() : tensor<64x64xf32>
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep matmul_0.out in DRAM, for m : 64, for n : 64, for k : 64]>}
        ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
    return %0 : tensor<64x64xf32>
  }
}

// -----

// A fused chain evaluated from given mappings: the intermediate stays in GLB
// under the shared m loop and never touches DRAM.
// CHECK: einsum matmul_0: energy 1200 pJ
// CHECK-NOT: DRAM matmul_0.out
// CHECK: GLB matmul_0.out: reads 48 writes 64
// CHECK: einsum matmul_1: energy
// CHECK-NOT: DRAM matmul_0.out
// CHECK: GLB matmul_0.out: reads 64 writes 0
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
  func.func @fused(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %d: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %e = tensor.empty() : tensor<4x4xf32>
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for m : 4, keep matmul_0.out in GLB, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    %1 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep matmul_1.out in DRAM, for m : 4, keep matmul_0.out in GLB, for n : 4, for k : 4]>}
        ins(%0, %d : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %1 : tensor<4x4xf32>
  }
}
