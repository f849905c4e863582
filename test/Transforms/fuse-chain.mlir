// Two chained matmuls whose intermediate fits on chip beside its operands:
// one loop nest, the intermediate tile copied into the global buffer, and no
// separate producer left behind.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %s | FileCheck %s

// CHECK-LABEL: func.func @chain
// CHECK-SAME: ffm.energy_pj
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: linalg.matmul {ffm.einsum = "matmul_0"
// CHECK-SAME: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for m : 2
// CHECK: bufferization.alloc_tensor() copy({{.*}}) {memory_space = #ffm.level_space<"GlobalBuffer">}
// CHECK: linalg.matmul {ffm.einsum = "matmul_1"
// CHECK-SAME: keep matmul_0.out in GlobalBuffer
// CHECK-NOT: keep matmul_0.out in DRAM
// CHECK: return
func.func @chain(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64x64xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64x16xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %1 = linalg.matmul ins(%0, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %1 : tensor<64x16xf32>
}
