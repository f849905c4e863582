// Calls are not mapped through (each function is its own workload); with
// --inline first the callee's matmul and ReLU join the caller's matmul in
// one workload, and the caller is mapped and rewritten.
// RUN: not ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CALL
// RUN: ffm-opt --inline --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml report=%t.json" %s | FileCheck %s
// RUN: python3 -c "import json; print([len(f['einsums']) for f in json.load(open('%t.json'))['functions']])" | FileCheck %s --check-prefix=EINSUMS

// CALL: error: ffm: unsupported op 'func.call' in the workload; inline the calls first (--inline)
// CHECK-LABEL: func.func @top
// CHECK-SAME:    ffm.energy_pj
// CHECK-NOT:     func.call
// CHECK:         scf.for
// EINSUMS: [2, 3]

func.func @helper(%a: tensor<13x7xf32>, %b: tensor<7x11xf32>) -> tensor<13x11xf32> {
  %e = tensor.empty() : tensor<13x11xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<13x11xf32>) -> tensor<13x11xf32>
  %m = linalg.matmul ins(%a, %b : tensor<13x7xf32>, tensor<7x11xf32>) outs(%f : tensor<13x11xf32>) -> tensor<13x11xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<13x11xf32>) outs(%e : tensor<13x11xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.maximumf %x, %z : f32
    linalg.yield %y : f32
  } -> tensor<13x11xf32>
  return %r : tensor<13x11xf32>
}

func.func @top(%a: tensor<13x7xf32>, %b: tensor<7x11xf32>, %c: tensor<11x5xf32>) -> tensor<13x5xf32> {
  %h = func.call @helper(%a, %b) : (tensor<13x7xf32>, tensor<7x11xf32>) -> tensor<13x11xf32>
  %e = tensor.empty() : tensor<13x5xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<13x5xf32>) -> tensor<13x5xf32>
  %m = linalg.matmul ins(%h, %c : tensor<13x11xf32>, tensor<11x5xf32>) outs(%f : tensor<13x5xf32>) -> tensor<13x5xf32>
  return %m : tensor<13x5xf32>
}
