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
#include <cmath>
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
          return fusionKey(w.einsums[i], *acc, *m, a,
                           w.tensors[acc->tensor].shape);
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

  /// The Einsums' sums plus what the function's data movement ops move;
  /// returns the total printed.
  static std::pair<double, double> printTotal(llvm::raw_ostream &os,
                                              func::FuncOp func,
                                              const Workload &w,
                                              const Arch &arch, double energy,
                                              double latency) {
    Evaluation moves = evaluateMoves(func, arch);
    energy += moves.energy;
    latency += moves.latency;
    os << "total @" << w.name << ": energy " << llvm::format("%.10g", energy)
       << " pJ, latency " << llvm::format("%.10g", latency) << " cycles\n";
    return {energy, latency};
  }

  /// ffm-fuse records the totals it mapped a function at. Passes after it
  /// may change what the read-back sees without changing the result
  /// (scf-forall-to-for makes spread loops temporal; bufferization
  /// replaces the tensor moves the total counts by copies): say so rather
  /// than print other figures as if they were the mapping's.
  static void warnIfChanged(func::FuncOp func, double energy,
                            double latency) {
    auto mappedE = func->getAttrOfType<FloatAttr>("ffm.energy_pj");
    auto mappedL = func->getAttrOfType<FloatAttr>("ffm.latency_cycles");
    if (!mappedE || !mappedL)
      return;
    auto differs = [](double a, double b) {
      return std::abs(a - b) > 1e-9 * std::max(std::abs(a), std::abs(b));
    };
    double e = mappedE.getValueAsDouble(), l = mappedL.getValueAsDouble();
    if (!differs(e, energy) && !differs(l, latency))
      return;
    std::string figures;
    llvm::raw_string_ostream os(figures);
    os << llvm::format("%.10g", energy) << " pJ and "
       << llvm::format("%.10g", latency) << " cycles, not the "
       << llvm::format("%.10g", e) << " pJ and " << llvm::format("%.10g", l);
    emitWarning(func.getLoc(), "ffm-evaluate: the IR reads back as ")
        << figures
        << " cycles ffm-fuse mapped it at (ffm.energy_pj, "
           "ffm.latency_cycles): a pass since changed the loop trees or the "
           "moves between them (scf-forall-to-for makes spread loops "
           "temporal; bufferization turns tensor pads and slices into "
           "copies the total does not count; cse merges equal slices), or "
           "the architecture is not the one it was mapped on; evaluate "
           "before such passes";
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
    auto [total, cycles] = printTotal(os, func, w, **arch, energy, latency);
    warnIfChanged(func, total, cycles);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (MappingFromIR::isRewritten(func))
      return evaluateRewritten(func);
    // Rewritten by ffm-fuse, yet no marked tile is left: not a workload.
    if (func->hasAttr("ffm.energy_pj")) {
      emitError(func.getLoc(), "ffm-evaluate: ffm-fuse rewrote this function "
                     "(ffm.energy_pj), but no tile marked 'ffm.einsum' is "
                     "left to read its mapping back from: a pass since "
                     "(linalg-generalize-named-ops, convert-linalg-to-loops) "
                     "dropped the marks; evaluate before it");
      return signalPassFailure();
    }
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
