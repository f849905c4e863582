// RUN: ffm-opt --ffm-einsum-graph -split-input-file -verify-diagnostics %s -o /dev/null

// expected-error @+1 {{ffm: dynamic shapes are not supported (argument 0 has type 'tensor<?x4xf32>'); ffm-fuse maps them at sizes given by dim-sizes=... or an ffm.dim_sizes attribute on the function}}
func.func @dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %a : tensor<?x4xf32>
}

// -----

// An unranked tensor has no dimensions dim-sizes= could fix.
// expected-error @+1 {{ffm: unranked tensors are not supported (argument 0 has type 'tensor<*xf32>')}}
func.func @unranked(%a: tensor<*xf32>) -> tensor<*xf32> {
  return %a : tensor<*xf32>
}

// -----

// Windows are sums of ranks with positive strides; a shifted index is not.
func.func @shifted(%a: tensor<9xf32>, %o: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{ffm: indexing map affine_map<(d0) -> (d0 + 1)> indexes dimension 0 by an expression that is neither a rank, a sliding window (a sum of ranks with positive strides) nor a unit dimension}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0 + 1)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<9xf32>) outs(%o : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A window may not use a rank that also walks another dimension.
func.func @window_diagonal(%a: tensor<9x4xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{ffm: indexing map affine_map<(d0, d1) -> (d0 + d1, d1)> uses a rank twice; diagonal accesses are not supported}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 + d1, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<9x4xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unsupported(%a: tensor<8x4xf32>, %b: tensor<4x6xf32>, %c: tensor<8x6xf32>) -> tensor<4x6xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x6xf32>) outs(%c : tensor<8x6xf32>) -> tensor<8x6xf32>
  %i = arith.constant 0 : index
  %v = arith.constant 1.0 : f32
  // expected-error @+1 {{ffm: unsupported op 'tensor.insert' in the workload}}
  %1 = tensor.insert %v into %0[%i, %i] : tensor<8x6xf32>
  %2 = tensor.extract_slice %1[0, 0] [4, 6] [1, 1] : tensor<8x6xf32> to tensor<4x6xf32>
  return %2 : tensor<4x6xf32>
}

// -----

