// --ffm-evaluate reads --ffm-fuse output back after --canonicalize too,
// which folds a view of a whole buffer into the buffer itself (the tile as
// large as a DRAM tensor, in @mm) or into a memref.cast of it (the row
// sums' one-element scratchpad tile on `eyeriss`, in @rowsum): the same
// trees, the same totals as the output as emitted.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null | FileCheck %s --check-prefix=TWO
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --canonicalize --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null | FileCheck %s --check-prefix=TWO
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s -o /dev/null | FileCheck %s --check-prefix=EYERISS
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --canonicalize --ffm-evaluate="arch-file=%ffm_src/examples/arch/eyeriss.yaml" %s -o /dev/null | FileCheck %s --check-prefix=EYERISS
// What canonicalization made of them:
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --canonicalize %s | FileCheck %s --check-prefix=WHOLE
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss.yaml" --canonicalize %s | FileCheck %s --check-prefix=CAST

// TWO-DAG: total @mm: energy 29344 pJ, latency 128 cycles
// TWO-DAG: total @rowsum: energy 396080 pJ, latency 960 cycles
// EYERISS-DAG: total @mm: energy 29889.19477 pJ, latency 122.0703125 cycles
// EYERISS-DAG: total @rowsum: energy 275534.4587 pJ, latency 1850.128174 cycles

// WHOLE-LABEL: func.func @mm
// WHOLE: %[[A:.*]] = bufferization.to_buffer %arg0
// WHOLE: memref.copy %[[A]], %{{.*}} : memref<8x8xf32> to memref<8x8xf32, #ffm.level_space<"GlobalBuffer">>
// CAST-LABEL: func.func @rowsum
// CAST: %[[T:.*]] = memref.alloc() : memref<1x1xf32, #ffm.level_space<"{{.*}}">>
// CAST: %[[C:.*]] = memref.cast %[[T]]
// CAST: linalg.reduce ins({{.*}}) outs(%[[C]] :
func.func @mm(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

func.func @rowsum(%x: tensor<1x40x96xf32>) -> tensor<1x40xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x40xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x40xf32>) -> tensor<1x40xf32>
  %r = linalg.reduce ins(%x : tensor<1x40x96xf32>) outs(%f : tensor<1x40xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<1x40xf32>
}
