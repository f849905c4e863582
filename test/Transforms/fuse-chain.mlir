// Two chained matmuls whose intermediate fits on chip beside its operands
// are one LoopTree: the two fused loops (m : 2, n : 4 of matmul_0; k of
// matmul_1) exist once; inside them the intermediate's 32x16 tile is one
// buffer in the global buffer that matmul_0 writes and matmul_1 reads, and
// the 64x64 intermediate never exists in the default space.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @chain
// CHECK-SAME: ffm.energy_pj
// CHECK-NOT: memref<64x64xf32
// CHECK: scf.for %[[M:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT: scf.for %[[N:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT: %[[T:.*]] = memref.alloc() : memref<32x16xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NOT: scf.for %{{.*}} = %c0 to %c2
// CHECK: linalg.matmul {ffm.einsum = "matmul_0"
// CHECK-SAME: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for m : 2, for n : 4
// CHECK-NOT: scf.for %{{.*}} = %c0 to %c2
// CHECK: memref.subview %[[T]]
// CHECK: linalg.matmul {ffm.einsum = "matmul_1"
// CHECK-SAME: keep matmul_0.out in GlobalBuffer
// CHECK-NOT: keep matmul_0.out in DRAM
// CHECK-NOT: linalg.matmul
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
