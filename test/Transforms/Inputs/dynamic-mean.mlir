// Row mean over a dynamic row length: the length is read as a value.
func.func @mean(%x: tensor<6x?xf32>) -> tensor<6xf32> attributes {ffm.dim_sizes = array<i64: 16>} {
  %c1 = arith.constant 1 : index
  %l = tensor.dim %x, %c1 : tensor<6x?xf32>
  %li = arith.index_cast %l : index to i64
  %lf = arith.sitofp %li : i64 to f32
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<6xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<6xf32>) -> tensor<6xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<6x?xf32>) outs(%f0 : tensor<6xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<6xf32>
  %e1 = tensor.empty() : tensor<6xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(r) -> (r)>, affine_map<(r) -> (r)>], iterator_types = ["parallel"]} ins(%s : tensor<6xf32>) outs(%e1 : tensor<6xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.divf %a, %lf : f32
    linalg.yield %v : f32
  } -> tensor<6xf32>
  return %m : tensor<6xf32>
}

