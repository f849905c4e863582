// A static function and no architecture: the no-architecture remark
// alone, no word about dim-sizes (fuse-dim-sizes-static.mlir).
// expected-remark @+1 {{ffm-fuse: no architecture (no #ffm.arch attribute and no arch-file); function left unchanged}}
func.func @static_no_arch(%x: tensor<24x16xf32>, %w: tensor<16x32xf32>) -> tensor<24x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<24x32xf32>) -> tensor<24x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<24x16xf32>, tensor<16x32xf32>) outs(%f : tensor<24x32xf32>) -> tensor<24x32xf32>
  return %h : tensor<24x32xf32>
}

