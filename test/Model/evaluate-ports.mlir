// Separate read and write bandwidths from YAML: at DRAM this mapping moves
// 128 reads and 64 writes; the shared port (4) takes 48 cycles, the read
// port (2) 64, the write port (0.5) 128. The level takes the longest, and
// the Einsum's latency is that, above its 64 cycles of compute.
// RUN: ffm-opt --ffm-evaluate="arch-file=%S/Inputs/ports.yaml" %s -o /dev/null | FileCheck %s
// CHECK: total @ports: energy 2080 pJ, latency 128 cycles
// With leakage (DRAM 1, GLB 2, the MAC unit 0.5 pJ per cycle), the same
// mapping costs 3.5 x 128 = 448 pJ more, in the same time.
// RUN: ffm-opt --ffm-evaluate="arch-file=%S/Inputs/leaky.yaml" %s -o /dev/null | FileCheck %s --check-prefix=LEAK
// LEAK: total @ports: energy 2528 pJ, latency 128 cycles
func.func @ports(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep matmul_0.out in DRAM, for m : 4, keep arg1 in GLB, for n : 4, for k : 4]>}
      ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
