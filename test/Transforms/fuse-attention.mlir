// An attention head (QK^T, softmax, AV) fuses into one group on a 2 KiB
// global buffer; the report shows what fusion bought over the best unfused
// mapping.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml report=%t.json verify=true" %ffm_src/examples/attention_head.mlir | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: FileCheck %s --check-prefix=FRONTIER < %t.json

// CHECK-LABEL: func.func @attention_head
// CHECK-DAG: ffm.einsum = "generic_0"
// CHECK-DAG: ffm.einsum = "generic_1"
// CHECK-DAG: ffm.einsum = "generic_2"
// CHECK-DAG: ffm.einsum = "generic_3"
// CHECK-DAG: ffm.einsum = "generic_4"
// CHECK-DAG: ffm.einsum = "generic_5"
// CHECK-DAG: scf.for
// CHECK-DAG: memref.alloc() : memref<{{.*}}, #ffm.level_space<"GlobalBuffer">>
// CHECK: return

// REPORT: "functions": [
// REPORT: "einsums": [
// REPORT: "fusion_groups": [
// REPORT-NEXT: [
// REPORT-NEXT: "generic_0",
// REPORT-NEXT: "generic_1",
// REPORT-NEXT: "generic_2",
// REPORT-NEXT: "generic_3",
// REPORT-NEXT: "generic_4",
// REPORT-NEXT: "generic_5"
// REPORT-NEXT: ]
// REPORT-NEXT: ],
// REPORT: "name": "attention_head"
// REPORT: "unfused": {
// REPORT-NEXT: "energy_pj": 290192,

// The join's bound against the best mapping of a narrow first join keeps
// the exact frontier to tens of partial mappings (773 against the all-DRAM
// mapping alone).
// FRONTIER: "max_frontier": {{[1-9][0-9]?}},
