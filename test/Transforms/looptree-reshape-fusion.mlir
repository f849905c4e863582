// Reshapes that only add or drop unit dimensions are transparent to
// fusion (the FFN of TOSA-lowered models: matmul, expand to 1x8x32, ReLU,
// collapse back, matmul). Both intermediates stay on chip in one group;
// the ReLU and the second matmul read the on-chip tiles reshaped for them
// (the reshape marks which dimensions are the tensor's), and no tensor
// goes through a default-space buffer but the result.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml verify=true" %s | FileCheck %s
// RUN: ffm-opt --ffm-einsum-graph %s -o /dev/null | FileCheck %s --check-prefix=GRAPH

// GRAPH: einsum generic_0 (linalg.generic) ranks {d0:1, d1:8, d2:32}: generic_0.out[d0, d1, d2] = matmul_0.out[d1, d2]
// GRAPH: einsum matmul_1 (linalg.matmul) ranks {m:8, n:16, k:32+}: matmul_1.out[m, n] += generic_0.out[1, m, k] arg2[k, n]
// GRAPH: edge matmul_0 -> generic_0 via matmul_0.out dims [m, n]
// GRAPH-NOT: reshape
// GRAPH: edge generic_0 -> matmul_1 via generic_0.out dims [d0, d1, d2]

// CHECK-LABEL: func.func @ffn
// CHECK:     %[[OUT:.*]] = memref.alloc() : memref<8x16xf32>
// CHECK:     %[[H:.*]] = memref.alloc() : memref<8x32xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:     %[[R:.*]] = memref.alloc() : memref<1x8x32xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NOT: memref.alloc() : memref<{{.*}}xf32>
// CHECK:     ffm.einsum = "matmul_0"
// CHECK:     %[[HT:.*]] = memref.subview %[[H]]
// CHECK-NEXT: memref.expand_shape %[[HT]] {{\[\[}}0, 1], [2]] output_shape [1, 1, 1] {ffm.kept_dims = array<i1: false, true, true>}
// CHECK:     ffm.einsum = "generic_0"
// CHECK:     %[[RT:.*]] = memref.subview %[[R]]
// CHECK-NEXT: memref.collapse_shape %[[RT]] {{\[\[}}0, 1], [2]] {ffm.kept_dims = array<i1: false, true, true>}
// CHECK:     ffm.einsum = "matmul_1"
// CHECK:     bufferization.to_tensor %[[OUT]]
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @ffn(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<8x16xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  %h3 = tensor.expand_shape %h [[0, 1], [2]] output_shape [1, 8, 32] : tensor<8x32xf32> into tensor<1x8x32xf32>
  %e3 = tensor.empty() : tensor<1x8x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%h3 : tensor<1x8x32xf32>) outs(%e3 : tensor<1x8x32xf32>) {
  ^bb0(%a: f32, %b: f32):
    %v = arith.maximumf %a, %z : f32
    linalg.yield %v : f32
  } -> tensor<1x8x32xf32>
  %r2 = tensor.collapse_shape %r [[0, 1], [2]] : tensor<1x8x32xf32> into tensor<8x32xf32>
  %e2 = tensor.empty() : tensor<8x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  %o = linalg.matmul ins(%r2, %w2 : tensor<8x32xf32>, tensor<32x16xf32>) outs(%f2 : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %o : tensor<8x16xf32>
}
