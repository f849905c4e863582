//===- FoldReshapes.h - reshapes between Einsums into their ranks -*- C++ -*-===//
//
// A reshape that splits or merges dimensions between two Einsums (the heads
// of an attention projection split off its columns, merged back before the
// output projection) leaves the two sides indexing the intermediate by
// different dimensions, so no loop can walk both and the intermediate goes
// through DRAM. Folding the reshape into the Einsums by expansion (upstream
// linalg's reshape-by-expansion fusion) gives them the finer ranks: the
// producer computes the split dimensions as ranks of its own, both sides
// index one tensor, and fusion sees through the reshape. The finer ranks
// also narrow the tilings (a 1536-wide rank split 12 x 128 has no tile of
// 96), so ffm-fuse maps both forms and keeps the better. Reshapes that only
// add or drop unit dimensions are left to the graph, which sees through
// them already (docs/workloads.md).
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TRANSFORMS_FOLDRESHAPES_H
#define FFM_TRANSFORMS_FOLDRESHAPES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace ffm {

/// Whether `func` has a reshape between two linalg ops that splits or
/// merges dimensions larger than 1.
bool hasReshapesBetweenEinsums(mlir::func::FuncOp func);

/// Folds those reshapes into the ops by expansion, where upstream's
/// expansion applies (projected-permutation indexing of the reshaped
/// operand); the ops whose ranks are split become linalg.generic.
/// Deterministic: equal functions fold to equal functions.
void foldReshapesIntoEinsums(mlir::func::FuncOp func);

} // namespace ffm

#endif // FFM_TRANSFORMS_FOLDRESHAPES_H
