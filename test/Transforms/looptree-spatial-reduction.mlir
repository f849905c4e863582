// Spatial loops over a reduction rank. scf.forall would race on the shared
// partial sum, so each is an scf.for carrying the fanout it is mapped to;
// spatial loops over other ranks are scf.forall with the fanout as their
// mapping. On eyeriss_like the whole k = 32 is spread 8 x 4 over the two
// GlobalBuffer dimensions; on tpu_v4i_like m goes to one LocalBuffer
// dimension and k to the other.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml verify=true" %s | FileCheck %s --check-prefix=EYE
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/tpu_v4i_like.yaml verify=true" %s | FileCheck %s --check-prefix=TPU

// EYE-LABEL: func.func @matmul
// EYE:      scf.for %[[K0:.*]] = %c0 to %c8
// EYE-NEXT:   scf.for %[[K1:.*]] = %c0 to %c4
// EYE:          affine.apply #{{.*}}(%[[K0]], %[[K1]])
// EYE:          scf.for %{{.*}} = %c0 to %c64
// EYE-NEXT:       scf.for %{{.*}} = %c0 to %c64
// EYE:              linalg.matmul {ffm.einsum = "matmul_0"
// EYE-SAME:         par k : 8 in GlobalBuffer[0], par k : 4 in GlobalBuffer[1]
// EYE:        } {ffm.fanout = #ffm.fanout<"GlobalBuffer", 1>}
// EYE-NEXT: } {ffm.fanout = #ffm.fanout<"GlobalBuffer", 0>}
// EYE-NOT:  scf.forall

// TPU-LABEL: func.func @matmul
// TPU:      scf.for %[[N:.*]] = %c0 to %c64
// TPU-NEXT:   scf.forall (%[[M:.*]]) in (64) {
// TPU-NEXT:     scf.for %[[K:.*]] = %c0 to %c32
// TPU-NEXT:       memref.subview %{{.*}}[%[[M]], %[[K]]] [1, 1]
// TPU-NEXT:       memref.subview %{{.*}}[%[[K]], %[[N]]] [1, 1]
// TPU-NEXT:       memref.subview %{{.*}}[%[[M]], %[[N]]] [1, 1]
// TPU-NEXT:       linalg.matmul {ffm.einsum = "matmul_0"
// TPU-SAME:       for n : 64, par m : 64 in LocalBuffer[0], par k : 32 in LocalBuffer[1]
// TPU-NEXT:     } {ffm.fanout = #ffm.fanout<"LocalBuffer", 1>}
// TPU-NEXT:   } {mapping = [#ffm.fanout<"LocalBuffer", 0>]}

func.func @matmul(%a: tensor<64x32xf32>, %b: tensor<32x64xf32>) -> tensor<64x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}
