//===- Specialize.h - map dynamic shapes at given sizes ---------*- C++ -*-===//
//
// The mapper needs static sizes. A function whose arguments have dynamic
// dimensions is mapped at sizes the user gives (the `dim-sizes` option or
// an `ffm.dim_sizes` attribute on the function): its body is specialised
// to them, mapped and rewritten, and guarded by a runtime check so that any
// other size still runs the original ops.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TRANSFORMS_SPECIALIZE_H
#define FFM_TRANSFORMS_SPECIALIZE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace ffm {

/// Attribute of a function giving its arguments' dynamic sizes, and of the
/// scf.if that versions a specialised body.
constexpr llvm::StringLiteral kDimSizesAttr = "ffm.dim_sizes";

/// Whether some tensor argument of `func` has a dynamic dimension.
bool hasDynamicArguments(mlir::func::FuncOp func);

/// The sizes of `func`'s dynamic argument dimensions, in argument then
/// dimension order: from `option` ("2048,128") when non-empty, else the
/// function's ffm.dim_sizes. Empty when no argument is dynamic; failure,
/// with a diagnostic naming the option, when sizes are missing or wrong.
mlir::FailureOr<llvm::SmallVector<int64_t>>
dynamicArgSizes(mlir::func::FuncOp func, llvm::StringRef option);

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

} // namespace ffm

#endif // FFM_TRANSFORMS_SPECIALIZE_H
