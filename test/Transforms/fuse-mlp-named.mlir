// A user's MLP in named ops: the bias is broadcast into the first matmul's
// init (an init that is data, produced by an earlier op), ReLU as
// linalg.max, a residual linalg.add. Every preset: the LoopTree read back
// from the rewritten IR is the chosen mapping.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml objective=latency verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml objective=edp verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @mlp
// CHECK-DAG: ffm.einsum = "broadcast_0"
// CHECK-DAG: ffm.einsum = "matmul_0"
// CHECK-DAG: ffm.einsum = "max_0"
// CHECK-DAG: ffm.einsum = "matmul_1"
// CHECK-DAG: ffm.einsum = "add_0"
// CHECK: return
func.func @mlp(%x: tensor<32x64xf32>, %w1: tensor<64x128xf32>, %b1: tensor<128xf32>, %w2: tensor<128x64xf32>) -> tensor<32x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x128xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<128xf32>) outs(%e : tensor<32x128xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w1 : tensor<32x64xf32>, tensor<64x128xf32>) outs(%bb : tensor<32x128xf32>) -> tensor<32x128xf32>
  %e2 = tensor.empty() : tensor<32x128xf32>
  %r = linalg.max ins(%h, %h : tensor<32x128xf32>, tensor<32x128xf32>) outs(%e2 : tensor<32x128xf32>) -> tensor<32x128xf32>
  %e3 = tensor.empty() : tensor<32x64xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %y = linalg.matmul ins(%r, %w2 : tensor<32x128xf32>, tensor<128x64xf32>) outs(%f3 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %e4 = tensor.empty() : tensor<32x64xf32>
  %o = linalg.add ins(%y, %x : tensor<32x64xf32>, tensor<32x64xf32>) outs(%e4 : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %o : tensor<32x64xf32>
}
