// --ffm-count-iterations counts body executions from loop bounds and op
// shapes alone. The original and the --ffm-fuse output of a chain execute
// the same 64*32*64 + 64*64*16 iterations, op by op, on every preset: the
// rewrite neither recomputes nor skips a tile.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false" %ffm_src/examples/matmul_chain.mlir | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" %ffm_src/examples/matmul_chain.mlir | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml" %ffm_src/examples/matmul_chain.mlir | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml" %ffm_src/examples/matmul_chain.mlir | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %ffm_src/examples/matmul_chain.mlir | ffm-opt --ffm-count-iterations -o /dev/null | FileCheck %s
// CHECK:      iterations @matmul_chain: 196608
// CHECK-NEXT:   matmul_0 131072
// CHECK-NEXT:   matmul_1 65536

// A producer recomputed per consumer tile would count more: here by hand,
// the same op twice under a loop of 4 and an scf.forall of 2 x 3.
// RUN: ffm-opt --split-input-file --verify-diagnostics --ffm-count-iterations %s -o /dev/null | FileCheck %s --check-prefix=HAND
// HAND:      iterations @nested: 24
// HAND-NEXT:   linalg.add 24
// HAND:      iterations @unnamed_fill_only: 0
// HAND:      iterations @largest: 18446744069414584320
// HAND:      iterations @forall_bounds: 4
// HAND:      iterations @zero_after_huge: 0
// Several functions in one module print in program order, each whole.
// HAND:      iterations @first: 1
// HAND-NEXT:   linalg.add 1
// HAND-NEXT: iterations @second: 2
// HAND-NEXT:   linalg.add 2
// HAND-NEXT: iterations @third: 3
// HAND-NEXT:   linalg.add 3
// HAND-NEXT: iterations @fourth: 4
// HAND-NEXT:   linalg.add 4
// HAND-NEXT: iterations @fifth: 5
// HAND-NEXT:   linalg.add 5
// HAND-NEXT: iterations @sixth: 6
// HAND-NEXT:   linalg.add 6

func.func @nested(%a: memref<1xf32>, %b: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.forall (%j, %k) in (2, 3) {
      linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
    }
  }
  return
}

// -----

// Fills initialise; they are not iterations of an Einsum.
func.func @unnamed_fill_only(%b: memref<4xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%b : memref<4xf32>)
  return
}

// -----

func.func @dynamic_op(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @below {{ffm-count-iterations: the op has a dynamic loop range}}
  linalg.add ins(%a, %a : memref<?xf32>, memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @dynamic_loop(%a: memref<1xf32>, %b: memref<1xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{ffm-count-iterations: an enclosing loop has dynamic bounds}}
    linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
  }
  return
}

// -----

func.func @under_if(%a: memref<1xf32>, %b: memref<1xf32>, %p: i1) {
  scf.if %p {
    // expected-error @below {{ffm-count-iterations: cannot count under 'scf.if'}}
    linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
  }
  return
}

// -----

// Counts use all 64 bits (2^64 - 2^32 here) and stop with an error past
// them rather than print a wrapped number.
func.func @largest(%a: memref<4294967296x4294967295xf32>, %b: memref<4294967296x4294967295xf32>) {
  linalg.add ins(%a, %a : memref<4294967296x4294967295xf32>, memref<4294967296x4294967295xf32>) outs(%b : memref<4294967296x4294967295xf32>)
  return
}

// -----

func.func @op_overflows(%a: memref<4294967296x4294967296xf32>, %b: memref<4294967296x4294967296xf32>) {
  // expected-error @below {{ffm-count-iterations: the op runs 2^64 times or more}}
  linalg.add ins(%a, %a : memref<4294967296x4294967296xf32>, memref<4294967296x4294967296xf32>) outs(%b : memref<4294967296x4294967296xf32>)
  return
}

// -----

func.func @loop_overflows(%a: memref<1099511627776xf32>, %b: memref<1099511627776xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1073741824 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{ffm-count-iterations: the op runs 2^64 times or more}}
    linalg.add ins(%a, %a : memref<1099511627776xf32>, memref<1099511627776xf32>) outs(%b : memref<1099511627776xf32>)
  }
  return
}

// -----

func.func @total_overflows(%a: memref<4294967296x2147483648xf32>, %b: memref<4294967296x2147483648xf32>) {
  linalg.add ins(%a, %a : memref<4294967296x2147483648xf32>, memref<4294967296x2147483648xf32>) outs(%b : memref<4294967296x2147483648xf32>)
  // expected-error @below {{ffm-count-iterations: the function's ops run 2^64 times or more in all}}
  linalg.add ins(%a, %a : memref<4294967296x2147483648xf32>, memref<4294967296x2147483648xf32>) outs(%b : memref<4294967296x2147483648xf32>)
  return
}

// -----

// An scf.forall's trips count too: 2^32 x (2^32 + 1) of a one-element op
// is past 64 bits.
func.func @forall_overflows(%a: memref<1xf32>, %b: memref<1xf32>) {
  scf.forall (%i, %j) in (4294967296, 4294967297) {
    // expected-error @below {{ffm-count-iterations: the op runs 2^64 times or more}}
    linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
  }
  return
}

// -----

// Bounds whose difference does not fit in int64: (2^63 - 2) / 2^62
// rounded up, 4 trips.
func.func @forall_bounds(%a: memref<1xf32>, %b: memref<1xf32>) {
  scf.forall (%i) = (-9223372036854775807) to (9223372036854775807) step (4611686018427387904) {
    linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
  }
  return
}

// -----

// A loop of no trips around an op past 64 bits: it runs 0 times.
func.func @zero_after_huge(%a: memref<4294967296x4294967296xf32>, %b: memref<4294967296x4294967296xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c0 step %c1 {
    linalg.add ins(%a, %a : memref<4294967296x4294967296xf32>, memref<4294967296x4294967296xf32>) outs(%b : memref<4294967296x4294967296xf32>)
  }
  return
}

// -----

func.func @first(%a: memref<1xf32>, %b: memref<1xf32>) {
  linalg.add ins(%a, %a : memref<1xf32>, memref<1xf32>) outs(%b : memref<1xf32>)
  return
}

func.func @second(%a: memref<2xf32>, %b: memref<2xf32>) {
  linalg.add ins(%a, %a : memref<2xf32>, memref<2xf32>) outs(%b : memref<2xf32>)
  return
}

func.func @third(%a: memref<3xf32>, %b: memref<3xf32>) {
  linalg.add ins(%a, %a : memref<3xf32>, memref<3xf32>) outs(%b : memref<3xf32>)
  return
}

func.func @fourth(%a: memref<4xf32>, %b: memref<4xf32>) {
  linalg.add ins(%a, %a : memref<4xf32>, memref<4xf32>) outs(%b : memref<4xf32>)
  return
}

func.func @fifth(%a: memref<5xf32>, %b: memref<5xf32>) {
  linalg.add ins(%a, %a : memref<5xf32>, memref<5xf32>) outs(%b : memref<5xf32>)
  return
}

func.func @sixth(%a: memref<6xf32>, %b: memref<6xf32>) {
  linalg.add ins(%a, %a : memref<6xf32>, memref<6xf32>) outs(%b : memref<6xf32>)
  return
}
