// looptree= draws each fusion group's LoopTree as read back from the
// rewritten IR: loops, keep nodes per level, Einsums as leaves; the loops
// two Einsums share (fused) are bold and red.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=%t.dot" %s -o /dev/null
// RUN: FileCheck %s < %t.dot
// The same input draws the same file (loops are numbered as met).
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=%t.again.dot" %s -o /dev/null
// RUN: diff %t.dot %t.again.dot
// A name with a quote and a backslash stays one DOT string.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=%t.quoted.dot" %S/Inputs/quoted-name.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=QUOTED < %t.quoted.dot
// Nor may the report share the DOT's file, which would overwrite it.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.both looptree=%t.both" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=SAME
// Nor by another spelling of a file not written yet; a device takes both.
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.d/both looptree=%t.d/./new/../both" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: not ls %t.d/both
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=/dev/null looptree=/dev/null" %s -o /dev/null
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=%t.missing/x.dot" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml looptree=/dev/full" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=FULL
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false looptree=%t.none.dot" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOREWRITE
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false verify=true" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOREWRITE

// CHECK: digraph "chain" {
// CHECK: subgraph cluster_0 { label="group 0";
// CHECK: l0 [label="for m : 2", style=bold, color=red];
// CHECK: l1 [label="for n : 4", style=bold, color=red];
// CHECK: [label="keep arg0 in GlobalBuffer", shape=box];
// CHECK: t0 [label="matmul_0", shape=ellipse, style=filled];
// CHECK: t1 [label="matmul_1", shape=ellipse, style=filled];

// QUOTED: digraph "we\"ird\\name" {
// SAME: error: ffm-fuse: report= and looptree= name the same file '{{.*}}both'
// BAD: error: ffm-fuse: cannot write looptree '{{.*}}x.dot'
// FULL: error: ffm-fuse: cannot write looptree '/dev/full': No space left on device
// NOREWRITE: error: ffm-fuse: verify=true and looptree= read the rewritten IR back: they need rewrite=true
func.func @chain(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64x64xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f0 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64x16xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %1 = linalg.matmul ins(%0, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %1 : tensor<64x16xf32>
}
