// The GPT-3 6.7B layer (bench/workloads/gpt3_layer.mlir, 8192 tokens) maps
// and rewrites on the two-level preset: the attention block from QK to AV is
// one fused group whose 32 x 8192 x 8192 score tensors never reach DRAM.
// (Too large to execute as host loops; the same layer at 16 tokens,
// examples/transformer_small.mlir, is executed in test/Execution.)
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml report=%t.json" %ffm_src/bench/workloads/gpt3_layer.mlir | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// CHECK-LABEL: func.func @gpt3_layer
// CHECK-SAME: ffm.energy_pj
// CHECK-COUNT-13: ffm.mapping = #ffm.mapping<
// CHECK: return

// REPORT: "fusion_groups": [
// REPORT: "generic_2"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_3",
// REPORT-NEXT: "generic_4",
// REPORT-NEXT: "generic_5",
// REPORT-NEXT: "generic_6",
// REPORT-NEXT: "generic_7",
// REPORT-NEXT: "generic_8"
// REPORT-NEXT: ],
