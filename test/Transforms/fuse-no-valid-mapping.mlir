// No mapping is valid for an Einsum: the error is at its op, and names a
// level its keep rules fill past its capacity (two inputs of one byte in
// a one-byte buffer), the cause to look at.
// RUN: not ffm-opt --ffm-fuse -split-input-file %s 2>&1 | FileCheck %s

module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "Buf", capacity = 1, read_energy = 1.0, write_energy = 1.0, keep = ["input"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>, datum_bits = 8>} {
  func.func @add(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    // CHECK: [[@LINE+1]]:10: error: ffm-fuse: no valid mapping for Einsum 'generic_0' (linalg.generic) on this architecture; note: level 'Buf' must keep 2 of its tensors by its keep rules, at least 2 bytes, over its capacity of 1
    %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
        ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%p: f32, %q: f32, %o: f32):
      %t = arith.addf %p, %q : f32
      linalg.yield %t : f32
    } -> tensor<4xf32>
    return %r : tensor<4xf32>
  }
}

// -----

// Only the levels on the way to a unit that runs the Einsum are named: the
// add runs on Vec, beside GLB's fanout, so neither PE's keep rules nor the
// min_usage of its fanout (which leads to the MACs alone) bind it.
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GLB", capacity = 1, read_energy = 1.0, write_energy = 1.0, keep = ["input"], fanout = [4]>,
    #ffm.level<name = "PE", capacity = 1, read_energy = 1.0, write_energy = 1.0, keep = ["input"], fanout = [4], min_usage = 1.0>],
  compute = #ffm.compute<name = "MAC", runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>],
  datum_bits = 8>} {
  func.func @beside(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    // CHECK: [[@LINE+1]]:10: error: ffm-fuse: no valid mapping for Einsum 'generic_0' (linalg.generic) on this architecture; note: level 'GLB' must keep 2 of its tensors by its keep rules, at least 2 bytes, over its capacity of 1{{$}}
    %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
        ins(%x, %y : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%p: f32, %q: f32, %o: f32):
      %t = arith.addf %p, %q : f32
      linalg.yield %t : f32
    } -> tensor<4xf32>
    return %r : tensor<4xf32>
  }
}
