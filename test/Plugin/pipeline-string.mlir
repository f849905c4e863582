// The documented pipeline string, in ffm-opt and in stock mlir-opt with the
// plugin, gives the same rewrite, byte for byte.
// UNSUPPORTED: asan
// RUN: ffm-opt --pass-pipeline="builtin.module(func.func(ffm-fuse{arch-file=%ffm_src/examples/arch/small_2level.yaml objective=edp}))" %s -o %t.ffm.mlir
// RUN: mlir-opt --load-dialect-plugin=%ffm_lib/FFMPlugin%shlibext --load-pass-plugin=%ffm_lib/FFMPlugin%shlibext --pass-pipeline="builtin.module(func.func(ffm-fuse{arch-file=%ffm_src/examples/arch/small_2level.yaml objective=edp}))" %s -o %t.mlir-opt.mlir
// RUN: FileCheck %s < %t.ffm.mlir
// RUN: diff %t.ffm.mlir %t.mlir-opt.mlir

// CHECK-LABEL: func.func @mm
// CHECK-SAME: ffm.energy_pj
// CHECK: linalg.generic {{.*}}ffm.einsum = "matmul_0"
// CHECK-SAME: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM
func.func @mm(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
