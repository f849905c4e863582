// A matmul of 2.2e6 cubed runs 1.06e19 times, past int64, and one of
// 100000007 x 3 x 100000007 3.0e16 times, past 2^53, where the tile's
// executions (a product of doubles) round otherwise than the Einsum's
// count: verify=true compares the two within rounding there instead of
// failing, and the rewritten IR counts the same.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s --check-prefix=COUNT
// RUN: ffm-opt --ffm-count-iterations %s -o /dev/null | FileCheck %s --check-prefix=COUNT

// CHECK-LABEL: func.func @huge
// CHECK:         scf.for
// CHECK:           linalg.matmul
// CHECK-LABEL: func.func @between
// CHECK:         scf.for
// COUNT: iterations @huge: 10648000000000000000
// COUNT: iterations @between: 30000004200000147
func.func @huge(%a: tensor<2200000x2200000xf32>, %b: tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32> {
  %e = tensor.empty() : tensor<2200000x2200000xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32>
  %m = linalg.matmul ins(%a, %b : tensor<2200000x2200000xf32>, tensor<2200000x2200000xf32>) outs(%f : tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32>
  return %m : tensor<2200000x2200000xf32>
}

func.func @between(%a: tensor<100000007x3xf32>, %b: tensor<3x100000007xf32>) -> tensor<100000007x100000007xf32> {
  %e = tensor.empty() : tensor<100000007x100000007xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<100000007x100000007xf32>) -> tensor<100000007x100000007xf32>
  %m = linalg.matmul ins(%a, %b : tensor<100000007x3xf32>, tensor<3x100000007xf32>) outs(%f : tensor<100000007x100000007xf32>) -> tensor<100000007x100000007xf32>
  return %m : tensor<100000007x100000007xf32>
}
