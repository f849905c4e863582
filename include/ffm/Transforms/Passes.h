//===- Passes.h - ffm passes ------------------------------------*- C++ -*-===//
#ifndef FFM_TRANSFORMS_PASSES_H
#define FFM_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/Pass.h"

namespace ffm {

#define GEN_PASS_DECL
#include "ffm/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ffm/Transforms/Passes.h.inc"

/// Registers the ffm dialect with `registry`.
void registerFFMDialects(mlir::DialectRegistry &registry);

} // namespace ffm

#endif // FFM_TRANSFORMS_PASSES_H
