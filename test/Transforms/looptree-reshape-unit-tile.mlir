// A tile whose extents are all 1, read through a reshape that moves the
// tensor's one non-unit dimension (1x1x64 -> 1x64x1). A collapse_shape /
// expand_shape pair would have the tile buffer's own type, and folding
// (the code generator's cleanup, --canonicalize) replaced it by the buffer,
// marks and all: verify=true then refused the rewrite ("a loop walks two
// ranks"), and so did --ffm-evaluate after --canonicalize. The tile is
// transposed instead, its permutation taking the intermediate's last
// dimension to the add's middle one, which the loop above the scratchpad
// walks; canonicalization leaves it, and the read-back reproduces the
// report's totals. Where the view also changes the rank (1x1x64 read as
// 64x1, 64x1 as 1x1x64) the transpose is followed by one marked reshape:
// the pair it replaces merged under --canonicalize into one unmarked
// reshape, which the read-back refused.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml verify=true" %s | FileCheck %s
// A rewrite that drops the transpose's mark leaves the dimension a guess,
// which the read-back refuses:
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s | sed 's/ {ffm.kept_dims = array<i1: [a-z, ]*>}//' | not ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOST
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s | ffm-opt --canonicalize | ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" -o /dev/null | FileCheck %s --check-prefix=EVAL

// CHECK-LABEL: func.func @relu_add
// CHECK-SAME:  ffm.energy_pj = 15033.47557
// CHECK:      %[[G:.*]] = memref.alloc() : memref<1x1x64xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:      ffm.einsum = "generic_0"
// CHECK:      scf.for %[[I:.*]] = %c0 to %c64
// CHECK-NEXT:   %[[T:.*]] = memref.alloc() : memref<1x1x1xf32, #ffm.level_space<"InputScratchpad">>
// CHECK-NEXT:   %[[S:.*]] = memref.subview %[[G]][0, 0, %[[I]]] [1, 1, 1]
// CHECK-NEXT:   memref.copy %[[S]], %[[T]]
// CHECK-NOT:    memref.collapse_shape
// CHECK:        %[[V:.*]] = memref.transpose %[[T]] (d0, d1, d2) -> (d0, d2, d1) {ffm.kept_dims = array<i1: false, true, false>}
// CHECK:        linalg.generic {{.*}} ins(%[[V]], %{{.*}} : {{.*}}) {{.*}}ffm.einsum = "generic_1"

// CHECK-LABEL: func.func @relu_collapse
// CHECK:      scf.for
// CHECK:        %[[V:.*]] = memref.transpose %{{.*}} (d0, d1, d2) -> (d2, d0, d1) {ffm.kept_dims = array<i1: true, false, false>}
// CHECK-NEXT:   %[[C:.*]] = memref.collapse_shape %[[V]] {{\[\[}}0], [1, 2]] {ffm.kept_dims = array<i1: true, false, false>}
// CHECK:        linalg.generic {{.*}} ins(%[[C]], %{{.*}} : {{.*}}) {{.*}}ffm.einsum = "generic_1"

// CHECK-LABEL: func.func @relu_expand
// CHECK:      scf.for
// CHECK:        %[[V:.*]] = memref.transpose %{{.*}} (d0, d1) -> (d1, d0) {ffm.kept_dims = array<i1: false, true>}
// CHECK-NEXT:   %[[X:.*]] = memref.expand_shape %[[V]] {{\[\[}}0, 1], [2]] output_shape [1, 1, 1] {ffm.kept_dims = array<i1: false, false, true>}
// CHECK:        linalg.generic {{.*}} ins(%[[X]], %{{.*}} : {{.*}}) {{.*}}ffm.einsum = "generic_1"

// LOST: error: ffm: a reshape or transpose of a tile's unit dimensions has lost its 'ffm.kept_dims'
// Functions are evaluated in parallel, each one's lines written whole as it
// finishes:
// EVAL-DAG: total @relu_add: energy 15033.47558 pJ, latency 94.51757812 cycles
// EVAL-DAG: total @relu_collapse: energy 15033.47558 pJ, latency 94.51757812 cycles
// EVAL-DAG: total @relu_expand: energy 15033.47558 pJ, latency 94.51757812 cycles
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @relu_add(%a: tensor<1x1x64xf32>, %b: tensor<1x64x1xf32>) -> tensor<1x64x1xf32> {
  %e = tensor.empty() : tensor<1x1x64xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : tensor<1x1x64xf32>) outs(%e : tensor<1x1x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x1x64xf32>
  %c = tensor.collapse_shape %r [[0, 1], [2]] : tensor<1x1x64xf32> into tensor<1x64xf32>
  %x = tensor.expand_shape %c [[0], [1, 2]] output_shape [1, 64, 1] : tensor<1x64xf32> into tensor<1x64x1xf32>
  %e2 = tensor.empty() : tensor<1x64x1xf32>
  %s = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x64x1xf32>, tensor<1x64x1xf32>) outs(%e2 : tensor<1x64x1xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.addf %p, %q : f32
    linalg.yield %m : f32
  } -> tensor<1x64x1xf32>
  return %s : tensor<1x64x1xf32>
}

func.func @relu_collapse(%a: tensor<1x1x64xf32>, %b: tensor<64x1xf32>) -> tensor<64x1xf32> {
  %e = tensor.empty() : tensor<1x1x64xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : tensor<1x1x64xf32>) outs(%e : tensor<1x1x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x1x64xf32>
  %c = tensor.collapse_shape %r [[0, 1, 2]] : tensor<1x1x64xf32> into tensor<64xf32>
  %x = tensor.expand_shape %c [[0, 1]] output_shape [64, 1] : tensor<64xf32> into tensor<64x1xf32>
  %e2 = tensor.empty() : tensor<64x1xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<64x1xf32>, tensor<64x1xf32>) outs(%e2 : tensor<64x1xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.addf %p, %q : f32
    linalg.yield %m : f32
  } -> tensor<64x1xf32>
  return %s : tensor<64x1xf32>
}

func.func @relu_expand(%a: tensor<64x1xf32>, %b: tensor<1x1x64xf32>) -> tensor<1x1x64xf32> {
  %e = tensor.empty() : tensor<64x1xf32>
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<64x1xf32>) outs(%e : tensor<64x1xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x1xf32>
  %c = tensor.collapse_shape %r [[0, 1]] : tensor<64x1xf32> into tensor<64xf32>
  %x = tensor.expand_shape %c [[0, 1, 2]] output_shape [1, 1, 64] : tensor<64xf32> into tensor<1x1x64xf32>
  %e2 = tensor.empty() : tensor<1x1x64xf32>
  %s = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x1x64xf32>, tensor<1x1x64xf32>) outs(%e2 : tensor<1x1x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.addf %p, %q : f32
    linalg.yield %m : f32
  } -> tensor<1x1x64xf32>
  return %s : tensor<1x1x64xf32>
}
