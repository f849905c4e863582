// A decode step's projections on Simba: one token's input, copied and read
// by two matrix-vector products bound by main memory, so nearly every
// mapping of them ties on latency and many exactly on energy too. The
// per-PE buffers below the GlobalBuffer, which keeps every intermediate,
// hold no tile across the fused loops, so their bytes decide no join and
// are no criteria: such ties are then exact in every criterion, and a
// group keeps the first (search_steps were 226,793 and groups held more
// than 1,000 pmappings; now 1,006 steps, at most 10 held at a time).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/simba.yaml max-pmappings=10 report=%t.json rewrite=false" %s -o /dev/null
// RUN: FileCheck %s < %t.json
// CHECK: {{^      }}"energy_pj": 2285671.06
// CHECK: {{^        }}"search_steps": {{[0-9]?[0-9]?[0-9]?[0-9]}},

module {
  func.func @decode(%I_in: tensor<1x1x128xf32>, %WV: tensor<4x32x128xf32>, %WK: tensor<4x32x128xf32>) -> (tensor<1x1x4x32xf32>, tensor<1x1x4x32xf32>) {
    %e1 = tensor.empty() : tensor<1x1x128xf32>
    // Einsum I
    %v2 = linalg.generic {indexing_maps = [affine_map<(b, m, d) -> (b, m, d)>, affine_map<(b, m, d) -> (b, m, d)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%I_in : tensor<1x1x128xf32>) outs(%e1 : tensor<1x1x128xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      linalg.yield %a0 : f32
    } -> tensor<1x1x128xf32>
    %e3 = tensor.empty() : tensor<1x1x4x32xf32>
    %z4 = arith.constant 0.0 : f32
    %f5 = linalg.fill ins(%z4 : f32) outs(%e3 : tensor<1x1x4x32xf32>) -> tensor<1x1x4x32xf32>
    // Einsum V_new
    %v6 = linalg.generic {indexing_maps = [affine_map<(b, m, h, e, d) -> (b, m, d)>, affine_map<(b, m, h, e, d) -> (h, e, d)>, affine_map<(b, m, h, e, d) -> (b, m, h, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%v2, %WV : tensor<1x1x128xf32>, tensor<4x32x128xf32>) outs(%f5 : tensor<1x1x4x32xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<1x1x4x32xf32>
    %e7 = tensor.empty() : tensor<1x1x4x32xf32>
    %z8 = arith.constant 0.0 : f32
    %f9 = linalg.fill ins(%z8 : f32) outs(%e7 : tensor<1x1x4x32xf32>) -> tensor<1x1x4x32xf32>
    // Einsum K_new
    %v10 = linalg.generic {indexing_maps = [affine_map<(b, m, h, e, d) -> (b, m, d)>, affine_map<(b, m, h, e, d) -> (h, e, d)>, affine_map<(b, m, h, e, d) -> (b, m, h, e)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
        ins(%v2, %WK : tensor<1x1x128xf32>, tensor<4x32x128xf32>) outs(%f9 : tensor<1x1x4x32xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<1x1x4x32xf32>
    return %v6, %v10 : tensor<1x1x4x32xf32>, tensor<1x1x4x32xf32>
  }
}
