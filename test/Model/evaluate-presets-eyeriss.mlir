// As evaluate-presets.mlir, on Eyeriss (three scratchpads per PE in the
// reference's hierarchy order, 64-bit global buffer actions, leakage at
// 200 MHz): 5.261617627e-8 J in 1.2207031e-6 s in the reference.
// RUN: ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s -o /dev/null | FileCheck %s
// RUN: sed '$d' %ffm_src/examples/arch/eyeriss.mlir > %t.mlir
// RUN: sed -n '/^func.func/,/^}/p' %s >> %t.mlir
// RUN: echo "}" >> %t.mlir
// RUN: ffm-opt --ffm-evaluate %t.mlir -o /dev/null | FileCheck %s
// CHECK: total @eyeriss_a: energy 52616.176{{[0-9]*}} pJ, latency 244.1406{{[0-9]*}} cycles
func.func @eyeriss_a(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in MainMemory, keep arg1 in MainMemory, keep matmul_0.out in MainMemory, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep matmul_0.out in GlobalBuffer, par m : 8 in GlobalBuffer[0], par k : 8 in GlobalBuffer[1], keep arg0 in InputScratchpad, keep arg1 in WeightScratchpad, for n : 16, keep matmul_0.out in OutputScratchpad, for k : 2]>}
      ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
