//===- EinsumGraphAnalysis.h - linalg function -> Workload ------*- C++ -*-===//
#ifndef FFM_TRANSFORMS_EINSUMGRAPHANALYSIS_H
#define FFM_TRANSFORMS_EINSUMGRAPHANALYSIS_H

#include "ffm/Workload/Workload.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

namespace ffm {

/// Names of the rank variables of a linalg op's loops ("m", "n", "k" for a
/// matmul, else "d0", "d1", ...).
std::vector<std::string> rankNames(mlir::linalg::LinalgOp op);

/// The scalar `value` is filled with, where its defining op is a fill: a
/// `linalg.fill`, or a `linalg.generic` upstream recognises as one (as
/// `linalg-generalize-named-ops` writes a fill). The scalar may be defined
/// by a constant inside that generic's body, to be cloned where used.
std::optional<mlir::Value> fillValue(mlir::Value value);
/// Whether `op` is such a fill, on tensors or on buffers (free to the
/// model: it only initialises an output).
bool isFill(mlir::Operation *op);

/// Sets Einsum::orderedReduction of `einsum`, built from `op`: one
/// reduction rank and a payload whose result depends on the order it is
/// visited in (a scan). Over two or more, such a payload is an error at
/// `op`. A tile of the rewrite (`isTile`) may read its init at its first
/// iteration; a user's op selecting by its indices is not trusted to.
mlir::LogicalResult markOrdered(mlir::linalg::LinalgOp op, Einsum &einsum,
                                bool isTile);

/// How `op` indexes `tensor` (of the given shape) through `map`: a rank, a
/// sliding window or a unit dimension per tensor dimension. Emits an error
/// at `op` for any other map.
mlir::FailureOr<TensorAccess> accessFromMap(mlir::linalg::LinalgOp op,
                                            mlir::AffineMap map, int tensor,
                                            llvm::ArrayRef<int64_t> shape);

/// Builds the Einsum graph of one function of linalg-on-tensors ops.
/// Construction reports unsupported IR as errors at the offending op; query
/// `isValid()` before using the workload.
class EinsumGraphAnalysis {
public:
  explicit EinsumGraphAnalysis(mlir::Operation *funcOp);

  bool isValid() const { return valid; }
  const Workload &getWorkload() const { return workload; }
  /// The linalg op behind each Einsum, in program order.
  llvm::ArrayRef<mlir::linalg::LinalgOp> getOps() const { return ops; }
  /// For Einsum i, the operand number of each access (inputs, then the
  /// output, whose operand is the init).
  llvm::ArrayRef<unsigned> getAccessOperands(int einsum) const {
    return accessOperands[einsum];
  }
  /// The workload tensor an SSA value holds, or -1.
  int tensorOf(mlir::Value value) const { return tensorIds.lookup(value) - 1; }

private:
  mlir::LogicalResult build(mlir::Operation *funcOp);
  mlir::FailureOr<int> tensorFor(mlir::Value value, mlir::Operation *user);
  int addTensor(mlir::Value value, std::string name);
  /// The access on the reshaped tensor's own dimensions when the operand is
  /// a reshape that only adds or drops unit dimensions (TensorAccess::view).
  TensorAccess seeThroughReshape(TensorAccess access);
  /// Calls `fn` with the workload tensor of each ranked-tensor operand.
  mlir::LogicalResult forEachTensor(mlir::Operation &op,
                                    llvm::function_ref<void(int)> fn);

  Workload workload;
  llvm::SmallVector<mlir::linalg::LinalgOp> ops;
  std::vector<llvm::SmallVector<unsigned>> accessOperands;
  llvm::DenseMap<mlir::Value, int> tensorIds; // id + 1, so 0 means absent
  llvm::StringMap<unsigned> kindCounts;
  unsigned constCount = 0;
  bool valid = false;
};

} // namespace ffm

#endif // FFM_TRANSFORMS_EINSUMGRAPHANALYSIS_H
