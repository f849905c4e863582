//===- EvaluatePass.cpp - --ffm-evaluate ----------------------------------===//
#include "ffm/Mapper/Mapper.h"
#include "ffm/Model/Model.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/MappingFromIR.h"
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Support.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <mutex>

namespace ffm {
#define GEN_PASS_DEF_FFMEVALUATE
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {
/// Writes one function's lines to stdout in one piece: the pass manager
/// evaluates functions in parallel, and their lines must not interleave.
static void writeWhole(llvm::StringRef text) {
  static std::mutex stdoutMutex;
  std::lock_guard<std::mutex> lock(stdoutMutex);
  llvm::outs() << text;
  llvm::outs().flush();
}

struct EvaluatePass : ffm::impl::FFMEvaluateBase<EvaluatePass> {
  using Base::Base;

  /// Producer and consumers of an intermediate kept on chip must share the
  /// same fused loops above it (or both keep it in DRAM).
  LogicalResult checkFusedLoops(const EinsumGraphAnalysis &graph,
                                const Arch &arch) {
    const Workload &w = graph.getWorkload();
    auto keyOf =
        [&](int i,
            int tensor) -> std::optional<std::optional<std::vector<int64_t>>> {
      auto attr = graph.getOps()[i]->getAttrOfType<MappingAttr>("ffm.mapping");
      if (!attr)
        return std::nullopt;
      FailureOr<Mapping> m = fromAttr(attr, w, i, arch, graph.getOps()[i]);
      auto accesses = w.einsums[i].accesses();
      for (auto [a, acc] : llvm::enumerate(accesses))
        if (acc->tensor == tensor && succeeded(m))
          return fusionKey(w.einsums[i], *acc, *m, a);
      return std::nullopt;
    };
    bool ok = true;
    for (const Edge &edge : w.edges) {
      if (edge.throughReshape)
        continue;
      auto producer = keyOf(edge.producer, edge.tensor);
      auto consumer = keyOf(edge.consumer, edge.tensor);
      if (!producer || !consumer || *producer == *consumer)
        continue;
      graph.getOps()[edge.consumer]->emitError("ffm: intermediate '")
          << w.tensors[edge.tensor].name
          << "' is stored or fused differently by its producer '"
          << w.einsums[edge.producer].name << "' and this consumer";
      ok = false;
    }
    return success(ok);
  }

  /// Prints one Einsum's figures and per-level accesses.
  static void print(llvm::raw_ostream &os, const Workload &w, int i,
                    const Arch &arch, const Evaluation &ev) {
    const Einsum &e = w.einsums[i];
    os << "einsum " << e.name << ": energy "
       << llvm::format("%.10g", ev.energy) << " pJ, latency "
       << llvm::format("%.10g", ev.latency) << " cycles, macs "
       << llvm::format("%.10g", ev.macs) << "\n";
    auto accesses = e.accesses();
    for (size_t l = 0; l < arch.levels.size(); ++l)
      for (size_t a = 0; a < accesses.size(); ++a) {
        const Accesses &acc = ev.accesses[a][l];
        if (acc.reads == 0 && acc.writes == 0)
          continue;
        os << "  " << arch.levels[l].name << " "
           << w.tensors[accesses[a]->tensor].name << ": reads "
           << llvm::format("%.10g", acc.reads) << " writes "
           << llvm::format("%.10g", acc.writes) << "\n";
      }
  }

  /// The Einsums' sums plus what the function's data movement ops move.
  static void printTotal(llvm::raw_ostream &os, func::FuncOp func,
                         const Workload &w, const Arch &arch, double energy,
                         double latency) {
    Evaluation moves = evaluateMoves(func, arch);
    energy += moves.energy;
    latency += moves.latency;
    os << "total @" << w.name << ": energy " << llvm::format("%.10g", energy)
       << " pJ, latency " << llvm::format("%.10g", latency) << " cycles\n";
  }

  /// --ffm-fuse output: the mapping is what the loop trees are.
  void evaluateRewritten(func::FuncOp func) {
    FailureOr<std::optional<Arch>> arch =
        lookupArchOrRemark(func, archFile, "ffm-evaluate", "nothing evaluated");
    if (failed(arch))
      return signalPassFailure();
    if (!*arch)
      return;
    MappingFromIR recovered(func, **arch);
    if (!recovered.isValid())
      return signalPassFailure();
    const Workload &w = recovered.getWorkload();
    Builder b(&getContext());
    double energy = 0, latency = 0;
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::scope_exit whole([&] { writeWhole(text); });
    for (auto [i, rec] : llvm::enumerate(recovered.getEinsums())) {
      Evaluation ev = recovered.evaluate(i, **arch);
      if (!ev.ok()) {
        rec.tile->emitError("ffm: the loop tree around this tile is not a "
                            "valid mapping: ")
            << ev.error;
        return signalPassFailure();
      }
      energy += ev.energy;
      latency += ev.latency;
      rec.tile->setAttr("ffm.energy_pj", b.getF64FloatAttr(ev.energy));
      rec.tile->setAttr("ffm.latency_cycles", b.getF64FloatAttr(ev.latency));
      print(os, w, i, **arch, ev);
    }
    printTotal(os, func, w, **arch, energy, latency);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (MappingFromIR::isRewritten(func))
      return evaluateRewritten(func);
    FailureOr<std::optional<PassInputs>> inputs =
        preparePass(func, archFile, "ffm-evaluate", "nothing evaluated",
                    [&]() -> EinsumGraphAnalysis & {
                      return getAnalysis<EinsumGraphAnalysis>();
                    });
    if (failed(inputs))
      return signalPassFailure();
    if (!*inputs)
      return;
    const Arch &arch = (*inputs)->arch;
    EinsumGraphAnalysis &graph = *(*inputs)->graph;
    const Workload &w = graph.getWorkload();
    Builder b(&getContext());
    double energy = 0, latency = 0;
    bool any = false, failedAny = false;
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::scope_exit whole([&] { writeWhole(text); });
    for (auto [i, op] : llvm::enumerate(graph.getOps())) {
      Attribute attr = op->getAttr("ffm.mapping");
      if (!attr)
        continue;
      auto mappingAttr = dyn_cast<MappingAttr>(attr);
      if (!mappingAttr) {
        op->emitError("ffm: 'ffm.mapping' must be an #ffm.mapping attribute");
        failedAny = true;
        continue;
      }
      FailureOr<Mapping> mapping = fromAttr(mappingAttr, w, i, arch, op);
      if (failed(mapping)) {
        failedAny = true;
        continue;
      }
      Evaluation ev =
          evaluate(w, i, arch, *mapping, onChipAccesses(w, i, *mapping));
      if (!ev.ok()) {
        op->emitError("ffm: invalid mapping: ") << ev.error;
        failedAny = true;
        continue;
      }
      any = true;
      energy += ev.energy;
      latency += ev.latency;
      op->setAttr("ffm.energy_pj", b.getF64FloatAttr(ev.energy));
      op->setAttr("ffm.latency_cycles", b.getF64FloatAttr(ev.latency));
      print(os, w, i, arch, ev);
    }
    if (!failedAny)
      failedAny = failed(checkFusedLoops(graph, arch));
    if (failedAny)
      return signalPassFailure();
    if (any)
      printTotal(os, func, w, arch, energy, latency);
    markAllAnalysesPreserved();
  }
};
} // namespace
