// dim-sizes on a function with nothing dynamic: it is mapped at its own
// sizes, and a remark says the option was not used for it.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24" -verify-diagnostics %s | FileCheck %s
// Without an architecture nothing is mapped: only the remark that says so.
// RUN: ffm-opt --ffm-fuse="dim-sizes=24" -verify-diagnostics %S/Inputs/static-no-arch.mlir -o /dev/null

// CHECK-LABEL: func.func @static_rows
// CHECK-NOT:   ffm.dim_sizes
// CHECK:       linalg.matmul {ffm.einsum = "matmul_0"
// expected-remark @+1 {{ffm-fuse: dim-sizes not used for function 'static_rows': its arguments have no dynamic dimensions}}
func.func @static_rows(%x: tensor<24x16xf32>, %w: tensor<16x32xf32>) -> tensor<24x32xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<24x32xf32>) -> tensor<24x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<24x16xf32>, tensor<16x32xf32>) outs(%f : tensor<24x32xf32>) -> tensor<24x32xf32>
  return %h : tensor<24x32xf32>
}

// Nor is a static function's own ffm.dim_sizes (a leftover, say): the
// remark names it, and it stays as it was.
// CHECK-LABEL: func.func @static_attr
// CHECK-SAME:  ffm.dim_sizes = array<i64: 3>
// CHECK:       linalg.matmul {ffm.einsum = "matmul_0"
// expected-remark @+2 {{ffm-fuse: dim-sizes not used for function 'static_attr': its arguments have no dynamic dimensions}}
// expected-remark @+1 {{ffm-fuse: ffm.dim_sizes not used for function 'static_attr': its arguments have no dynamic dimensions}}
func.func @static_attr(%x: tensor<24x16xf32>, %w: tensor<16x32xf32>) -> tensor<24x32xf32> attributes {ffm.dim_sizes = array<i64: 3>} {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<24x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<24x32xf32>) -> tensor<24x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<24x16xf32>, tensor<16x32xf32>) outs(%f : tensor<24x32xf32>) -> tensor<24x32xf32>
  return %h : tensor<24x32xf32>
}

// A dynamic function of the same run takes the sizes, without a remark.
// CHECK-LABEL: func.func @dynamic_rows(%arg0: tensor<?x16xf32>
// CHECK-SAME:  ffm.dim_sizes = array<i64: 24>
func.func @dynamic_rows(%x: tensor<?x16xf32>, %w: tensor<16x32xf32>) -> tensor<?x32xf32> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x32xf32>) outs(%f : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %h : tensor<?x32xf32>
}

// A function with no Einsum is not mapped: no remark either.
// CHECK-LABEL: func.func @helper
func.func @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
