// A payload calling a function is refused (its effects are unknown there),
// and the refusal points at --inline: once inlined, the callee's body is
// the payload, free of effects, and the op is an Einsum like any other.
// RUN: ffm-opt --inline --ffm-einsum-graph --mlir-disable-threading %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not ffm-opt --ffm-einsum-graph %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=CALL

// CALL: error: ffm: the payload holds 'func.call'{{.*}} (a callee without effects is mapped once inlined: --inline first)
// CHECK-LABEL: workload @scaled
// CHECK: einsum generic_0 (linalg.generic) ranks {d0:4, d1:6}: generic_0.out[d0, d1] = arg0[d0, d1]
func.func private @double(%a: f32) -> f32 {
  %c = arith.constant 2.0 : f32
  %r = arith.mulf %a, %c : f32
  return %r : f32
}
func.func @scaled(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = func.call @double(%p) : (f32) -> f32
    linalg.yield %t : f32
  } -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}
