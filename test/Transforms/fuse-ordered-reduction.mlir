// A scan's step (acc * 0.5 + x) over its one reduction rank keeps the
// rank's order in its loops, but no fanout may spread the rank: each
// instance would scan its own part, and the model would add the parts as
// partial sums. The same shape summed spreads it (on both presets, for
// latency). The Einsum graph marks the scan.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/simba.yaml objective=latency verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml objective=latency verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-einsum-graph --mlir-disable-threading %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=GRAPH

// GRAPH-LABEL: workload @scan
// GRAPH: einsum generic_0 {{.*}} += arg0[d0, d1] (ordered)
// GRAPH-LABEL: workload @sum
// GRAPH-NOT: (ordered)
// GRAPH-LABEL: workload @scan_and_sum
// GRAPH: einsum generic_0 {{.*}} (ordered)
// GRAPH-NEXT: einsum generic_1 {{.*}} += arg0[d0, d1]{{$}}

// CHECK-LABEL: func.func @scan
// CHECK-NOT: par d1
// CHECK: ffm.mapping = #ffm.mapping<[{{.*}}for d1 : 16]>
// CHECK-NOT: par d1
// CHECK-LABEL: func.func @sum
// CHECK: ffm.mapping = #ffm.mapping<[{{.*}}par d1 : 8 in

#in2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @scan(%x: tensor<5x16xf32>) -> tensor<5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [#in2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x16xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %h = arith.constant 0.5 : f32
    %t = arith.mulf %acc, %h : f32
    %u = arith.addf %t, %p : f32
    linalg.yield %u : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}
func.func @sum(%x: tensor<5x16xf32>) -> tensor<5xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [#in2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x16xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %u = arith.addf %acc, %p : f32
    linalg.yield %u : f32
  } -> tensor<5xf32>
  return %r : tensor<5xf32>
}

// A scan and a sum of the same shape in one function: Einsums alike share
// one enumeration, but not these two.
// CHECK-LABEL: func.func @scan_and_sum
// CHECK-DAG: ffm.einsum = "generic_0"{{.*}}ffm.mapping = #ffm.mapping<[{{.*}}for d1 : 16]>
// CHECK-DAG: ffm.einsum = "generic_1"{{.*}}ffm.mapping = #ffm.mapping<[{{.*}}par d1 : 8 in
func.func @scan_and_sum(%x: tensor<5x16xf32>) -> (tensor<5xf32>, tensor<5xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<5xf32>) -> tensor<5xf32>
  %s = linalg.generic {indexing_maps = [#in2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x16xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %h = arith.constant 0.5 : f32
    %t = arith.mulf %acc, %h : f32
    %u = arith.addf %t, %p : f32
    linalg.yield %u : f32
  } -> tensor<5xf32>
  %r = linalg.generic {indexing_maps = [#in2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<5x16xf32>) outs(%f : tensor<5xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %u = arith.addf %acc, %p : f32
    linalg.yield %u : f32
  } -> tensor<5xf32>
  return %s, %r : tensor<5xf32>, tensor<5xf32>
}
