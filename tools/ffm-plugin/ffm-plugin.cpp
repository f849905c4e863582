//===- ffm-plugin.cpp - ffm as an mlir-opt dialect and pass plugin --------===//
#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Transforms/Passes.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "FFM", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            ffm::registerFFMDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "FFMPasses", LLVM_VERSION_STRING,
          []() {
            ffm::registerFFMPasses();
            ffm::registerFFMPipelines();
          }};
}
