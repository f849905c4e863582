// Concatenate a dynamic-length input with a static prefix along rows.
func.func @cat2(%a: tensor<?x8xf32>, %p: tensor<2x8xf32>, %w: tensor<8x8xf32>) -> tensor<?x8xf32> attributes {ffm.dim_sizes = array<i64: 6>} {
  %z = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %x = tensor.concat dim(0) %p, %a : (tensor<2x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x8xf32>) -> tensor<?x8xf32>
  %o = linalg.matmul ins(%x, %w : tensor<?x8xf32>, tensor<8x8xf32>) outs(%f : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %o : tensor<?x8xf32>
}
