// RUN: ffm-opt --ffm-evaluate -split-input-file -verify-diagnostics %s -o /dev/null

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @tiles(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: loops over 'm' multiply to 2, not its bound 4}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @capacity(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: level 'GLB' needs 32 bytes per instance, its capacity is 16}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, keep arg1 in GLB, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @names(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: mapping keeps 'weights', which is not a tensor of this op}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep weights in DRAM]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    // expected-error @+1 {{ffm: mapping loops over 'z', which is not a rank of this op}}
    %1 = linalg.matmul {ffm.mapping = #ffm.mapping<[for z : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    // expected-error @+1 {{ffm: mapping names level 'HBM', which the architecture does not have}}
    %2 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in HBM]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    // expected-error @+1 {{ffm: 'ffm.mapping' must be an #ffm.mapping attribute}}
    %3 = linalg.matmul {ffm.mapping = 3 : i64}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

// expected-remark @+1 {{ffm-evaluate: no architecture (no #ffm.arch attribute and no arch-file); nothing evaluated}}
func.func @no_arch() {
  return
}

// -----

// The producer keeps the intermediate on chip under an m loop of 2, the
// consumer under an m loop of 4: they cannot share a loop nest.
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @mismatch(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %d: tensor<4x4xf32>) -> tensor<4x4xf32> {
    %e = tensor.empty() : tensor<4x4xf32>
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for m : 2, keep matmul_0.out in GLB, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    // expected-error @+1 {{ffm: intermediate 'matmul_0.out' is stored or fused differently by its producer 'matmul_0' and this consumer}}
    %1 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep matmul_1.out in DRAM, for m : 4, keep matmul_0.out in GLB, for n : 4, for k : 4]>}
        ins(%0, %d : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %1 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @order(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: tensor kept at level 'DRAM' below a deeper or equal level}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in GLB, keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @no_fanout(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: level 'DRAM' has no fanout dimension 0}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, par m : 2 in DRAM, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @too_wide(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: spatial loop over 'm' (4) exceeds the fanout 2 of level 'GLB'}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, par m : 4 in GLB, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @rank(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: rank 'n' may not be spread over the fanout of level 'GLB'}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4, par n : 2 in GLB, for n : 2, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @above(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: spatial loop over the fanout of 'GLB' sits above storage in level 'GLB'}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, par m : 2 in GLB, keep arg0 in GLB, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @never_stored(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: tensor 1 of the Einsum is never stored: every tensor must reach compute}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @dram(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: tensor 0 of the Einsum must be kept in 'DRAM'}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in GLB, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], spatial_ranks = ["m"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @overflow(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: loops over 'm' overflow}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4611686018427387904, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2]>,
    #ffm.level<name = "RF", capacity = 64, read_energy = 0.5, write_energy = 0.5>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @below(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: spatial loop over the fanout of 'GLB' sits below storage in deeper level 'RF'}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in RF, par m : 2 in GLB, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

// A fanout dimension that reduces outputs only spreads reduction ranks.
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [2], reuse = ["outputs"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @reuse(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: rank 'm' on fanout dimension 0 of level 'GLB' shares no tensor that dimension reuses ('outputs')}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, par m : 2 in GLB, for m : 2, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, bypass = ["inputs"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @bypass(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: level 'GLB' bypasses tensor 0 of the Einsum (input: a bypass rule), yet storage node 4 keeps it there}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, keep = ["outputs"]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @keep(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: level 'GLB' must keep tensor 3 of the Einsum (output: a keep rule), but it is not stored there}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

// Two spatial loops on one fanout dimension (2 x 2 would fit) that need
// more instances than the dimension has.
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4, 4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 16, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @fanout_twice(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: spatial loop over 'n' (2) exceeds the fanout 4 of level 'GLB' with the loops before it}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, keep arg0 in GLB, keep arg1 in GLB, keep arg2 in GLB, keep matmul_0.out in GLB, par m : 4 in GLB[0], par n : 2 in GLB[0], for n : 2, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4], min_usage = 0.5>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @idle(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %e: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // expected-error @+1 {{ffm: invalid mapping: level 'GLB': the mapping uses 1 of its 4 instances, below its min_usage 0.5}}
    %0 = linalg.matmul {ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg2 in DRAM, keep matmul_0.out in DRAM, for m : 4, for n : 4, for k : 4]>}
        ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>
module attributes {ffm.arch = #arch} {
  func.func @wrong_unit(%a: tensor<16xf32>, %e: tensor<16xf32>) -> tensor<16xf32> {
    // expected-error @+1 {{ffm: invalid mapping: compute unit 'MAC' does not run this Einsum (it runs contraction)}}
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"],
                         ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep generic_0.out in DRAM, for d0 : 16] on MAC>}
        ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
    ^bb0(%x: f32, %o: f32):
      %y = math.exp %x : f32
      linalg.yield %y : f32
    } -> tensor<16xf32>
    return %0 : tensor<16xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>
