// RUN: ffm-opt --ffm-einsum-graph="format=dot" %s -o /dev/null | FileCheck %s
// A name with a quote and a backslash stays one DOT string.
// RUN: ffm-opt --ffm-einsum-graph="format=dot" %S/../Transforms/Inputs/quoted-name.mlir -o /dev/null | FileCheck %s --check-prefix=QUOTED
// QUOTED: digraph "we\"ird\\name" {

// CHECK: digraph "chain" {
// CHECK-DAG: "matmul_0" [label="matmul_0\nlinalg.matmul"];
// CHECK-DAG: "arg0" [shape=box];
// CHECK-DAG: "arg0" -> "matmul_0";
// CHECK-DAG: "matmul_0" -> "matmul_1" [label="matmul_0.out"];
// CHECK: }
func.func @chain(%a: tensor<8x4xf32>, %b: tensor<4x6xf32>, %d: tensor<6x2xf32>, %c0: tensor<8x6xf32>, %c1: tensor<8x2xf32>) -> tensor<8x2xf32> {
  %c = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x6xf32>) outs(%c0 : tensor<8x6xf32>) -> tensor<8x6xf32>
  %e = linalg.matmul ins(%c, %d : tensor<8x6xf32>, tensor<6x2xf32>) outs(%c1 : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %e : tensor<8x2xf32>
}
