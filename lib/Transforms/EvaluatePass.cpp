//===- EvaluatePass.cpp - --ffm-evaluate ----------------------------------===//
#include "ffm/Mapper/Mapper.h"
#include "ffm/Model/Model.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Support.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace ffm {
#define GEN_PASS_DEF_FFMEVALUATE
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {
struct EvaluatePass : ffm::impl::FFMEvaluateBase<EvaluatePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    FailureOr<std::optional<Arch>> arch = lookupArch(func, archFile);
    if (failed(arch))
      return signalPassFailure();
    if (!*arch) {
      func.emitRemark("ffm-evaluate: no architecture (no #ffm.arch attribute "
                      "and no arch-file); nothing evaluated");
      return;
    }
    auto &graph = getAnalysis<EinsumGraphAnalysis>();
    if (!graph.isValid())
      return signalPassFailure();
    const Workload &w = graph.getWorkload();
    Builder b(&getContext());
    double energy = 0, latency = 0;
    bool any = false, failedAny = false;
    llvm::raw_ostream &os = llvm::outs();
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
      FailureOr<Mapping> mapping = fromAttr(mappingAttr, w, i, **arch, op);
      if (failed(mapping)) {
        failedAny = true;
        continue;
      }
      Evaluation ev = evaluate(w, i, **arch, *mapping,
                               onChipAccesses(w, i, *mapping));
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
      const Einsum &e = w.einsums[i];
      os << "einsum " << e.name << ": energy "
         << llvm::format("%.10g", ev.energy) << " pJ, latency "
         << llvm::format("%.10g", ev.latency) << " cycles, macs "
         << llvm::format("%.10g", ev.macs) << "\n";
      auto accesses = e.accesses();
      for (size_t l = 0; l < arch->value().levels.size(); ++l)
        for (size_t a = 0; a < accesses.size(); ++a) {
          const Accesses &acc = ev.accesses[a][l];
          if (acc.reads == 0 && acc.writes == 0)
            continue;
          os << "  " << arch->value().levels[l].name << " "
             << w.tensors[accesses[a]->tensor].name << ": reads "
             << llvm::format("%.10g", acc.reads) << " writes "
             << llvm::format("%.10g", acc.writes) << "\n";
        }
    }
    if (failedAny)
      return signalPassFailure();
    if (any)
      os << "total @" << w.name << ": energy " << llvm::format("%.10g", energy)
         << " pJ, latency " << llvm::format("%.10g", latency) << " cycles\n";
    markAllAnalysesPreserved();
  }
};
} // namespace
