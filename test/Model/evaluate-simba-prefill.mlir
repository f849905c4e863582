// The V projection of the reference's published GPT-3 6.7B prefill layer
// on Simba (accelforge commit 7f1b89bb, tests/regression_reference.json,
// simba|gpt3_6.7B: V costs 0.1497361490 J in 3.92 s, every per-tensor
// action count below equal to its published one) is this mapping under
// the reference's accounting. The GlobalBuffer keeps V above a loop over
// the reduction rank and I below it: nodes of one level at two depths,
// which our mapspace generates with node-depths=true (docs/arch.md,
// "Published figures"; test/Peer/published-prefill.test).
// RUN: sed 's/^output_rmw:.*/accounting: reference/' %ffm_src/examples/arch/simba.yaml > %t.yaml
// RUN: ffm-opt --ffm-evaluate="arch-file=%t.yaml" %s -o /dev/null | FileCheck %s
// CHECK-LABEL: einsum matmul_0: energy 1.497361493e+11 pJ, latency 3920000000 cycles
// CHECK-NEXT: MainMemory arg0: reads 536870912 writes 0
// CHECK-NEXT: MainMemory arg1: reads 1073741824 writes 0
// CHECK-NEXT: MainMemory matmul_0.out: reads 0 writes 33554432
// CHECK-NEXT: GlobalBuffer arg0: reads 536870912 writes 536870912
// CHECK-NEXT: GlobalBuffer matmul_0.out: reads 536870912 writes 536870912
// CHECK-NEXT: InputBuffer arg0: reads 1.717986918e+10 writes 2147483648
// CHECK-NEXT: WeightBuffer arg1: reads 1073741824 writes 1073741824
// CHECK-NEXT: AccumulationBuffer matmul_0.out: reads 1.91931351e+10 writes 1.91931351e+10
// CHECK-NEXT: Register arg1: reads 1.374389535e+11 writes 1073741824
func.func @v_projection(%i: tensor<8192x4096xf32>, %wv: tensor<4096x4096xf32>) -> tensor<8192x4096xf32> {
  %e = tensor.empty() : tensor<8192x4096xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8192x4096xf32>) -> tensor<8192x4096xf32>
  %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in MainMemory, keep arg1 in MainMemory, keep matmul_0.out in MainMemory, for m : 64, for n : 16, keep matmul_0.out in GlobalBuffer, for k : 16, keep arg0 in GlobalBuffer, par n : 4 in GlobalBuffer[0], par k : 4 in GlobalBuffer[0], keep arg0 in InputBuffer, keep arg1 in WeightBuffer, for n : 8, keep matmul_0.out in AccumulationBuffer, for k : 8, par k : 8 in AccumulationBuffer[0], par n : 8 in AccumulationBuffer[1], keep arg1 in Register, for m : 128]>}
      ins(%i, %wv : tensor<8192x4096xf32>, tensor<4096x4096xf32>) outs(%f : tensor<8192x4096xf32>) -> tensor<8192x4096xf32>
  return %0 : tensor<8192x4096xf32>
}
