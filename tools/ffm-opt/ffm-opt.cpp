//===- ffm-opt.cpp - mlir-opt with the ffm dialect and passes -------------===//
#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  ffm::registerFFMPasses();
  ffm::registerFFMPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<ffm::FFMDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "ffm-mlir optimizer driver\n", registry));
}
