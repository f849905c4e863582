// A producer with two consumers in one fusion group (eyeriss_like, energy):
// the producer runs once per iteration of its own loops, into one
// scratchpad tile that both consumers read; no clone per consumer, no
// default-space copy of the intermediate. The row sum's spatial loop over
// its reduction rank f is an scf.for marked with its fanout.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml verify=true" %s | FileCheck %s

func.func @fan_out(%x: tensor<12x9x13xf32>) -> (tensor<12x9x13xf32>, tensor<12x9xf32>) {
    %e1 = tensor.empty() : tensor<12x9x13xf32>
    %v2 = linalg.generic {indexing_maps = [affine_map<(e, d, f) -> (e, d, f)>, affine_map<(e, d, f) -> (e, d, f)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%x : tensor<12x9x13xf32>) outs(%e1 : tensor<12x9x13xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %zero = arith.constant 0.0 : f32
      %r = arith.maximumf %a0, %zero : f32
      linalg.yield %r : f32
    } -> tensor<12x9x13xf32>
    %e3 = tensor.empty() : tensor<12x9x13xf32>
    %v4 = linalg.generic {indexing_maps = [affine_map<(e, d, f) -> (e, d, f)>, affine_map<(e, d, f) -> (e, d, f)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%v2 : tensor<12x9x13xf32>) outs(%e3 : tensor<12x9x13xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = math.exp %a0 : f32
      linalg.yield %r : f32
    } -> tensor<12x9x13xf32>
    %e5 = tensor.empty() : tensor<12x9xf32>
    %z6 = arith.constant 0.0 : f32
    %f7 = linalg.fill ins(%z6 : f32) outs(%e5 : tensor<12x9xf32>) -> tensor<12x9xf32>
    %v8 = linalg.generic {indexing_maps = [affine_map<(e, d, f) -> (e, d, f)>, affine_map<(e, d, f) -> (e, d)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%v2 : tensor<12x9x13xf32>) outs(%f7 : tensor<12x9xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = arith.addf %a0, %acc : f32
      linalg.yield %r : f32
    } -> tensor<12x9xf32>
    return %v4, %v8 : tensor<12x9x13xf32>, tensor<12x9xf32>
}

// CHECK-LABEL: func.func @fan_out
// CHECK-NOT:  memref.alloc() : memref<12x9x13xf32, #ffm.level_space
// CHECK:      scf.for %[[E:.*]] = %c0 to %c2
// CHECK-NEXT:   scf.forall (%[[D:.*]]) in (9) {
// CHECK-NEXT:     scf.for %[[F:.*]] = %c0 to %c13
// CHECK-NEXT:       %[[T:.*]] = memref.alloc() : memref<6x1x1xf32, #ffm.level_space<"Scratchpad">>
// CHECK-NEXT:       scf.for %[[I0:.*]] = %c0 to %c6
// CHECK:              %[[W:.*]] = memref.subview %[[T]][%[[I0]], 0, 0] [1, 1, 1]
// CHECK:              linalg.generic {{.*}} outs(%[[W]] : {{.*}}) attrs = {ffm.einsum = "generic_0"
// CHECK:            scf.for %[[I1:.*]] = %c0 to %c6
// CHECK-NEXT:         %[[R1:.*]] = memref.subview %[[T]][%[[I1]], 0, 0] [1, 1, 1]
// CHECK:              linalg.generic {{.*}} ins(%[[R1]] : {{.*}}) attrs = {ffm.einsum = "generic_1"
// CHECK:            scf.for %[[I2:.*]] = %c0 to %c6
// CHECK-NEXT:         %[[R2:.*]] = memref.subview %[[T]][%[[I2]], 0, 0] [1, 1, 1]
// CHECK:              linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[R2]] : {{.*}}) attrs = {ffm.einsum = "generic_2"
// CHECK:          } {ffm.fanout = #ffm.fanout<"GlobalBuffer", 1>}
// CHECK-NEXT:   } {mapping = [#ffm.fanout<"GlobalBuffer", 0>]}
// CHECK-NOT:  ffm.einsum = "generic_0"
// CHECK:      return

