// RUN: ffm-opt --ffm-einsum-graph -split-input-file %s -o /dev/null | FileCheck %s

// CHECK-LABEL: workload @matmul: 1 einsums
// CHECK: tensor arg0 [8x4] input
// CHECK: tensor matmul_0.out [8x6] produced-by matmul_0 output
// CHECK: einsum matmul_0 (linalg.matmul) ranks {m:8, n:6, k:4+}: matmul_0.out[m, n] += arg0[m, k] arg1[k, n]
func.func @matmul(%a: tensor<8x4xf32>, %b: tensor<4x6xf32>) -> tensor<8x6xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x6xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x6xf32>) -> tensor<8x6xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x6xf32>) outs(%f : tensor<8x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// -----

// An init that is real data (an argument the payload accumulates into) is
// read as an input.
// CHECK-LABEL: workload @batch_matmul
// CHECK: einsum batch_matmul_0 (linalg.batch_matmul) ranks {b:2, m:8, n:6, k:4+}: batch_matmul_0.out[b, m, n] += arg0[b, m, k] arg1[b, k, n] arg2[b, m, n]
func.func @batch_matmul(%a: tensor<2x8x4xf32>, %b: tensor<2x4x6xf32>, %c: tensor<2x8x6xf32>) -> tensor<2x8x6xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<2x8x4xf32>, tensor<2x4x6xf32>) outs(%c : tensor<2x8x6xf32>) -> tensor<2x8x6xf32>
  return %0 : tensor<2x8x6xf32>
}

// -----

// CHECK-LABEL: workload @matvec
// CHECK: einsum matvec_0 (linalg.matvec) ranks {m:8, k:4+}: matvec_0.out[m] += arg0[m, k] arg1[k]
func.func @matvec(%a: tensor<8x4xf32>, %x: tensor<4xf32>) -> tensor<8xf32> {
  %z = arith.constant dense<0.0> : tensor<8xf32>
  %0 = linalg.matvec ins(%a, %x : tensor<8x4xf32>, tensor<4xf32>) outs(%z : tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Elementwise with a TOSA-style broadcast (constant-0 result on a unit dim),
// a reduction, and a transpose.
#id = affine_map<(d0, d1) -> (d0, d1)>
#bc = affine_map<(d0, d1) -> (0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: workload @pieces
// CHECK: einsum generic_0 (linalg.generic) ranks {d0:4, d1:8}: generic_0.out[d0, d1] = arg0[d0, d1] arg1[1, d1]
// CHECK: einsum reduce_0 (linalg.reduce) ranks {d0:4, d1:8+}: reduce_0.out[d0] += generic_0.out[d0, d1]
// CHECK: einsum transpose_0 (linalg.transpose) ranks {d0:8, d1:4}: transpose_0.out[d0, d1] = generic_0.out[d1, d0]
// CHECK: edge generic_0 -> reduce_0 via generic_0.out dims [d0, d1]
// CHECK: edge generic_0 -> transpose_0 via generic_0.out dims [d0, d1]
func.func @pieces(%a: tensor<4x8xf32>, %b: tensor<1x8xf32>) -> (tensor<4xf32>, tensor<8x4xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<1x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %1 = linalg.reduce ins(%0 : tensor<4x8xf32>) outs(%f1 : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %e2 = tensor.empty() : tensor<8x4xf32>
  %2 = linalg.transpose ins(%0 : tensor<4x8xf32>) outs(%e2 : tensor<8x4xf32>) permutation = [1, 0]
  return %1, %2 : tensor<4xf32>, tensor<8x4xf32>
}

// -----

// A reshape that only adds a unit dimension is transparent: the consumer
// reads the matmul's result on its own dimensions, a direct edge.
// CHECK-LABEL: workload @reshape
// CHECK: tensor matmul_0.out.v{{[0-9]+}} [1x8x6] reshape-of matmul_0.out
// CHECK: einsum generic_0 (linalg.generic) ranks {d0:1, d1:8, d2:6}: generic_0.out[d0, d1, d2] = matmul_0.out[d1, d2]
// CHECK: edge matmul_0 -> generic_0 via matmul_0.out dims [m, n]{{$}}
func.func @reshape(%a: tensor<8x4xf32>, %b: tensor<4x6xf32>, %c: tensor<8x6xf32>) -> tensor<1x8x6xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x6xf32>) outs(%c : tensor<8x6xf32>) -> tensor<8x6xf32>
  %1 = tensor.expand_shape %0 [[0, 1], [2]] output_shape [1, 8, 6] : tensor<8x6xf32> into tensor<1x8x6xf32>
  %e = tensor.empty() : tensor<1x8x6xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%1 : tensor<1x8x6xf32>) outs(%e : tensor<1x8x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<1x8x6xf32>
  return %2 : tensor<1x8x6xf32>
}

// -----

// Sliding windows: a strided convolution, a dilated depthwise one and a
// max pool index their input by sums of ranks, printed with their strides;
// convolution ranks get the usual letters.
// CHECK-LABEL: workload @windows: 3 einsums
// CHECK: einsum conv_2d_nhwc_hwcf_0 (linalg.conv_2d_nhwc_hwcf) ranks {n:2, p:6, q:6, k:4, r:3+, s:3+, c:3+}: conv_2d_nhwc_hwcf_0.out[n, p, q, k] += arg0[n, 2*p+r, 2*q+s, c] arg1[r, s, c, k]
// CHECK: einsum depthwise_conv_2d_nhwc_hwc_0 (linalg.depthwise_conv_2d_nhwc_hwc) ranks {n:2, p:2, q:2, c:4, r:3+, s:3+}: depthwise_conv_2d_nhwc_hwc_0.out[n, p, q, c] += conv_2d_nhwc_hwcf_0.out[n, p+2*r, q+2*s, c] arg2[r, s, c]
// CHECK: einsum pooling_nhwc_max_0 (linalg.pooling_nhwc_max) ranks {{{.*}}p:1, q:1, {{.*}}r:2+, s:2+}: pooling_nhwc_max_0.out[{{.*}}, p, q, {{.*}}] += depthwise_conv_2d_nhwc_hwc_0.out[{{.*}}, 2*p+r, 2*q+s, {{.*}}] cst{{[0-9]+}}[r, s]
// CHECK: edge conv_2d_nhwc_hwcf_0 -> depthwise_conv_2d_nhwc_hwc_0 via conv_2d_nhwc_hwcf_0.out dims [n, p, q, k]
func.func @windows(%x: tensor<2x13x13x3xf32>, %w1: tensor<3x3x3x4xf32>, %dw: tensor<3x3x4xf32>) -> tensor<2x1x1x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x6x6x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%x, %w1 : tensor<2x13x13x3xf32>, tensor<3x3x3x4xf32>) outs(%f1 : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %e2 = tensor.empty() : tensor<2x2x2x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2x2x4xf32>) -> tensor<2x2x2x4xf32>
  %c2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c1, %dw : tensor<2x6x6x4xf32>, tensor<3x3x4xf32>) outs(%f2 : tensor<2x2x2x4xf32>) -> tensor<2x2x2x4xf32>
  %k = tensor.empty() : tensor<2x2xf32>
  %e3 = tensor.empty() : tensor<2x1x1x4xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
       ins(%c2, %k : tensor<2x2x2x4xf32>, tensor<2x2xf32>) outs(%e3 : tensor<2x1x1x4xf32>) -> tensor<2x1x1x4xf32>
  return %p : tensor<2x1x1x4xf32>
}

