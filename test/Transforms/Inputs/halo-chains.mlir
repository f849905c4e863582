// Convolution chains that fuse through window dimensions (halo loops,
// docs/model.md "Halo co-tiling") on small buffers: strides, dilations,
// odd sizes that strides do not divide, a depthwise layer, a chain of three.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// 3x3 then a stride-2 3x3 (the consumer reads rows 2p + r).
func.func @stride2(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x15x15x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %e2 = tensor.empty() : tensor<1x7x7x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  return %c2 : tensor<1x7x7x4xf32>
}

// A stride-2 3x3 (odd input 19) then a dilation-2 3x3 (rows p + 2r).
func.func @dilated(%x: tensor<1x19x19x2xf32>, %w1: tensor<3x3x2x3xf32>, %w2: tensor<3x3x3x5xf32>) -> tensor<1x5x5x5xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x9x9x3xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x9x9x3xf32>) -> tensor<1x9x9x3xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%x, %w1 : tensor<1x19x19x2xf32>, tensor<3x3x2x3xf32>) outs(%f1 : tensor<1x9x9x3xf32>) -> tensor<1x9x9x3xf32>
  %e2 = tensor.empty() : tensor<1x5x5x5xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x5x5x5xf32>) -> tensor<1x5x5x5xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c1, %w2 : tensor<1x9x9x3xf32>, tensor<3x3x3x5xf32>) outs(%f2 : tensor<1x5x5x5xf32>) -> tensor<1x5x5x5xf32>
  return %c2 : tensor<1x5x5x5xf32>
}

// Three layers: 3x3, a depthwise 3x3 with stride 2 (13 rows: odd), a 3x3;
// halo loops compose along the chain.
func.func @three(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %dw: tensor<3x3x4xf32>, %w3: tensor<3x3x4x3xf32>) -> tensor<1x5x5x3xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x15x15x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %e2 = tensor.empty() : tensor<1x7x7x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  %c2 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%c1, %dw : tensor<1x15x15x4xf32>, tensor<3x3x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  %e3 = tensor.empty() : tensor<1x5x5x3xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<1x5x5x3xf32>) -> tensor<1x5x5x3xf32>
  %c3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%c2, %w3 : tensor<1x7x7x4xf32>, tensor<3x3x4x3xf32>) outs(%f3 : tensor<1x5x5x3xf32>) -> tensor<1x5x5x3xf32>
  return %c3 : tensor<1x5x5x3xf32>
}

// An elementwise producer (ReLU) under a stride-2 convolution's halo.
func.func @relu(%x: tensor<1x15x15x4xf32>, %w: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x15x15x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x15x15x4xf32>) outs(%e0 : tensor<1x15x15x4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x15x15x4xf32>
  %e2 = tensor.empty() : tensor<1x7x7x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%r, %w : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  return %c2 : tensor<1x7x7x4xf32>
}

// A max pool (stride 2) over a channel-widening convolution: on small
// buffers both window dimensions get halo loops (p and q).
func.func @pool(%x: tensor<1x17x17x1xf32>, %w: tensor<3x3x1x6xf32>) -> tensor<1x7x7x6xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x15x15x6xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x6xf32>) -> tensor<1x15x15x6xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%x, %w : tensor<1x17x17x1xf32>, tensor<3x3x1x6xf32>) outs(%f1 : tensor<1x15x15x6xf32>) -> tensor<1x15x15x6xf32>
  %k = tensor.empty() : tensor<3x3xf32>
  %ninf = arith.constant -3.0e+38 : f32
  %e2 = tensor.empty() : tensor<1x7x7x6xf32>
  %f2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<1x7x7x6xf32>) -> tensor<1x7x7x6xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%c1, %k : tensor<1x15x15x6xf32>, tensor<3x3xf32>) outs(%f2 : tensor<1x7x7x6xf32>) -> tensor<1x7x7x6xf32>
  return %p : tensor<1x7x7x6xf32>
}
