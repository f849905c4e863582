// --ffm-lower-to-llvm misplaced or given options: a located error and a
// non-zero exit (nested in a function it aborted the process, and an
// option was refused without a word).
// RUN: not ffm-opt --pass-pipeline="builtin.module(func.func(ffm-lower-to-llvm))" %s 2>&1 | FileCheck %s --check-prefix=NESTED
// RUN: not ffm-opt --ffm-lower-to-llvm=foo=1 %s 2>&1 | FileCheck %s --check-prefix=OPTION

// NESTED: error: ffm-lower-to-llvm runs on a builtin.module, not nested in 'func.func' (Can't add pass 'OneShotBufferizePass' restricted to 'builtin.module'
// NESTED-NOT: LLVM ERROR
// OPTION: error: ffm-lower-to-llvm takes no options, got 'foo=1'
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
