// Dynamic shapes without sizes, or with sizes that do not fit, are errors
// at the function naming the option.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" -split-input-file -verify-diagnostics %s -o /dev/null
// RUN: not ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=8,4" %s 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: not ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=0" %s 2>&1 | FileCheck %s --check-prefix=BAD

// COUNT: error: ffm-fuse: the function's arguments have 1 dynamic dimension(s), the sizes given are 2
// BAD: error: ffm-fuse: dim-sizes must be a comma-separated list of positive sizes, got '0'

// expected-error @+1 {{ffm: dynamic shapes need sizes to map at: argument 0 has type 'tensor<?x4xf32>'; give the 1 dynamic argument dimension(s) sizes with dim-sizes=... or an ffm.dim_sizes attribute on the function}}
func.func @no_sizes(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{ffm-fuse: ffm.dim_sizes must be an array of positive i64 sizes (array<i64: 2048>), got [8]}}
func.func @bad_attr(%a: tensor<?x4xf32>) -> tensor<?x4xf32> attributes {ffm.dim_sizes = [8]} {
  return %a : tensor<?x4xf32>
}

// -----

// A square matmul ties its rows to its reductions: sizes 12 and 8 cannot
// both hold (the verifier names the op, then ffm-fuse the function).
// expected-error @+1 {{ffm-fuse: the sizes given to the dynamic dimensions (dim-sizes or ffm.dim_sizes) contradict the ops: dimensions they tie together must get equal sizes}}
func.func @contradicting_sizes(%x: tensor<?x?xf32>) -> tensor<?x?xf32> attributes {ffm.dim_sizes = array<i64: 12, 8>} {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x?xf32>
  %e = tensor.empty(%n, %n) : tensor<?x?xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  // expected-error @+1 {{'linalg.matmul' op inferred input/output operand #1 has shape's dimension #0 to be 8, but found 12}}
  %o = linalg.matmul ins(%x, %x : tensor<?x?xf32>, tensor<?x?xf32>) outs(%f : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %o : tensor<?x?xf32>
}
