//===- Specialize.h - map dynamic shapes at given sizes ---------*- C++ -*-===//
//
// The mapper needs static sizes. A function whose arguments have dynamic
// dimensions is mapped at sizes the user gives (the `dim-sizes` option or
// an `ffm.dim_sizes` attribute on the function): its body is specialised
// to them and mapped. Where every dynamic rank can be walked by loops over
// its runtime extent (dynamicRankExtents), the rewrite emits such loops,
// the last tile clipped, and the one body serves every size; otherwise it
// is guarded by a runtime check so that any other size still runs the
// original ops.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TRANSFORMS_SPECIALIZE_H
#define FFM_TRANSFORMS_SPECIALIZE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OwningOpRef.h"
#include <optional>
#include <vector>

namespace ffm {

/// Attribute of a function giving its arguments' dynamic sizes, and of the
/// scf.if that versions a specialised body.
constexpr llvm::StringLiteral kDimSizesAttr = "ffm.dim_sizes";
/// Marks each linalg op of a specialised body with the loops that were
/// dynamic before specialisation (dropDynamicLoopMarks removes them).
constexpr llvm::StringLiteral kDynamicLoopsAttr = "ffm.dynamic_loops";

/// Whether some tensor argument of `func` has a dynamic dimension.
bool hasDynamicArguments(mlir::func::FuncOp func);

/// Parses a dim-sizes option ("2048,128"): false unless every entry is a
/// positive integer.
bool parseDimSizes(llvm::StringRef option,
                   llvm::SmallVectorImpl<int64_t> &sizes);

/// The sizes of `func`'s dynamic argument dimensions, in argument then
/// dimension order: the function's ffm.dim_sizes where it has them, else
/// `optionSizes` (the parsed dim-sizes), the default for functions
/// without. Empty when no argument is dynamic; failure, with a diagnostic
/// naming the option, when sizes are missing or wrong.
mlir::FailureOr<llvm::SmallVector<int64_t>>
dynamicArgSizes(mlir::func::FuncOp func, llvm::ArrayRef<int64_t> optionSizes);

/// Rewrites `func`'s body to the static shapes `sizes` gives its dynamic
/// arguments (casts at entry, then canonicalization propagates them) and
/// returns a copy of the function as it was, for versionOnSizes().
mlir::OwningOpRef<mlir::func::FuncOp>
specializeToSizes(mlir::func::FuncOp func, llvm::ArrayRef<int64_t> sizes);

/// Guards the (specialised, possibly rewritten) body of `func`: an scf.if
/// on the runtime sizes equal to `sizes` runs it, and otherwise the body of
/// `original`.
void versionOnSizes(mlir::func::FuncOp func, mlir::func::FuncOp original,
                    llvm::ArrayRef<int64_t> sizes);

class EinsumGraphAnalysis;

/// Per Einsum, per rank: the runtime extent (an index value) of a rank whose
/// size is dynamic in the function as written, or null for a static rank.
using RankExtents = std::vector<llvm::SmallVector<mlir::Value>>;

/// The runtime extents of the ranks of the specialised body `func` (graph
/// built on it) that a dynamic argument dimension sizes: ranks and tensor
/// dimensions that must be equal form classes; a class holding a dynamic
/// argument dimension and no static one is dynamic, and gets one
/// `tensor.dim` of that argument at the function's entry. std::nullopt,
/// with no IR change, when a dynamic class reaches what loops over a
/// runtime extent cannot serve: a sliding window, a reshape, data left in
/// place (padding, slicing) or a constant tensor.
std::optional<RankExtents> dynamicRankExtents(mlir::func::FuncOp func,
                                              const EinsumGraphAnalysis &graph);

/// Whether every dynamic size in `original` (the function as written) only
/// shapes tensors (tensor.dim read by tensor.empty alone): a size used as a
/// value is folded to its mapped value by the specialisation, so the body
/// then serves the mapped sizes only.
bool sizesOnlyShapeTensors(mlir::func::FuncOp original);

/// Removes the kDynamicLoopsAttr marks of specializeToSizes.
void dropDynamicLoopMarks(mlir::func::FuncOp func);

/// After the rewrite on runtime extents: folds the casts the specialisation
/// and the rewrite put around the body (dynamic to static and back) and
/// says whether the body now serves every size, i.e. no value is still
/// cast from a dynamic type to a static one (something outside the rewrite
/// reads the data at the mapped sizes).
bool servesEverySize(mlir::func::FuncOp func);

/// The size a dynamic dimension `dim` of argument `arg` of `func` was
/// mapped at (the function's ffm.dim_sizes), if any.
std::optional<int64_t> mappedSize(mlir::func::FuncOp func, unsigned arg,
                                  unsigned dim);

} // namespace ffm

#endif // FFM_TRANSFORMS_SPECIALIZE_H
