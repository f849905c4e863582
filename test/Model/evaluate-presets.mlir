// The transcribed presets evaluate a mapping as the reference does, from
// the YAML preset and from the #ffm.arch one alike. This Simba mapping
// (24-bit partial sums in the AccumulationBuffer, a weight register per
// MAC, leakage) costs 2.190172315e-7 J in 7.4005129e-6 s in accelforge
// 1.0.467's Spec.evaluate_mapping (bench/peer/ref_eval.py).
// RUN: ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/simba.yaml" %s -o /dev/null | FileCheck %s
// RUN: sed '$d' %ffm_src/examples/arch/simba.mlir > %t.mlir
// RUN: sed -n '/^func.func/,/^}/p' %s >> %t.mlir
// RUN: echo "}" >> %t.mlir
// RUN: ffm-opt --ffm-evaluate %t.mlir -o /dev/null | FileCheck %s
// CHECK: total @simba_a: energy 219017.23{{[0-9]*}} pJ, latency 7400.51{{[0-9]*}} cycles
func.func @simba_a(%a: tensor<4x256xf32>, %b: tensor<256x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in MainMemory, keep arg1 in MainMemory, keep matmul_0.out in MainMemory, keep arg0 in GlobalBuffer, keep matmul_0.out in GlobalBuffer, par k : 16 in GlobalBuffer[0], keep arg0 in InputBuffer, keep arg1 in WeightBuffer, for m : 4, keep matmul_0.out in AccumulationBuffer, for k : 2, par k : 8 in AccumulationBuffer[0], par n : 8 in AccumulationBuffer[1], keep arg1 in Register]>}
      ins(%a, %b : tensor<4x256xf32>, tensor<256x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
