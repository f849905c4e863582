//===- Support.h - between IR attributes and the IR-free mapper -*- C++ -*-===//
#ifndef FFM_TRANSFORMS_SUPPORT_H
#define FFM_TRANSFORMS_SUPPORT_H

#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Model/Mapping.h"
#include "ffm/Model/Model.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace ffm {

/// Deepest bracket nesting ffm-opt accepts. MLIR's parser recurses once per
/// level (an affine expression thousands of parentheses deep overflows the
/// stack, in stock mlir-opt too); real IR stays far below this.
constexpr unsigned kMaxNesting = 512;

/// Attributes the rewrite leaves on the IR: on each Einsum's op (and, after
/// the rewrite, its tile at the bottom of the loop tree) its workload name
/// and chosen mapping; on an scf.for that spreads a reduction over a fanout
/// (host code runs it sequentially), that fanout.
constexpr llvm::StringLiteral kEinsumAttr = "ffm.einsum";
constexpr llvm::StringLiteral kMappingAttr = "ffm.mapping";
constexpr llvm::StringLiteral kFanoutAttr = "ffm.fanout";
/// On a function or an enclosing op: the architecture to map on (or, on
/// --ffm-fuse output, the one it was mapped on, from its arch-file).
constexpr llvm::StringLiteral kArchAttr = "ffm.arch";
/// On an Einsum's op and its tile, where the architecture has several
/// compute units: the one that runs it.
constexpr llvm::StringLiteral kUnitAttr = "ffm.unit";
/// On a memref reshape that adds or drops unit dimensions of a tile for an
/// op that reads a tensor through such a reshape: per dimension of its
/// wider side, whether it is one of the tensor's (not an added unit one).
constexpr llvm::StringLiteral kKeptDimsAttr = "ffm.kept_dims";

/// Offset of the first bracket ((, [, { or <) nested deeper than
/// `maxDepth` in MLIR source `text`, outside comments and strings.
std::optional<size_t> findExcessiveNesting(llvm::StringRef text,
                                           unsigned maxDepth = kMaxNesting);

/// Offset of the first `<` after a linalg op's name in custom form that
/// does not open a dictionary (`<{`), outside comments and strings:
/// MLIR 22's parser of the named structured ops (linalg.matmul, .fill,
/// .add, ...) reads any attribute there as their properties and then
/// uses it as a dictionary, which crashes (stock mlir-opt too).
std::optional<size_t> findNonDictionaryProperties(llvm::StringRef text);

/// Ends writing to `os`, the stream of `path` ("-": standard output, only
/// flushed, as it stays open): the message of a write or close that failed
/// (a full disk), if any. Its error is cleared either way, since a stream
/// destroyed with one unchecked aborts the process.
std::optional<std::string> finishOutput(llvm::raw_fd_ostream &os,
                                        llvm::StringRef path);

/// The architecture of `func`: from `archFile` (YAML) when given, else the
/// `ffm.arch` attribute of the function, else of an enclosing op. Returns
/// nullopt, without diagnostics, when there is none; failure after an error.
mlir::FailureOr<std::optional<Arch>> lookupArch(mlir::func::FuncOp func,
                                                llvm::StringRef archFile);

/// lookupArch() for a pass: when there is no architecture, remarks so at
/// the function ("<pass>: no architecture (...); <consequence>").
mlir::FailureOr<std::optional<Arch>>
lookupArchOrRemark(mlir::func::FuncOp func, llvm::StringRef archFile,
                   llvm::StringRef pass, llvm::StringRef consequence);

class EinsumGraphAnalysis;

/// What a pass over one function maps: its architecture and valid Einsum
/// graph.
struct PassInputs {
  Arch arch;
  EinsumGraphAnalysis *graph;
};

/// lookupArchOrRemark(), then the Einsum graph from `getGraph` (the pass's
/// own getAnalysis, which only a pass may call). Nullopt when there is no
/// architecture (remarked); failure after a diagnostic.
mlir::FailureOr<std::optional<PassInputs>>
preparePass(mlir::func::FuncOp func, llvm::StringRef archFile,
            llvm::StringRef pass, llvm::StringRef consequence,
            llvm::function_ref<EinsumGraphAnalysis &()> getGraph);

/// Names in #ffm.mapping refer to the workload's tensors and ranks and the
/// architecture's levels.
MappingAttr toAttr(mlir::MLIRContext *ctx, const Mapping &mapping,
                   const Workload &w, int einsum, const Arch &arch);
mlir::FailureOr<Mapping> fromAttr(MappingAttr attr, const Workload &w,
                                  int einsum, const Arch &arch,
                                  mlir::Operation *diagOp);

/// The pads, slices and concatenations `func` runs on DRAM data, each
/// charged by evaluateMove: a pad reads its source and writes its result, a
/// slice reads and writes the slice, an insert_slice the inserted source (in
/// place), a concatenation its inputs and its result. Ops of dynamic shape
/// (the original ops a dynamic-size guard falls back to) are not charged:
/// the mapped body's are. Summed over the ops.
Evaluation evaluateMoves(mlir::func::FuncOp func, const Arch &arch);

} // namespace ffm

#endif // FFM_TRANSFORMS_SUPPORT_H
