//===- ffm-opt.cpp - mlir-opt with the ffm dialect and passes -------------===//
#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Support.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

/// Input that crashes MLIR's parser is rejected with a located error
/// instead: nested too deeply for its recursion (a stack overflow), or a
/// linalg op whose properties are no dictionary.
static bool unparsable(std::unique_ptr<llvm::MemoryBuffer> &buffer) {
  std::string message;
  std::optional<size_t> at = ffm::findExcessiveNesting(buffer->getBuffer());
  if (at) {
    message = "brackets nested deeper than " +
              std::to_string(ffm::kMaxNesting) + " levels are not supported";
  } else if ((at = ffm::findNonDictionaryProperties(buffer->getBuffer()))) {
    message = "a linalg op's properties must be a dictionary, <{...}> (MLIR's "
              "parser crashes on any other attribute there)";
  } else {
    return false;
  }
  llvm::SourceMgr sm;
  llvm::SMLoc loc = llvm::SMLoc::getFromPointer(buffer->getBufferStart() + *at);
  sm.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  sm.PrintMessage(loc, llvm::SourceMgr::DK_Error, message);
  return true;
}

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  ffm::registerFFMPasses();
  ffm::registerFFMPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<ffm::FFMDialect>();
  auto [input, output] = mlir::registerAndParseCLIOptions(
      argc, argv, "ffm-mlir optimizer driver\n", registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, input, output, registry));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = mlir::openInputFile(input, &error);
  if (!file) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (unparsable(file))
    return 1;
  std::unique_ptr<llvm::ToolOutputFile> out =
      mlir::openOutputFile(output, &error);
  if (!out) {
    llvm::errs() << error << "\n";
    return 1;
  }
  bool ok = mlir::succeeded(
      mlir::MlirOptMain(out->os(), std::move(file), registry, config));
  // A write that failed after the file opened (a full disk), to it or to
  // standard output (where some passes print): an error, whether or not the
  // run failed too, not the abort an unchecked stream error ends in.
  auto finish = [&](llvm::raw_fd_ostream &os, llvm::StringRef path) {
    if (std::optional<std::string> error = ffm::finishOutput(os, path)) {
      llvm::errs() << "ffm-opt: cannot write '" << path << "': " << *error
                   << "\n";
      ok = false;
    }
  };
  finish(out->os(), output);
  if (output != "-")
    finish(llvm::outs(), "-");
  if (!ok)
    return 1;
  out->keep();
  return 0;
}
