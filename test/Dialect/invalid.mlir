// RUN: ffm-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{level 'GLB': capacity must be positive, got 0}}
module attributes {a = #ffm.level<name = "GLB", capacity = 0, read_energy = 1.0, write_energy = 1.0>} {}

// -----

// expected-error @+1 {{level 'GLB': capacity must be positive, got -5}}
module attributes {a = #ffm.level<name = "GLB", capacity = -5, read_energy = 1.0, write_energy = 1.0>} {}

// -----

// expected-error @+1 {{memory level needs a non-empty name}}
module attributes {a = #ffm.level<name = "", read_energy = 1.0, write_energy = 1.0>} {}

// -----

// expected-error @+1 {{level 'GLB': energies must be non-negative}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = -1.0, write_energy = 1.0>} {}

// -----

// A hexadecimal literal is the double's bits, as in MLIR's float
// attributes: this one is a NaN, not 9.2e18.
// expected-error @+1 {{level 'GLB': energies must be non-negative}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 0x7FF8000000000000, write_energy = 1.0>} {}

// -----

// expected-error @+2 {{hexadecimal float literal should not have a leading minus}}
// expected-error @+1 {{failed to parse FFM_LevelAttr parameter 'read_energy'}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = -0x4000000000000000, write_energy = 1.0>} {}

// -----

// expected-error @+1 {{level 'DRAM': bandwidths must be positive}}
module attributes {a = #ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0, bandwidth = 0.0>} {}

// -----

// expected-error @+1 {{level 'GLB': bandwidths must be positive}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, write_bandwidth = -2.0>} {}

// -----

// expected-error @+1 {{level 'GLB': leakage must be non-negative}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, leakage = -0.5>} {}

// -----

// expected-error @+1 {{level 'GLB': min_usage must be between 0 and 1, got 2}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, fanout = [4], min_usage = 2.0>} {}

// -----

// expected-error @+1 {{compute unit 'MAC': leakage must be non-negative}}
module attributes {a = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0, leakage = -1.0>} {}

// -----

// expected-error @+1 {{level 'GLB': fanout must be at least 1, got 0}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, fanout = [4, 0]>} {}

// -----

// expected-error @+1 {{level 'GLB': spatial_ranks given without a fanout}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, spatial_ranks = ["m"]>} {}

// -----

// expected-error @+1 {{level 'GLB': reuse lists 1 entries for 2 fanout dimensions}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, fanout = [4, 4], reuse = ["none"]>} {}

// -----

// expected-error @+1 {{level 'GLB': reuse 'sideways' is none of any, none, inputs, outputs, nor a class set (input, output, weight, intermediate, all, joined by + and -)}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, fanout = [4], reuse = ["sideways"]>} {}

// -----

// expected-error @+1 {{level 'GLB': keep/bypass set 'all - activations' is not classes (input, output, weight, intermediate, fused, all) joined by + and -}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, keep = ["weights"], bypass = ["all - activations"]>} {}

// -----

// expected-error @+1 {{level 'GLB': datum_bits rule 'sums' is not classes (input, output, weight, intermediate, fused, all) joined by + and -}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, datum_bits = {sums = 24}>} {}

// -----

// expected-error @+1 {{level 'GLB': datum_bits of 'output' must be an integer from 1 to 4096, got 0}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, datum_bits = {output = "wide"}>} {}

// -----

// Levels with class rules need not nest by capacity (Eyeriss's per-tensor
// scratchpads): no error for the larger weight scratchpad below.
module attributes {ffm.a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "In", capacity = 24, read_energy = 1.0, write_energy = 1.0, keep = ["input - weight"], bypass = ["all - input + weight"]>, #ffm.level<name = "W", capacity = 384, read_energy = 1.0, write_energy = 1.0, keep = ["weight"], bypass = ["all - weight"]>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{level 'GLB': 'outputs' both kept and bypassed}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, keep = ["outputs"], bypass = ["outputs"]>} {}

// -----

// expected-error @+1 {{outermost level 'DRAM' takes no keep/bypass rules: what it holds follows from fusion}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0, bypass = ["inputs"]>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{compute unit 'MAC': mac_energy must be non-negative}}
module attributes {a = #ffm.compute<mac_energy = -0.5, instances = 1, throughput = 1.0>} {}

// -----

// expected-error @+1 {{compute unit 'MAC': instances must be at least 1, got 0}}
module attributes {a = #ffm.compute<mac_energy = 0.5, instances = 0, throughput = 1.0>} {}

// -----

// expected-error @+1 {{compute unit 'MAC': throughput must be positive}}
module attributes {a = #ffm.compute<mac_energy = 0.5, instances = 1, throughput = 0.0>} {}

// -----

// 1.0e400 is past the largest double: it reads as infinity.
// expected-error @+1 {{compute unit 'MAC': mac_energy, throughput and leakage must be finite}}
module attributes {a = #ffm.compute<mac_energy = 0.5, instances = 1, throughput = 1.0e400>} {}

// -----

// expected-error @+1 {{level 'GLB': energies, leakage and bandwidths must be finite (leave a bandwidth out for no limit)}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0e400>} {}

// -----

// expected-error @+1 {{arch needs at least one memory level (DRAM)}}
module attributes {a = #ffm.arch<levels = [], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{outermost level 'GLB' must be unbounded (DRAM): omit its capacity}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "GLB", capacity = 64, read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{duplicate level name 'DRAM'}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "DRAM", capacity = 64, read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{level 'GLB' is unbounded; only the outermost level may be}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "GLB", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{levels are not ordered outermost first: 'GLB' (4096 bytes) is larger than 'RF' (64 bytes)}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "RF", capacity = 64, read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "GLB", capacity = 4096, read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{compute unit 'MAC' has 16 instances, but the levels above it give 8}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "GLB", capacity = 64, read_energy = 1.0, write_energy = 1.0, fanout = [8]>], compute = #ffm.compute<mac_energy = 1.0, instances = 16, throughput = 1.0>>} {}

// -----

// expected-error @+1 {{datum_bits must be from 1 to 4096, got 0}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>, datum_bits = 0>} {}

// -----

// A datum wider than any machine's: every tile would be over every
// capacity, and the search would keep everything in DRAM without a word.
// expected-error @+1 {{datum_bits must be from 1 to 4096, got 9223372036854775807}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>, datum_bits = 9223372036854775807>} {}

// -----

// expected-error @+1 {{level 'GLB': datum_bits of 'output' must be an integer from 1 to 4096, got 4097}}
module attributes {a = #ffm.level<name = "GLB", capacity = 8, read_energy = 1.0, write_energy = 1.0, datum_bits = {output = 4097}>} {}

// -----

// expected-error @+1 {{struct is missing required parameter: compute}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>]>} {}

// -----

// expected-error @+1 {{loop count must be at least 1}}
module attributes {a = #ffm.mapping<[for m : 0]>} {}

// -----

// expected-error @+1 {{expected 'keep', 'for' or 'par', got 'loop'}}
module attributes {a = #ffm.mapping<[loop m : 4]>} {}

// -----

// expected-error @+1 {{fanout dimension must be non-negative}}
module attributes {a = #ffm.mapping<[par m : 4 in GLB[-1]]>} {}

// -----

// A further compute unit must say where it sits.
// expected-error @+1 {{compute unit 'Vec': name the level it sits below}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, units = [#ffm.compute<name = "Vec", mac_energy = 1.0, throughput = 1.0>]>} {}

// -----

// expected-error @+1 {{compute unit 'Vec' sits below level 'GLB', which the architecture does not have}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, units = [#ffm.compute<name = "Vec", level = "GLB", mac_energy = 1.0, throughput = 1.0>]>} {}

// -----

// expected-error @+1 {{duplicate compute unit name 'MAC'}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, units = [#ffm.compute<level = "DRAM", mac_energy = 1.0, throughput = 1.0>]>} {}

// -----

// expected-error @+1 {{compute unit 'Vec': runs 'matmul' is not Einsum kinds (contraction, reduction, elementwise, unary, all) joined by + and -}}
module attributes {a = #ffm.compute<name = "Vec", runs = "matmul", mac_energy = 1.0, throughput = 1.0>} {}

// -----

// expected-error @+1 {{compute unit 'Vec': runs 'contraction - all' matches no Einsum}}
module attributes {a = #ffm.compute<name = "Vec", runs = "contraction - all", mac_energy = 1.0, throughput = 1.0>} {}

// -----

// A unit beside the fanout of the GLB has one instance per GLB: 1, not 4.
// expected-error @+1 {{compute unit 'Vec' has 4 instances, but the levels above it give 1}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>, #ffm.level<name = "GLB", capacity = 64, read_energy = 1.0, write_energy = 1.0, fanout = [4]>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, units = [#ffm.compute<name = "Vec", level = "GLB", mac_energy = 1.0, instances = 4, throughput = 1.0>]>} {}

// -----

// expected-error @+1 {{accounting must be looptree or reference, got 'timeloop'}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, accounting = "timeloop">} {}

// -----

// expected-error @+1 {{output_rmw must be skip_first or every_update, got 'always'}}
module attributes {a = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 1.0, write_energy = 1.0>], compute = #ffm.compute<mac_energy = 1.0, throughput = 1.0>, output_rmw = "always">} {}

// -----

// expected-error @+1 {{halo span and step must be at least 1}}
func.func @halo_span() attributes {m = #ffm.mapping<[for p : 4 halo 0 step 2]>} {
  return
}
