// Keep/bypass sets by tensor class from YAML: the global buffer bypasses
// the weights (w0, w1: inputs other than an Einsum's first operand, as x
// and the intermediate are) and keeps all else. The chain's input, intermediate and
// output are kept there; no weight is, although keeping them is what the
// unconstrained optimum does.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/classes.yaml rewrite=false" %ffm_src/examples/matmul_chain.mlir | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false" %ffm_src/examples/matmul_chain.mlir | FileCheck %s --check-prefix=FREE
// A set that names no class is an error at the file.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-class.yaml" %ffm_src/examples/matmul_chain.mlir 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK:     ffm.mapping = #ffm.mapping<[
// CHECK-NOT: keep arg{{[12]}} in GlobalBuffer
// CHECK-SAME: keep arg0 in GlobalBuffer
// CHECK-NOT: keep arg{{[12]}} in GlobalBuffer
// CHECK-SAME: keep matmul_0.out in GlobalBuffer
// CHECK:     ffm.mapping = #ffm.mapping<[
// CHECK-NOT: keep arg{{[12]}} in GlobalBuffer
// CHECK-SAME: keep matmul_1.out in GlobalBuffer

// FREE: keep arg{{[0-9]}} in GlobalBuffer

// BAD: keep/bypass set 'all but weights' is not classes (input, output, weight, intermediate, fused, all) joined by + and -
