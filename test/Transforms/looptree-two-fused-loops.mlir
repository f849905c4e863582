// Two fused loops over one rank (max-fused-loops-per-rank=0, a 64-byte
// global buffer): f (12) is split into f : 6 above d : 11 and f : 2 below
// it, and all three loops are shared by the producer and both of its
// consumers, emitted once: the intermediate's 1x1x9 tile lives under all
// of them, and its f offset is the outer loop's 2 * i plus the inner one's.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tiny.yaml max-fused-loops-per-rank=0 verify=true" %s | FileCheck %s
// With one fused loop per rank (the default) no two loops over f sit above
// the intermediate.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tiny.yaml verify=true" %s | FileCheck %s --check-prefix=ONE

// CHECK-LABEL: func.func @two_loops
// CHECK:      scf.for %[[F0:.*]] = %c0 to %c6
// CHECK:        scf.for %[[D:.*]] = %c0 to %c11
// CHECK:          scf.for %[[F1:.*]] = %c0 to %c2
// CHECK-NEXT:       %[[T:.*]] = memref.alloc() : memref<1x1x9xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:       scf.for %[[A0:.*]] = %c0 to %c9
// CHECK-NEXT:         memref.subview %{{.*}}[%[[F1]], %[[A0]]] [1, 1]
// CHECK-NEXT:         memref.subview %{{.*}}[%[[D]]] [1]
// CHECK-NEXT:         memref.subview %[[T]][0, 0, %[[A0]]] [1, 1, 1]
// CHECK-NEXT:         linalg.generic {{.*}}ffm.einsum = "generic_0"
// CHECK-SAME:         for d0 : 6, {{.*}}for d2 : 11, for d0 : 2, keep generic_0.out in GlobalBuffer
// CHECK:            scf.for %[[A1:.*]] = %c0 to %c9
// CHECK-NEXT:         memref.subview %[[T]][0, 0, %[[A1]]] [1, 1, 1]
// CHECK:              ffm.einsum = "generic_1"
// CHECK:            scf.for %[[A2:.*]] = %c0 to %c9
// CHECK-NEXT:         memref.subview %[[T]][0, 0, %[[A2]]] [1, 1, 1]
// CHECK:              ffm.einsum = "generic_2"
// CHECK-NOT:  ffm.einsum
// CHECK:      return

// ONE-LABEL: func.func @two_loops
// ONE-NOT: for d0 : {{[0-9]+}}, {{[^]]*}}for d0 : {{[0-9]+}}, keep generic_0.out in GlobalBuffer
// ONE:     return
func.func @two_loops(%x: tensor<12x9xf32>, %b: tensor<11xf32>) -> (tensor<11x12xf32>, tensor<12x11xf32>) {
    %e1 = tensor.empty() : tensor<11x12x9xf32>
    %v2 = linalg.generic {indexing_maps = [affine_map<(f, a, d) -> (f, a)>, affine_map<(f, a, d) -> (d)>, affine_map<(f, a, d) -> (d, f, a)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%x, %b : tensor<12x9xf32>, tensor<11xf32>) outs(%e1 : tensor<11x12x9xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %r = arith.addf %a0, %a1 : f32
      linalg.yield %r : f32
    } -> tensor<11x12x9xf32>
    %e3 = tensor.empty() : tensor<11x12xf32>
    %z4 = arith.constant 0.0 : f32
    %f5 = linalg.fill ins(%z4 : f32) outs(%e3 : tensor<11x12xf32>) -> tensor<11x12xf32>
    %v6 = linalg.generic {indexing_maps = [affine_map<(d, f, a) -> (d, f, a)>, affine_map<(d, f, a) -> (d, f)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%v2 : tensor<11x12x9xf32>) outs(%f5 : tensor<11x12xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = arith.addf %a0, %acc : f32
      linalg.yield %r : f32
    } -> tensor<11x12xf32>
    %e7 = tensor.empty() : tensor<12x11xf32>
    %z8 = arith.constant 0.0 : f32
    %f9 = linalg.fill ins(%z8 : f32) outs(%e7 : tensor<12x11xf32>) -> tensor<12x11xf32>
    %v10 = linalg.generic {indexing_maps = [affine_map<(d, f, a) -> (d, f, a)>, affine_map<(d, f, a) -> (f, a)>, affine_map<(d, f, a) -> (f, d)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%v2, %x : tensor<11x12x9xf32>, tensor<12x9xf32>) outs(%f9 : tensor<12x11xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<12x11xf32>
    return %v6, %v10 : tensor<11x12xf32>, tensor<12x11xf32>
}
