//===- Passes.td - ffm passes ------------------------------*- tablegen -*-===//
#ifndef FFM_TRANSFORMS_PASSES_TD
#define FFM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FFMEinsumGraph : Pass<"ffm-einsum-graph", "mlir::func::FuncOp"> {
  let summary = "Print the Einsum dependency graph of each function";
  let description = [{
    Builds the workload the mapper consumes (Einsums, tensors, producer to
    consumer edges) from linalg-on-tensors IR and prints it to stdout, in a
    stable text form or as Graphviz DOT. The IR is not changed.
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "Output format: text or dot">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // FFM_TRANSFORMS_PASSES_TD
