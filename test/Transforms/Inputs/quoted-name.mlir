// A function whose symbol name holds a quote and a backslash, which a DOT
// string must escape (fuse-looptree.mlir, einsum-graph-dot.mlir).
func.func @"we\"ird\\name"(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64x64xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64x16xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %1 = linalg.matmul ins(%0, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %1 : tensor<64x16xf32>
}
