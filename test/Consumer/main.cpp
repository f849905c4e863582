// Embeds ffm-mlir the way a compiler would: the search as a library call on
// IR-free types, and the passes appended to the compiler's own pipeline.
#include "ffm/Dialect/FFMDialect.h"
#include "ffm/Mapper/Mapper.h"
#include "ffm/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    llvm::errs() << "usage: ffm-consumer INPUT.mlir ARCH.yaml REPORT.json\n";
    return 2;
  }
  // 1. The decision only: a 32x32x32 matmul on the YAML architecture.
  llvm::Expected<ffm::Arch> arch = ffm::loadArchYaml(argv[2]);
  if (!arch) {
    llvm::errs() << llvm::toString(arch.takeError()) << "\n";
    return 1;
  }
  ffm::Workload w;
  w.name = "mm";
  w.tensors = {{"A", {32, 32}}, {"B", {32, 32}}, {"C", {32, 32}}};
  w.tensors[2].producer = 0;
  w.tensors[2].isOutput = true;
  w.einsums.push_back({"mm", "matmul", {{"m", 32}, {"n", 32}, {"k", 32}},
                       {{0, {0, 2}}, {1, {2, 1}}}, {2, {0, 1}}});
  w.buildEdges();
  ffm::SearchResult r = ffm::search(w, *arch);
  if (!r.ok()) {
    llvm::errs() << r.error << "\n";
    return 1;
  }
  llvm::outs() << "search: energy " << r.energy << " pJ, mapping "
               << r.einsums[0].mapping.str(w, w.einsums[0], *arch) << "\n";

  // 2. The rewrite inside the host compiler's pass manager.
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::tensor::TensorDialect, mlir::arith::ArithDialect>();
  ffm::registerFFMDialects(registry);
  mlir::MLIRContext ctx(registry);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &ctx);
  if (!module)
    return 1;
  ffm::FFMFuseOptions options;
  options.archFile = argv[2];
  options.objective = "edp";
  options.report = argv[3];
  auto run = [&](mlir::ModuleOp m) {
    mlir::PassManager pm(&ctx);
    return mlir::succeeded(ffm::buildFFMPipeline(pm, options)) &&
           mlir::succeeded(pm.run(m));
  };
  if (!run(*module))
    return 1;
  int rewritten = 0;
  module->walk([&](mlir::Operation *op) {
    rewritten += op->hasAttr("ffm.mapping");
  });
  llvm::outs() << "pipeline: " << rewritten << " ops carry a mapping\n";

  // 3. Another module through the same options: its report holds its own
  // functions, not the first module's too.
  auto other = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @other(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>,
                     %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
      %0 = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>)
                         outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
      return %0 : tensor<16x16xf32>
    })mlir",
                                                       &ctx);
  if (!other || !run(*other))
    return 1;
  auto text = llvm::MemoryBuffer::getFile(argv[3]);
  if (!text)
    return 1;
  llvm::Expected<llvm::json::Value> report =
      llvm::json::parse((*text)->getBuffer());
  if (!report)
    return 1;
  llvm::outs() << "second report:";
  if (auto *functions = report->getAsObject()->getArray("functions"))
    for (const llvm::json::Value &f : *functions)
      llvm::outs() << " " << *f.getAsObject()->getString("name");
  llvm::outs() << "\n";

  // 4. Typed options with no arch file: the function's own #ffm.arch is
  // used (an empty archFile is no file named, unlike `arch-file=` text).
  auto attributed = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @own(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>,
                   %c: tensor<8x8xf32>) -> tensor<8x8xf32> attributes {
        ffm.arch = #ffm.arch<levels = [
          #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0>,
          #ffm.level<name = "Buffer", capacity = 4096, read_energy = 1.0,
                     write_energy = 1.0>],
          compute = <mac_energy = 1.0, instances = 1, throughput = 1.0>>} {
      %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>)
                         outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
      return %0 : tensor<8x8xf32>
    })mlir",
                                                            &ctx);
  options.archFile = "";
  options.report = "";
  if (!attributed || !run(*attributed))
    return 1;
  int own = 0;
  attributed->walk([&](mlir::Operation *op) {
    own += op->hasAttr("ffm.mapping");
  });
  llvm::outs() << "own arch: " << own << " ops carry a mapping\n";
  return 0;
}
