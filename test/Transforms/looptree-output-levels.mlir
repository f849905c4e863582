// An output kept at two on-chip levels (tpu_v4i_like, latency): the row
// sum generic_0 accumulates in a LocalBuffer tile inside the GlobalBuffer
// tile that its consumer reads; the partial sum is copied in (it reads its
// init) and drained back to the GlobalBuffer, never to a default-space
// buffer.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml objective=latency verify=true" %s | FileCheck %s

func.func @two_levels(%x: tensor<3x12xf32>, %b: tensor<12xf32>) -> tensor<12xf32> {
    %e1 = tensor.empty() : tensor<3xf32>
    %z2 = arith.constant 0.0 : f32
    %f3 = linalg.fill ins(%z2 : f32) outs(%e1 : tensor<3xf32>) -> tensor<3xf32>
    %v4 = linalg.generic {indexing_maps = [affine_map<(g, e) -> (g, e)>, affine_map<(g, e) -> (g)>], iterator_types = ["parallel", "reduction"]}
        ins(%x : tensor<3x12xf32>) outs(%f3 : tensor<3xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = arith.addf %a0, %acc : f32
      linalg.yield %r : f32
    } -> tensor<3xf32>
    %e5 = tensor.empty() : tensor<12xf32>
    %z6 = arith.constant 0.0 : f32
    %f7 = linalg.fill ins(%z6 : f32) outs(%e5 : tensor<12xf32>) -> tensor<12xf32>
    %v8 = linalg.generic {indexing_maps = [affine_map<(g, e) -> (g)>, affine_map<(g, e) -> (g, e)>, affine_map<(g, e) -> (e)>], iterator_types = ["reduction", "parallel"]}
        ins(%v4, %x : tensor<3xf32>, tensor<3x12xf32>) outs(%f7 : tensor<12xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<12xf32>
    %e9 = tensor.empty() : tensor<12xf32>
    %v10 = linalg.generic {indexing_maps = [affine_map<(e) -> (e)>, affine_map<(e) -> (e)>, affine_map<(e) -> (e)>], iterator_types = ["parallel"]}
        ins(%v8, %b : tensor<12xf32>, tensor<12xf32>) outs(%e9 : tensor<12xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %r = arith.addf %a0, %a1 : f32
      linalg.yield %r : f32
    } -> tensor<12xf32>
    return %v10 : tensor<12xf32>
}

// CHECK-LABEL: func.func @two_levels
// CHECK:      %[[OUT:.*]] = memref.alloc() : memref<12xf32>
// CHECK-NEXT: %[[G:.*]] = memref.alloc() : memref<3xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[G]] :
// CHECK-NOT:  memref.alloc() : memref<3xf32>
// CHECK:      scf.forall (%[[P:.*]]) in (3) {
// CHECK:        %[[L:.*]] = memref.alloc() : memref<1xf32, #ffm.level_space<"LocalBuffer">>
// CHECK-NEXT:   %[[IN:.*]] = memref.subview %[[G]][%[[P]]] [1] [1]
// CHECK-NEXT:   memref.copy %[[IN]], %[[L]]
// CHECK-NEXT:   scf.for
// CHECK:          %[[ACC:.*]] = memref.subview %[[L]][0] [1] [1]
// CHECK-NEXT:     linalg.generic {{.*}} outs(%[[ACC]] : {{.*}}) attrs = {ffm.einsum = "generic_0"
// CHECK-SAME:     keep generic_0.out in GlobalBuffer, par d0 : 3 in GlobalBuffer[0], keep arg0 in LocalBuffer, keep generic_0.out in LocalBuffer
// CHECK:        } {ffm.fanout = #ffm.fanout<"LocalBuffer", 1>}
// CHECK-NEXT:   %[[BACK:.*]] = memref.subview %[[G]][%[[P]]] [1] [1]
// CHECK-NEXT:   memref.copy %[[L]], %[[BACK]]
// CHECK-NEXT: } {mapping = [#ffm.fanout<"GlobalBuffer", 0>]}
// CHECK:      scf.forall
// CHECK:        memref.subview %[[G]][0] [3] [1]
// CHECK:        ffm.einsum = "generic_1"
// CHECK:        ffm.einsum = "generic_2"
// CHECK:        memref.copy %{{.*}}, %{{.*}} : memref<3xf32, #ffm.level_space<"LocalBuffer">> to memref<3xf32, strided<[1], offset: ?>>
// CHECK:      bufferization.to_tensor %[[OUT]]
