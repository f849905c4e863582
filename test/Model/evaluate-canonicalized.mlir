// --ffm-evaluate reads --ffm-fuse output as emitted: canonicalization in
// between folds the full view of a DRAM tensor (a tile as large as the
// tensor) and the read-back rejects the tree, saying why that may be.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null | FileCheck %s --check-prefix=EMITTED
// RUN: not ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml" --canonicalize --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=FOLDED

// EMITTED: total @mm: energy 29344 pJ, latency 128 cycles
// FOLDED: error: ffm: the loop tree around this tile is not a valid mapping: tensor 0 of the Einsum must be kept in 'DRAM' (ffm-evaluate reads --ffm-fuse output as emitted, before any canonicalization)
func.func @mm(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
