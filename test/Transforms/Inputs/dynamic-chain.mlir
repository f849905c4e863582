// Two fused matmuls over a dynamic number of rows, mapped at 256 rows
// (test/Transforms/fuse-dynamic-remainder.mlir shows the clipped tiles).
func.func @chain(%x: tensor<?x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<?x16xf32> attributes {ffm.dim_sizes = array<i64: 256>} {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x32xf32>
  %e1 = tensor.empty(%m) : tensor<?x64xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %h = linalg.matmul ins(%x, %w0 : tensor<?x32xf32>, tensor<32x64xf32>) outs(%f1 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %e2 = tensor.empty(%m) : tensor<?x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %o = linalg.matmul ins(%h, %w1 : tensor<?x64xf32>, tensor<64x16xf32>) outs(%f2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %o : tensor<?x16xf32>
}

