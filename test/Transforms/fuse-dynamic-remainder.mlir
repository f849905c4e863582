// Dynamic shapes: the mapping is chosen at the function's ffm.dim_sizes and
// its loops walk the runtime extent, the last tile clipped, so one body
// serves every size (no scf.if guard, no copy of the original ops).
// test/Execution/dynamic-equivalence.test runs these at other sizes.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" -split-input-file %s | FileCheck %s

// Mapped at 256 rows: `for m : 2` above the on-chip tiles runs
// ceildiv(rows, 128) times; each tile is allocated at 128 rows and used
// through a subview of min(128, rows - 128 * iv) rows, the fused
// intermediate's included; the inner `for m : 128` runs that many times.
// CHECK-DAG:  #[[CEIL:.*]] = affine_map<(d0) -> (d0 ceildiv 128)>
// CHECK-DAG:  #[[CLIP:.*]] = affine_map<(d0, d1) -> (128, d0 - d1 * 128)>
// CHECK-LABEL: func.func @chain
// CHECK-NOT:  scf.if
// CHECK:      %[[D:.*]] = tensor.dim %arg0, %c0 : tensor<?x32xf32>
// CHECK:      %[[OUT:.*]] = memref.alloc(%[[D]]) : memref<?x16xf32>
// CHECK:      %[[X:.*]] = bufferization.to_buffer %arg0 read_only : tensor<?x32xf32> to memref<?x32xf32>
// CHECK:      %[[T:.*]] = affine.apply #[[CEIL]](%[[D]])
// CHECK:      scf.for %[[I:.*]] = %c0 to %[[T]] step %c1 {
// CHECK:        %[[N:.*]] = affine.min #[[CLIP]](%[[D]], %[[I]])
// CHECK:        %[[H:.*]] = memref.alloc() : memref<128x64xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   %[[HV:.*]] = memref.subview %[[H]][0, 0] [%[[N]], 64] [1, 1] : memref<128x64xf32, #ffm.level_space<"GlobalBuffer">> to memref<?x64xf32, strided<[64, 1]>, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   linalg.fill ins(%{{.*}} : f32) outs(%[[HV]] :
// CHECK:        %[[A:.*]] = memref.alloc() : memref<128x32xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT:   %[[AV:.*]] = memref.subview %[[A]][0, 0] [%[[N]], 32] [1, 1]
// CHECK:        %[[XS:.*]] = memref.subview %[[X]][%{{.*}}, 0] [%[[N]], 32] [1, 1]
// CHECK-NEXT:   memref.copy %[[XS]], %[[AV]]
// CHECK:        scf.for %{{.*}} = %c0 to %[[N]] step %c1 {
// CHECK:          linalg.matmul {ffm.einsum = "matmul_0", {{.*}}ins(%{{.*}}, %{{.*}} : memref<1x1xf32
// CHECK:        scf.for %{{.*}} = %c0 to %{{.*}} step %c1 {
// CHECK:          linalg.matmul {ffm.einsum = "matmul_1", {{.*}}ins(%{{.*}}, %{{.*}} : memref<1x1xf32
// CHECK:        memref.copy %{{.*}}, %{{.*}} : memref<?x16xf32, strided<[16, 1]>, #ffm.level_space<"GlobalBuffer">> to memref<?x16xf32, strided<[16, 1], offset: ?>>
// CHECK:      %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<?x16xf32> to tensor<?x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16xf32>
func.func @chain(%x: tensor<?x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<?x16xf32> attributes {ffm.dim_sizes = array<i64: 256>} {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x32xf32>
  %e1 = tensor.empty(%m) : tensor<?x64xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %h = linalg.matmul ins(%x, %w0 : tensor<?x32xf32>, tensor<32x64xf32>) outs(%f1 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %e2 = tensor.empty(%m) : tensor<?x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %o = linalg.matmul ins(%h, %w1 : tensor<?x64xf32>, tensor<64x16xf32>) outs(%f2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %o : tensor<?x16xf32>
}

// -----

// C += A * B into a dynamic argument (its init read as data), then an add
// of another dynamic argument: the rows of all four are one runtime
// extent. The init is copied on chip at that extent; the add's
// `for d0 : 3, par d0 : 4` spreads min(4, rows - 4 * iv) instances.
// CHECK-DAG:  #[[CEIL4:.*]] = affine_map<(d0) -> (d0 ceildiv 4)>
// CHECK-DAG:  #[[CLIP4:.*]] = affine_map<(d0, d1) -> (4, d0 - d1 * 4)>
// CHECK-LABEL: func.func @acc
// CHECK-NOT:  scf.if
// CHECK:      %[[D:.*]] = tensor.dim %arg0, %c0 : tensor<?x24xf32>
// CHECK-NOT:  tensor.dim
// CHECK:      %[[C:.*]] = bufferization.to_buffer %arg2 read_only : tensor<?x16xf32> to memref<?x16xf32>
// CHECK:      %[[CB:.*]] = memref.alloc(%[[D]]) : memref<?x16xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK-NEXT: %[[CS:.*]] = memref.subview %[[C]][0, 0] [%[[D]], 16] [1, 1]
// CHECK-NEXT: memref.copy %[[CS]], %[[CB]]
// CHECK:      scf.for %{{.*}} = %c0 to %[[D]] step %c1 {
// CHECK:        ffm.einsum = "matmul_0"
// CHECK:      bufferization.to_buffer %arg3 read_only : tensor<?x16xf32> to memref<?x16xf32>
// CHECK:      %[[T:.*]] = affine.apply #[[CEIL4]](%[[D]])
// CHECK:      scf.for %[[I:.*]] = %c0 to %[[T]] step %c1 {
// CHECK-NEXT:   %[[N:.*]] = affine.min #[[CLIP4]](%[[D]], %[[I]])
// CHECK:        scf.forall (%{{.*}}) in (%[[N]]) {
// CHECK:          ffm.einsum = "generic_0"
// CHECK:      return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @acc(%a: tensor<?x24xf32>, %b: tensor<24x16xf32>, %c: tensor<?x16xf32>, %d: tensor<?x16xf32>) -> tensor<?x16xf32> attributes {ffm.dim_sizes = array<i64: 12, 12, 12>} {
  %m = linalg.matmul ins(%a, %b : tensor<?x24xf32>, tensor<24x16xf32>) outs(%c : tensor<?x16xf32>) -> tensor<?x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %d : tensor<?x16xf32>, tensor<?x16xf32>) outs(%c : tensor<?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %v = arith.addf %x, %y : f32
    linalg.yield %v : f32
  } -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}

// -----

// A convolution over a dynamic batch: the batch loop runs the runtime
// batch, the sliding windows stay static.
// CHECK-LABEL: func.func @conv
// CHECK-NOT:  scf.if
// CHECK:      %[[D:.*]] = tensor.dim %arg0, %c0 : tensor<?x10x10x8xf32>
// CHECK:      memref.alloc(%[[D]]) : memref<?x10x10x8xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:      scf.for %{{.*}} = %c0 to %[[D]] step %c1 {
// CHECK-NEXT:   scf.for %{{.*}} = %c0 to %c8 step %c1 {
// CHECK:        linalg.conv_2d_nhwc_hwcf {ffm.einsum = "conv_2d_nhwc_hwcf_0"
// CHECK:      return
func.func @conv(%x: tensor<?x10x10x8xf32>, %w: tensor<3x3x8x16xf32>) -> tensor<?x8x8x16xf32> attributes {ffm.dim_sizes = array<i64: 2>} {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x10x10x8xf32>
  %e = tensor.empty(%n) : tensor<?x8x8x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x8x8x16xf32>) -> tensor<?x8x8x16xf32>
  %o = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<?x10x10x8xf32>, tensor<3x3x8x16xf32>) outs(%f : tensor<?x8x8x16xf32>) -> tensor<?x8x8x16xf32>
  return %o : tensor<?x8x8x16xf32>
}

