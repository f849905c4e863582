// An init that is data (C += A * B with C a function argument) is, in the
// workload, an input of the Einsum with its own keep nodes. The leaf reads
// its tile like any input: a linalg.generic that also takes the init's
// tile and, at the first step of the reduction (global k == 0), accumulates
// onto it instead of onto the output. The output's DRAM buffer is not a
// copy of C, and no buffer of C is left unread.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %s | FileCheck %s --check-prefix=NOCOPY

// NOCOPY:     %[[OUT:.*]] = memref.alloc() : memref<16x12xf32>
// NOCOPY-NOT: memref.copy {{.*}}, %[[OUT]] :
// NOCOPY:     scf.for

// CHECK-LABEL: func.func @accumulate
// CHECK:      %[[OUT:.*]] = memref.alloc() : memref<16x12xf32>
// CHECK-NOT:  memref.copy
// CHECK:      %[[C:.*]] = bufferization.to_buffer %arg2
// CHECK:      %[[CT:.*]] = memref.alloc() : memref<16x12xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT: %[[CS:.*]] = memref.subview %[[C]][0, 0] [16, 12] [1, 1]
// CHECK-NEXT: memref.copy %[[CS]], %[[CT]]
// CHECK:      scf.for %[[K0:.*]] = %c0 to %c2
// CHECK-NEXT:   scf.for %[[K1:.*]] = %c0 to %c4
// CHECK:          %[[CI:.*]] = memref.subview %[[CT]]
// CHECK-NEXT:     linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}}, %[[CI]] : {{.*}}) outs({{.*}}) attrs = {ffm.einsum = "matmul_0"
// CHECK-SAME:     keep arg2 in GlobalBuffer
// CHECK-NEXT:     ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[INIT:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:       %[[K:.*]] = affine.apply #{{.*}}(%[[K0]], %[[K1]])
// CHECK-NEXT:       %[[FIRST:.*]] = arith.cmpi eq, %[[K]], %c0 : index
// CHECK-NEXT:       %[[FROM:.*]] = arith.select %[[FIRST]], %[[INIT]], %[[ACC]] : f32
// CHECK-NEXT:       %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:       arith.addf %[[FROM]], %[[P]] : f32
// CHECK-NOT:  memref.copy %[[C]]
// CHECK:      bufferization.to_tensor %[[OUT]]
func.func @accumulate(%a: tensor<16x8xf32>, %b: tensor<8x12xf32>, %c: tensor<16x12xf32>) -> tensor<16x12xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x8xf32>, tensor<8x12xf32>) outs(%c : tensor<16x12xf32>) -> tensor<16x12xf32>
  return %0 : tensor<16x12xf32>
}
