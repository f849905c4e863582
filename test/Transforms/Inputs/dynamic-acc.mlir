// C += A * B into a dynamic argument, then an add of another dynamic
// argument, mapped at 12 rows (test/Transforms/fuse-dynamic-remainder.mlir).
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @acc(%a: tensor<?x24xf32>, %b: tensor<24x16xf32>, %c: tensor<?x16xf32>, %d: tensor<?x16xf32>) -> tensor<?x16xf32> attributes {ffm.dim_sizes = array<i64: 12, 12, 12>} {
  %m = linalg.matmul ins(%a, %b : tensor<?x24xf32>, tensor<24x16xf32>) outs(%c : tensor<?x16xf32>) -> tensor<?x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %d : tensor<?x16xf32>, tensor<?x16xf32>) outs(%c : tensor<?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %v = arith.addf %x, %y : f32
    linalg.yield %v : f32
  } -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

