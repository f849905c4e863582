// Halo loops (docs/model.md, "Halo co-tiling"): a 3x3 convolution whose
// 15 output rows a stride-2 3x3 convolution reads through 2p + r. The
// consumer's fused `for p : 7` reads rows [2i, 2i + 3): the producer's
// `for p : 7 halo 3 step 2` computes 21 rows for 15 (7 x 3 x 15 x 4 x 3 x
// 3 x 2 = 22680 MACs, not 16200), which the model charges. Then each rule
// of checkHalo on a mapping that breaks it.
// RUN: ffm-opt --ffm-evaluate %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK: einsum conv_2d_nhwc_hwcf_0: energy 342295 pJ, latency 22680 cycles, macs 22680
// CHECK: einsum conv_2d_nhwc_hwcf_1: energy 101000 pJ, latency 7056 cycles, macs 7056

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for p : 7 halo 3 step 2, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 3, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_count(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'p' must be temporal, with at least 2 iterations, a span and a step of at least 1}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for p : 1 halo 3 step 2, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 15, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_reduction(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'r', which walks no dimension of the output alone}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 15, for q : 15, for k : 4, for r : 3 halo 1 step 1, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_past(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'p' reaches past the output's extent}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for p : 7 halo 3 step 3, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 3, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_dram(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'p', but the output is not a fused intermediate kept on chip}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep conv_2d_nhwc_hwcf_0.out in DRAM, for p : 7 halo 3 step 2, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 3, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_inner(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'p' is not the outermost loop over it}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, for p : 3, for p : 5 halo 1 step 1, keep arg0 in GlobalBuffer, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 512, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @halo_below(%x: tensor<1x17x17x2xf32>, %w1: tensor<3x3x2x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x7x7x4xf32> {
    %z = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<1x15x15x4xf32>
    %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    // expected-error @+1 {{ffm: invalid mapping: halo loop over 'p' lies below an on-chip tile that it indexes}}
    %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep arg0 in GlobalBuffer, for p : 7 halo 3 step 2, keep arg1 in GlobalBuffer, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, for p : 3, for q : 15, for k : 4, for r : 3, for s : 3, for c : 2]>}
          ins(%x, %w1 : tensor<1x17x17x2xf32>, tensor<3x3x2x4xf32>) outs(%f1 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
    %e2 = tensor.empty() : tensor<1x7x7x4xf32>
    %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, ffm.mapping = #ffm.mapping<[keep arg2 in DRAM, keep conv_2d_nhwc_hwcf_1.out in DRAM, for p : 7, keep conv_2d_nhwc_hwcf_0.out in GlobalBuffer, keep arg2 in GlobalBuffer, keep conv_2d_nhwc_hwcf_1.out in GlobalBuffer, for q : 7, for k : 4, for r : 3, for s : 3, for c : 4]>}
          ins(%c1, %w2 : tensor<1x15x15x4xf32>, tensor<3x3x4x4xf32>) outs(%f2 : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
    return %c2 : tensor<1x7x7x4xf32>
  }
}
