// Multi-head attention scores and values without the softmax: the query
// projection's columns split into 3 heads of 16 (expand_shape), the heads'
// outputs merged back (collapse_shape) for the output projection.
#qk_q = affine_map<(h, m, n, d) -> (m, h, d)>
#qk_k = affine_map<(h, m, n, d) -> (h, n, d)>
#qk_s = affine_map<(h, m, n, d) -> (h, m, n)>
#av_s = affine_map<(m, h, d, n) -> (h, m, n)>
#av_v = affine_map<(m, h, d, n) -> (h, n, d)>
#av_o = affine_map<(m, h, d, n) -> (m, h, d)>
func.func @heads(%x: tensor<16x32xf32>, %wq: tensor<32x48xf32>, %k: tensor<3x16x16xf32>, %v: tensor<3x16x16xf32>, %wo: tensor<48x32xf32>) -> tensor<16x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x48xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x48xf32>) -> tensor<16x48xf32>
  %q = linalg.matmul ins(%x, %wq : tensor<16x32xf32>, tensor<32x48xf32>) outs(%f : tensor<16x48xf32>) -> tensor<16x48xf32>
  %qh = tensor.expand_shape %q [[0], [1, 2]] output_shape [16, 3, 16] : tensor<16x48xf32> into tensor<16x3x16xf32>
  %es = tensor.empty() : tensor<3x16x16xf32>
  %fs = linalg.fill ins(%z : f32) outs(%es : tensor<3x16x16xf32>) -> tensor<3x16x16xf32>
  %s = linalg.generic {indexing_maps = [#qk_q, #qk_k, #qk_s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%qh, %k : tensor<16x3x16xf32>, tensor<3x16x16xf32>) outs(%fs : tensor<3x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  } -> tensor<3x16x16xf32>
  %eo = tensor.empty() : tensor<16x3x16xf32>
  %fo = linalg.fill ins(%z : f32) outs(%eo : tensor<16x3x16xf32>) -> tensor<16x3x16xf32>
  %o = linalg.generic {indexing_maps = [#av_s, #av_v, #av_o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%s, %v : tensor<3x16x16xf32>, tensor<3x16x16xf32>) outs(%fo : tensor<16x3x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  } -> tensor<16x3x16xf32>
  %om = tensor.collapse_shape %o [[0], [1, 2]] : tensor<16x3x16xf32> into tensor<16x48xf32>
  %ey = tensor.empty() : tensor<16x32xf32>
  %fy = linalg.fill ins(%z : f32) outs(%ey : tensor<16x32xf32>) -> tensor<16x32xf32>
  %y = linalg.matmul ins(%om, %wo : tensor<16x48xf32>, tensor<48x32xf32>) outs(%fy : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %y : tensor<16x32xf32>
}
