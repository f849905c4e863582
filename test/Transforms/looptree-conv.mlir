// A stride-2 3x3 convolution on a 64-byte global buffer: the input's
// on-chip tile is one row of the window, at row 2 * p + r (the stride on
// the output row p plus the filter row r), spanning 2 * (5 - 1) + (3 - 1)
// + 1 = 11 columns for q : 5 and s : 3 below it (the halo of
// docs/model.md, "Sliding windows"). The leaf reads that tile at column
// 2 * q + s.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tiny.yaml verify=true" %s | FileCheck %s

// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1) -> (d0 * 2 + d1)>
// CHECK-LABEL: func.func @strided_conv
// CHECK:      scf.for %[[P:.*]] = %c0 to %c5
// CHECK-NEXT:   scf.for %[[R:.*]] = %c0 to %c3
// CHECK-NEXT:     scf.for %[[C:.*]] = %c0 to %c2
// CHECK-NEXT:       %[[IN:.*]] = memref.alloc() : memref<1x1x11x1xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:       %[[ROW:.*]] = affine.apply #[[WIN]](%[[P]], %[[R]])
// CHECK-NEXT:       memref.subview %{{.*}}[0, %[[ROW]], 0, %[[C]]] [1, 1, 11, 1]
// CHECK:            scf.for %[[Q:.*]] = %c0 to %c5
// CHECK-NEXT:         scf.for %[[K:.*]] = %c0 to %c4
// CHECK-NEXT:           scf.for %[[S:.*]] = %c0 to %c3
// CHECK-NEXT:             %[[COL:.*]] = affine.apply #[[WIN]](%[[Q]], %[[S]])
// CHECK-NEXT:             memref.subview %[[IN]][0, 0, %[[COL]], 0] [1, 1, 1, 1]
// CHECK:                  linalg.conv_2d_nhwc_hwcf {{.*}}ffm.mapping = #ffm.mapping<[{{.*}}for p : 5, for r : 3, for c : 2, keep arg0 in GlobalBuffer, {{.*}}for q : 5, for k : 4, for s : 3]>, strides = dense<2>
func.func @strided_conv(%x: tensor<1x11x11x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x5x5x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x5x5x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%x, %w : tensor<1x11x11x2xf32>, tensor<3x3x2x4xf32>) outs(%f : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  return %c : tensor<1x5x5x4xf32>
}
