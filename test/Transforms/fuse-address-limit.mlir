// Under ulimit -v the search stops at 80% of the address space with a
// diagnostic, whatever max-memory-mb says, instead of dying of an uncaught
// std::bad_alloc: the exhaustive search of this convolution chain maps
// gigabytes within seconds. (AddressSanitizer's shadow memory needs more
// address space than any such limit leaves.)
// UNSUPPORTED: asan
// RUN: not %python %S/Inputs/address-limit.py 1500 ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml search=exhaustive" %S/Inputs/conv-chain.mlir 2>&1 | FileCheck %s
// RUN: not %python %S/Inputs/address-limit.py 1500 ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/eyeriss_like.yaml search=exhaustive max-memory-mb=100000" %S/Inputs/conv-chain.mlir 2>&1 | FileCheck %s
// (The check reads the sizes once a millisecond: should one allocation
// outrun it, the failed allocation is the error.)
// CHECK: conv-chain.mlir:{{[0-9]+}}:{{[0-9]+}}: error: ffm-fuse: {{search memory budget of 1200 MB of address space exceeded \([0-9]+ MB mapped; 80% of ulimit -v\)|out of memory \(an allocation failed\)}} while {{enumerating|joining}} Einsum '{{.*}}' (raise ulimit -v{{.*}})
// CHECK-NOT: bad_alloc
