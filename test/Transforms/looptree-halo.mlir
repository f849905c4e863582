// Fusion through a window dimension (docs/model.md, "Halo co-tiling"): a
// 3x3 convolution (15 output rows) feeds a stride-2 3x3 one that reads its
// rows 2p + r. On a 512-byte buffer the 15x15x4 intermediate does not fit
// whole; fused over the consumer's p (7 iterations) each iteration needs
// rows [2i, 2i + 3): the producer's `for p : 7 halo 3 step 2` recomputes
// them (21 rows for 15, 22680 MACs charged), a 3x15x4 on-chip tile. The
// shared loop runs 7 times; the producer's input rows start at 2i and span
// 2 + 3 = 5, its output tile is the span-sized buffer the consumer reads
// at row r (relative to the tile's first row, 2i). Without halo loops the
// chain does not fuse here (see the last RUN) and costs more.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/halo.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/halo.yaml halo-fusion=false verify=true" %s | FileCheck %s --check-prefix=PLAIN
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/halo.yaml" %s | ffm-opt --ffm-evaluate="arch-file=%S/Inputs/halo.yaml" | FileCheck %s --check-prefix=EVAL
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/halo.yaml" %s | ffm-opt --ffm-count-iterations | FileCheck %s --check-prefix=COUNT
// RUN: ffm-opt --ffm-count-iterations %s | FileCheck %s --check-prefix=ORIG

// CHECK-DAG: #[[STEP:.*]] = affine_map<(d0) -> (d0 * 2)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1) -> (d0 * 2 + d1)>
// CHECK-LABEL: func.func @chain
// CHECK-SAME: ffm.energy_pj = 4.432950e+05
// CHECK:      scf.for %[[P:.*]] = %c0 to %c7 step %c1 {
// CHECK-NEXT:   %[[T:.*]] = memref.alloc() : memref<1x3x15x4xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   linalg.fill ins(%{{.*}} : f32) outs(%[[T]]
// CHECK-NEXT:   %[[X:.*]] = memref.alloc() : memref<1x5x17x2xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   %[[ROW:.*]] = affine.apply #[[STEP]](%[[P]])
// CHECK-NEXT:   memref.subview %{{.*}}[0, %[[ROW]], 0, 0] [1, 5, 17, 2]
// CHECK:        scf.for %{{.*}} = %c0 to %c3 step %c1 {
// CHECK-NEXT:     scf.for %{{.*}} = %c0 to %c15 step %c1 {
// CHECK:          linalg.conv_2d_nhwc_hwcf {{.*}}ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for p : 7 halo 3 step 2, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 3, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>
// The consumer, under the same loop, reads the tile at row r.
// CHECK:        scf.for %[[Q:.*]] = %c0 to %c7 step %c1 {
// CHECK-NEXT:     scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK-NEXT:       scf.for %[[R:.*]] = %c0 to %c3 step %c1 {
// CHECK-NEXT:         scf.for %[[S:.*]] = %c0 to %c3 step %c1 {
// CHECK-NEXT:           scf.for %[[C:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:             %[[COL:.*]] = affine.apply #[[WIN]](%[[Q]], %[[S]])
// CHECK-NEXT:             memref.subview %[[T]][0, %[[R]], %[[COL]], %[[C]]] [1, 1, 1, 1]
// CHECK:                  linalg.conv_2d_nhwc_hwcf {{.*}}ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer,
// CHECK-NOT: memref.alloc() : memref<1x15x15x4xf32

// PLAIN: func.func @chain{{.*}}ffm.energy_pj = 5.298550e+05
// PLAIN-NOT: halo

// EVAL: einsum conv_2d_nhwc_hwcf_0: energy 342295 pJ, latency 22680 cycles, macs 22680

// The recomputation is what the model charges: 7 x 3 rows for 15, 16200
// MACs x 21 / 15 = 22680, plus the consumer's 7056.
// ORIG: iterations @chain: 23256
// COUNT: iterations @chain: 29736
func.func @chain(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x15x15x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
        ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %e2 = tensor.empty() : tensor<1x7x7x4xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
        ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  return %c2 : tensor<1x7x7x4xf32>
}
