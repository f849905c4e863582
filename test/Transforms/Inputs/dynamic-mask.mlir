// A causal mask shaped by an argument no op reads.
func.func @causal_mask(%tokens: tensor<?xi32>) -> tensor<?x?xf32> attributes {ffm.dim_sizes = array<i64: 6>} {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %tokens, %c0 : tensor<?xi32>
  %e = tensor.empty(%n, %n) : tensor<?x?xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf32>) {
  ^bb0(%o0: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %gt = arith.cmpi ugt, %j, %i : index
    %neg = arith.constant -1.0e9 : f32
    %zero = arith.constant 0.0 : f32
    %v = arith.select %gt, %neg, %zero : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %o : tensor<?x?xf32>
}
