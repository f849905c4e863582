//===- Pipelines.cpp - --ffm-lower-to-llvm and --ffm-erase-memory-spaces --===//
#include "ffm/Transforms/Passes.h"

#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace ffm {
#define GEN_PASS_DEF_FFMERASEMEMORYSPACES
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {
struct EraseMemorySpacesPass
    : ffm::impl::FFMEraseMemorySpacesBase<EraseMemorySpacesPass> {
  void runOnOperation() override {
    AttrTypeReplacer replacer;
    replacer.addReplacement([](MemRefType type) -> std::optional<Type> {
      if (!isa_and_nonnull<LevelSpaceAttr>(type.getMemorySpace()))
        return std::nullopt;
      return MemRefType::get(type.getShape(), type.getElementType(),
                             type.getLayout());
    });
    replacer.addReplacement(
        [](UnrankedMemRefType type) -> std::optional<Type> {
          if (!isa_and_nonnull<LevelSpaceAttr>(type.getMemorySpace()))
            return std::nullopt;
          return UnrankedMemRefType::get(type.getElementType(), Attribute());
        });
    replacer.recursivelyReplaceElementsIn(getOperation(),
                                          /*replaceAttrs=*/true,
                                          /*replaceLocs=*/false,
                                          /*replaceTypes=*/true);
    // The annotations (arch, mappings, figures) mean nothing to a host
    // runtime, which may not even load the ffm dialect.
    getOperation()->walk([](Operation *op) {
      SmallVector<StringAttr> names;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with("ffm.") ||
            isa<FFMDialect>(attr.getValue().getDialect()))
          names.push_back(attr.getName());
      for (StringAttr name : names)
        op->removeDiscardableAttr(name);
    });
  }
};
} // namespace

// Textual so that it reads exactly like what a user would type.
static constexpr const char *kLowerToLLVM =
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map},"
    "ffm-erase-memory-spaces,buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,"
    "func.func(convert-linalg-to-loops),"
    "scf-forall-to-for,expand-strided-metadata,lower-affine,"
    "convert-scf-to-cf,convert-complex-to-standard,"
    "math-expand-ops{ops=clampf},convert-math-to-funcs,convert-math-to-llvm,"
    "convert-math-to-libm,convert-complex-to-llvm,convert-ub-to-llvm,"
    "finalize-memref-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,"
    "convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts";

void ffm::buildLowerToLLVMPipeline(OpPassManager &pm) {
  if (failed(parsePassPipeline(kLowerToLLVM, pm)))
    llvm::report_fatal_error("ffm: the built-in lowering pipeline does not "
                             "parse");
}

void ffm::buildFFMPipeline(OpPassManager &pm, const FFMFuseOptions &options,
                           bool lowerToLLVM) {
  pm.addNestedPass<func::FuncOp>(createFFMFuse(options));
  if (lowerToLLVM)
    buildLowerToLLVMPipeline(pm);
}

void ffm::registerFFMPipelines() {
  PassPipelineRegistration<>(
      "ffm-lower-to-llvm",
      "Bufferize, drop ffm memory spaces and lower to the LLVM dialect for "
      "mlir-runner",
      [](OpPassManager &pm) { buildLowerToLLVMPipeline(pm); });
}
