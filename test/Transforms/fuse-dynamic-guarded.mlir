// Dynamic sizes the loops cannot serve at runtime keep the scf.if guard:
// the mapped body at the mapped sizes, the original ops at any other
// (test/Execution/dynamic-equivalence.test runs both at other sizes).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" -split-input-file %s | FileCheck %s

// A size read as a value (a mean's 1/L) is folded to its mapped value by
// the specialisation: the mapped body runs only at the mapped sizes, the
// original ops at any other.
// CHECK-LABEL: func.func @mean
// CHECK:       %[[L:.*]] = tensor.dim %arg0, %c1 : tensor<6x?xf32>
// CHECK:       %[[EQ:.*]] = arith.cmpi eq, %[[L]], %c16 : index
// CHECK:       scf.if %{{.*}} -> (tensor<6xf32>) {
// CHECK:         arith.divf %{{.*}}, %cst
// CHECK:       } else {
// CHECK:         %[[LI:.*]] = arith.index_cast
// CHECK:         %[[LF:.*]] = arith.sitofp %[[LI]]
// CHECK:         arith.divf %{{.*}}, %[[LF]] : f32
// CHECK:       } {ffm.dim_sizes = array<i64: 16>}
func.func @mean(%x: tensor<6x?xf32>) -> tensor<6xf32> attributes {ffm.dim_sizes = array<i64: 16>} {
  %c1 = arith.constant 1 : index
  %l = tensor.dim %x, %c1 : tensor<6x?xf32>
  %li = arith.index_cast %l : index to i64
  %lf = arith.sitofp %li : i64 to f32
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<6xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<6xf32>) -> tensor<6xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(r, c) -> (r, c)>, affine_map<(r, c) -> (r)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<6x?xf32>) outs(%f0 : tensor<6xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<6xf32>
  %e1 = tensor.empty() : tensor<6xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(r) -> (r)>, affine_map<(r) -> (r)>], iterator_types = ["parallel"]} ins(%s : tensor<6xf32>) outs(%e1 : tensor<6xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.divf %a, %lf : f32
    linalg.yield %v : f32
  } -> tensor<6xf32>
  return %m : tensor<6xf32>
}

// -----

// An output shaped like an argument that no op reads (only its length
// is): no loop walks that length at runtime, so the guard stays.
// CHECK-LABEL: func.func @causal_mask
// CHECK:       scf.if
// CHECK:       } else {
// CHECK:         tensor.empty(%{{.*}}, %{{.*}}) : tensor<?x?xf32>
// CHECK:       } {ffm.dim_sizes = array<i64: 6>}
func.func @causal_mask(%tokens: tensor<?xi32>) -> tensor<?x?xf32> attributes {ffm.dim_sizes = array<i64: 6>} {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %tokens, %c0 : tensor<?xi32>
  %e = tensor.empty(%n, %n) : tensor<?x?xf32>
  %o = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf32>) {
  ^bb0(%o0: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %gt = arith.cmpi ugt, %j, %i : index
    %neg = arith.constant -1.0e9 : f32
    %zero = arith.constant 0.0 : f32
    %v = arith.select %gt, %neg, %zero : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %o : tensor<?x?xf32>
}
