// A 64-byte global buffer cannot hold a tile of the intermediate beside the
// operand tiles: the matmuls stay two loop nests and the intermediate goes
// through DRAM.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tiny.yaml verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @chain
// CHECK: %[[T:.*]] = memref.alloc() : memref<64x64xf32>
// CHECK: scf.for
// CHECK: linalg.matmul {ffm.einsum = "matmul_0"
// CHECK-SAME: keep matmul_0.out in DRAM
// CHECK: %[[SLOT:.*]] = memref.subview %[[T]]
// CHECK-NEXT: memref.copy %{{.*}}, %[[SLOT]] :
// CHECK: memref.alloc() : memref<64x16xf32>
// CHECK: scf.for
// CHECK: memref.subview %[[T]]
// CHECK: linalg.matmul {ffm.einsum = "matmul_1"
// CHECK-SAME: keep matmul_0.out in DRAM
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
