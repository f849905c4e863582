//===- Pipelines.cpp - --ffm-lower-to-llvm and --ffm-erase-memory-spaces --===//
#include "ffm/Transforms/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
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
      // A spread loop's fanout is its scf.forall's (inherent) mapping.
      if (auto forall = dyn_cast<scf::ForallOp>(op);
          forall && forall.getMapping() &&
          llvm::any_of(*forall.getMapping(), [](Attribute a) {
            return isa<FFMDialect>(a.getDialect());
          }))
        forall.setMappingAttr(ArrayAttr());
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

LogicalResult ffm::buildLowerToLLVMPipeline(OpPassManager &pm,
                                            llvm::raw_ostream &errors) {
  // The pipeline bufferizes whole modules: nested in a function (or any
  // other op) its module passes do not fit, which the parser reports.
  return parsePassPipeline(kLowerToLLVM, pm, errors);
}

LogicalResult ffm::buildFFMPipeline(OpPassManager &pm,
                                    const FFMFuseOptions &options,
                                    bool lowerToLLVM,
                                    llvm::raw_ostream &errors) {
  pm.addNestedPass<func::FuncOp>(createFFMFuse(options));
  if (!lowerToLLVM)
    return success();
  return buildLowerToLLVMPipeline(pm, errors);
}

void ffm::registerFFMPipelines() {
  // Registered by hand, not with PassPipelineRegistration<>, whose builder
  // cannot report an error, and which rejects an option without a word.
  registerPassPipeline(
      "ffm-lower-to-llvm",
      "Bufferize, drop ffm memory spaces and lower to the LLVM dialect for "
      "mlir-runner",
      [](OpPassManager &pm, StringRef options,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        if (!options.empty())
          return errorHandler("ffm-lower-to-llvm takes no options, got '" +
                              options + "'");
        std::string why;
        llvm::raw_string_ostream os(why);
        if (failed(buildLowerToLLVMPipeline(pm, os)))
          return errorHandler("ffm-lower-to-llvm runs on a builtin.module, "
                              "not nested in '" +
                              pm.getOpAnchorName() + "' (" +
                              StringRef(why).split('\n').first + ")");
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)>) {});
}
