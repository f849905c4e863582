// Pads, slices and concatenations left in place are charged the DRAM
// traffic they move (docs/model.md, "Data movement ops"), in the search's
// total and in --ffm-evaluate's alike, rewritten or only annotated. The
// functions are evaluated in parallel, each one's lines in one piece.
// On small_2level (DRAM 100 pJ per read and per write, 8 data per cycle):
// the pad reads 4x6 = 24 and writes 6x8 = 48: 7200 pJ, 9 cycles; the slice
// reads and writes 2x8 = 16: 3200 pJ, 4 cycles. The ReLU's own 9648 pJ and
// 12 cycles make 20048 pJ and 25 cycles.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s | ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" -o /dev/null | FileCheck %s --check-prefix=EVAL
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false" %s | ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" -o /dev/null | FileCheck %s --check-prefix=EVAL
// The report's unfused baseline leaves the same ops in place: with one
// Einsum nothing fuses, so it is the total, moves and all.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false report=%t.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// REPORT:      "energy_pj": 20048
// REPORT:      "unfused": {
// REPORT-NEXT:   "energy_pj": 20048,
// REPORT-NEXT:   "latency_cycles": 25

// CHECK-LABEL: func.func @moves
// CHECK-SAME:  ffm.energy_pj = 2.004800e+04 : f64, ffm.latency_cycles = 2.500000e+01 : f64
// EVAL-DAG:    einsum generic_0: energy 9648 pJ, latency 12 cycles
// EVAL-DAG:    total @moves: energy 20048 pJ, latency 25 cycles
func.func @moves(%x: tensor<4x6xf32>) -> tensor<2x8xf32> {
  %z = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<4x6xf32> to tensor<6x8xf32>
  %e = tensor.empty() : tensor<6x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%p : tensor<6x8xf32>) outs(%e : tensor<6x8xf32>) {
  ^bb0(%u: f32, %o: f32):
    %t = arith.maximumf %u, %z : f32
    linalg.yield %t : f32
  } -> tensor<6x8xf32>
  %s = tensor.extract_slice %r[1, 0] [2, 8] [1, 1] : tensor<6x8xf32> to tensor<2x8xf32>
  return %s : tensor<2x8xf32>
}

// A concatenation reads its inputs and writes its result (2x4 + 2x4 into
// 4x4: 3200 pJ, 4 cycles); the slice moves 2x4 (1600 pJ, 2 cycles), and
// the insert_slice writes it into the destination in place (1600 pJ, 2
// cycles). With the ReLU's 3216 pJ and 4 cycles: 9616 pJ, 12 cycles.
// CHECK-LABEL: func.func @concat_insert
// CHECK-SAME:  ffm.energy_pj = 9.616000e+03 : f64, ffm.latency_cycles = 1.200000e+01 : f64
// EVAL-DAG:    einsum generic_0: energy 3216 pJ, latency 4 cycles
// EVAL-DAG:    total @concat_insert: energy 9616 pJ, latency 12 cycles
func.func @concat_insert(%a: tensor<2x4xf32>, %b: tensor<2x4xf32>, %d: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %z = arith.constant 0.0 : f32
  %c = tensor.concat dim(0) %a, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%c : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%u: f32, %o: f32):
    %t = arith.maximumf %u, %z : f32
    linalg.yield %t : f32
  } -> tensor<4x4xf32>
  %s = tensor.extract_slice %r[0, 0] [2, 4] [1, 1] : tensor<4x4xf32> to tensor<2x4xf32>
  %i = tensor.insert_slice %s into %d[1, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
  return %i : tensor<4x4xf32>
}
