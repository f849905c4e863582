// A strided 3x3 convolution, a dilated depthwise 3x3 one and a 1x1 one,
// batch 2, odd sizes: each window fusable only whole.
func.func @strided(%x: tensor<2x13x13x3xf32>, %w1: tensor<3x3x3x4xf32>, %dw: tensor<3x3x4xf32>, %w3: tensor<1x1x4x5xf32>) -> tensor<2x2x2x5xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x6x6x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%x, %w1 : tensor<2x13x13x3xf32>, tensor<3x3x3x4xf32>) outs(%f1 : tensor<2x6x6x4xf32>) -> tensor<2x6x6x4xf32>
  %e2 = tensor.empty() : tensor<2x2x2x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<2x2x2x4xf32>) -> tensor<2x2x2x4xf32>
  %c2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c1, %dw : tensor<2x6x6x4xf32>, tensor<3x3x4xf32>) outs(%f2 : tensor<2x2x2x4xf32>) -> tensor<2x2x2x4xf32>
  %e3 = tensor.empty() : tensor<2x2x2x5xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<2x2x2x5xf32>) -> tensor<2x2x2x5xf32>
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c2, %w3 : tensor<2x2x2x4xf32>, tensor<1x1x4x5xf32>) outs(%f3 : tensor<2x2x2x5xf32>) -> tensor<2x2x2x5xf32>
  return %c3 : tensor<2x2x2x5xf32>
}
