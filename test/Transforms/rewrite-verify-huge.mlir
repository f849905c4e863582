// A matmul of 2.2e6 cubed runs 1.06e19 times, past int64: verify=true
// compares the rewritten tile's executions with the Einsum's iterations as
// doubles there instead of failing, and the rewritten IR counts the same.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s --check-prefix=COUNT
// RUN: ffm-opt --ffm-count-iterations %s -o /dev/null | FileCheck %s --check-prefix=COUNT

// CHECK-LABEL: func.func @huge
// CHECK:         scf.for
// CHECK:           linalg.matmul
// COUNT: iterations @huge: 10648000000000000000
func.func @huge(%a: tensor<2200000x2200000xf32>, %b: tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32> {
  %e = tensor.empty() : tensor<2200000x2200000xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32>
  %m = linalg.matmul ins(%a, %b : tensor<2200000x2200000xf32>, tensor<2200000x2200000xf32>) outs(%f : tensor<2200000x2200000xf32>) -> tensor<2200000x2200000xf32>
  return %m : tensor<2200000x2200000xf32>
}
