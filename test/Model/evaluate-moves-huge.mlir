// A moved tensor of more than 2^63 elements is still charged its traffic:
// its element count is a double, as the model counts (getNumElements()
// wrapped: a 2^32 x 2^32 slice moved nothing). On small_2level the slice
// reads and writes 2^64 elements at 100 pJ each: 3.689e21 pJ and
// 4.61e18 cycles on top of the Einsum's 3.708e21 pJ and 4.61e18 cycles.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml rewrite=false report=%t.json" %s -o /dev/null
// RUN: FileCheck %s < %t.json
// CHECK:      "energy_pj": 7.3971443735575302e+21,
// CHECK:      "latency_cycles": 9.2233720368547758e+18,
func.func @huge_slice(%a: tensor<8589934592x4294967296xf32>, %o: tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  %s = tensor.extract_slice %a[0, 0] [4294967296, 4294967296] [1, 1] : tensor<8589934592x4294967296xf32> to tensor<4294967296x4294967296xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<4294967296x4294967296xf32>) outs(%o : tensor<4294967296x4294967296xf32>) {
  ^bb0(%x: f32, %y: f32):
    %e = arith.addf %x, %x : f32
    linalg.yield %e : f32
  } -> tensor<4294967296x4294967296xf32>
  return %0 : tensor<4294967296x4294967296xf32>
}
