// A full Transformer layer (examples/transformer_small.mlir), every edge checked.
// RUN: ffm-opt --ffm-einsum-graph %ffm_src/examples/transformer_small.mlir -o /dev/null | FileCheck %s
// RUN: ffm-opt --ffm-einsum-graph %ffm_src/bench/workloads/gpt3_layer.mlir -o /dev/null | FileCheck %s --check-prefix=GPT

// CHECK-LABEL: workload @transformer_small: 13 einsums, 20 tensors, 14 edges
// CHECK: edge generic_2 -> generic_3 via generic_2.out dims [d0, d2, d3]
// CHECK-NEXT: edge generic_1 -> generic_3 via generic_1.out dims [d0, d2, d3]
// CHECK-NEXT: edge generic_3 -> generic_4 via generic_3.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_3 -> generic_5 via generic_3.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_4 -> generic_5 via generic_4.out dims [d0, d1]
// CHECK-NEXT: edge generic_5 -> generic_6 via generic_5.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_5 -> generic_7 via generic_5.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_6 -> generic_7 via generic_6.out dims [d0, d1]
// CHECK-NEXT: edge generic_7 -> generic_8 via generic_7.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_0 -> generic_8 via generic_0.out dims [d0, d2, d3]
// CHECK-NEXT: edge generic_8 -> generic_9 via generic_8.out dims [d0, d1, d2]
// CHECK-NEXT: edge generic_9 -> generic_10 via generic_9.out dims [d0, d1]
// CHECK-NEXT: edge generic_10 -> generic_11 via generic_10.out dims [d0, d1]
// CHECK-NEXT: edge generic_11 -> generic_12 via generic_11.out dims [d0, d1]

// GPT: einsum generic_0 (linalg.generic) ranks {d0:8192, d1:4096+, d2:32, d3:128}
// GPT: einsum generic_3 (linalg.generic) ranks {d0:32, d1:8192, d2:8192, d3:128+}
// GPT: einsum generic_10 (linalg.generic) ranks {d0:8192, d1:16384, d2:4096+}
