// RUN: ffm-opt --ffm-fuse %s -split-input-file -verify-diagnostics

// The MACs run contractions only and no other unit exists: the exp has
// nothing to run on.
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0>,
    #ffm.level<name = "GLB", capacity = 16384, read_energy = 2.0, write_energy = 2.5, fanout = [4]>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>>} {
func.func @no_unit(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  // expected-error @+1 {{ffm-fuse: no compute unit of the architecture runs this Einsum (elementwise, unary)}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %y = math.exp %a : f32
    linalg.yield %y : f32
  } -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}
}
