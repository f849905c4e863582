// Eleven inputs that differ only in their tensor: their keep sets are
// walked as a multiset (364 of the four keep sets each may take on the
// Eyeriss-like preset, not 4^11), so the sum maps in a fraction of a
// second; it ran for minutes before. The time limit turns a regression into an
// error instead of a stalled suite.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml time-limit=60 verify=true report=%t.json" %s | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// REPORT: {{^        }}"search_steps": {{[0-9]?[0-9]?[0-9]?[0-9]?[0-9]}},

// CHECK-LABEL: func.func @sum11
// CHECK: linalg.generic
// CHECK-SAME: ffm.mapping = #ffm.mapping<[keep arg0 in DRAM,
func.func @sum11(%a0: tensor<4x5xf32>, %a1: tensor<4x5xf32>, %a2: tensor<4x5xf32>, %a3: tensor<4x5xf32>, %a4: tensor<4x5xf32>, %a5: tensor<4x5xf32>, %a6: tensor<4x5xf32>, %a7: tensor<4x5xf32>, %a8: tensor<4x5xf32>, %a9: tensor<4x5xf32>, %a10: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %e = tensor.empty() : tensor<4x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%a0, %a1, %a2, %a3, %a4, %a5, %a6, %a7, %a8, %a9, %a10 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) outs(%e : tensor<4x5xf32>) {
    ^bb0(%v0: f32, %v1: f32, %v2: f32, %v3: f32, %v4: f32, %v5: f32, %v6: f32, %v7: f32, %v8: f32, %v9: f32, %v10: f32, %o: f32):
      %s1 = arith.addf %v0, %v1 : f32
      %s2 = arith.addf %s1, %v2 : f32
      %s3 = arith.addf %s2, %v3 : f32
      %s4 = arith.addf %s3, %v4 : f32
      %s5 = arith.addf %s4, %v5 : f32
      %s6 = arith.addf %s5, %v6 : f32
      %s7 = arith.addf %s6, %v7 : f32
      %s8 = arith.addf %s7, %v8 : f32
      %s9 = arith.addf %s8, %v9 : f32
      %s10 = arith.addf %s9, %v10 : f32
      linalg.yield %s10 : f32
  } -> tensor<4x5xf32>
  return %r : tensor<4x5xf32>
}
