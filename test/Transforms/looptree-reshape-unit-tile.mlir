// A tile whose extents are all 1, read through a reshape that moves the
// tensor's one non-unit dimension (1x1x64 -> 1x64x1): its collapse_shape /
// expand_shape pair has the tile buffer's own type. The code generator's
// cleanup leaves the pair and its marks in place (folding it lost which
// dimension the tile walks, and verify=true refused the rewrite: "a loop
// walks two ranks"), and the loop above the scratchpad walks the
// intermediate's last dimension, the add's middle one.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @relu_add
// CHECK:      %[[G:.*]] = memref.alloc() : memref<1x1x64xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:      ffm.einsum = "generic_0"
// CHECK:      scf.for %[[I:.*]] = %c0 to %c64
// CHECK-NEXT:   %[[T:.*]] = memref.alloc() : memref<1x1x1xf32, #ffm.level_space<"InputScratchpad">>
// CHECK-NEXT:   %[[S:.*]] = memref.subview %[[G]][0, 0, %[[I]]] [1, 1, 1]
// CHECK-NEXT:   memref.copy %[[S]], %[[T]]
// CHECK:        %[[C:.*]] = memref.collapse_shape %[[T]] {{\[\[}}0, 1, 2]] {ffm.kept_dims = array<i1: false, false, true>}
// CHECK-NEXT:   %[[E:.*]] = memref.expand_shape %[[C]] {{\[\[}}0, 1, 2]] output_shape [1, 1, 1] {ffm.kept_dims = array<i1: false, true, false>}
// CHECK:        linalg.generic {{.*}} ins(%[[E]], %{{.*}} : {{.*}}) {{.*}}ffm.einsum = "generic_1"
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
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
