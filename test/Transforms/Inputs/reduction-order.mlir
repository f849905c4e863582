// Reductions a mapping may or may not reorder (EinsumGraphAnalysis's
// reordersSafely): an order-dependent step over one reduction rank (its
// loops, split or spread, keep its order); over two, a max written as a
// compare and a select, and a sum accumulated in a wider type (any order
// gives the same result, up to rounding).
#in2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#in3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#mid = affine_map<(d0, d1, d2) -> (d1)>
func.func @scan_one_rank(%x: tensor<5x16xf32>) -> tensor<5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [#in2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x16xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %h = arith.constant 0.5 : f32
    %t = arith.mulf %acc, %h : f32
    %u = arith.addf %t, %p : f32
    linalg.yield %u : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}

func.func @select_max_two_ranks(%x: tensor<3x5x4xf32>) -> tensor<5xf32> {
  %z = arith.constant -1.0e30 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [#in3, #mid], iterator_types = ["reduction", "parallel", "reduction"]} ins(%x : tensor<3x5x4xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %c = arith.cmpf ogt, %p, %acc : f32
    %m = arith.select %c, %p, %acc : f32
    linalg.yield %m : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}

// A sum accumulated in a wider type: the accumulator extended, the sum
// truncated (casts around the one add).
func.func @widened_sum_two_ranks(%x: tensor<3x5x4xf16>) -> tensor<5xf16> {
  %z = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<5xf16>
  %f = linalg.fill ins(%z : f16) outs(%e : tensor<5xf16>) -> tensor<5xf16>
  %r = linalg.generic {indexing_maps = [#in3, #mid], iterator_types = ["reduction", "parallel", "reduction"]} ins(%x : tensor<3x5x4xf16>) outs(%f : tensor<5xf16>) {
  ^bb0(%p: f16, %acc: f16):
    %a = arith.extf %acc : f16 to f32
    %q = arith.extf %p : f16 to f32
    %s = arith.addf %a, %q : f32
    %t = arith.truncf %s : f32 to f16
    linalg.yield %t : f16
  } -> tensor<5xf16>
  return %r : tensor<5xf16>
}
