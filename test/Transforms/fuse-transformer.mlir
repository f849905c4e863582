// A full Transformer layer from examples/: every Einsum is rewritten and
// annotated, and the report lists the fusion groups the search chose.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.json" %ffm_src/examples/transformer_small.mlir | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: FileCheck %s --check-prefix=FRONTIER < %t.json

// CHECK-LABEL: func.func @transformer_small
// CHECK-SAME: ffm.energy_pj
// CHECK-COUNT-13: ffm.mapping = #ffm.mapping<
// CHECK: return

// The join's bound completes a partial mapping by the best continuation of
// its live intermediates (capacity aside), which keeps the exact frontier
// in the hundreds (1257 with each remaining Einsum at its own best).
// FRONTIER: "max_frontier": {{[1-9][0-9]?[0-9]?}},

// REPORT: "energy_pj": 1706752,
// REPORT: "fusion_groups": [
// REPORT-NEXT: [
// REPORT-NEXT: "generic_0"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_1"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_2",
// REPORT: "generic_9"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_10",
// REPORT-NEXT: "generic_11",
// REPORT-NEXT: "generic_12"
// REPORT: "unfused": {
// REPORT-NEXT: "energy_pj": 2635168,
