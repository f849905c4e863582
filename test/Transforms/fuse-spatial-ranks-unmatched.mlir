// A level whose spatial_ranks name no rank of the function's Einsums is
// warned about (a typo would otherwise leave its fanout unused without a
// word); the function is still mapped, with no spatial loop there.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/spatial-typo.yaml" %s -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @mm
// CHECK-NOT: scf.forall
// expected-warning @+1 {{ffm-fuse: level 'GlobalBuffer': spatial_ranks [zz, c] names no rank of this function's Einsums (k, m, n), so its fanout stays unused}}
func.func @mm(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
