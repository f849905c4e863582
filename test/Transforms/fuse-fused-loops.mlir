// max-fused-loops-per-rank bounds how often a rank is tiled above a fused
// intermediate: with one loop per rank the chain has far fewer joinable
// compatibility groups (with a pmapping under the caps whose keys a
// neighbour takes too) than with any number (0), and here the same optimum.
// (The groups are the last pass's: here the rerun capped by the least
// completions, docs/mapspace.md, "Least completions".)
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false report=%t.one.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=ONE < %t.one.json
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false max-fused-loops-per-rank=0 report=%t.any.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=ANY < %t.any.json
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml max-fused-loops-per-rank=-1" %s 2>&1 | FileCheck %s --check-prefix=BAD
// max-fused-loops bounds them in all, as the authors' regression tests
// map (one): here no fused mapping is left (the brute-force reference
// checks the rule: BruteForceTest's max-fused-loops=1 cases).
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false max-fused-loops=1 report=%t.total.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=TOTAL < %t.total.json
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml max-fused-loops=-2" %s 2>&1 | FileCheck %s --check-prefix=BADTOTAL

// ONE: "energy_pj": 2136064
// ONE: "joinable_groups": 8
// ANY: "energy_pj": 2136064
// ANY: "joinable_groups": 14
// TOTAL: "energy_pj": 2860544
// TOTAL-NEXT: "fusion_groups": [
// TOTAL-NEXT: [
// TOTAL-NEXT: "matmul_0"
// TOTAL-NEXT: ],
// TOTAL: "joinable_groups": 2
// BAD: fuse-fused-loops.mlir:[[@LINE+2]]:1: error: ffm-fuse: max-fused-loops-per-rank must be non-negative (0: any number), got -1
// BADTOTAL: fuse-fused-loops.mlir:[[@LINE+1]]:1: error: ffm-fuse: max-fused-loops must be non-negative (0: any number), got -2
func.func @matmul_chain(%x: tensor<64x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %e1 = tensor.empty() : tensor<64x64xf32>
  %z2 = arith.constant 0.0 : f32
  %f3 = linalg.fill ins(%z2 : f32) outs(%e1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %v4 = linalg.matmul ins(%x, %w0 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f3 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e5 = tensor.empty() : tensor<64x16xf32>
  %f7 = linalg.fill ins(%z2 : f32) outs(%e5 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %v8 = linalg.matmul ins(%v4, %w1 : tensor<64x64xf32>, tensor<64x16xf32>) outs(%f7 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %v8 : tensor<64x16xf32>
}
