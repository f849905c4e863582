// report=- and looptree=- write to standard output, which stays open for
// the next function's report and for the IR (closing it lost both). A
// looptree file gathers every function's digraph, as a report gathers
// every function (functions run in parallel: each wrote the file alone,
// and the last one won).
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=%t.dot" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=FILE < %t.dot
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=-" %s -o - | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=-" %s -o - | FileCheck %s --check-prefix=TREE

// CHECK: "name": "one"
// CHECK: "name": "two"
// CHECK-LABEL: func.func @one
// CHECK-LABEL: func.func @two
// FILE: digraph "one"
// FILE: digraph "two"
// TREE: digraph
// TREE: digraph
// TREE-LABEL: func.func @one
// TREE-LABEL: func.func @two
func.func @one(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
func.func @two(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
