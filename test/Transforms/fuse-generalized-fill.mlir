// A fill written as a linalg.generic (as linalg-generalize-named-ops
// writes one, or with the constant in its body) initialises its consumer
// for free, as linalg.fill does: no Einsum of its own, not read as data,
// and each on-chip tile of the output starts from the scalar. So the three
// forms of one chain map to the same optimum (the same recorded energy and
// latency), and the rewritten tiles are filled in place.
// RUN: ffm-opt --mlir-disable-threading --ffm-einsum-graph %s -o /dev/null | FileCheck %s --check-prefix=GRAPH
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --mlir-disable-threading --ffm-count-iterations %s -o /dev/null | FileCheck %s --check-prefix=COUNT
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --ffm-count-iterations %s -o /dev/null | FileCheck %s --check-prefix=COUNT
// Executed against the original: test/Execution/generalized-fill-equivalence.test.

// GRAPH-LABEL: workload @named: 2 einsums, 5 tensors, 1 edges
// GRAPH-LABEL: workload @generalized: 2 einsums, 5 tensors, 1 edges
// GRAPH:       einsum generic_0 (linalg.generic) ranks {d0:64, d1:64, d2:32+}: generic_0.out[d0, d1] += arg0[d0, d2] arg1[d2, d1]
// GRAPH-NEXT:  einsum generic_1 (linalg.generic) ranks {d0:64, d1:16, d2:64+}: generic_1.out[d0, d1] += generic_0.out[d0, d2] arg2[d2, d1]
// GRAPH-LABEL: workload @body_constant: 2 einsums, 5 tensors, 1 edges
// GRAPH:       einsum matmul_0 (linalg.matmul) ranks {m:64, n:64, k:32+}: matmul_0.out[m, n] += arg0[m, k] arg1[k, n]
// GRAPH-NEXT:  einsum matmul_1 (linalg.matmul) ranks {m:64, n:16, k:64+}: matmul_1.out[m, n] += matmul_0.out[m, k] arg2[k, n]
// A fill read as data is a constant tensor, as linalg.fill's is.
// GRAPH-LABEL: workload @fill_as_data: 1 einsums, 3 tensors, 0 edges
// GRAPH:       tensor cst0 [8x4] input
// GRAPH:       einsum generic_0 (linalg.generic) ranks {d0:8, d1:4}: generic_0.out[d0, d1] = arg0[d0, d1] cst0[d0, d1]

// CHECK-LABEL: func.func @named(
// CHECK-SAME:    ffm.energy_pj = [[E:[^ ]+]] : f64, ffm.latency_cycles = [[L:[^ ]+]] : f64
// CHECK-LABEL: func.func @generalized(
// CHECK-SAME:    ffm.energy_pj = [[E]] : f64, ffm.latency_cycles = [[L]] : f64
// CHECK-NOT:     linalg.generic {{.*}}ins(%{{.*}} : f32)
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<64x64xf32, #ffm.level_space<"GlobalBuffer">>)
// CHECK-LABEL: func.func @body_constant(
// CHECK-SAME:    ffm.energy_pj = [[E]] : f64, ffm.latency_cycles = [[L]] : f64
// CHECK:         %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         linalg.fill ins(%[[HALF]] : f32) outs(%{{.*}} : memref<64x64xf32, #ffm.level_space<"GlobalBuffer">>)
// CHECK-LABEL: func.func @fill_as_data(

// The fills are not counted, as linalg.fill is not, before the rewrite
// and after it.
// COUNT:      iterations @named: 196608
// COUNT-NEXT:   {{.*}} 131072
// COUNT-NEXT:   {{.*}} 65536
// COUNT-NEXT: iterations @generalized: 196608
// COUNT-NEXT:   {{.*}} 131072
// COUNT-NEXT:   {{.*}} 65536
// COUNT-NEXT: iterations @body_constant: 196608
// COUNT-NEXT:   {{.*}} 131072
// COUNT-NEXT:   {{.*}} 65536
// COUNT-NEXT: iterations @fill_as_data: 32

func.func @named(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %half = arith.constant 0.5 : f32
  %e1 = tensor.empty() : tensor<64x64xf32>
  %f1 = linalg.fill ins(%half : f32) outs(%e1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %m1 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %f2 = linalg.fill ins(%half : f32) outs(%e2 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %m2 = linalg.matmul ins(%m1, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f2 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %m2 : tensor<64x16xf32>
}

// @named after linalg-generalize-named-ops.
func.func @generalized(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %half = arith.constant 0.5 : f32
  %e1 = tensor.empty() : tensor<64x64xf32>
  %f1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%half : f32) outs(%e1 : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x64xf32>
  %m1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f1 : tensor<64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %f2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%half : f32) outs(%e2 : tensor<64x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x16xf32>
  %m2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%m1, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f2 : tensor<64x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x16xf32>
  return %m2 : tensor<64x16xf32>
}

// The constant inside the fill's body, which the rewrite clones.
func.func @body_constant(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e1 = tensor.empty() : tensor<64x64xf32>
  %f1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e1 : tensor<64x64xf32>) {
  ^bb0(%out: f32):
    %c = arith.constant 0.5 : f32
    linalg.yield %c : f32
  } -> tensor<64x64xf32>
  %m1 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %f2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e2 : tensor<64x16xf32>) {
  ^bb0(%out: f32):
    %c = arith.constant 0.5 : f32
    linalg.yield %c : f32
  } -> tensor<64x16xf32>
  %m2 = linalg.matmul ins(%m1, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f2 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %m2 : tensor<64x16xf32>
}

func.func @fill_as_data(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<8x4xf32>
  %f = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%two : f32) outs(%e : tensor<8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x4xf32>
  %e2 = tensor.empty() : tensor<8x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %f : tensor<8x4xf32>, tensor<8x4xf32>) outs(%e2 : tensor<8x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}
