//===- FusePass.cpp - --ffm-fuse: search + rewrite + report ---------------===//
#include "ffm/Mapper/Mapper.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Rewrite.h"
#include "ffm/Transforms/Support.h"

#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/IR/Threading.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <mutex>

namespace ffm {
#define GEN_PASS_DEF_FFMFUSE
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {

/// Functions run in parallel; the report of each path gathers all of them.
struct ReportRegistry {
  std::mutex mutex;
  std::map<std::string, std::map<std::string, llvm::json::Value>> files;

  LogicalResult add(StringRef path, StringRef function, llvm::json::Value entry,
                    std::string &error) {
    std::lock_guard<std::mutex> lock(mutex);
    auto &functions = files[path.str()];
    functions.insert_or_assign(function.str(), std::move(entry));
    llvm::json::Array list;
    for (auto &[name, value] : functions)
      list.push_back(value);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      error = ec.message();
      return failure();
    }
    os << llvm::formatv("{0:2}\n", llvm::json::Value(llvm::json::Object{
                                       {"functions", std::move(list)}}));
    return success();
  }
};
ReportRegistry &reports() {
  static ReportRegistry registry;
  return registry;
}

llvm::json::Object accessesJson(const Workload &w, const Einsum &e,
                                const Arch &arch, const Evaluation &ev) {
  llvm::json::Object perLevel;
  auto accesses = e.accesses();
  for (size_t l = 0; l < arch.levels.size(); ++l) {
    llvm::json::Object perTensor;
    for (size_t a = 0; a < accesses.size(); ++a) {
      const Accesses &acc = ev.accesses[a][l];
      if (acc.reads == 0 && acc.writes == 0)
        continue;
      perTensor[w.tensors[accesses[a]->tensor].name] =
          llvm::json::Object{{"reads", acc.reads}, {"writes", acc.writes}};
    }
    if (!perTensor.empty())
      perLevel[arch.levels[l].name] = std::move(perTensor);
  }
  return perLevel;
}

struct FusePass : ffm::impl::FFMFuseBase<FusePass> {
  using Base::Base;

  // The rewrite tiles linalg ops through TilingInterface, whose linalg
  // implementation is an external model: a host compiler that registered
  // only the dialects would otherwise crash inside the tiling.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    linalg::registerTilingInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SearchOptions options;
    if (!parseObjective(objective, options.objective)) {
      emitError(func.getLoc(), "ffm-fuse: unknown objective '")
          << objective << "' (expected energy, latency or edp)";
      return signalPassFailure();
    }
    if (searchMode != "ffm" && searchMode != "exhaustive") {
      emitError(func.getLoc(), "ffm-fuse: unknown search '")
          << searchMode << "' (expected ffm or exhaustive)";
      return signalPassFailure();
    }
    if (maxPmappings == 0 || timeLimit < 0) {
      emitError(func.getLoc(), "ffm-fuse: max-pmappings must be positive and "
                               "time-limit non-negative");
      return signalPassFailure();
    }
    options.exhaustive = searchMode == "exhaustive";
    options.maxPmappings = maxPmappings;
    options.timeLimitSeconds = timeLimit;
    options.maxFusedLoopsPerRank = maxFusedLoopsPerRank;
    MLIRContext *ctx = &getContext();
    options.parallelFor = [ctx](size_t n,
                                const std::function<void(size_t)> &body) {
      mlir::parallelFor(ctx, 0, n, body);
    };

    if (func.isExternal())
      return;
    FailureOr<std::optional<PassInputs>> inputs =
        preparePass(func, archFile, "ffm-fuse", "function left unchanged",
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
    if (w.einsums.empty())
      return;

    SearchResult result = search(w, arch, options);
    if (!result.ok()) {
      // At the function's location, without dumping the whole function.
      emitError(func.getLoc(), "ffm-fuse: ") << result.error;
      return signalPassFailure();
    }
    numCandidates += result.stats.candidates;
    numPmappings += result.stats.pmappings;
    numKept += result.stats.kept;
    numGroups += result.stats.groups;
    maxFrontier = std::max<uint64_t>(maxFrontier, result.stats.maxFrontier);
    for (auto &g : result.groups)
      numFusionGroups += g.size() > 1;

    if (!report.empty() && failed(writeReport(func, w, arch, options, result)))
      return signalPassFailure();
    if (!rewrite) {
      annotateWithMapping(graph, arch, result);
      return;
    }
    Builder b(ctx);
    func->setAttr("ffm.energy_pj", b.getF64FloatAttr(result.energy));
    func->setAttr("ffm.latency_cycles", b.getF64FloatAttr(result.latency));
    if (failed(rewriteToMapping(func, graph, arch, result)))
      return signalPassFailure();
  }

  LogicalResult writeReport(func::FuncOp func, const Workload &w,
                            const Arch &arch, SearchOptions options,
                            const SearchResult &result) {
    std::optional<std::pair<double, double>> unfused = result.unfused;
    if (!unfused) {
      options.allowFusion = false;
      SearchResult alone = search(w, arch, options);
      if (alone.ok())
        unfused = {alone.energy, alone.latency};
    }
    llvm::json::Array groups, einsums;
    for (auto &g : result.groups) {
      llvm::json::Array names;
      for (int i : g)
        names.push_back(w.einsums[i].name);
      groups.push_back(std::move(names));
    }
    for (auto [i, er] : llvm::enumerate(result.einsums)) {
      const Einsum &e = w.einsums[i];
      llvm::json::Array placement;
      auto accesses = e.accesses();
      for (const MapNode &n : er.mapping.nodes)
        if (n.kind == MapNode::Keep)
          placement.push_back(llvm::json::Object{
              {"tensor", w.tensors[accesses[n.access]->tensor].name},
              {"level", arch.levels[n.level].name}});
      einsums.push_back(
          llvm::json::Object{{"name", e.name},
                             {"op", e.opName},
                             {"mapping", er.mapping.str(w, e, arch)},
                             {"placement", std::move(placement)},
                             {"energy_pj", er.eval.energy},
                             {"latency_cycles", er.eval.latency},
                             {"accesses", accessesJson(w, e, arch, er.eval)}});
    }
    const SearchStats &st = result.stats;
    llvm::json::Object entry{
        {"name", w.name},
        {"energy_pj", result.energy},
        {"latency_cycles", result.latency},
        {"objective", objective},
        {"search", searchMode},
        {"fusion_groups", std::move(groups)},
        {"einsums", std::move(einsums)},
        {"stats",
         llvm::json::Object{{"candidates", (int64_t)st.candidates},
                            {"pmappings", (int64_t)st.pmappings},
                            {"kept", (int64_t)st.kept},
                            {"compatibility_groups", (int64_t)st.groups},
                            {"joinable_groups", (int64_t)st.joinableGroups},
                            {"max_frontier", (int64_t)st.maxFrontier},
                            {"search_steps", (int64_t)st.steps},
                            {"generation_passes", (int64_t)st.generationPasses},
                            {"mapspace_log10", st.mapspaceLog10},
                            {"generate_seconds", st.generateSeconds},
                            {"join_seconds", st.joinSeconds}}}};
    if (unfused)
      entry["unfused"] = llvm::json::Object{{"energy_pj", unfused->first},
                                            {"latency_cycles", unfused->second}};
    std::string error;
    if (failed(reports().add(report, w.name, std::move(entry), error)))
      return emitError(func.getLoc(), "ffm-fuse: cannot write report '")
             << report << "': " << error;
    return success();
  }
};
} // namespace
