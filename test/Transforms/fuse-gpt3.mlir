// The GPT-3 6.7B layer (bench/workloads/gpt3_layer.mlir, 8192 tokens) maps
// and rewrites on the two-level preset: the softmax (max, exp, sum, divide)
// is one fused group whose 32 x 8192 x 8192 intermediates never reach DRAM.
// QK and AV stay apart: on a 16 KiB buffer they could only share loops over
// the softmax's reduction rank, under which the normalisation would read
// unfinished row sums (docs/mapspace.md, fusion validity).
// (Too large to execute as host loops; the same layer at 16 tokens,
// examples/transformer_small.mlir, is executed in test/Execution.)
// RUN: ffm-opt --ffm-fuse="arch-file=%ffm_src/examples/arch/small_2level.yaml report=%t.json verify=true" %ffm_src/bench/workloads/gpt3_layer.mlir | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// CHECK-LABEL: func.func @gpt3_layer
// CHECK-SAME: ffm.energy_pj
// CHECK-COUNT-13: ffm.mapping = #ffm.mapping<
// CHECK: return

// REPORT: "fusion_groups": [
// REPORT: "generic_3"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_4",
// REPORT-NEXT: "generic_5",
// REPORT-NEXT: "generic_6",
// REPORT-NEXT: "generic_7"
// REPORT-NEXT: ],
// REPORT-NEXT: [
// REPORT-NEXT: "generic_8"
// REPORT-NEXT: ],

// Under fixed caps the first pass, which bounds each key (docs/mapspace.md,
// "Neighbours' key bounds"), walks the softmax's exponent only in the keys
// its neighbours can take within their caps (235,670 steps in all when it
// walked every key of the exponent), a late Einsum's key bounds stop at
// their budget, and every enumeration walks its keep sets and spatial loops
// from the least bound on: 32,004 steps in all (46,614 with neither of the
// last two, 40,253 with the budget alone). Under 36,000:
// REPORT: {{^        }}"search_steps": {{([1-9][0-9]{0,3}|[12][0-9]{4}|3[0-5][0-9]{3})}},
