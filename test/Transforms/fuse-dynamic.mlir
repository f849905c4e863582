// Dynamic shapes are mapped at the sizes dim-sizes gives (here 24 rows)
// and rewritten into loops over the runtime extent: one body serves every
// size, with no guard and no copy of the original ops
// (test/Execution/dynamic-equivalence.test runs it at other sizes).
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24 verify=true" %s | FileCheck %s
// The mapping read back from the output evaluates to the chosen figures.
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml dim-sizes=24" %s | ffm-opt --ffm-evaluate="arch-file=%ffm_src/examples/arch/small_2level.yaml" -o /dev/null | FileCheck %s --check-prefix=EVAL

// The rows are walked by the runtime dimension: `for m : 24` of matmul_0
// runs %dim times, `for d0 : 6, par d0 : 4` of generic_0 ceildiv(%dim, 4)
// times, each time over min(4, %dim - 4 * iv) rows.
// CHECK-DAG:  #[[CEIL:.*]] = affine_map<(d0) -> (d0 ceildiv 4)>
// CHECK-DAG:  #[[CLIP:.*]] = affine_map<(d0, d1) -> (4, d0 - d1 * 4)>
// CHECK-LABEL: func.func @mlp(%arg0: tensor<?x16xf32>, {{.*}}) -> tensor<?x16xf32> attributes {ffm.arch = #ffm.arch<{{.*}}>, ffm.dim_sizes = array<i64: 24>, ffm.energy_pj = 3.351680e+05 : f64,
// CHECK-NOT:  scf.if
// CHECK:      %[[D:.*]] = tensor.dim %arg0, %c0 : tensor<?x16xf32>
// CHECK:      %[[OUT:.*]] = memref.alloc(%[[D]]) : memref<?x16xf32>
// CHECK:      memref.alloc(%[[D]]) : memref<?x32xf32, #ffm.level_space<"GlobalBuffer">>
// CHECK:      bufferization.to_buffer %arg0 read_only : tensor<?x16xf32> to memref<?x16xf32>
// CHECK:      scf.for %{{.*}} = %c0 to %[[D]] step %c1 {
// CHECK:        linalg.matmul {ffm.einsum = "matmul_0", {{.*}}memref<
// CHECK:      %[[T:.*]] = affine.apply #[[CEIL]](%[[D]])
// CHECK:      scf.for %[[I:.*]] = %c0 to %[[T]] step %c1 {
// CHECK-NEXT:   %[[N:.*]] = affine.min #[[CLIP]](%[[D]], %[[I]])
// CHECK:        scf.forall (%{{.*}}) in (%[[N]]) {
// CHECK:          ffm.einsum = "generic_0"
// CHECK:      scf.for %{{.*}} = %c0 to %[[D]] step %c1 {
// CHECK:        linalg.matmul {ffm.einsum = "matmul_1", {{.*}}memref<
// CHECK:      %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<?x16xf32> to tensor<?x16xf32>
// CHECK-NEXT: return %[[R]] : tensor<?x16xf32>
// CHECK-NOT:  tensor.empty
// CHECK-NOT:  linalg.matmul ins

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
