// Reshapes that split or merge dimensions between Einsums (heads split off
// a projection's columns and merged back) are folded into the Einsums'
// ranks where that maps better: the projection becomes a generic over
// (rows, heads, head dim), both sides index one tensor, and the split
// intermediate stays in the GlobalBuffer instead of a DRAM round trip.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %S/Inputs/heads.mlir | FileCheck %s
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml fold-reshapes=false verify=true" %S/Inputs/heads.mlir | FileCheck %s --check-prefix=ASIS
// The report's cost covers both forms' searches.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false report=%t.json" %S/Inputs/heads.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=BOTH < %t.json
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false fold-reshapes=false report=%t.asis.json" %S/Inputs/heads.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=ONE < %t.asis.json
// BOTH: "searches": 2
// ONE: "searches": 1

// The weights are reshaped instead (DRAM views of arguments), every op is
// a generic over the finer ranks, and no intermediate is in DRAM.
// CHECK-LABEL: func.func @heads
// CHECK-SAME:    ffm.energy_pj = 0x412F300000000000
// CHECK-DAG:   tensor.expand_shape %arg1 {{\[}}[0], [1, 2]] output_shape [32, 3, 16]
// CHECK-DAG:   tensor.expand_shape %arg4 {{\[}}[0, 1], [2]] output_shape [3, 16, 32]
// CHECK-NOT:   memref.alloc() : memref<16x48xf32>
// CHECK-NOT:   memref.alloc() : memref<16x3x16xf32>{{$}}
// CHECK-NOT:   linalg.matmul
// CHECK:       ffm.einsum = "generic_0"
// CHECK-SAME:  ffm.mapping = #ffm.mapping<[keep arg0 in DRAM, keep arg1.v{{[0-9]+}} in DRAM,
// CHECK-NOT:   memref.alloc() : memref<16x3x16xf32>{{$}}
// CHECK:       ffm.einsum = "generic_3"

// As written, the projections stay matmuls and the intermediates go
// through DRAM on both sides of the reshapes, at 27% more energy.
// ASIS-LABEL: func.func @heads
// ASIS-SAME:    ffm.energy_pj = 0x4134570000000000
// ASIS-DAG:     memref.alloc() : memref<16x48xf32>{{$}}
// ASIS-DAG:     memref.alloc() : memref<16x3x16xf32>{{$}}
// ASIS-DAG:     linalg.matmul {{.*}}ffm.einsum = "matmul_0"
// ASIS-DAG:     linalg.matmul {{.*}}ffm.einsum = "matmul_1"
