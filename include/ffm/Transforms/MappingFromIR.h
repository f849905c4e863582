//===- MappingFromIR.h - read the LoopTree back from rewritten IR -*- C++ -*-===//
//
// The check of "the IR is the mapping": from a function --ffm-fuse
// rewrote, and from nothing but its loops, buffers, copies and tiles,
// recovers the workload, each Einsum's LoopTree, its fusion groups and how
// often each tile runs. Attributes are not consulted except `ffm.einsum`,
// which only names a tile.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TRANSFORMS_MAPPINGFROMIR_H
#define FFM_TRANSFORMS_MAPPINGFROMIR_H

#include "ffm/Model/Model.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace ffm {

struct RecoveredEinsum {
  mlir::linalg::LinalgOp tile;
  Mapping mapping;
  /// Static count of executions of the tile's body: the trip counts of its
  /// loops times the tile's own iteration space.
  double executions = 0;
};

class MappingFromIR {
public:
  /// Reports what cannot be read back as errors at the offending op.
  MappingFromIR(mlir::func::FuncOp func, const Arch &arch);

  bool isValid() const { return valid; }
  const Workload &getWorkload() const { return workload; }
  llvm::ArrayRef<RecoveredEinsum> getEinsums() const { return einsums; }
  /// Einsums under one loop or sharing an on-chip buffer, in program order.
  const std::vector<std::vector<int>> &getGroups() const { return groups; }

  /// The model's figures for recovered Einsum `i`; fused intermediates are
  /// those the recovered mapping never keeps in DRAM.
  Evaluation evaluate(int i, const Arch &arch) const;

  /// Whether `func` holds tiles of a rewritten LoopTree.
  static bool isRewritten(mlir::func::FuncOp func);

private:
  mlir::LogicalResult build(mlir::func::FuncOp func, const Arch &arch);

  Workload workload;
  std::vector<RecoveredEinsum> einsums;
  std::vector<std::vector<int>> groups;
  bool valid = false;
};

/// The mapping with each run of adjacent keep nodes in (level, access)
/// order: their order within a run means nothing to the model or the IR.
Mapping canonicalKeeps(Mapping mapping);

/// The ops enclosing `tile` inside `func`, outermost first: its LoopTree's
/// loops. The scf.if that guards a body specialised to given sizes
/// (Specialize.h) is not part of the tree.
llvm::SmallVector<mlir::Operation *> treeAncestors(mlir::Operation *tile,
                                                   mlir::func::FuncOp func);

} // namespace ffm

#endif // FFM_TRANSFORMS_MAPPINGFROMIR_H