// -----

// A dynamic image height is a sliding window's dimension, which loops over
// runtime extents do not walk: the body is mapped at the given sizes and
// guarded, the original op running at any other size.
// CHECK-LABEL: func.func @window
// CHECK:      scf.if
// CHECK:        ffm.einsum = "conv_2d_nhwc_hwcf_0"
// CHECK:      } else {
// CHECK-NEXT:   linalg.conv_2d_nhwc_hwcf ins(%arg0, %arg1 : tensor<1x?x10x8xf32>
// CHECK:      } {ffm.dim_sizes = array<i64: 10, 8>}
func.func @window(%x: tensor<1x?x10x8xf32>, %w: tensor<3x3x8x16xf32>, %o0: tensor<1x?x8x16xf32>) -> tensor<1x?x8x16xf32> attributes {ffm.dim_sizes = array<i64: 10, 8>} {
  %o = linalg.conv_2d_nhwc_hwcf ins(%x, %w : tensor<1x?x10x8xf32>, tensor<3x3x8x16xf32>) outs(%o0 : tensor<1x?x8x16xf32>) -> tensor<1x?x8x16xf32>
  return %o : tensor<1x?x8x16xf32>
}

// -----

// Mapped at one row, the mapping has no loop over the rows: its one-row
// tile cannot serve more, so the body is guarded.
// CHECK-LABEL: func.func @one_row
// CHECK:      scf.if
// CHECK:        ffm.einsum = "generic_0"
// CHECK:      } else {
// CHECK-NEXT:   linalg.generic
// CHECK:      } {ffm.dim_sizes = array<i64: 1, 1>}
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @one_row(%x: tensor<?x16xf32>, %y: tensor<?x16xf32>) -> tensor<?x16xf32> attributes {ffm.dim_sizes = array<i64: 1, 1>} {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x16xf32>) outs(%y : tensor<?x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.mulf %a, %a : f32
    linalg.yield %v : f32
  } -> tensor<?x16xf32>
  return %r : tensor<?x16xf32>
}
