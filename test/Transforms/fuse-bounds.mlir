// Prime and very large bounds: the search stays fast (divisors by trial
// division) and still maps and rewrites the ops.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %s | FileCheck %s

// CHECK-LABEL: func.func @prime
// CHECK: linalg.generic {{.*}}ffm.mapping = #ffm.mapping<[keep arg0 in DRAM
func.func @prime(%a: tensor<1009x7xf32>, %o: tensor<1009x7xf32>) -> tensor<1009x7xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<1009x7xf32>) outs(%o : tensor<1009x7xf32>) {
  ^bb0(%x: f32, %y: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<1009x7xf32>
  return %0 : tensor<1009x7xf32>
}

// CHECK-LABEL: func.func @huge
// CHECK: linalg.generic {{.*}}ffm.mapping = #ffm.mapping<[keep arg0 in DRAM
func.func @huge(%a: tensor<1000000007xf32>, %o: tensor<1000000007xf32>) -> tensor<1000000007xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<1000000007xf32>) outs(%o : tensor<1000000007xf32>) {
  ^bb0(%x: f32, %y: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<1000000007xf32>
  return %0 : tensor<1000000007xf32>
}
