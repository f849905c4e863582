// Node depths (node-depths=true, docs/mapspace.md item 6): a 1 KiB
// GlobalBuffer under the reference's accounting cannot hold the three
// 16x16 tiles of a 32-cubed matmul's head-only optimum cheaply; with node
// depths the buffer keeps a 16x32 row panel of A above a loop over n and
// B's column and C's column tile below it (A read from DRAM once): 617,984
// pJ against 932,352. The IR is that LoopTree: A's buffer allocated and
// filled under the m loop alone, B's and C's under the n loop inside it
// (verify=true reads the mapping back from this IR).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/test/Transforms/Inputs/refacct_tight.yaml node-depths=true verify=true" %s | FileCheck %s --check-prefix=DEEP
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/test/Transforms/Inputs/refacct_tight.yaml verify=true" %s | FileCheck %s --check-prefix=HEAD

// DEEP-LABEL: func.func @mm
// DEEP-SAME:    ffm.energy_pj = 6.179840e+05
// DEEP:         scf.for %[[M:.*]] = %c0 to %c2
// DEEP-NEXT:      %[[A:.*]] = memref.alloc() : memref<16x32xf32, #ffm.level_space<"GlobalBuffer">>
// DEEP:           memref.copy %{{.*}}, %[[A]]
// DEEP-NEXT:      scf.for %[[N:.*]] = %c0 to %c32
// DEEP-NEXT:        %[[B:.*]] = memref.alloc() : memref<32x1xf32, #ffm.level_space<"GlobalBuffer">>
// DEEP-NEXT:        memref.subview %{{.*}}[0, %[[N]]] [32, 1]
// DEEP-NEXT:        memref.copy %{{.*}}, %[[B]]
// DEEP-NEXT:        %[[C:.*]] = memref.alloc() : memref<16x1xf32, #ffm.level_space<"GlobalBuffer">>
// DEEP:             linalg.matmul {{.*}}#ffm.mapping<[keep arg0 in DRAM, keep arg1 in DRAM, keep matmul_0.out in DRAM, for m : 2, keep arg0 in GlobalBuffer, for n : 32, keep arg1 in GlobalBuffer, keep matmul_0.out in GlobalBuffer,
// DEEP:             memref.copy %[[C]], %{{.*}} : memref<16x1xf32, #ffm.level_space<"GlobalBuffer">> to
// DEEP-NEXT:      }
// DEEP-NEXT:    }

// Without node depths every node heads the GlobalBuffer's block: three
// 16x16 tiles under the same three loops.
// HEAD-LABEL: func.func @mm
// HEAD-SAME:    ffm.energy_pj = 9.323520e+05
// HEAD-COUNT-3: scf.for
// HEAD-NEXT:    memref.alloc() : memref<16x16xf32, #ffm.level_space<"GlobalBuffer">>
// HEAD-NOT:     scf.for
// HEAD:         memref.alloc() : memref<16x16xf32, #ffm.level_space<"GlobalBuffer">>
// HEAD-NOT:     scf.for
// HEAD:         memref.alloc() : memref<16x16xf32, #ffm.level_space<"GlobalBuffer">>
func.func @mm(%a: tensor<32x32xf32>, %b: tensor<32x32xf32>) -> tensor<32x32xf32> {
  %e = tensor.empty() : tensor<32x32xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<32x32xf32>, tensor<32x32xf32>) outs(%f : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %0 : tensor<32x32xf32>
}
