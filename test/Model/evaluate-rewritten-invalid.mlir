// --ffm-evaluate reads the mapping of --ffm-fuse output from its loops and
// buffers; IR that is not a LoopTree is rejected at the offending op.
// RUN: ffm-opt --ffm-evaluate -split-input-file -verify-diagnostics %s -o /dev/null

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @not_a_loop(%a: memref<4xf32>, %o: memref<4xf32>, %c: i1) {
    // expected-error @+1 {{ffm: 'scf.if' is not a node of a LoopTree}}
    scf.if %c {
      %s = memref.subview %a[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
      %t = memref.subview %o[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<4xf32, strided<[1]>>) outs(%t : memref<4xf32, strided<[1]>>)
    }
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @dynamic_bound(%a: memref<4xf32>, %o: memref<4xf32>, %n: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{ffm: loop bounds of a LoopTree are constants}}
    scf.for %i = %c0 to %n step %c1 {
      %s = memref.subview %a[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      %t = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1xf32, strided<[1], offset: ?>>) outs(%t : memref<1xf32, strided<[1], offset: ?>>)
    }
    return
  }
}

// -----

// A runtime trip count over an argument's dynamic dimension needs the size
// it was mapped at: the function says none (no ffm.dim_sizes).
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @unsized_extent(%x: tensor<?xf32>, %o: memref<?xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %n = tensor.dim %x, %c0 : tensor<?xf32>
    %a = bufferization.to_buffer %x read_only : tensor<?xf32> to memref<?xf32>
    // expected-error @+1 {{ffm: loop bounds of a LoopTree are constants, or runtime trip counts of a dynamic extent the function's ffm.dim_sizes sizes}}
    scf.for %i = %c0 to %n step %c1 {
      %s = memref.subview %a[%i] [1] [1] : memref<?xf32> to memref<1xf32, strided<[1], offset: ?>>
      %t = memref.subview %o[%i] [1] [1] : memref<?xf32> to memref<1xf32, strided<[1], offset: ?>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1xf32, strided<[1], offset: ?>>) outs(%t : memref<1xf32, strided<[1], offset: ?>>)
    }
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @forall_without_fanout(%a: memref<4xf32>, %o: memref<4xf32>) {
    // expected-error @+1 {{ffm: a spatial loop is a one-dimensional scf.forall mapped to one #ffm.fanout}}
    scf.forall (%i) in (4) {
      %s = memref.subview %a[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      %t = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1xf32, strided<[1], offset: ?>>) outs(%t : memref<1xf32, strided<[1], offset: ?>>)
    }
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @foreign_mapping(%a: memref<4xf32>, %o: memref<4xf32>) {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{ffm: a spatial loop names an #ffm.fanout}}
    scf.for %i = %c0 to %c2 step %c1 {
      %s = memref.subview %a[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      %t = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1xf32, strided<[1], offset: ?>>) outs(%t : memref<1xf32, strided<[1], offset: ?>>)
    } {ffm.fanout = 3 : i64}
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @unknown_fanout(%a: memref<4xf32>, %o: memref<4xf32>) {
    // expected-error @+1 {{ffm: fanout of level 'PE', which the architecture does not have}}
    scf.forall (%i) in (2) {
      %s = memref.subview %a[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      %t = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1xf32, strided<[1], offset: ?>>) outs(%t : memref<1xf32, strided<[1], offset: ?>>)
    } {mapping = [#ffm.fanout<"PE", 0>]}
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @idle_loop(%a: memref<4xf32>, %o: memref<4xf32>) {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{ffm: this loop offsets no operand of 'copy_0'}}
    scf.for %i = %c0 to %c2 step %c1 {
      %s = memref.subview %a[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
      %t = memref.subview %o[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<4xf32, strided<[1]>>) outs(%t : memref<4xf32, strided<[1]>>)
    }
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @two_ranks(%a: memref<4x4xf32>, %o: memref<4x4xf32>) {
    %c0 = arith.constant 0 : index
    %c4 = arith.constant 4 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %c4 step %c1 {
      %s = memref.subview %a[%i, %i] [1, 4] [1, 1] : memref<4x4xf32> to memref<1x4xf32, strided<[4, 1], offset: ?>>
      %t = memref.subview %o[%i, 0] [1, 4] [1, 1] : memref<4x4xf32> to memref<1x4xf32, strided<[4, 1], offset: ?>>
      // expected-error @+1 {{ffm: a loop walks two ranks of 'copy_0'}}
      linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<1x4xf32, strided<[4, 1], offset: ?>>) outs(%t : memref<1x4xf32, strided<[4, 1], offset: ?>>)
    }
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @unknown_level(%a: memref<4xf32>, %o: memref<4xf32>) {
    %b = memref.alloc() : memref<4xf32, #ffm.level_space<"L9">>
    %s = memref.subview %a[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
    memref.copy %s, %b : memref<4xf32, strided<[1]>> to memref<4xf32, #ffm.level_space<"L9">>
    %v = memref.subview %b[0] [4] [1] : memref<4xf32, #ffm.level_space<"L9">> to memref<4xf32, strided<[1]>, #ffm.level_space<"L9">>
    %t = memref.subview %o[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
    // expected-error @+1 {{ffm: buffer in unknown level 'L9'}}
    linalg.copy {ffm.einsum = "copy_0"} ins(%v : memref<4xf32, strided<[1]>, #ffm.level_space<"L9">>) outs(%t : memref<4xf32, strided<[1]>>)
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @over_capacity(%a: memref<32xf32>, %o: memref<32xf32>) {
    %b = memref.alloc() : memref<32xf32, #ffm.level_space<"GLB">>
    %s = memref.subview %a[0] [32] [1] : memref<32xf32> to memref<32xf32, strided<[1]>>
    memref.copy %s, %b : memref<32xf32, strided<[1]>> to memref<32xf32, #ffm.level_space<"GLB">>
    %v = memref.subview %b[0] [32] [1] : memref<32xf32, #ffm.level_space<"GLB">> to memref<32xf32, strided<[1]>, #ffm.level_space<"GLB">>
    %t = memref.subview %o[0] [32] [1] : memref<32xf32> to memref<32xf32, strided<[1]>>
    // expected-error @+1 {{ffm: the loop tree around this tile is not a valid mapping: level 'GLB' needs 32 bytes per instance, its capacity is 16}}
    linalg.copy {ffm.einsum = "copy_0"} ins(%v : memref<32xf32, strided<[1]>, #ffm.level_space<"GLB">>) outs(%t : memref<32xf32, strided<[1]>>)
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<runs = "contraction", mac_energy = 1.0, throughput = 1.0>,
  units = [#ffm.compute<name = "Vec", level = "GLB", runs = "all - contraction", mac_energy = 0.5, throughput = 8.0>]>
module attributes {ffm.arch = #arch} {
  func.func @unknown_unit(%a: memref<4xf32>, %o: memref<4xf32>) {
    // expected-error @+1 {{ffm: tile runs on compute unit 'Scalar', which the architecture does not have}}
    linalg.copy {ffm.einsum = "copy_0", ffm.unit = "Scalar"} ins(%a : memref<4xf32>) outs(%o : memref<4xf32>)
    return
  }
}

// -----

#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @unranked(%u: memref<*xf32>, %o: memref<*xf32>) {
    // expected-error @+1 {{ffm: a tile's operands are ranked buffers}}
    linalg.copy {ffm.einsum = "copy_0"} ins(%u : memref<*xf32>) outs(%o : memref<*xf32>)
    return
  }
}

// -----

// A scan's tile (acc * 0.5 + x) whose reduction rank a fanout spreads: the
// read-back marks the Einsum ordered as the Einsum graph does, through the
// rewrite's choice of the init's tile at the first step, and refuses it
// rather than pricing the spread instances as partial sums.
#map = affine_map<(d0, d1) -> (d0 * 4 + d1)>
#in2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @scan_reading_its_init(%x: memref<2x8xf32>, %init: memref<2xf32>, %o: memref<2xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %h = arith.constant 0.5 : f32
    scf.for %i = %c0 to %c2 step %c1 {
      scf.for %j = %c0 to %c2 step %c1 {
        scf.for %k = %c0 to %c4 step %c1 {
          %d = affine.apply #map(%j, %k)
          %sx = memref.subview %x[%i, %d] [1, 1] [1, 1] : memref<2x8xf32> to memref<1x1xf32, strided<[8, 1], offset: ?>>
          %si = memref.subview %init[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          %so = memref.subview %o[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          // expected-error @+1 {{ffm: the loop tree around this tile is not a valid mapping: rank 'd1' is a reduction whose step depends on its order and may not be spread over the fanout of level 'GLB'}}
          linalg.generic {indexing_maps = [#in2, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%sx, %si : memref<1x1xf32, strided<[8, 1], offset: ?>>, memref<1xf32, strided<[1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) attrs = {ffm.einsum = "generic_0"} {
          ^bb0(%p: f32, %first: f32, %acc: f32):
            %g = affine.apply #map(%j, %k)
            %z = arith.cmpi eq, %g, %c0 : index
            %a = arith.select %z, %first, %acc : f32
            %t = arith.mulf %a, %h : f32
            %u = arith.addf %t, %p : f32
            linalg.yield %u : f32
          }
        } {ffm.fanout = #ffm.fanout<"GLB", 0>}
      }
    }
    return
  }
}

// -----

// The same tile summing (acc + x) may spread its rank (no diagnostic);
// only the step differs.
#map = affine_map<(d0, d1) -> (d0 * 4 + d1)>
#in2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @sum_reading_its_init(%x: memref<2x8xf32>, %init: memref<2xf32>, %o: memref<2xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c2 step %c1 {
      scf.for %j = %c0 to %c2 step %c1 {
        scf.for %k = %c0 to %c4 step %c1 {
          %d = affine.apply #map(%j, %k)
          %sx = memref.subview %x[%i, %d] [1, 1] [1, 1] : memref<2x8xf32> to memref<1x1xf32, strided<[8, 1], offset: ?>>
          %si = memref.subview %init[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          %so = memref.subview %o[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          linalg.generic {indexing_maps = [#in2, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%sx, %si : memref<1x1xf32, strided<[8, 1], offset: ?>>, memref<1xf32, strided<[1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) attrs = {ffm.einsum = "generic_0"} {
          ^bb0(%p: f32, %first: f32, %acc: f32):
            %g = affine.apply #map(%j, %k)
            %z = arith.cmpi eq, %g, %c0 : index
            %a = arith.select %z, %first, %acc : f32
            %u = arith.addf %a, %p : f32
            linalg.yield %u : f32
          }
        } {ffm.fanout = #ffm.fanout<"GLB", 0>}
      }
    }
    return
  }
}

// -----

// A select of the init on another test than the first iteration (here on
// every iteration but the first) is not the rewrite's init read: the
// tile's result is the init plus the last element, which depends on the
// order, and spreading its rank is refused.
#map = affine_map<(d0, d1) -> (d0 * 4 + d1)>
#in2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0, fanout = [4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @init_on_later_steps(%x: memref<2x8xf32>, %init: memref<2xf32>, %o: memref<2xf32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c2 step %c1 {
      scf.for %j = %c0 to %c2 step %c1 {
        scf.for %k = %c0 to %c4 step %c1 {
          %d = affine.apply #map(%j, %k)
          %sx = memref.subview %x[%i, %d] [1, 1] [1, 1] : memref<2x8xf32> to memref<1x1xf32, strided<[8, 1], offset: ?>>
          %si = memref.subview %init[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          %so = memref.subview %o[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
          // expected-error @+1 {{ffm: the loop tree around this tile is not a valid mapping: rank 'd1' is a reduction whose step depends on its order and may not be spread over the fanout of level 'GLB'}}
          linalg.generic {indexing_maps = [#in2, #row, #row], iterator_types = ["parallel", "reduction"]} ins(%sx, %si : memref<1x1xf32, strided<[8, 1], offset: ?>>, memref<1xf32, strided<[1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) attrs = {ffm.einsum = "generic_0"} {
          ^bb0(%p: f32, %first: f32, %acc: f32):
            %g = affine.apply #map(%j, %k)
            %z = arith.cmpi ne, %g, %c0 : index
            %a = arith.select %z, %first, %acc : f32
            %u = arith.addf %a, %p : f32
            linalg.yield %u : f32
          }
        } {ffm.fanout = #ffm.fanout<"GLB", 0>}
      }
    }
    return
  }
}

// -----

// A tile whose step depends on the order of its two reduction ranks is
// refused, as the Einsum graph refuses its op.
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 1024, read_energy = 1.0, write_energy = 1.0>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 1, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @scan_over_two_ranks(%x: memref<2x8xf32>, %o: memref<f32>) {
    %h = arith.constant 0.5 : f32
    // expected-error @+1 {{ffm: the payload's result over 2 reduction ranks may depend on the order they are visited in}}
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%x : memref<2x8xf32>) outs(%o : memref<f32>) attrs = {ffm.einsum = "generic_0"} {
    ^bb0(%p: f32, %acc: f32):
      %t = arith.mulf %acc, %h : f32
      %u = arith.addf %t, %p : f32
      linalg.yield %u : f32
    }
    return
  }
}
