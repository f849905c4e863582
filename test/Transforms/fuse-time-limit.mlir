// A search past its time limit stops with a diagnostic naming the limit.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml time-limit=0.000001" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s
// CHECK: error: ffm-fuse: search time limit of 1e-06 s exceeded while enumerating Einsum '{{.*}}' (raise time-limit)
