// complex<f32> intermediates: a complex matmul of operands built from real
// and imaginary parts, then |z| and re - im of the product. Linalg bodies
// of the complex dialect lower through --ffm-lower-to-llvm (its
// complex-to-standard and complex-to-llvm conversions).
#id = affine_map<(i, j) -> (i, j)>
func.func @complex_chain(%ar: tensor<7x5xf32>, %ai: tensor<7x5xf32>,
                         %br: tensor<5x6xf32>, %bi: tensor<5x6xf32>)
    -> (tensor<7x6xf32>, tensor<7x6xf32>) {
  %e = tensor.empty() : tensor<7x5xcomplex<f32>>
  %a = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ar, %ai : tensor<7x5xf32>, tensor<7x5xf32>) outs(%e : tensor<7x5xcomplex<f32>>) {
  ^bb0(%x: f32, %y: f32, %o: complex<f32>):
    %c = complex.create %x, %y : complex<f32>
    linalg.yield %c : complex<f32>
  } -> tensor<7x5xcomplex<f32>>
  %e2 = tensor.empty() : tensor<5x6xcomplex<f32>>
  %b = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%br, %bi : tensor<5x6xf32>, tensor<5x6xf32>) outs(%e2 : tensor<5x6xcomplex<f32>>) {
  ^bb0(%x: f32, %y: f32, %o: complex<f32>):
    %c = complex.create %x, %y : complex<f32>
    linalg.yield %c : complex<f32>
  } -> tensor<5x6xcomplex<f32>>
  %z0 = arith.constant 0.0 : f32
  %zc = complex.create %z0, %z0 : complex<f32>
  %e3 = tensor.empty() : tensor<7x6xcomplex<f32>>
  %f3 = linalg.fill ins(%zc : complex<f32>) outs(%e3 : tensor<7x6xcomplex<f32>>) -> tensor<7x6xcomplex<f32>>
  %m = linalg.matmul ins(%a, %b : tensor<7x5xcomplex<f32>>, tensor<5x6xcomplex<f32>>)
                     outs(%f3 : tensor<7x6xcomplex<f32>>) -> tensor<7x6xcomplex<f32>>
  %e4 = tensor.empty() : tensor<7x6xf32>
  %abs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<7x6xcomplex<f32>>) outs(%e4 : tensor<7x6xf32>) {
  ^bb0(%x: complex<f32>, %o: f32):
    %r = complex.abs %x : complex<f32>
    linalg.yield %r : f32
  } -> tensor<7x6xf32>
  %diff = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<7x6xcomplex<f32>>) outs(%e4 : tensor<7x6xf32>) {
  ^bb0(%x: complex<f32>, %o: f32):
    %re = complex.re %x : complex<f32>
    %im = complex.im %x : complex<f32>
    %s = arith.subf %re, %im : f32
    linalg.yield %s : f32
  } -> tensor<7x6xf32>
  return %abs, %diff : tensor<7x6xf32>, tensor<7x6xf32>
}
