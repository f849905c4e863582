// An arch-file= with no path (an unset variable in a script) is an error,
// not a silent fall back to attributes or to no architecture.
// RUN: ffm-opt --ffm-fuse="arch-file= verify=true" %s -verify-diagnostics -o /dev/null
// RUN: not ffm-opt --ffm-fuse="arch-file=" %s -o /dev/null 2>/dev/null
// RUN: not ffm-opt --ffm-evaluate="arch-file=" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=EVAL
// EVAL: error: ffm-evaluate: arch-file= names no file
// Left out, the function's own architecture is used as ever.
// RUN: ffm-opt --ffm-fuse="verify=true" %s | FileCheck %s

// CHECK-LABEL: func.func @mm
// CHECK: ffm.mapping
// expected-error @+1 {{ffm-fuse: arch-file= names no file (leave the option out to use #ffm.arch attributes)}}
func.func @mm(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32>
    attributes {ffm.arch = #ffm.arch<levels = [#ffm.level<name = "DRAM", read_energy = 200.0, write_energy = 200.0>, #ffm.level<name = "Buffer", capacity = 4096, read_energy = 2.0, write_energy = 2.0>], compute = <mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
  %0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
