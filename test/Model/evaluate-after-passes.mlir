// ffm-fuse records the totals it mapped a function at (ffm.energy_pj,
// ffm.latency_cycles). --ffm-evaluate reads the same totals back from its
// output (and after --canonicalize, evaluate-canonicalized.mlir); where a
// pass since changed what it reads (scf-forall-to-for makes @relu's
// spread loop temporal, one-shot-bufferize turns @padconv's tensor.pad
// into a copy), it prints what it read with a warning naming the
// recorded totals, and where the tiles lost their marks it fails. A move
// that moves nothing (@pad_by_nothing), which the rewrite folds away, is
// charged nothing by either.
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=SAME
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --scf-forall-to-for --one-shot-bufferize --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CHANGED
// RUN: not ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --linalg-generalize-named-ops --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNMARKED

// SAME-NOT: warning
// SAME:     total @relu: energy 25728 pJ, latency 32 cycles
// SAME-NOT: warning
// SAME:     total @padconv: energy 126864 pJ, latency 1346 cycles
// SAME-NOT: warning
// SAME:     total @pad_by_nothing: energy
// SAME-NOT: warning

// CHANGED:      :[[@LINE+3]]:1: warning: ffm-evaluate: the IR reads back as 25728 pJ and 128 cycles, not the 25728 pJ and 32 cycles ffm-fuse mapped it at (ffm.energy_pj, ffm.latency_cycles): a pass since changed the loop trees or the moves between them (scf-forall-to-for makes spread loops temporal;
// CHANGED:      total @relu: energy 25728 pJ, latency 128 cycles
// CHANGED:      :[[@LINE+13]]:1: warning: ffm-evaluate: the IR reads back as 86864 pJ and 1296 cycles, not the 126864 pJ and 1346 cycles ffm-fuse mapped it at
func.func @relu(%x: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x8xf32>) outs(%e : tensor<16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// UNMARKED: :[[@LINE+1]]:1: error: ffm-evaluate: ffm-fuse rewrote this function (ffm.energy_pj), but no tile marked 'ffm.einsum' is left to read its mapping back from: a pass since (linalg-generalize-named-ops, convert-linalg-to-loops) dropped the marks; evaluate before it
func.func @padconv(%x: tensor<1x6x6x4xf32>, %w: tensor<3x3x4x4xf32>) -> tensor<1x6x6x4xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %z : f32
  } : tensor<1x6x6x4xf32> to tensor<1x8x8x4xf32>
  %e = tensor.empty() : tensor<1x6x6x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%p, %w : tensor<1x8x8x4xf32>, tensor<3x3x4x4xf32>) outs(%f : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return %c : tensor<1x6x6x4xf32>
}

func.func @pad_by_nothing(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>) -> tensor<8x8xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<8x4xf32> to tensor<8x4xf32>
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%p, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%f : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %m : tensor<8x8xf32>
}