// -----

// Pads, slices and concatenations stay in place between the Einsums, on
// DRAM data: what they read escapes to DRAM, what they write is an input of
// its readers, and the graph stays connected through them (moves). RoPE's
// rotate-half: two halves of a projection, one negated, concatenated.
// CHECK-LABEL: workload @rope: 3 einsums
// CHECK: tensor matmul_0.out [8x8] produced-by matmul_0 escapes
// CHECK: tensor extract_slice0 [8x4] input
// CHECK: tensor concat0 [8x8] input
// CHECK: einsum generic_1 (linalg.generic) ranks {d0:8, d1:8}: generic_1.out[d0, d1] = matmul_0.out[d0, d1] concat0[d0, d1]
// CHECK: move tensor.extract_slice: matmul_0.out -> extract_slice0
// CHECK: move tensor.extract_slice: matmul_0.out -> extract_slice1
// CHECK: move tensor.concat: generic_0.out, extract_slice0 -> concat0
// CHECK: edge matmul_0 -> generic_1 via matmul_0.out dims [m, n]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @rope(%x: tensor<8x16xf32>, %w: tensor<16x8xf32>) -> tensor<8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %q = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %lo = tensor.extract_slice %q[0, 0] [8, 4] [1, 1] : tensor<8x8xf32> to tensor<8x4xf32>
  %hi = tensor.extract_slice %q[0, 4] [8, 4] [1, 1] : tensor<8x8xf32> to tensor<8x4xf32>
  %e4 = tensor.empty() : tensor<8x4xf32>
  %neg = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%hi : tensor<8x4xf32>) outs(%e4 : tensor<8x4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8x4xf32>
  %rot = tensor.concat dim(1) %neg, %lo : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x8xf32>
  %out = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%q, %rot : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %r: f32, %o: f32):
    %t = arith.addf %a, %r : f32
    linalg.yield %t : f32
  } -> tensor<8x8xf32>
  return %out : tensor<8x8xf32>
}
