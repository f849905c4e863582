// A fanout that min_usage asks to fill and the Einsum cannot: the error
// names the level and what it asks, a rule to look at (a keep rule may be
// the cause instead), not only that no mapping is valid, at the op.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/min-usage.yaml" %s 2>&1 | FileCheck %s

func.func @two_by_two(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // CHECK: [[@LINE+1]]:8: error: ffm-fuse: no valid mapping for Einsum 'matmul_0' (linalg.matmul) on this architecture; note: level 'GlobalBuffer' has min_usage 1 (its spatial loops must use 4 of its 4 instances){{$}}
  %0 = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
