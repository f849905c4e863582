//===- Passes.h - ffm passes ------------------------------------*- C++ -*-===//
#ifndef FFM_TRANSFORMS_PASSES_H
#define FFM_TRANSFORMS_PASSES_H

#include "ffm/Dialect/FFMDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/Pass.h"

namespace ffm {

#define GEN_PASS_DECL
#include "ffm/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ffm/Transforms/Passes.h.inc"

/// Registers --ffm-lower-to-llvm: bufferize, drop the ffm memory spaces
/// and lower everything to the LLVM dialect for mlir-runner.
void registerFFMPipelines();

/// Appends that lowering to `pm`, a module-level pass manager (or one on
/// any op): fails, saying why on `errors`, where its module passes do not
/// fit (nested in a function).
mlir::LogicalResult buildLowerToLLVMPipeline(
    mlir::OpPassManager &pm, llvm::raw_ostream &errors = llvm::errs());

/// Appends the standard sequence to a module-level `pm`: ffm-fuse on every
/// function with `options`, then, with `lowerToLLVM`, the lowering above
/// (whose failure it returns). (The Einsum graph is an analysis that
/// ffm-fuse queries itself.)
mlir::LogicalResult buildFFMPipeline(mlir::OpPassManager &pm,
                                     const FFMFuseOptions &options,
                                     bool lowerToLLVM = false,
                                     llvm::raw_ostream &errors = llvm::errs());

/// Registers the ffm dialect with `registry`.
void registerFFMDialects(mlir::DialectRegistry &registry);

} // namespace ffm

#endif // FFM_TRANSFORMS_PASSES_H
