// Heads split off a projection, an elementwise op reading its head-dim
// index (linalg.index, linearised once folded), a per-head reduction and
// the heads merged back as a function result.
#id3 = affine_map<(a, b, c) -> (a, b, c)>
#red = affine_map<(a, b, c) -> (a, b)>
func.func @b(%x: tensor<8x32xf32>, %w: tensor<32x24xf32>) -> (tensor<8x24xf32>, tensor<8x3xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x24xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x24xf32>) -> tensor<8x24xf32>
  %q = linalg.matmul ins(%x, %w : tensor<8x32xf32>, tensor<32x24xf32>) outs(%f : tensor<8x24xf32>) -> tensor<8x24xf32>
  %q3 = tensor.expand_shape %q [[0], [1, 2]] output_shape [8, 3, 8] : tensor<8x24xf32> into tensor<8x3x8xf32>
  %e3 = tensor.empty() : tensor<8x3x8xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%q3 : tensor<8x3x8xf32>) outs(%e3 : tensor<8x3x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %i = linalg.index 2 : index
    %ii = arith.index_cast %i : index to i32
    %fi = arith.sitofp %ii : i32 to f32
    %v = arith.maximumf %a, %fi : f32
    linalg.yield %v : f32
  } -> tensor<8x3x8xf32>
  %es = tensor.empty() : tensor<8x3xf32>
  %fs = linalg.fill ins(%z : f32) outs(%es : tensor<8x3xf32>) -> tensor<8x3xf32>
  %s = linalg.generic {indexing_maps = [#id3, #red], iterator_types = ["parallel", "parallel", "reduction"]} ins(%r : tensor<8x3x8xf32>) outs(%fs : tensor<8x3xf32>) {
  ^bb0(%a: f32, %b: f32):
    %v = arith.addf %a, %b : f32
    linalg.yield %v : f32
  } -> tensor<8x3xf32>
  %rc = tensor.collapse_shape %r [[0], [1, 2]] : tensor<8x3x8xf32> into tensor<8x24xf32>
  return %rc, %s : tensor<8x24xf32>, tensor<8x3xf32>
}
