// Found by the MLIR fuzzer (a mutated lit test): MLIR 22's parser of
// linalg's named structured ops takes any attribute after `<` as their
// properties and then uses it as a dictionary (stock mlir-opt aborts).
func.func @matvec(%a: tensor<8x4xf32>, %x: tensor<4xf32>) -> tensor<8xf32> {
  %z = arith.constant dense<0.0> : tensor<8xf32>
  %0 = linalg.matvec <0.0> ins(%a, %x : tensor<8x4xf32>, tensor<4xf32>) outs(%z : tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
