// A stride-2 max pool, collapsed into the rows of a matmul.
func.func @pool(%x: tensor<1x9x9x4xf32>, %w: tensor<4x6xf32>) -> tensor<1x4x4x6xf32> {
  %ninf = arith.constant -1.0e30 : f32
  %z = arith.constant 0.0 : f32
  %k = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
       ins(%x, %k : tensor<1x9x9x4xf32>, tensor<3x3xf32>) outs(%f : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c = tensor.collapse_shape %p [[0, 1, 2], [3]] : tensor<1x4x4x4xf32> into tensor<16x4xf32>
  %e2 = tensor.empty() : tensor<16x6xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<16x6xf32>) -> tensor<16x6xf32>
  %m = linalg.matmul ins(%c, %w : tensor<16x4xf32>, tensor<4x6xf32>) outs(%f2 : tensor<16x6xf32>) -> tensor<16x6xf32>
  %r = tensor.expand_shape %m [[0, 1, 2], [3]] output_shape [1, 4, 4, 6] : tensor<16x6xf32> into tensor<1x4x4x6xf32>
  return %r : tensor<1x4x4x6xf32>
}
