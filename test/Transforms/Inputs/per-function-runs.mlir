// Two functions mapped by separate pass runs on one module (fuse-outputs-nested).
module attributes {transform.with_named_sequence} {
  func.func @a(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
  func.func @b(%x: tensor<8x4xf32>, %w: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
    return %0 : tensor<8x8xf32>
  }
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %a = transform.structured.match ops{["func.func"]} attributes {sym_name = "a"} in %root : (!transform.any_op) -> !transform.any_op
    %a2 = transform.apply_registered_pass "ffm-fuse" with options = {"arch-file" = "ARCH", report = "REPORT", rewrite = false} to %a : (!transform.any_op) -> !transform.any_op
    %b = transform.structured.match ops{["func.func"]} attributes {sym_name = "b"} in %root : (!transform.any_op) -> !transform.any_op
    %b2 = transform.apply_registered_pass "ffm-fuse" with options = {"arch-file" = "ARCH", report = "REPORT", rewrite = false} to %b : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
