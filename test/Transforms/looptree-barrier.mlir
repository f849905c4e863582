// A pad between two chains of a bottleneck block stays where it was, on
// DRAM data: what it reads (the first ReLU's result) is written to a
// default-space buffer and turned back into a tensor before it, and the
// Einsums after it read its result from DRAM. No fusion group runs around
// it: every Einsum before the pad is emitted before it, every one after it
// after it.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml verify=true" -split-input-file %s | FileCheck %s

// CHECK-LABEL: func.func @block
// CHECK:      %[[RELU:.*]] = memref.alloc() : memref<1x6x6x4xf32>
// CHECK:      ffm.einsum = "conv_2d_nhwc_hwcf_0"
// CHECK:      ffm.einsum = "generic_0"
// CHECK:      %[[T:.*]] = bufferization.to_tensor %[[RELU]]
// CHECK-NEXT: %[[PAD:.*]] = tensor.pad %[[T]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:      bufferization.to_buffer %[[PAD]]
// CHECK:      ffm.einsum = "conv_2d_nhwc_hwcf_1"
// CHECK:      ffm.einsum = "conv_2d_nhwc_hwcf_2"
// CHECK:      ffm.einsum = "generic_1"
// CHECK-NOT:  ffm.einsum
// CHECK:      return
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @block(%x: tensor<1x6x6x8xf32>, %w1: tensor<1x1x8x4xf32>, %w2: tensor<3x3x4x4xf32>, %w3: tensor<1x1x4x8xf32>) -> tensor<1x6x6x8xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x6x6x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%x, %w1 : tensor<1x6x6x8xf32>, tensor<1x1x8x4xf32>) outs(%f1 : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x6x6x4xf32>) outs(%e1 : tensor<1x6x6x4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x6x6x4xf32>
  %p = tensor.pad %r1 low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<1x6x6x4xf32> to tensor<1x8x8x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%p, %w2 : tensor<1x8x8x4xf32>, tensor<3x3x4x4xf32>) outs(%f1 : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %e3 = tensor.empty() : tensor<1x6x6x8xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c2, %w3 : tensor<1x6x6x4xf32>, tensor<1x1x4x8xf32>) outs(%f3 : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c3, %x : tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>) outs(%e3 : tensor<1x6x6x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x6x6x8xf32>
  return %add : tensor<1x6x6x8xf32>
}

// -----

// The matmul's result T is read by the product after a slice of the ReLU
// of T: fusing T would put matmul, ReLU and product in one tree, emitted
// where the product was, after the slice that needs the ReLU's result (an
// SSA dominance error). T goes through DRAM instead; the slice runs
// between the groups.
// CHECK-LABEL: func.func @around
// CHECK:      %[[T:.*]] = memref.alloc() : memref<8x8xf32>
// CHECK:      ffm.einsum = "matmul_0"
// CHECK:      %[[U:.*]] = memref.alloc() : memref<8x8xf32>
// CHECK:      ffm.einsum = "generic_0"
// CHECK:      %[[UT:.*]] = bufferization.to_tensor %[[U]]
// CHECK-NEXT: tensor.extract_slice %[[UT]][0, 4] [8, 4] [1, 1]
// CHECK:      ffm.einsum = "generic_1"
// CHECK-NOT:  ffm.einsum
// CHECK:      return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d1)>
#b = affine_map<(d0, d1, d2) -> (d0, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @around(%x: tensor<8x16xf32>, %w: tensor<16x8xf32>) -> tensor<8x8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %t = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %u = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a0: f32, %b0: f32):
    %m = arith.maximumf %a0, %z : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32>
  %s = tensor.extract_slice %u[0, 4] [8, 4] [1, 1] : tensor<8x8xf32> to tensor<8x4xf32>
  %e3 = tensor.empty() : tensor<8x8x4xf32>
  %r = linalg.generic {indexing_maps = [#a, #b, #o], iterator_types = ["parallel", "parallel", "parallel"]} ins(%t, %s : tensor<8x8xf32>, tensor<8x4xf32>) outs(%e3 : tensor<8x8x4xf32>) {
  ^bb0(%a0: f32, %b0: f32, %c0: f32):
    %m = arith.mulf %a0, %b0 : f32
    linalg.yield %m : f32
  } -> tensor<8x8x4xf32>
  return %r : tensor<8x8x4xf32>
}
