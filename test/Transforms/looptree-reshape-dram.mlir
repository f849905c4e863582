// A row sum feeds the normalisation through a reshape. A reshape that only
// adds a unit dimension is transparent: exp and row sums stay on chip in
// one group under the loop over d0 : 2, and the normalisation reads the
// sums' on-chip tile expanded for it.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" -split-input-file %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/test/Transforms/Inputs/tight.yaml objective=latency verify=true" -split-input-file %s -o /dev/null

// CHECK-LABEL: func.func @softmax_center
// CHECK-NOT:  memref.alloc() : memref<12x40xf32>
// CHECK:      scf.for %{{.*}} = %c0 to %c2
// CHECK:        %[[SUMS:.*]] = memref.alloc() : memref<6x40xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:        ffm.einsum = "generic_0"
// CHECK:        ffm.einsum = "reduce_0"
// CHECK:        %[[TILE:.*]] = memref.subview %[[SUMS]]
// CHECK-NEXT:   memref.expand_shape %[[TILE]] {{\[}}[0], [1, 2]] output_shape [1, 1, 1] {ffm.kept_dims = array<i1: true, true, false>}
// CHECK:        ffm.einsum = "generic_1"
// CHECK:      return

#id = affine_map<(a, b, c) -> (a, b, c)>
#row = affine_map<(a, b, c) -> (a, b)>
#bc = affine_map<(a, b, c) -> (a, b, 0)>
func.func @softmax_center(%x: tensor<12x40x40xf32>) -> tensor<12x40x40xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<12x40x40xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<12x40x40xf32>) outs(%e0 : tensor<12x40x40xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<12x40x40xf32>
  %e1 = tensor.empty() : tensor<12x40xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<12x40xf32>) -> tensor<12x40xf32>
  %s = linalg.reduce ins(%t : tensor<12x40x40xf32>) outs(%f1 : tensor<12x40xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %s1 = tensor.expand_shape %s [[0], [1, 2]] output_shape [12, 40, 1] : tensor<12x40xf32> into tensor<12x40x1xf32>
  %e2 = tensor.empty() : tensor<12x40x40xf32>
  %d = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%t, %s1 : tensor<12x40x40xf32>, tensor<12x40x1xf32>) outs(%e2 : tensor<12x40x40xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<12x40x40xf32>
  return %d : tensor<12x40x40xf32>
}

// -----

// Through a reshape that merges the rows (12x40 into 480, then back): a
// loop shared by the row sums and the normalisation would not walk the
// sums along one dimension in both, so the normalisation could read sums
// still being reduced. The first search finds such a group; ffm-fuse
// searches again with no group spanning the normalisation (docs/rewrite.md),
// and the sums go through DRAM before it.
// CHECK-LABEL: func.func @softmax_merged
// CHECK:      %[[SUMS:.*]] = memref.alloc() : memref<12x40xf32>
// CHECK:      ffm.einsum = "reduce_0"
// CHECK:      %[[T:.*]] = bufferization.to_tensor %[[SUMS]]
// CHECK-NEXT: tensor.collapse_shape %[[T]]
// CHECK:      ffm.einsum = "generic_1"
// CHECK:      return

#id2 = affine_map<(a, b, c) -> (a, b, c)>
#row2 = affine_map<(a, b, c) -> (a, b)>
#bc2 = affine_map<(a, b, c) -> (a, b, 0)>
func.func @softmax_merged(%x: tensor<12x40x40xf32>) -> tensor<12x40x40xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<12x40x40xf32>
  %t = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<12x40x40xf32>) outs(%e0 : tensor<12x40x40xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<12x40x40xf32>
  %e1 = tensor.empty() : tensor<12x40xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<12x40xf32>) -> tensor<12x40xf32>
  %s = linalg.reduce ins(%t : tensor<12x40x40xf32>) outs(%f1 : tensor<12x40xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %r = arith.addf %in, %acc : f32
      linalg.yield %r : f32
    }
  %m = tensor.collapse_shape %s [[0, 1]] : tensor<12x40xf32> into tensor<480xf32>
  %s1 = tensor.expand_shape %m [[0, 1, 2]] output_shape [12, 40, 1] : tensor<480xf32> into tensor<12x40x1xf32>
  %e2 = tensor.empty() : tensor<12x40x40xf32>
  %d = linalg.generic {indexing_maps = [#id2, #bc2, #id2], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%t, %s1 : tensor<12x40x40xf32>, tensor<12x40x1xf32>) outs(%e2 : tensor<12x40x40xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.divf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<12x40x40xf32>
  return %d : tensor<12x40x40xf32>
}
