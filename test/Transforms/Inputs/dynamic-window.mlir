// A convolution over a dynamic image height (a sliding window's
// dimension), mapped at height 10: the rewritten body is guarded by the
// mapped sizes and the original op runs at any other.
func.func @window(%x: tensor<1x?x10x8xf32>, %w: tensor<3x3x8x16xf32>, %o0: tensor<1x?x8x16xf32>) -> tensor<1x?x8x16xf32> attributes {ffm.dim_sizes = array<i64: 10, 8>} {
  %o = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x?x10x8xf32>, tensor<3x3x8x16xf32>) outs(%o0 : tensor<1x?x8x16xf32>) -> tensor<1x?x8x16xf32>
  return %o : tensor<1x?x8x16xf32>
}
