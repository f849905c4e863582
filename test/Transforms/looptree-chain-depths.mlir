// A three-matmul chain on small_2level, both groups of the chain in one
// LoopTree.
// Energy: the group shares no loops; both intermediates are whole
// GlobalBuffer buffers, created (and zeroed) once at the top, each matmul
// its own loop nest below, no default-space copy of either.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml verify=true" %s | FileCheck %s --check-prefix=WHOLE
// Latency: the two intermediates are fused at different depths. The first
// (48x32) is tiled by the one loop all three share (m : 2, a 24x32 tile);
// the second (48x64) also by the loop over its n (k of matmul_2) : 64,
// which matmul_1 and matmul_2 share below it (a 24x1 tile).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml objective=latency verify=true" %s | FileCheck %s --check-prefix=DEPTH

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
// DEPTH-NOT:  memref.alloc() : memref<48x32xf32
// DEPTH-NOT:  memref.alloc() : memref<48x64xf32
// DEPTH:      scf.for %[[M:.*]] = %c0 to %c2
// DEPTH-NEXT:   %[[T0:.*]] = memref.alloc() : memref<24x32xf32, #ffm.level_space<"GlobalBuffer">>
// DEPTH:        linalg.matmul {ffm.einsum = "matmul_0"
// DEPTH-SAME:   for m : 2, keep matmul_0.out in GlobalBuffer,
// DEPTH:        scf.for %[[N:.*]] = %c0 to %c64
// DEPTH-NEXT:     %[[T1:.*]] = memref.alloc() : memref<24x1xf32, #ffm.level_space<"GlobalBuffer">>
// DEPTH:          memref.subview %[[T0]]
// DEPTH:          memref.subview %[[T1]]
// DEPTH-NEXT:     linalg.matmul {ffm.einsum = "matmul_1"
// DEPTH-SAME:     for m : 2, keep matmul_0.out in GlobalBuffer, for n : 64, keep matmul_1.out in GlobalBuffer,
// DEPTH:          memref.subview %[[T1]]
// DEPTH:          linalg.matmul {ffm.einsum = "matmul_2"
// DEPTH-SAME:     for m : 2, keep matmul_2.out in GlobalBuffer, for k : 64, keep matmul_1.out in GlobalBuffer,
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