// Slices stay in place, but need static shapes like everything else.
func.func @dynamic_slice(%a: tensor<8x6xf32>, %n: index) -> tensor<?x6xf32> {
  // expected-error @+1 {{ffm: dynamic shapes are not supported (result of type 'tensor<?x6xf32>')}}
  %0 = tensor.extract_slice %a[0, 0] [%n, 6] [1, 1] : tensor<8x6xf32> to tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

func.func @diagonal(%a: tensor<4x4xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{ffm: indexing map affine_map<(d0) -> (d0, d0)> uses a rank twice; diagonal accesses are not supported}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0, d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4x4xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @regions(%a: tensor<4xf32>, %o: tensor<4xf32>, %c: i1) -> tensor<4xf32> {
  // expected-error @+1 {{ffm: the payload holds 'scf.if', an op with regions we cannot model}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = scf.if %c -> f32 {
      scf.yield %x : f32
    } else {
      scf.yield %y : f32
    }
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @two_results(%a: tensor<4xf32>, %o: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{ffm: linalg ops with 2 results are not supported; one output per Einsum (an argmax, say: reduce the maximum in one op, then the index where it is reached in another)}}
  %0:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%o, %p : tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    linalg.yield %x, %x : f32, f32
  } -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

func.func @buffers(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  // expected-error @+1 {{ffm: linalg ops must work on tensors (run before bufferization)}}
  linalg.matmul ins(%a, %b : memref<4x4xf32>, memref<4x4xf32>) outs(%c : memref<4x4xf32>)
  return
}

// -----

// A fill on buffers is bufferized input too, not a free init.
func.func @buffer_fill(%a: tensor<4xf32>, %o: memref<4xf32>) -> tensor<4xf32> {
  %z = arith.constant 0.0 : f32
  // expected-error @+1 {{ffm: linalg ops must work on tensors (run before bufferization)}}
  linalg.fill ins(%z : f32) outs(%o : memref<4xf32>)
  return %a : tensor<4xf32>
}

// -----

func.func @control_flow(%a: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{ffm: unsupported op 'scf.for' in the workload}}
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%x = %a) -> tensor<4xf32> {
    scf.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

func.func @zero(%a: tensor<0x4xf32>, %o: tensor<0x4xf32>) -> tensor<0x4xf32> {
  // expected-error @+1 {{ffm: loop bound 0 is not a positive static size}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<0x4xf32>) outs(%o : tensor<0x4xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<0x4xf32>
  return %0 : tensor<0x4xf32>
}

// -----

// Past 2^53 the model's counts (doubles) and the rewrite's trip counts are
// not exact; dim-sizes= of that size reach this as static shapes too.
func.func @huge(%a: tensor<9007199254740993xf32>, %o: tensor<9007199254740993xf32>) -> tensor<9007199254740993xf32> {
  // expected-error @+1 {{ffm: loop bound 9007199254740993 is larger than 2^53 (9007199254740992), past which sizes are not counted exactly}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<9007199254740993xf32>) outs(%o : tensor<9007199254740993xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<9007199254740993xf32>
  return %0 : tensor<9007199254740993xf32>
}

// -----

func.func @dyn_result(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %c4 = arith.constant 4 : index
// expected-error @+1 {{ffm: dynamic shapes are not supported (result of type 'tensor<?x4xf32>')}}
  %e = tensor.empty(%c4) : tensor<?x4xf32>
  return %a : tensor<4x4xf32>
}

// -----

// expected-error @+1 {{ffm: functions with control flow (several blocks) are not supported}}
func.func @blocks(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  cf.br ^bb1
^bb1:
  return %a : tensor<4x4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#diag = affine_map<(d0, d1) -> (d0, d0)>
func.func @out_map(%a: tensor<4x4xf32>, %o: tensor<4x4xf32>) -> tensor<4x4xf32> {
// expected-error @+1 {{ffm: output indexing map affine_map<(d0, d1) -> (d0, d0)> is not a projected permutation}}
  %0 = linalg.generic {indexing_maps = [#id, #diag], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x4xf32>) outs(%o : tensor<4x4xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// The mapper keeps sets of loops as bit masks; wider ops are refused.
func.func @too_many_loops(%a: tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>, %o: tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>) -> tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32> {
  // expected-error @+1 {{ffm: linalg ops with more than 16 loops or 16 operands are not supported (this one has 17 and 2)}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, d16) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, d16)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, d16) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15, d16)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%a : tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>) outs(%o : tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>
  return %0 : tensor<2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2x2xf32>
}

// -----

// A call's ops are another function's: inlined first, they map with these.
func.func @callee(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  return %a : tensor<4x4xf32>
}
func.func @calls(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{ffm: unsupported op 'func.call' in the workload; inline the calls first (--inline)}}
  %0 = func.call @callee(%a) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// A declaration has no body to inline: no advice to.
func.func private @declared(tensor<4x4xf32>) -> tensor<4x4xf32>
func.func @calls_declared(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error-re @+1 {{ffm: unsupported op 'func.call' in the workload{{$}}}}
  %0 = func.call @declared(%a) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// A scan-like step over two reduction ranks: a mapping that interchanges
// or spreads them (tpu_v4i, latency) would change the result.
#in = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @order_dependent_reduction(%x: tensor<3x4xf32>, %o: tensor<f32>) -> tensor<f32> {
// expected-error @+1 {{ffm: the payload's result over 2 reduction ranks may depend on the order they are visited in (its accumulator is not combined by one add, mul, max, min or bitwise step): a mapping reorders them; collapse them into one rank, or reduce one rank per op}}
  %r = linalg.generic {indexing_maps = [#in, #scalar], iterator_types = ["reduction", "reduction"]} ins(%x : tensor<3x4xf32>) outs(%o : tensor<f32>) {
  ^bb0(%p: f32, %acc: f32):
    %h = arith.constant 0.5 : f32
    %t = arith.mulf %acc, %h : f32
    %u = arith.addf %t, %p : f32
    linalg.yield %u : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// The same scan with its iterator types mislabelled parallel: the ranks
// the output's map leaves out are reduced all the same.
#in = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @mislabelled_scan(%x: tensor<3x4xf32>, %o: tensor<f32>) -> tensor<f32> {
// expected-error @+1 {{ffm: the payload's result over 2 reduction ranks may depend on the order}}
  %r = linalg.generic {indexing_maps = [#in, #scalar], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x4xf32>) outs(%o : tensor<f32>) {
  ^bb0(%p: f32, %acc: f32):
    %h = arith.constant 0.5 : f32
    %t = arith.mulf %acc, %h : f32
    %u = arith.addf %t, %p : f32
    linalg.yield %u : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A select whose compare is no ordering (unordered: either is NaN) keeps
// whichever came last in some cases, the first in others.
#in = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @select_not_ordering(%x: tensor<3x4xf32>, %o: tensor<f32>) -> tensor<f32> {
// expected-error @+1 {{ffm: the payload's result over 2 reduction ranks may depend on the order}}
  %r = linalg.generic {indexing_maps = [#in, #scalar], iterator_types = ["reduction", "reduction"]} ins(%x : tensor<3x4xf32>) outs(%o : tensor<f32>) {
  ^bb0(%p: f32, %acc: f32):
    %c = arith.cmpf uno, %p, %acc : f32
    %m = arith.select %c, %p, %acc : f32
    linalg.yield %m : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// An integer accumulator summed as a float and converted back: each step
// truncates, so the order changes the result by more than rounding.
#in = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @lossy_round_trip(%x: tensor<3x4xf32>, %o: tensor<i32>) -> tensor<i32> {
// expected-error @+1 {{ffm: the payload's result over 2 reduction ranks may depend on the order}}
  %r = linalg.generic {indexing_maps = [#in, #scalar], iterator_types = ["reduction", "reduction"]} ins(%x : tensor<3x4xf32>) outs(%o : tensor<i32>) {
  ^bb0(%p: f32, %acc: i32):
    %a = arith.sitofp %acc : i32 to f32
    %s = arith.addf %a, %p : f32
    %t = arith.fptosi %s : f32 to i32
    linalg.yield %t : i32
  } -> tensor<i32>
  return %r : tensor<i32>
}

// -----

// A keepdims reduction's output map: the error says how to write it.
#in = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
func.func @keepdims(%x: tensor<6x9xf32>, %o: tensor<6x1xf32>) -> tensor<6x1xf32> {
// expected-error @+1 {{ffm: output indexing map affine_map<(d0, d1) -> (d0, 0)> is not a projected permutation (for a unit dimension kept by a reduction: reduce into the tensor without it, then tensor.expand_shape)}}
  %r = linalg.generic {indexing_maps = [#in, #keep], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<6x9xf32>) outs(%o : tensor<6x1xf32>) {
  ^bb0(%p: f32, %acc: f32):
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  } -> tensor<6x1xf32>
  return %r : tensor<6x1xf32>
}

// -----

// An encoding says how the elements are stored; the model prices dense
// tiles and the rewrite's buffers would drop it.
#CSR = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>
// expected-error @+1 {{ffm: tensors with an encoding are not supported (argument 0 has type 'tensor<4x6xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 : compressed) }>>')}}
func.func @sparse_argument(%a: tensor<4x6xf32, #CSR>, %b: tensor<6x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %m = linalg.matmul ins(%a, %b : tensor<4x6xf32, #CSR>, tensor<6x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %m : tensor<4x3xf32>
}

// -----

func.func @encoded_result(%a: tensor<4x6xf32>) -> tensor<4x6xf32, "layout"> {
  // expected-error @+1 {{ffm: tensors with an encoding are not supported (result of type 'tensor<4x6xf32, "layout">')}}
  %e = tensor.empty() : tensor<4x6xf32, "layout">
  %r = linalg.copy ins(%a : tensor<4x6xf32>) outs(%e : tensor<4x6xf32, "layout">) -> tensor<4x6xf32, "layout">
  return %r : tensor<4x6xf32, "layout">
}

// -----

// A body that reads or writes memory computes something else once its
// iterations are reordered, run at once or repeated.
memref.global "private" @counter : memref<1xf32> = dense<0.0>
func.func @stateful_payload(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  // expected-error @+1 {{ffm: the payload holds 'memref.load', which may read or write memory: a mapping reorders, parallelises and repeats iterations}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%p: f32, %o: f32):
    %g = memref.get_global @counter : memref<1xf32>
    %c0 = arith.constant 0 : index
    %v = memref.load %g[%c0] : memref<1xf32>
    %t = arith.addf %p, %v : f32
    linalg.yield %t : f32
  } -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}

// -----

// A call's effects are unknown; an external callee's body is nowhere, so
// inlining cannot help and is not suggested.
func.func private @step(f32) -> f32
func.func @call_in_payload(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  // expected-error-re @+1 {{ffm: the payload holds 'func.call', which may read or write memory: a mapping reorders, parallelises and repeats iterations{{$}}}}
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%p: f32, %o: f32):
    %t = func.call @step(%p) : (f32) -> f32
    linalg.yield %t : f32
  } -> tensor<4x6xf32>
  return %r : tensor<4x6xf32>
}
