// Element types narrower than 32 bits, fused and executed by
// test/Execution/types-equivalence.test (the harness widens the results
// the runtime cannot print).
module {
  func.func @f16_chain(%a: tensor<12x20xf16>, %b: tensor<20x7xf16>, %c: tensor<7x13xf16>) -> tensor<12x13xf16> {
    %z = arith.constant 0.0 : f16
    %e0 = tensor.empty() : tensor<12x7xf16>
    %f0 = linalg.fill ins(%z : f16) outs(%e0 : tensor<12x7xf16>) -> tensor<12x7xf16>
    %m0 = linalg.matmul ins(%a, %b : tensor<12x20xf16>, tensor<20x7xf16>) outs(%f0 : tensor<12x7xf16>) -> tensor<12x7xf16>
    %e1 = tensor.empty() : tensor<12x13xf16>
    %f1 = linalg.fill ins(%z : f16) outs(%e1 : tensor<12x13xf16>) -> tensor<12x13xf16>
    %m1 = linalg.matmul ins(%m0, %c : tensor<12x7xf16>, tensor<7x13xf16>) outs(%f1 : tensor<12x13xf16>) -> tensor<12x13xf16>
    return %m1 : tensor<12x13xf16>
  }
  func.func @bf16_chain(%a: tensor<10x12xbf16>, %b: tensor<12x6xbf16>, %c: tensor<6x9xbf16>) -> tensor<10x9xbf16> {
    %z = arith.constant 0.0 : bf16
    %e0 = tensor.empty() : tensor<10x6xbf16>
    %f0 = linalg.fill ins(%z : bf16) outs(%e0 : tensor<10x6xbf16>) -> tensor<10x6xbf16>
    %m0 = linalg.matmul ins(%a, %b : tensor<10x12xbf16>, tensor<12x6xbf16>) outs(%f0 : tensor<10x6xbf16>) -> tensor<10x6xbf16>
    %e1 = tensor.empty() : tensor<10x9xbf16>
    %f1 = linalg.fill ins(%z : bf16) outs(%e1 : tensor<10x9xbf16>) -> tensor<10x9xbf16>
    %m1 = linalg.matmul ins(%m0, %c : tensor<10x6xbf16>, tensor<6x9xbf16>) outs(%f1 : tensor<10x9xbf16>) -> tensor<10x9xbf16>
    return %m1 : tensor<10x9xbf16>
  }
  // i8 operands accumulated in i32, then requantized to i8 and i16.
  func.func @i8_chain(%a: tensor<11x24xi8>, %b: tensor<24x17xi8>, %c: tensor<17x9xi16>) -> (tensor<11x17xi8>, tensor<11x9xi16>) {
    %z = arith.constant 0 : i32
    %e0 = tensor.empty() : tensor<11x17xi32>
    %f0 = linalg.fill ins(%z : i32) outs(%e0 : tensor<11x17xi32>) -> tensor<11x17xi32>
    %m0 = linalg.matmul ins(%a, %b : tensor<11x24xi8>, tensor<24x17xi8>) outs(%f0 : tensor<11x17xi32>) -> tensor<11x17xi32>
    %e1 = tensor.empty() : tensor<11x17xi8>
    %q = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%m0 : tensor<11x17xi32>) outs(%e1 : tensor<11x17xi8>) {
    ^bb0(%x: i32, %o: i8):
      %t = arith.trunci %x : i32 to i8
      linalg.yield %t : i8
    } -> tensor<11x17xi8>
    %z16 = arith.constant 0 : i16
    %e2 = tensor.empty() : tensor<11x9xi16>
    %f2 = linalg.fill ins(%z16 : i16) outs(%e2 : tensor<11x9xi16>) -> tensor<11x9xi16>
    %m1 = linalg.matmul ins(%q, %c : tensor<11x17xi8>, tensor<17x9xi16>) outs(%f2 : tensor<11x9xi16>) -> tensor<11x9xi16>
    return %q, %m1 : tensor<11x17xi8>, tensor<11x9xi16>
  }
  // A mask (i1) from a matmul's sign, selecting between two operands.
  func.func @mask(%a: tensor<8x5xf32>, %b: tensor<5x6xf32>, %x: tensor<8x6xf32>) -> (tensor<8x6xi1>, tensor<8x6xf32>) {
    %z = arith.constant 0.0 : f32
    %e0 = tensor.empty() : tensor<8x6xf32>
    %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<8x6xf32>) -> tensor<8x6xf32>
    %m = linalg.matmul ins(%a, %b : tensor<8x5xf32>, tensor<5x6xf32>) outs(%f0 : tensor<8x6xf32>) -> tensor<8x6xf32>
    %e1 = tensor.empty() : tensor<8x6xi1>
    %p = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<8x6xf32>) outs(%e1 : tensor<8x6xi1>) {
    ^bb0(%v: f32, %o: i1):
      %c = arith.cmpf ogt, %v, %z : f32
      linalg.yield %c : i1
    } -> tensor<8x6xi1>
    %e2 = tensor.empty() : tensor<8x6xf32>
    %s = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%p, %m, %x : tensor<8x6xi1>, tensor<8x6xf32>, tensor<8x6xf32>) outs(%e2 : tensor<8x6xf32>) {
    ^bb0(%c: i1, %v: f32, %w: f32, %o: f32):
      %r = arith.select %c, %v, %w : f32
      linalg.yield %r : f32
    } -> tensor<8x6xf32>
    return %p, %s : tensor<8x6xi1>, tensor<8x6xf32>
  }
  // A dynamic row count: the widened result is sized by the runtime one.
  func.func @f16_dynamic(%x: tensor<?x16xf16>, %w: tensor<16x32xf16>, %w2: tensor<32x16xf16>) -> tensor<?x16xf16> attributes {ffm.dim_sizes = array<i64: 24>} {
    %c0 = arith.constant 0 : index
    %z = arith.constant 0.0 : f16
    %m = tensor.dim %x, %c0 : tensor<?x16xf16>
    %e = tensor.empty(%m) : tensor<?x32xf16>
    %f = linalg.fill ins(%z : f16) outs(%e : tensor<?x32xf16>) -> tensor<?x32xf16>
    %h = linalg.matmul ins(%x, %w : tensor<?x16xf16>, tensor<16x32xf16>) outs(%f : tensor<?x32xf16>) -> tensor<?x32xf16>
    %e2 = tensor.empty(%m) : tensor<?x16xf16>
    %f2 = linalg.fill ins(%z : f16) outs(%e2 : tensor<?x16xf16>) -> tensor<?x16xf16>
    %o = linalg.matmul ins(%h, %w2 : tensor<?x32xf16>, tensor<32x16xf16>) outs(%f2 : tensor<?x16xf16>) -> tensor<?x16xf16>
    return %o : tensor<?x16xf16>
  }
}
