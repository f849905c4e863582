// A three-matmul chain on small_2level, both groups of the chain in one
// LoopTree.
// Energy: the group shares no loops; both intermediates are whole
// GlobalBuffer buffers, created (and zeroed) once at the top, each matmul
// its own loop nest below, no default-space copy of either.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s --check-prefix=WHOLE
// EDP on tpu_v4i_like: the two intermediates are fused at different depths.
// The first (48x32) is whole in the GlobalBuffer, under no loop; matmul_1
// and matmul_2 share the spatial loop over m : 4 of the GlobalBuffer's
// fanout, and the second (48x64) is a 12x64 LocalBuffer tile under it.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml objective=edp verify=true" %s | FileCheck %s --check-prefix=DEPTH

// WHOLE-LABEL: func.func @chain
// WHOLE-NOT:  memref.alloc() : memref<48x32xf32>
// WHOLE-NOT:  memref.alloc() : memref<48x64xf32>
// WHOLE:      %[[T0:.*]] = memref.alloc() : memref<48x32xf32, #ffm.level_space<"GlobalBuffer">>
// WHOLE-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[T0]] :
// WHOLE-NEXT: %[[T1:.*]] = memref.alloc() : memref<48x64xf32, #ffm.level_space<"GlobalBuffer">>
// WHOLE-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[T1]] :
// WHOLE:      scf.for %{{.*}} = %c0 to %c48
// WHOLE:        memref.subview %[[T0]]
// WHOLE-NEXT:   linalg.matmul {ffm.einsum = "matmul_0"
// WHOLE:      scf.for %{{.*}} = %c0 to %c48
// WHOLE:        memref.subview %[[T0]]
// WHOLE:        memref.subview %[[T1]]
// WHOLE-NEXT:   linalg.matmul {ffm.einsum = "matmul_1"
// WHOLE:      scf.for %{{.*}} = %c0 to %c48
// WHOLE:        memref.subview %[[T1]]
// WHOLE:        linalg.matmul {ffm.einsum = "matmul_2"
// WHOLE-NOT:  memref.copy %[[T0]]
// WHOLE-NOT:  memref.copy %[[T1]]
// WHOLE:      return

// DEPTH-LABEL: func.func @chain
// DEPTH-NOT:  memref.alloc() : memref<48x32xf32>
// DEPTH-NOT:  memref.alloc() : memref<48x64xf32
// DEPTH:      %[[T0:.*]] = memref.alloc() : memref<48x32xf32, #ffm.level_space<"GlobalBuffer">>
// DEPTH:      scf.forall
// DEPTH:        linalg.matmul {ffm.einsum = "matmul_0"
// DEPTH:        memref.copy %{{.*}}, %{{.*}} : memref<48x8xf32, #ffm.level_space<"LocalBuffer">> to memref<48x8xf32, strided<[32, 1], offset: ?>, #ffm.level_space<"GlobalBuffer">>
// DEPTH-NEXT: } {mapping = [#ffm.fanout<"GlobalBuffer", 0>]}
// DEPTH:      scf.forall (%{{.*}}) in (4) {
// DEPTH-NEXT:   %[[T1:.*]] = memref.alloc() : memref<12x64xf32, #ffm.level_space<"LocalBuffer">>
// DEPTH:        memref.subview %[[T0]][%{{.*}}, 0] [12, 32]
// DEPTH:        memref.subview %[[T1]]
// DEPTH-NEXT:   linalg.matmul {ffm.einsum = "matmul_1"
// DEPTH:        memref.subview %[[T1]]
// DEPTH:        linalg.matmul {ffm.einsum = "matmul_2"
// DEPTH:      } {mapping = [#ffm.fanout<"GlobalBuffer", 0>]}
// DEPTH-NOT:  ffm.einsum
// DEPTH:      return

  func.func @chain(%x: tensor<48x16xf32>, %w0: tensor<16x32xf32>, %w1: tensor<32x64xf32>, %w2: tensor<64x8xf32>) -> tensor<48x8xf32> {
    %e1 = tensor.empty() : tensor<48x32xf32>
    %z2 = arith.constant 0.0 : f32
    %f3 = linalg.fill ins(%z2 : f32) outs(%e1 : tensor<48x32xf32>) -> tensor<48x32xf32>
    %v4 = linalg.matmul ins(%x, %w0 : tensor<48x16xf32>, tensor<16x32xf32>) outs(%f3 : tensor<48x32xf32>) -> tensor<48x32xf32>
    %e5 = tensor.empty() : tensor<48x64xf32>
    %z6 = arith.constant 0.0 : f32
    %f7 = linalg.fill ins(%z6 : f32) outs(%e5 : tensor<48x64xf32>) -> tensor<48x64xf32>
    %v8 = linalg.matmul ins(%v4, %w1 : tensor<48x32xf32>, tensor<32x64xf32>) outs(%f7 : tensor<48x64xf32>) -> tensor<48x64xf32>
    %e9 = tensor.empty() : tensor<48x8xf32>
    %z10 = arith.constant 0.0 : f32
    %f11 = linalg.fill ins(%z10 : f32) outs(%e9 : tensor<48x8xf32>) -> tensor<48x8xf32>
    %v12 = linalg.matmul ins(%v8, %w2 : tensor<48x64xf32>, tensor<64x8xf32>) outs(%f11 : tensor<48x8xf32>) -> tensor<48x8xf32>
    return %v12 : tensor<48x8xf32>
  }
