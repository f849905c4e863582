// Two ranks on one fanout dimension (max-spatial-ranks-per-dim=2): a 2x2
// output on a 4-wide MAC row uses all four MACs, m and n two each, where
// one rank per dimension leaves two idle (the row multicasts inputs, so k,
// which indexes both, may not be spread). The rewrite nests one forall per
// rank on the same fanout dimension, and verify=true reads both back.
// RUN: ffm-opt --ffm-fuse="objective=latency max-spatial-ranks-per-dim=2 verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-fuse="objective=latency rewrite=false" %s | FileCheck %s --check-prefix=ONE
// RUN: not ffm-opt --ffm-fuse="max-spatial-ranks-per-dim=0" %s 2>&1 | FileCheck %s --check-prefix=BAD

module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GLB", capacity = 16384, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0, fanout = [4], reuse = ["inputs"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>} {
// CHECK-LABEL: func.func @small_output
// CHECK:       scf.forall {{.*}} in (2) {
// CHECK-NEXT:  scf.forall {{.*}} in (2) {
// CHECK:       linalg.matmul
// CHECK-SAME:  ffm.latency_cycles = 6.400000e+01
// CHECK-SAME:  par {{[mn]}} : 2 in GLB[0], {{.*}}par {{[mn]}} : 2 in GLB[0]
// CHECK:       } {mapping = [#ffm.fanout<"GLB", 0>]}
// CHECK:       } {mapping = [#ffm.fanout<"GLB", 0>]}
// ONE:         ffm.latency_cycles = 1.280000e+02
// BAD: error: ffm-fuse: max-spatial-ranks-per-dim must be between 1 and 4, got 0
func.func @small_output(%a: tensor<2x64xf32>, %b: tensor<64x2xf32>) -> tensor<2x2xf32> {
  %e = tensor.empty() : tensor<2x2xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x64xf32>, tensor<64x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %mm : tensor<2x2xf32>
}
}
