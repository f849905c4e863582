// None of these is a linalg op with properties other than a dictionary:
// linalg.matmul <0.0> in a comment, "linalg.fill <1>" in a string, a
// linalg attribute with parameters, and properties that are one.
func.func @ok(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {note = "linalg.fill <1>"} {
  %0 = linalg.matmul <{}> ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = linalg.elementwise kind=#linalg.elementwise_kind<exp> ins(%0 : tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}
