// A convolution reading its producer through a reshape that only drops or
// adds unit dimensions (as linalg-fold-unit-extent-dims leaves a ReLU
// between two convolutions) sees through it, windows included: @folded
// is @chain with its unit dimensions folded, and maps to the same optimum
// (the same recorded energy and latency), the ReLU fused into the second
// convolution with halo loops on a buffer too small for its whole output.
// RUN: ffm-opt --mlir-disable-threading --ffm-einsum-graph %s -o /dev/null | FileCheck %s --check-prefix=GRAPH
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%S/Inputs/glb96.yaml verify=true report=%t.json" %s | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: ffm-opt --mlir-disable-threading --ffm-fuse="arch-file=%S/Inputs/glb96.yaml" --canonicalize --ffm-evaluate="arch-file=%S/Inputs/glb96.yaml" %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=EVAL
// Executed against the original: test/Execution/halo-equivalence.test.

// GRAPH-LABEL: workload @folded:
// GRAPH:       einsum conv_2d_nhwc_hwcf_1 (linalg.conv_2d_nhwc_hwcf) {{.*}}: conv_2d_nhwc_hwcf_1.out[n, p, q, k] += generic_0.out[p+r, q+s, c] arg2[r, s, c, k]
// GRAPH:       edge generic_0 -> conv_2d_nhwc_hwcf_1 via generic_0.out

// CHECK-LABEL: func.func @chain(
// CHECK-SAME:    ffm.energy_pj = [[E:[^ ]+]] : f64, ffm.latency_cycles = [[L:[^ ]+]] : f64
// CHECK-LABEL: func.func @folded(
// CHECK-SAME:    ffm.energy_pj = [[E]] : f64, ffm.latency_cycles = [[L]] : f64

// REPORT:      "name": "chain",
// REPORT:      "mapping": "keep conv_2d_nhwc_hwcf_0.out in DRAM, for d0 : 2 halo 6 step 4, for d1 : 4 halo 4 step 2,
// REPORT-NEXT: "name": "generic_0",
// REPORT:      "fusion_groups": [
// REPORT:        "generic_0",
// REPORT-NEXT:   "conv_2d_nhwc_hwcf_1"
// REPORT:      "name": "folded",

// EVAL-NOT: {{warning|error}}
// EVAL:     total @chain: energy
// EVAL-NOT: {{warning|error}}
// EVAL:     total @folded: energy
// EVAL-NOT: {{warning|error}}

func.func @chain(%x: tensor<1x12x12x4xf32>, %w1: tensor<3x3x4x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x8x8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x10x10x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x10x10x4xf32>) -> tensor<1x10x10x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x12x12x4xf32>, tensor<3x3x4x4xf32>) outs(%f1 : tensor<1x10x10x4xf32>) -> tensor<1x10x10x4xf32>
  %e2 = tensor.empty() : tensor<1x10x10x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x10x10x4xf32>) outs(%e2 : tensor<1x10x10x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x10x10x4xf32>
  %e3 = tensor.empty() : tensor<1x8x8x4xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%r, %w2 : tensor<1x10x10x4xf32>, tensor<3x3x4x4xf32>) outs(%f3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return %c2 : tensor<1x8x8x4xf32>
}

// @chain after linalg-fold-unit-extent-dims and canonicalize.
func.func @folded(%x: tensor<1x12x12x4xf32>, %w1: tensor<3x3x4x4xf32>, %w2: tensor<3x3x4x4xf32>) -> tensor<1x8x8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x10x10x4xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<1x10x10x4xf32>) -> tensor<1x10x10x4xf32>
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w1 : tensor<1x12x12x4xf32>, tensor<3x3x4x4xf32>) outs(%f1 : tensor<1x10x10x4xf32>) -> tensor<1x10x10x4xf32>
  %collapsed = tensor.collapse_shape %c1 [[0, 1], [2], [3]] : tensor<1x10x10x4xf32> into tensor<10x10x4xf32>
  %e2 = tensor.empty() : tensor<10x10x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%collapsed : tensor<10x10x4xf32>) outs(%e2 : tensor<10x10x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<10x10x4xf32>
  %expanded = tensor.expand_shape %r [[0, 1], [2], [3]] output_shape [1, 10, 10, 4] : tensor<10x10x4xf32> into tensor<1x10x10x4xf32>
  %e3 = tensor.empty() : tensor<1x8x8x4xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %c2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%expanded, %w2 : tensor<1x10x10x4xf32>, tensor<3x3x4x4xf32>) outs(%f3 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  return %c2 : tensor<1x8x8x4xf32>
}
