// A reshape that adds or drops a tile's unit dimensions carries which of
// them are the tensor's (ffm.kept_dims). The code generator reshapes a
// whole buffer itself, not a view of all of it, so --canonicalize has no
// view to fold into the reshape and keeps the mark: the ReLU's input tile on
// `eyeriss` reads back with the totals of the output as emitted.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --canonicalize --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --canonicalize %s | FileCheck %s --check-prefix=MARKED
// A rewrite that drops the mark leaves the tile's dimension a guess, which
// the read-back refuses:
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s | sed 's/ {ffm.kept_dims = array<i1: [a-z, ]*>}//' | not ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOST

// CHECK: total @ffn: energy 123573.0892 pJ, latency 642.3515625 cycles
// MARKED-LABEL: func.func @ffn
// MARKED: %[[T:.*]] = memref.alloc() : memref<1x1xf32, #ffm.level_space<"InputScratchpad">>
// MARKED: memref.expand_shape %[[T]] {{\[\[}}0, 1], [2]] output_shape [1, 1, 1] {ffm.kept_dims = array<i1: false, true, true>}
// LOST: error: ffm: a reshape or transpose of a tile's unit dimensions has lost its 'ffm.kept_dims' (rebuilt by a rewrite after --ffm-fuse): which of them the tile walks is unknown

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @ffn(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<8x16xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h3 = tensor.expand_shape %h [[0, 1], [2]] output_shape [1, 8, 32] : tensor<8x32xf32> into tensor<1x8x32xf32>
  %e3 = tensor.empty() : tensor<1x8x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%h3 : tensor<1x8x32xf32>) outs(%e3 : tensor<1x8x32xf32>) {
  ^bb0(%a: f32, %b: f32):
    %v = arith.maximumf %a, %z : f32
    linalg.yield %v : f32
  } -> tensor<1x8x32xf32>
  %r2 = tensor.collapse_shape %r [[0, 1], [2]] : tensor<1x8x32xf32> into tensor<8x32xf32>
  %e2 = tensor.empty() : tensor<8x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  %o = linalg.matmul ins(%r2, %w2 : tensor<8x32xf32>, tensor<32x16xf32>) outs(%f2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %o : tensor<8x16xf32>
}
