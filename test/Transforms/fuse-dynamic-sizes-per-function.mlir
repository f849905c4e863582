// dim-sizes is the default for functions without sizes of their own: a
// function's ffm.dim_sizes wins, so one run maps functions with different
// numbers of dynamic dimensions.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24 verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @rows_from_option(%arg0: tensor<?x16xf32>
// CHECK-SAME:  ffm.dim_sizes = array<i64: 24>
// CHECK:       linalg.matmul {ffm.einsum = "matmul_0"
func.func @rows_from_option(%x: tensor<?x16xf32>, %w: tensor<16x32xf32>) -> tensor<?x32xf32> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x32xf32>) outs(%f : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %h : tensor<?x32xf32>
}

// CHECK-LABEL: func.func @own_sizes(%arg0: tensor<?x?xf32>
// CHECK-SAME:  ffm.dim_sizes = array<i64: 8, 12, 12>
// CHECK:       linalg.matmul {ffm.einsum = "matmul_0"
func.func @own_sizes(%x: tensor<?x?xf32>, %w: tensor<?x32xf32>) -> tensor<?x32xf32> attributes {ffm.dim_sizes = array<i64: 8, 12, 12>} {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x?xf32>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<?x?xf32>, tensor<?x32xf32>) outs(%f : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %h : tensor<?x32xf32>
}
