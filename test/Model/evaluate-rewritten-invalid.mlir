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
