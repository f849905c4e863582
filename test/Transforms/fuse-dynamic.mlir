// Dynamic shapes are mapped at the sizes dim-sizes gives (here 24 rows):
// the body is specialised to them, mapped and rewritten, and runs only
// when the runtime sizes are those; any other size runs the original ops
// (test/Execution/dynamic-equivalence.test runs both).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24 verify=true" %s | FileCheck %s
// The mapping read back from the output evaluates to the chosen figures.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24" %s | ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" -o /dev/null | FileCheck %s --check-prefix=EVAL

// CHECK-LABEL: func.func @mlp(%arg0: tensor<?x16xf32>, {{.*}}) -> tensor<?x16xf32> attributes {ffm.energy_pj = 3.351680e+05 : f64,
// CHECK:      %[[D:.*]] = tensor.dim %arg0, %c0 : tensor<?x16xf32>
// CHECK:      %[[EQ:.*]] = arith.cmpi eq, %[[D]], %c24 : index
// CHECK:      %[[ALL:.*]] = arith.andi %{{.*}}, %[[EQ]] : i1
// CHECK:      %[[R:.*]] = scf.if %[[ALL]] -> (tensor<?x16xf32>) {
// CHECK:        tensor.cast %arg0 : tensor<?x16xf32> to tensor<24x16xf32>
// CHECK:        scf.for
// CHECK:        linalg.matmul {ffm.einsum = "matmul_0", {{.*}}memref<
// CHECK:        ffm.einsum = "generic_0"
// CHECK:        linalg.matmul {ffm.einsum = "matmul_1", {{.*}}memref<
// CHECK:        %[[OUT:.*]] = tensor.cast %{{.*}} : tensor<24x16xf32> to tensor<?x16xf32>
// CHECK-NEXT:   scf.yield %[[OUT]] : tensor<?x16xf32>
// CHECK-NEXT: } else {
// CHECK:        tensor.empty(%{{.*}}) : tensor<?x32xf32>
// CHECK:        linalg.matmul ins(%arg0, %arg1 : tensor<?x16xf32>, tensor<16x32xf32>)
// CHECK-NOT:    ffm.einsum
// CHECK:        scf.yield %{{.*}} : tensor<?x16xf32>
// CHECK-NEXT: } {ffm.dim_sizes = array<i64: 24>}
// CHECK-NEXT: return %[[R]] : tensor<?x16xf32>

// EVAL: total @mlp: energy 335168 pJ

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @mlp(%x: tensor<?x16xf32>, %w: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<?x16xf32> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  %m = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %h = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x32xf32>) outs(%f : tensor<?x32xf32>) -> tensor<?x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%h : tensor<?x32xf32>) outs(%e : tensor<?x32xf32>) {
  ^bb0(%a: f32, %b: f32):
    %v = arith.maximumf %a, %z : f32
    linalg.yield %v : f32
  } -> tensor<?x32xf32>
  %e2 = tensor.empty(%m) : tensor<?x16xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  %o = linalg.matmul ins(%r, %w2 : tensor<?x32xf32>, tensor<32x16xf32>) outs(%f2 : tensor<?x16xf32>) -> tensor<?x16xf32>
  return %o : tensor<?x16xf32>
}
