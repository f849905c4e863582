// Without an architecture the function is left as it is, with a remark.
// RUN: ffm-opt --ffm-fuse %s -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @mm
// CHECK-NEXT: linalg.matmul ins
// expected-remark @+1 {{ffm-fuse: no architecture (no #ffm.arch attribute and no arch-file); function left unchanged}}
func.func @mm(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
