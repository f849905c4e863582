// --ffm-fuse records the architecture it read from arch-file on each
// function it maps (ffm.arch), so --ffm-evaluate of its output needs no
// arch-file and reads back the figures it was mapped at (a warning
// otherwise). An arch-file given to --ffm-evaluate still wins.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/simba.yaml" %s -o %t.simba.mlir
// RUN: FileCheck %s --check-prefix=RECORD < %t.simba.mlir
// RUN: ffm-opt --mlir-disable-threading --ffm-evaluate %t.simba.mlir -o /dev/null > %t.recorded 2>&1
// RUN: FileCheck %s --check-prefix=EVAL < %t.recorded
// RUN: ffm-opt --mlir-disable-threading --ffm-evaluate="arch-file=%ffm_src/examples/arch/simba.yaml" %t.simba.mlir -o /dev/null > %t.file 2>&1
// RUN: diff %t.recorded %t.file
// RUN: not ffm-opt --mlir-disable-threading --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %t.simba.mlir -o /dev/null 2>&1 | FileCheck %s --check-prefix=OTHER
// Without the rewrite the #ffm.mapping attributes are evaluated on it too.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml rewrite=false" %s | ffm-opt --mlir-disable-threading --ffm-evaluate -o /dev/null 2>&1 | FileCheck %s --check-prefix=ANNOTATED

// RECORD-LABEL: func.func @chain(
// RECORD-SAME: ffm.arch = #ffm.arch<levels = [#ffm.level<name = "MainMemory"
// RECORD-SAME: datum_bits = {output = 24 : i64}
// RECORD-LABEL: func.func @single(
// RECORD-SAME: ffm.arch = #ffm.arch<levels = [#ffm.level<name = "MainMemory"
// A function with nothing to map records it too: its evaluation, empty,
// needs no file either (no remark).
// RECORD-LABEL: func.func @helper(
// RECORD-SAME: ffm.arch = #ffm.arch<levels = [#ffm.level<name = "MainMemory"

// EVAL-NOT: remark
// EVAL-NOT: warning
// EVAL: einsum matmul_0: energy
// EVAL: einsum matmul_1: energy
// EVAL: einsum matmul_0: energy
// EVAL-NOT: warning

// OTHER: error: ffm: fanout of level 'AccumulationBuffer', which the architecture does not have

// ANNOTATED-NOT: remark
// ANNOTATED: einsum matmul_0: energy
// ANNOTATED: einsum matmul_1: energy
// ANNOTATED: einsum matmul_0: energy

func.func @chain(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>,
                 %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64x64xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %a = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>)
                     outs(%f1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %b = linalg.matmul ins(%a, %w1 : tensor<64x64xf32>, tensor<64x16xf32>)
                     outs(%f2 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %b : tensor<64x16xf32>
}

func.func @single(%x: tensor<32x32xf32>, %w: tensor<32x32xf32>) -> tensor<32x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  %m = linalg.matmul ins(%x, %w : tensor<32x32xf32>, tensor<32x32xf32>)
                     outs(%f : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %m : tensor<32x32xf32>
}

func.func @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
