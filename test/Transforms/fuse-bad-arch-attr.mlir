// RUN: ffm-opt --ffm-fuse %s -verify-diagnostics -o /dev/null

// expected-error @+1 {{ffm: 'ffm.arch' must be an #ffm.arch attribute, got "tpu"}}
module attributes {ffm.arch = "tpu"} {
  func.func @mm(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
