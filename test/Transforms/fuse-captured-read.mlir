// A tensor a payload reads by itself (the tensor.extract of a gather, as
// tosa-to-linalg lowers tosa.gather; a reverse or a resize likewise) is
// read where no indexing map says. It must be whole, in DRAM, before that
// op runs: it escapes, as a pad's operand does, and no fusion group spans
// the reading op. Before, the clamp's output here could stay on chip only,
// fused into the next matmul, and the rewrite failed ("the rewritten op
// still has users").
// RUN: ffm-opt --mlir-disable-threading --ffm-einsum-graph %s -o /dev/null | FileCheck %s --check-prefix=GRAPH
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml objective=latency verify=true" %s -o /dev/null
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml report=%t.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// Executed against the original: test/Execution/body-ops-equivalence.test.

// GRAPH-LABEL: workload @gather_of_activation:
// GRAPH:         tensor generic_0.out [16x8] produced-by generic_0 escapes
// A function argument read so is in DRAM already: no barrier, the three
// Einsums fuse into one group.
// GRAPH-LABEL: workload @extract_of_argument:
// GRAPH-NOT:     escapes
// REPORT:        "fusion_groups": [
// REPORT-NEXT:     [
// REPORT-NEXT:       "matmul_0",
// REPORT-NEXT:       "generic_0",
// REPORT-NEXT:       "generic_1"
// REPORT-NEXT:     ]
// REPORT-NEXT:   ],
// REPORT:        "name": "extract_of_argument",

// CHECK-LABEL: func.func @gather_of_activation(
// The clamp writes its output to DRAM, which the gather's extract reads.
// CHECK:         %[[CLAMPED:.*]] = memref.alloc() : memref<16x8xf32>
// CHECK:         ffm.einsum = "generic_0"
// CHECK:         %[[T:.*]] = bufferization.to_tensor %[[CLAMPED]]
// CHECK:         ffm.einsum = "matmul_1"
// CHECK:         tensor.extract %[[T]][
func.func @gather_of_activation(%x: tensor<16x8xf32>, %w0: tensor<8x8xf32>, %ids: tensor<5xi32>, %w1: tensor<8x4xf32>) -> (tensor<5x8xf32>, tensor<16x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %big = arith.constant 6.0 : f32
  %e0 = tensor.empty() : tensor<16x8xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %m0 = linalg.matmul ins(%x, %w0 : tensor<16x8xf32>, tensor<8x8xf32>) outs(%f0 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %e1 = tensor.empty() : tensor<16x8xf32>
  %clamped = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m0 : tensor<16x8xf32>) outs(%e1 : tensor<16x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.maximumf %in, %zero : f32
    %hi = arith.minimumf %lo, %big : f32
    linalg.yield %hi : f32
  } -> tensor<16x8xf32>
  %e2 = tensor.empty() : tensor<16x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<16x4xf32>) -> tensor<16x4xf32>
  %m1 = linalg.matmul ins(%clamped, %w1 : tensor<16x8xf32>, tensor<8x4xf32>) outs(%f2 : tensor<16x4xf32>) -> tensor<16x4xf32>
  %e3 = tensor.empty() : tensor<5x8xf32>
  %rows = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<5xi32>) outs(%e3 : tensor<5x8xf32>) {
  ^bb0(%id: i32, %out: f32):
    %row = arith.index_cast %id : i32 to index
    %col = linalg.index 1 : index
    %v = tensor.extract %clamped[%row, %col] : tensor<16x8xf32>
    linalg.yield %v : f32
  } -> tensor<5x8xf32>
  return %rows, %m1 : tensor<5x8xf32>, tensor<16x4xf32>
}

func.func @extract_of_argument(%a: tensor<64x32xf32>, %t: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %m = linalg.matmul ins(%a, %t : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.maximumf %x, %z : f32
    linalg.yield %y : f32
  } -> tensor<64x64xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%r : tensor<64x64xf32>) outs(%e : tensor<64x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c31 = arith.constant 31 : index
    %c32 = arith.constant 32 : index
    %ii = arith.remui %i, %c32 : index
    %ri = arith.subi %c31, %ii : index
    %v = tensor.extract %t[%ri, %j] : tensor<32x64xf32>
    %s = arith.addf %x, %v : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %g : tensor<64x64xf32>
}
