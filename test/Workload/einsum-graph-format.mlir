// RUN: not ffm-opt --ffm-einsum-graph="format=svg" %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: ffm-einsum-graph: unknown format 'svg' (expected text or dot)
func.func @f() {
  return
}
