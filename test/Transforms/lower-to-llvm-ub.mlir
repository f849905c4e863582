// A value left poison by a body (ub.poison, as canonicalizations produce)
// is lowered too: --ffm-lower-to-llvm leaves no op of a dialect without an
// LLVM translation, and the module translates to LLVM IR.
// RUN: ffm-opt --ffm-lower-to-llvm %s | FileCheck %s
// RUN: ffm-opt --ffm-lower-to-llvm %s | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: llvm.func @poison
// CHECK: llvm.mlir.poison : f32
// CHECK-NOT: ub.poison
// CHECK-NOT: unrealized_conversion_cast
// LLVM: define {{.*}} @poison(
func.func @poison(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %p = ub.poison : f32
    linalg.yield %p : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
