// The architecture can come from the function's own ffm.arch attribute,
// which wins over the module's: the two functions below are the same
// matmul, and each is mapped on its own machine (level names, the function's
// 2-wide fanout, its energies and latency).
// RUN: ffm-opt --ffm-fuse="verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @from_module
// CHECK-SAME: ffm.energy_pj = 5.408000e+03 : f64, ffm.latency_cycles = 6.400000e+01 : f64
// CHECK: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, keep arg1 in GLB, keep matmul_0.out in GLB, for m : 4, for n : 4, for k : 4]>
// CHECK-LABEL: func.func @from_function
// CHECK-SAME: ffm.energy_pj = 4.829600e+04 : f64, ffm.latency_cycles = 3.200000e+01 : f64
// CHECK: ffm.mapping = #ffm.mapping<[keep arg0 in Memory, keep arg1 in Memory, keep matmul_0.out in Memory, keep arg0 in Regs, keep arg1 in Regs, keep matmul_0.out in Regs, for m : 4, for n : 4, for k : 2, par k : 2 in Regs[0]]>
// CHECK-NEXT: } {ffm.fanout = #ffm.fanout<"Regs", 0>}
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GLB", capacity = 256, read_energy = 2.0, write_energy = 2.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
  func.func @from_module(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x4xf32>
    %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
  func.func @from_function(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {
    ffm.arch = #ffm.arch<levels = [
      #ffm.level<name = "Memory", read_energy = 1000.0, write_energy = 1000.0, bandwidth = 2.0>,
      #ffm.level<name = "Regs", capacity = 64, read_energy = 0.5, write_energy = 0.5, fanout = [2]>],
    compute = #ffm.compute<mac_energy = 3.0, instances = 2, throughput = 1.0>>} {
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x4xf32>
    %c = linalg.fill ins(%z : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
