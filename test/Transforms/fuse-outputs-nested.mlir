// A report gathers the functions under the module the pass manager runs
// on, those of nested modules included (a pipeline that reaches them),
// whichever module's function writes first. Each chunk of
// --split-input-file is a module of its own: its run starts the file
// afresh, so the file holds the last chunk's functions.
// RUN: ffm-opt --pass-pipeline="builtin.module(builtin.module(func.func(ffm-fuse{arch-file=%S/Inputs/tight.yaml report=%t.json})))" %s -o /dev/null
// RUN: FileCheck %s < %t.json
// RUN: ffm-opt --split-input-file --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.split.json" %S/Inputs/two-chunks.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=SPLIT < %t.split.json
// Separate runs on functions of one module (the transform dialect's
// apply_registered_pass, a host running a pass manager per function)
// gather into one report.
// RUN: sed -e 's|ARCH|%S/Inputs/tight.yaml|; s|REPORT|%t.td.json|' %S/Inputs/per-function-runs.mlir | ffm-opt --transform-interpreter -o /dev/null
// RUN: FileCheck %s --check-prefix=RUNS < %t.td.json
// A chunk with nothing to map maps no function: its files hold none, not
// the chunk before's (they kept its results).
// RUN: ffm-opt --split-input-file --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.none.json looptree=%t.none.dot" %S/Inputs/chunk-without-einsums.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=NONE < %t.none.json
// RUN: not grep digraph %t.none.dot
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.none.json looptree=%t.none.dot" %S/Inputs/two-chunks.mlir -o /dev/null
// RUN: grep -c digraph %t.none.dot

// CHECK: "name": "a1"
// CHECK: "name": "a2"
// CHECK: "name": "b1"
// CHECK: "name": "b2"

// SPLIT-NOT: "name": "first"
// SPLIT: "name": "second"

// NONE: "functions": []
// RUNS: "name": "a"
// RUNS: "name": "b"
module @m1 {
  func.func @a1(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
  func.func @a2(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
}
module @m2 {
  func.func @b1(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
  func.func @b2(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
}
