// A search past its time limit stops with a diagnostic naming the limit.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml time-limit=0.000001" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s
// CHECK: error: ffm-fuse: search time limit of 1e-06 s exceeded while enumerating Einsum '{{.*}}' (raise time-limit)

// The limit covers the join too: exhaustive search of a Transformer layer
// generates its pmappings in well under a second (a few under sanitizers),
// then joins for far longer.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml search=exhaustive max-pmappings=1000000000000 time-limit=10" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s --check-prefix=JOIN
// JOIN: error: ffm-fuse: search time limit of 10 s exceeded while joining Einsum '{{.*}}' (raise time-limit)
