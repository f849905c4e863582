// --ffm-erase-memory-spaces leaves IR a host tool reads without the ffm
// dialect: no memory space, no ffm.* annotation, and no #ffm.fanout in a
// spread loop's scf.forall mapping (the loop stays, unmapped), so stock
// mlir-opt parses it.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --one-shot-bufferize="bufferize-function-boundaries" --ffm-erase-memory-spaces %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --one-shot-bufferize="bufferize-function-boundaries" --ffm-erase-memory-spaces %s | mlir-opt -o /dev/null

// CHECK-LABEL: func.func @relu(
// CHECK-NOT:     ffm
// CHECK:         scf.forall
// CHECK-NOT:     ffm
// CHECK:         return
func.func @relu(%x: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x8xf32>) outs(%e : tensor<16x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
