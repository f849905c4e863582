// The report's unfused baseline comes from a search of its own where the
// fused one does not give it (search=exhaustive). Where that search fails
// on a budget the fused search kept within, the report leaves the
// baseline out, says why in `unfused_error`, and a remark says so.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/baseline-budget.yaml objective=edp search=exhaustive rewrite=false report=%t.json" -verify-diagnostics %s -o /dev/null
// RUN: FileCheck %s < %t.json
// With search=ffm the baseline comes with the search:
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/baseline-budget.yaml objective=edp rewrite=false report=%t.ffm.json" %s -o /dev/null
// RUN: FileCheck %s --check-prefix=FFM < %t.ffm.json

// CHECK: "energy_pj": 14104
// CHECK-NOT: "unfused":
// CHECK: "unfused_error": "search budget exceeded: exhaustive search visited 4000000 partial mappings (raise max-pmappings)"
// FFM: "energy_pj": 14104
// FFM: "unfused": {
// FFM-NEXT: "energy_pj": 59259
// FFM-NOT: unfused_error

// expected-remark @+1 {{ffm-fuse: the report of 'f' has no unfused baseline: its search failed: search budget exceeded: exhaustive search visited 4000000 partial mappings (raise max-pmappings)}}
func.func @f(%a0: tensor<4x2xf32>, %a1: tensor<2x6xf32>, %a2: tensor<6x2xf32>, %a3: tensor<2x7xf32>, %a4: tensor<7x4xf32>) -> tensor<4x4xf32> {
    %v1 = tensor.empty() : tensor<4x6xf32>
    %v2 = arith.constant 0.0 : f32
    %v3 = linalg.fill ins(%v2 : f32) outs(%v1 : tensor<4x6xf32>) -> tensor<4x6xf32>
    %v4 = linalg.matmul ins(%a0, %a1 : tensor<4x2xf32>, tensor<2x6xf32>) outs(%v3 : tensor<4x6xf32>) -> tensor<4x6xf32>
    %v5 = tensor.empty() : tensor<4x2xf32>
    %v6 = arith.constant 0.0 : f32
    %v7 = linalg.fill ins(%v6 : f32) outs(%v5 : tensor<4x2xf32>) -> tensor<4x2xf32>
    %v8 = linalg.matmul ins(%v4, %a2 : tensor<4x6xf32>, tensor<6x2xf32>) outs(%v7 : tensor<4x2xf32>) -> tensor<4x2xf32>
    %v9 = tensor.empty() : tensor<4x7xf32>
    %v10 = arith.constant 0.0 : f32
    %v11 = linalg.fill ins(%v10 : f32) outs(%v9 : tensor<4x7xf32>) -> tensor<4x7xf32>
    %v12 = linalg.matmul ins(%v8, %a3 : tensor<4x2xf32>, tensor<2x7xf32>) outs(%v11 : tensor<4x7xf32>) -> tensor<4x7xf32>
    %v13 = tensor.empty() : tensor<4x4xf32>
    %v14 = arith.constant 0.0 : f32
    %v15 = linalg.fill ins(%v14 : f32) outs(%v13 : tensor<4x4xf32>) -> tensor<4x4xf32>
    %v16 = linalg.matmul ins(%v12, %a4 : tensor<4x7xf32>, tensor<7x4xf32>) outs(%v15 : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %v16 : tensor<4x4xf32>
}