module attributes {ffm.arch = #arch} {
  func.func @below_unit_fanout(%a: tensor<16xf32>, %e: tensor<16xf32>) -> tensor<16xf32> {
    // expected-error @+1 {{ffm: invalid mapping: spatial loop 2 uses the fanout of level 'GLB', which does not lead to compute unit 'Vec'}}
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"],
                         ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep generic_0.out in DRAM, par d0 : 4 in GLB, for d0 : 4] on Vec>}
        ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
    ^bb0(%x: f32, %o: f32):
      %y = math.exp %x : f32
      linalg.yield %y : f32
    } -> tensor<16xf32>
    return %0 : tensor<16xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>
module attributes {ffm.arch = #arch} {
  func.func @no_such_unit(%a: tensor<16xf32>, %e: tensor<16xf32>) -> tensor<16xf32> {
    // expected-error @+1 {{ffm: mapping runs on compute unit 'Scalar', which the architecture does not have}}
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"],
                         ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep generic_0.out in DRAM, for d0 : 16] on Scalar>}
        ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
    ^bb0(%x: f32, %o: f32):
      %y = math.exp %x : f32
      linalg.yield %y : f32
    } -> tensor<16xf32>
    return %0 : tensor<16xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0>,
    #ffm.level<name = "RF", capacity = 16, read_energy = 0.5, write_energy = 0.5>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>
module attributes {ffm.arch = #arch} {
  func.func @below_unit(%a: tensor<16xf32>, %e: tensor<16xf32>) -> tensor<16xf32> {
    // expected-error @+1 {{ffm: invalid mapping: storage node 2 keeps a tile in level 'RF', below compute unit 'Vec'}}
    %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"],
                         ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep generic_0.out in DRAM, keep arg0 in RF, for d0 : 16] on Vec>}
        ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
    ^bb0(%x: f32, %o: f32):
      %y = math.exp %x : f32
      linalg.yield %y : f32
    } -> tensor<16xf32>
    return %0 : tensor<16xf32>
  }
}

// -----

// A scan's step (acc * 0.5 + x) over its one reduction rank: instances of
// a fanout would each scan a part, which no hardware sum combines.
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @scan(%x: tensor<2x8xf32>, %e: tensor<2xf32>) -> tensor<2xf32> {
    // expected-error @+1 {{ffm: invalid mapping: rank 'd1' is a reduction whose step depends on its order and may not be spread over the fanout of level 'GLB'}}
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"],
                         ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep generic_0.out in DRAM, for d0 : 2, par d1 : 4 in GLB, for d1 : 2]>}
        ins(%x : tensor<2x8xf32>) outs(%e : tensor<2xf32>) {
    ^bb0(%p: f32, %acc: f32):
      %h = arith.constant 0.5 : f32
      %t = arith.mulf %acc, %h : f32
      %u = arith.addf %t, %p : f32
      linalg.yield %u : f32
    } -> tensor<2xf32>
    return %r : tensor<2xf32>
  }
}
