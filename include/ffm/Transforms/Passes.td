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

def FFMEvaluate : Pass<"ffm-evaluate", "mlir::func::FuncOp"> {
  let summary = "Evaluate the #ffm.mapping of each linalg op with the model";
  let description = [{
    For every linalg op carrying an `ffm.mapping` attribute, evaluates the
    mapping on the function's architecture, attaches `ffm.energy_pj` and
    `ffm.latency_cycles`, and prints the per-level, per-tensor accesses.
    Invalid mappings are reported as errors at the op.
  }];
  let options = [
    Option<"archFile", "arch-file", "std::string", /*default=*/"",
           "YAML architecture (overrides #ffm.arch attributes)">,
  ];
  let dependentDialects = ["ffm::FFMDialect"];
}

def FFMFuse : Pass<"ffm-fuse", "mlir::func::FuncOp"> {
  let summary = "Find the optimal fused mapping and rewrite into it";
  let description = [{
    Builds the Einsum graph of the function, searches the optimal fused
    mapping on its architecture with the Fast and Fusiest Mapper, and
    rewrites the linalg ops into tiled, fused scf loop nests whose on-chip
    tiles live in buffers placed in `#ffm.level_space` memory spaces.
    Functions without an architecture are left unchanged, with a remark.
  }];
  let options = [
    Option<"archFile", "arch-file", "std::string", /*default=*/"",
           "YAML architecture (overrides #ffm.arch attributes)">,
    Option<"objective", "objective", "std::string", /*default=*/"\"energy\"",
           "What to minimise: energy, latency or edp">,
    Option<"searchMode", "search", "std::string", /*default=*/"\"ffm\"",
           "Search: ffm (pruned, fast) or exhaustive (reference)">,
    Option<"report", "report", "std::string", /*default=*/"",
           "Write the chosen mappings and their figures as JSON here">,
    Option<"maxPmappings", "max-pmappings", "uint64_t",
           /*default=*/"4000000",
           "Stop with an error past this many pmappings held for one Einsum "
           "(search=ffm: on its Pareto fronts), or partial mappings in a "
           "join frontier">,
    Option<"timeLimit", "time-limit", "double", /*default=*/"0",
           "Stop with an error past this many seconds, all searches for a "
           "function together (0: no limit)">,
    Option<"maxMemoryMB", "max-memory-mb", "int64_t", /*default=*/"0",
           "Stop with an error once the process's resident memory passes this many MB of 2^20 bytes (0: 80% of the machine's or its cgroup's memory)">,
    Option<"maxFusedLoopsPerRank", "max-fused-loops-per-rank", "int",
           /*default=*/"1",
           "Fused loops (above a fused intermediate) per rank in the mapspace; 0: any">,
    Option<"maxFusedLoops", "max-fused-loops", "int", /*default=*/"0",
           "Fused loops above each fused intermediate in all, over every rank; 0: any">,
    Option<"nodeDepths", "node-depths", "bool", /*default=*/"false",
           "Let each storage node sit anywhere among its level's loops, not "
           "only at the head of its block (the authors' mapspace; slower)">,
    Option<"haloFusion", "halo-fusion", "bool", /*default=*/"true",
           "Fuse convolution chains through window dimensions: a producer "
           "tile recomputes its consumer's halo (docs/model.md)">,
    Option<"maxSpatialRanksPerDim", "max-spatial-ranks-per-dim", "int",
           /*default=*/"1",
           "Ranks one fanout dimension may spread in the mapspace (1 to 4; "
           "2: a 128-wide dimension may take 8 heads x 16 rows)">,
    Option<"dimSizes", "dim-sizes", "std::string", /*default=*/"",
           "Sizes to map the dynamic dimensions of the function's arguments "
           "at, in argument then dimension order (\"2048,128\"), for the "
           "functions without an ffm.dim_sizes attribute of their own; the "
           "rewritten loops walk the runtime sizes, or where they cannot, "
           "other runtime sizes run the original ops">,
    Option<"foldReshapes", "fold-reshapes", "bool", /*default=*/"true",
           "Fold reshapes that split or merge dimensions between two linalg "
           "ops into them (they become generics over the finer ranks), so "
           "that fusion sees through the reshape">,
    Option<"rewrite", "rewrite", "bool", /*default=*/"true",
           "Rewrite the IR (false: only annotate the ops with the mapping)">,
    Option<"verify", "verify", "bool", /*default=*/"false",
           "Read the mapping back from the rewritten IR and fail where it "
           "differs from the chosen one (nodes, figures, executions, groups)">,
    Option<"looptree", "looptree", "std::string", /*default=*/"",
           "Write each fusion group's LoopTree, read from the rewritten IR, "
           "as Graphviz DOT here">,
  ];
  let statistics = [
    Statistic<"numCandidates", "candidates", "Mappings built and evaluated">,
    Statistic<"numPmappings", "pmappings", "Valid pmappings generated">,
    Statistic<"numKept", "kept", "Pmappings kept after Pareto pruning">,
    Statistic<"numGroups", "compatibility-groups", "Compatibility groups">,
    Statistic<"maxFrontier", "max-frontier", "Largest join frontier">,
    Statistic<"numFusionGroups", "fusion-groups", "Fused groups chosen">,
  ];
  let dependentDialects = [
    "ffm::FFMDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::bufferization::BufferizationDialect",
    "mlir::linalg::LinalgDialect", "mlir::affine::AffineDialect",
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"
  ];
}

def FFMCountIterations : Pass<"ffm-count-iterations", "mlir::ModuleOp"> {
  let summary = "Print how many times each linalg op's body runs, counted statically";
  let description = [{
    For every linalg op but `linalg.fill`, multiplies the op's own iteration
    space by the trip counts of the scf.for and scf.forall loops around it,
    and prints the count per op (named by its `ffm.einsum` attribute where
    it has one) and the function's total. On the original IR this is each
    Einsum's size; on `--ffm-fuse` output it is what the rewritten IR
    executes, so the two totals agree exactly when nothing is recomputed or
    skipped. It reads only loop bounds and op shapes, not the mapping. Ops
    under other region ops, or under loops or ops with dynamic bounds, are
    errors. Functions are printed in program order (a module pass: a
    function pass would run them on several threads, their lines
    interleaved). The IR is not changed.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

def FFMEraseMemorySpaces : Pass<"ffm-erase-memory-spaces", "mlir::ModuleOp"> {
  let summary = "Drop ffm memory spaces and annotations for host execution";
  let description = [{
    Host execution has one memory: after bufferization, memrefs placed in
    accelerator levels become plain memrefs so the standard LLVM lowering
    applies, and the ffm.* annotations (arch, mappings, figures) are removed.
  }];
}

#endif // FFM_TRANSFORMS_PASSES_TD
