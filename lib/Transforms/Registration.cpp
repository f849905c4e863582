//===- Registration.cpp - ffm dialect registration helper -----------------===//
#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Transforms/Passes.h"

void ffm::registerFFMDialects(mlir::DialectRegistry &registry) {
  registry.insert<ffm::FFMDialect>();
}
