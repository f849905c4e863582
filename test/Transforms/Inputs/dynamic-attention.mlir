// The attention head of examples/attention_head.mlir over a dynamic number
// of tokens (q, k and v rows), mapped at 16: the softmax's reductions and
// the fused chain walk the runtime tokens.
module {
  func.func @attention_head(%q: tensor<?x1x8xf32>, %k: tensor<?x1x8xf32>, %v: tensor<?x1x8xf32>) -> tensor<?x1x8xf32> attributes {ffm.dim_sizes = array<i64: 16, 16, 16>} {
    %c0 = arith.constant 0 : index
    %n = tensor.dim %q, %c0 : tensor<?x1x8xf32>
    %e1 = tensor.empty(%n, %n) : tensor<1x?x?xf32>
    %z2 = arith.constant 0.0 : f32
    %f3 = linalg.fill ins(%z2 : f32) outs(%e1 : tensor<1x?x?xf32>) -> tensor<1x?x?xf32>
    %v4 = linalg.generic {indexing_maps = [affine_map<(h, m, p, e) -> (m, h, e)>, affine_map<(h, m, p, e) -> (p, h, e)>, affine_map<(h, m, p, e) -> (h, m, p)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%q, %k : tensor<?x1x8xf32>, tensor<?x1x8xf32>) outs(%f3 : tensor<1x?x?xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<1x?x?xf32>
    %e5 = tensor.empty(%n) : tensor<1x?xf32>
    %ninf6 = arith.constant -3.0e38 : f32
    %f7 = linalg.fill ins(%ninf6 : f32) outs(%e5 : tensor<1x?xf32>) -> tensor<1x?xf32>
    %v8 = linalg.generic {indexing_maps = [affine_map<(h, m, p) -> (h, m, p)>, affine_map<(h, m, p) -> (h, m)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%v4 : tensor<1x?x?xf32>) outs(%f7 : tensor<1x?xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = arith.maximumf %a0, %acc : f32
      linalg.yield %r : f32
    } -> tensor<1x?xf32>
    %e9 = tensor.empty(%n, %n) : tensor<1x?x?xf32>
    %v10 = linalg.generic {indexing_maps = [affine_map<(h, m, p) -> (h, m, p)>, affine_map<(h, m, p) -> (h, m)>, affine_map<(h, m, p) -> (h, m, p)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%v4, %v8 : tensor<1x?x?xf32>, tensor<1x?xf32>) outs(%e9 : tensor<1x?x?xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %d = arith.subf %a0, %a1 : f32
      %r = math.exp %d : f32
      linalg.yield %r : f32
    } -> tensor<1x?x?xf32>
    %e11 = tensor.empty(%n) : tensor<1x?xf32>
    %z12 = arith.constant 0.0 : f32
    %f13 = linalg.fill ins(%z12 : f32) outs(%e11 : tensor<1x?xf32>) -> tensor<1x?xf32>
    %v14 = linalg.generic {indexing_maps = [affine_map<(h, m, p) -> (h, m, p)>, affine_map<(h, m, p) -> (h, m)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%v10 : tensor<1x?x?xf32>) outs(%f13 : tensor<1x?xf32>) {
    ^bb0(%a0: f32, %acc: f32):
      %r = arith.addf %a0, %acc : f32
      linalg.yield %r : f32
    } -> tensor<1x?xf32>
    %e15 = tensor.empty(%n, %n) : tensor<1x?x?xf32>
    %v16 = linalg.generic {indexing_maps = [affine_map<(h, m, p) -> (h, m, p)>, affine_map<(h, m, p) -> (h, m)>, affine_map<(h, m, p) -> (h, m, p)>], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%v10, %v14 : tensor<1x?x?xf32>, tensor<1x?xf32>) outs(%e15 : tensor<1x?x?xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %r = arith.divf %a0, %a1 : f32
      linalg.yield %r : f32
    } -> tensor<1x?x?xf32>
    %e17 = tensor.empty(%n) : tensor<?x1x8xf32>
    %z18 = arith.constant 0.0 : f32
    %f19 = linalg.fill ins(%z18 : f32) outs(%e17 : tensor<?x1x8xf32>) -> tensor<?x1x8xf32>
    %v20 = linalg.generic {indexing_maps = [affine_map<(m, h, f, p) -> (h, m, p)>, affine_map<(m, h, f, p) -> (p, h, f)>, affine_map<(m, h, f, p) -> (m, h, f)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
        ins(%v16, %v : tensor<1x?x?xf32>, tensor<?x1x8xf32>) outs(%f19 : tensor<?x1x8xf32>) {
    ^bb0(%a0: f32, %a1: f32, %acc: f32):
      %p = arith.mulf %a0, %a1 : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    } -> tensor<?x1x8xf32>
    return %v20 : tensor<?x1x8xf32>
  }
}
