// RoPE rotate-half on a projection: two slices, a negation, a concat.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @rope(%x: tensor<8x16xf32>, %w: tensor<16x8xf32>, %cos: tensor<8x8xf32>, %sin: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %q = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  %lo = tensor.extract_slice %q[0, 0] [8, 4] [1, 1] : tensor<8x8xf32> to tensor<8x4xf32>
  %hi = tensor.extract_slice %q[0, 4] [8, 4] [1, 1] : tensor<8x8xf32> to tensor<8x4xf32>
  %e4 = tensor.empty() : tensor<8x4xf32>
  %neg = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%hi : tensor<8x4xf32>) outs(%e4 : tensor<8x4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8x4xf32>
  %rot = tensor.concat dim(1) %neg, %lo : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x8xf32>
  %out = linalg.generic {indexing_maps = [#id, #id, #id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%q, %cos, %rot, %sin : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %c: f32, %r: f32, %s: f32, %o: f32):
    %ac = arith.mulf %a, %c : f32
    %rs = arith.mulf %r, %s : f32
    %t = arith.addf %ac, %rs : f32
    linalg.yield %t : f32
  } -> tensor<8x8xf32>
  return %out : tensor<8x8xf32>
}
