// A row sum feeds the normalisation through a reshape (expand_shape), so it
// goes through DRAM, while the exp that both read is fused on chip: the
// group shares the loop over d0 : 2, and inside each of its iterations the
// row sums are finished and written back to DRAM before the normalisation
// copies them (through the expanded view) on chip again. This was rejected
// before ("copied in above loops shared with its producer") although the
// order is sound; the DeepSeek-R1 block hits it on small_2level.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @softmax_center
// CHECK:      %[[SUMS:.*]] = memref.alloc() : memref<12x40xf32>
// CHECK:      %[[VIEW:.*]] = memref.expand_shape %[[SUMS]] {{\[}}[0], [1, 2]] output_shape [12, 40, 1]
// CHECK:      scf.for %[[I:.*]] = %c0 to %c2
// CHECK:        ffm.einsum = "generic_0"
// CHECK:        %[[ACC:.*]] = memref.alloc() : memref<6x40xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:        linalg.reduce
// CHECK:        ffm.einsum = "reduce_0"
// CHECK:        %[[BACK:.*]] = memref.subview %[[SUMS]][%{{.*}}, 0] [6, 40] [1, 1]
// CHECK-NEXT:   memref.copy %[[ACC]], %[[BACK]]
// CHECK-NEXT:   %[[IN:.*]] = memref.alloc() : memref<6x40x1xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   affine.apply
// CHECK-NEXT:   %[[SRC:.*]] = memref.subview %[[VIEW]][%{{.*}}, 0, 0] [6, 40, 1] [1, 1, 1]
// CHECK-NEXT:   memref.copy %[[SRC]], %[[IN]]
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
