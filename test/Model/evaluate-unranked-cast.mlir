// A tensor's buffer may be a ranked cast of an unranked one: the read-back
// looks through casts only down to a ranked buffer, whose shape its tiles
// are read in, so both tiles read `%u` through `%a` (whole, as a view or
// as the buffer itself).
// RUN: ffm-opt --ffm-evaluate %s -o /dev/null | FileCheck %s

// CHECK-DAG: total @whole: energy 68 pJ, latency 4 cycles
// CHECK-DAG: total @viewed: energy 68 pJ, latency 4 cycles
#arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 8.0, write_energy = 8.0>,
    #ffm.level<name = "GLB", capacity = 16, read_energy = 1.0, write_energy = 1.0, fanout = [2]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 2, throughput = 1.0>>
module attributes {ffm.arch = #arch} {
  func.func @whole(%u: memref<*xf32>, %o: memref<4xf32>) {
    %a = memref.cast %u : memref<*xf32> to memref<4xf32>
    linalg.copy {ffm.einsum = "copy_0"} ins(%a : memref<4xf32>) outs(%o : memref<4xf32>)
    return
  }
  func.func @viewed(%u: memref<*xf32>, %o: memref<4xf32>) {
    %a = memref.cast %u : memref<*xf32> to memref<4xf32>
    %s = memref.subview %a[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
    %t = memref.subview %o[0] [4] [1] : memref<4xf32> to memref<4xf32, strided<[1]>>
    linalg.copy {ffm.einsum = "copy_0"} ins(%s : memref<4xf32, strided<[1]>>) outs(%t : memref<4xf32, strided<[1]>>)
    return
  }
}
