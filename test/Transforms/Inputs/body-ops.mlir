// Linalg bodies with ops the LLVM lowering needs an extra pass for:
// math.clampf (math-expand-ops) and math.ipowi (convert-math-to-funcs).
#id = affine_map<(i, j) -> (i, j)>
func.func @clamp_chain(%a: tensor<6x5xf32>, %b: tensor<5x4xf32>,
                       %c: tensor<6x4xf32>) -> tensor<6x4xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<6x5xf32>, tensor<5x4xf32>)
                     outs(%c : tensor<6x4xf32>) -> tensor<6x4xf32>
  %lo = arith.constant -0.5 : f32
  %hi = arith.constant 0.75 : f32
  %e = tensor.empty() : tensor<6x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<6x4xf32>) outs(%e : tensor<6x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = math.clampf %x to [%lo, %hi] : f32
    linalg.yield %y : f32
  } -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

func.func @ipow_chain(%a: tensor<6x5xi32>, %b: tensor<5x4xi32>,
                      %c: tensor<6x4xi32>) -> tensor<6x4xi32> {
  %m = linalg.matmul ins(%a, %b : tensor<6x5xi32>, tensor<5x4xi32>)
                     outs(%c : tensor<6x4xi32>) -> tensor<6x4xi32>
  %two = arith.constant 2 : i32
  %e = tensor.empty() : tensor<6x4xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<6x4xi32>) outs(%e : tensor<6x4xi32>) {
  ^bb0(%x: i32, %o: i32):
    %y = math.ipowi %x, %two : i32
    linalg.yield %y : i32
  } -> tensor<6x4xi32>
  return %r : tensor<6x4xi32>
}
