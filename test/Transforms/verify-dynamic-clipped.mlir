// verify=true reads a dynamic function's rewrite back: the last tile of a
// runtime extent is a clipped view of its buffer, through which the
// consumers of an on-chip intermediate read it while its producer's copies
// name the buffer itself. Both are the one tensor, fused on chip (the
// read-back took the view for another input, and refused the matmul's
// mapping as keeping its output nowhere in DRAM).
// RUN: ffm-opt --ffm-fuse="objective=energy verify=true dim-sizes=8" %s | FileCheck %s

// CHECK-LABEL: func.func @m1
// CHECK: linalg.matmul {ffm.einsum = "matmul_0"{{.*}}keep matmul_0.out in L0
// CHECK-NOT: keep matmul_0.out in DRAM
module attributes {ffm.arch = #ffm.arch<levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 1.0>,
    #ffm.level<name = "L0", capacity = 256, read_energy = 6.0, write_energy = 7.0, bandwidth = 16.0>,
    #ffm.level<name = "L2", capacity = 8, read_energy = 2.0, write_energy = 2.33, bandwidth = 48.0, fanout = [4]>],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>, datum_bits = 8>} {
  func.func @m1(%x: tensor<?x7xf32>, %w0: tensor<7x6xf32>) -> tensor<?x6xf32> {
    %zero = arith.constant 0.0 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %c0 = arith.constant 0 : index
    %n = tensor.dim %x, %c0 : tensor<?x7xf32>
    %e0 = tensor.empty(%n) : tensor<?x6xf32>
    %f0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<?x6xf32>) -> tensor<?x6xf32>
    %o0 = linalg.matmul ins(%x, %w0 : tensor<?x7xf32>, tensor<7x6xf32>) outs(%f0 : tensor<?x6xf32>) -> tensor<?x6xf32>
    %e1 = tensor.empty(%n) : tensor<?xf32>
    %f1 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<?xf32>) -> tensor<?xf32>
    %r1 = linalg.generic {indexing_maps = [affine_map<(i,j)->(i,j)>, affine_map<(i,j)->(i)>], iterator_types = ["parallel","reduction"]} ins(%o0 : tensor<?x6xf32>) outs(%f1 : tensor<?xf32>) {
    ^bb0(%p: f32, %o: f32):
      %t = arith.maximumf %p, %o : f32
      linalg.yield %t : f32
    } -> tensor<?xf32>
    %e1b = tensor.empty(%n) : tensor<?x6xf32>
    %o1 = linalg.generic {indexing_maps = [affine_map<(i,j)->(i,j)>, affine_map<(i,j)->(i)>, affine_map<(i,j)->(i,j)>], iterator_types = ["parallel","parallel"]} ins(%o0, %r1 : tensor<?x6xf32>, tensor<?xf32>) outs(%e1b : tensor<?x6xf32>) {
    ^bb0(%p: f32, %q: f32, %o: f32):
      %t = arith.subf %p, %q : f32
      linalg.yield %t : f32
    } -> tensor<?x6xf32>
    %e2 = tensor.empty(%n) : tensor<?x6xf32>
    %o2 = linalg.generic {indexing_maps = [affine_map<(i,j)->(i,j)>, affine_map<(i,j)->(i,j)>], iterator_types = ["parallel","parallel"]} ins(%o1 : tensor<?x6xf32>) outs(%e2 : tensor<?x6xf32>) {
    ^bb0(%p: f32, %o: f32):
      %t = math.tanh %p : f32
      linalg.yield %t : f32
    } -> tensor<?x6xf32>
    return %o2 : tensor<?x6xf32>
  }
}
