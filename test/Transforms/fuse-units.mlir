// Several compute units: the MACs below the buffer's fanout run the
// contraction, a vector unit beside that fanout the elementwise exp. Each
// op's mapping names its unit, the rewritten tile carries it, and the exp
// (on a unit below no fanout) is emitted without spatial loops; verify=true
// reads the units back from the IR.
// RUN: ffm-opt --ffm-fuse="verify=true" %s | FileCheck %s
// Without the vector unit nothing runs the exp: fuse-units-invalid.mlir.


module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GLB", capacity = 16384, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0, fanout = [4]>],
  compute = #ffm.compute<name = "MAC", runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>} {
// CHECK-LABEL: func.func @mlp
// CHECK:       linalg.matmul
// CHECK-SAME:  ffm.mapping = #ffm.mapping<[{{.*}}par {{.*}}] on MAC>
// CHECK-SAME:  ffm.unit = "MAC"
// CHECK:       linalg.generic
// CHECK-SAME:  ffm.mapping = #ffm.mapping<[{{((keep|for) [^],]*(, )?)+}}] on Vec>
// CHECK-SAME:  ffm.unit = "Vec"
func.func @mlp(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  %e2 = tensor.empty() : tensor<16x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<16x64xf32>) outs(%e2 : tensor<16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %y = math.exp %a : f32
    linalg.yield %y : f32
  } -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}
}
