//===- FusePass.cpp - --ffm-fuse: search + rewrite + report ---------------===//
#include "ffm/Mapper/Mapper.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/FoldReshapes.h"
#include "ffm/Transforms/MappingFromIR.h"
#include "ffm/Transforms/Passes.h"
#include "ffm/Transforms/Rewrite.h"
#include "ffm/Transforms/Specialize.h"
#include "ffm/Transforms/Support.h"

#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/IR/Threading.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

namespace ffm {
#define GEN_PASS_DEF_FFMFUSE
#include "ffm/Transforms/Passes.h.inc"
} // namespace ffm

using namespace mlir;
using namespace ffm;

namespace {

/// Whether two output paths name one file, which the second write would
/// overwrite: one existing file, or the same path once absolute and without
/// dots (a file not written yet). Devices and pipes (/dev/null,
/// /dev/stdout) take both writes.
bool oneFile(StringRef a, StringRef b) {
  namespace fs = llvm::sys::fs;
  if (a == "-" || b == "-")
    return false;
  fs::file_status status;
  if (!fs::status(a, status) && fs::exists(status) &&
      !fs::is_regular_file(status))
    return false;
  bool equivalent = false;
  if (!fs::equivalent(a, b, equivalent))
    return equivalent;
  SmallString<256> x(a), y(b);
  if (fs::make_absolute(x) || fs::make_absolute(y))
    return a == b;
  llvm::sys::path::remove_dots(x, /*remove_dot_dot=*/true);
  llvm::sys::path::remove_dots(y, /*remove_dot_dot=*/true);
  return x == y;
}

/// A level's spatial_ranks that name no rank of any of the function's
/// Einsums leave its fanout unused here: a typo (or an architecture meant
/// for other workloads) that would otherwise go unnoticed. A warning, not
/// an error: one architecture serves many functions.
void warnUnmatchedSpatialRanks(func::FuncOp func, const Workload &w,
                               const Arch &arch) {
  std::set<std::string> ranks;
  for (const Einsum &e : w.einsums)
    for (const RankVar &r : e.ranks)
      ranks.insert(r.name);
  for (const Level &level : arch.levels) {
    if (level.spatialRanks.empty() ||
        llvm::any_of(level.spatialRanks,
                     [&](const std::string &r) { return ranks.count(r); }))
      continue;
    emitWarning(func.getLoc(), "ffm-fuse: level '")
        << level.name << "': spatial_ranks ["
        << llvm::join(level.spatialRanks, ", ")
        << "] names no rank of this function's Einsums ("
        << llvm::join(ranks, ", ") << "), so its fanout stays unused";
  }
}

/// Functions run in parallel: each output file (a report's JSON entries, a
/// looptree's DOT text) gathers every function's part, by name, and is
/// rewritten whole under one lock, so no function's part is lost to
/// another's write. A file gathers the functions under one root op (the
/// module the pass manager runs on, nested modules included): a run on
/// another one (a host compiler maps many modules in one process; each
/// chunk of --split-input-file is one) starts it afresh instead of keeping
/// the last one's parts. The root is known by its address, which a module
/// allocated where a freed one was would share.
template <typename Part> struct OutputRegistry {
  using Parts = std::map<std::string, Part>;
  struct File {
    Operation *root = nullptr; // whose functions it gathers
    Parts parts;
  };
  std::mutex mutex;
  std::map<std::string, File> files;

  /// Records `function`'s `part` of `path` (none: only that its root's
  /// run writes the file) and rewrites the file, which `render` writes
  /// from all of its parts in name order.
  LogicalResult
  add(StringRef path, func::FuncOp function, std::optional<Part> part,
      llvm::function_ref<void(llvm::raw_ostream &, const Parts &)> render,
      std::string &error) {
    std::lock_guard<std::mutex> lock(mutex);
    File &file = files[path.str()];
    Operation *root = function;
    while (Operation *parent = root->getParentOp())
      root = parent;
    if (file.root != root) {
      file.root = root;
      file.parts.clear();
    }
    if (part)
      file.parts.insert_or_assign(function.getSymName().str(),
                                  std::move(*part));
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      error = ec.message();
      return failure();
    }
    render(os, file.parts);
    if (std::optional<std::string> failed = finishOutput(os, path)) {
      error = *failed;
      return failure();
    }
    return success();
  }
};
/// One registry per kind of output: a path names one file of either.
template <typename Part> OutputRegistry<Part> &outputs() {
  static OutputRegistry<Part> registry;
  return registry;
}

/// A report: every function's entry, in name order.
void renderReport(llvm::raw_ostream &os,
                  const OutputRegistry<llvm::json::Value>::Parts &parts) {
  llvm::json::Array list;
  for (const auto &[name, part] : parts)
    list.push_back(part);
  os << llvm::formatv("{0:2}\n", llvm::json::Value(llvm::json::Object{
                                     {"functions", std::move(list)}}));
}

/// A looptree: one digraph per function, in name order (dot draws each).
void renderLoopTree(llvm::raw_ostream &os,
                    const OutputRegistry<std::string>::Parts &parts) {
  for (const auto &[name, part] : parts)
    os << part;
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

  static LogicalResult cannotWrite(func::FuncOp func, StringRef what,
                                   StringRef path, StringRef error) {
    return emitError(func.getLoc(), "ffm-fuse: cannot write ")
           << what << " '" << path << "': " << error;
  }

  LogicalResult claimOutputs(func::FuncOp func) {
    std::string error;
    if (!report.empty() && report != "-" &&
        failed(outputs<llvm::json::Value>().add(report, func, std::nullopt,
                                                renderReport, error)))
      return cannotWrite(func, "report", report, error);
    if (!looptree.empty() && looptree != "-" &&
        failed(outputs<std::string>().add(looptree, func, std::nullopt,
                                          renderLoopTree, error)))
      return cannotWrite(func, "looptree", looptree, error);
    return success();
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
    if (!std::isfinite(timeLimit)) {
      emitError(func.getLoc(), "ffm-fuse: time-limit must be a finite "
                               "number of seconds (0: no limit), got ")
          << (std::isnan(timeLimit) ? "nan" : timeLimit > 0 ? "inf" : "-inf");
      return signalPassFailure();
    }
    if (maxPmappings == 0) {
      emitError(func.getLoc(), "ffm-fuse: max-pmappings must be positive");
      return signalPassFailure();
    }
    if (timeLimit < 0) {
      emitError(func.getLoc(), "ffm-fuse: time-limit must be non-negative "
                               "(0: no limit), got ")
          << timeLimit;
      return signalPassFailure();
    }
    if (maxMemoryMB < 0) {
      emitError(func.getLoc(),
                "ffm-fuse: max-memory-mb must be non-negative (0: 80% of the "
                "machine's or its cgroup's memory), got ")
          << static_cast<int64_t>(maxMemoryMB);
      return signalPassFailure();
    }
    // Signed, so that a negative value reaches this check and gets a
    // located diagnostic rather than the option parser's bare message.
    if (maxFusedLoopsPerRank < 0) {
      emitError(func.getLoc(), "ffm-fuse: max-fused-loops-per-rank must be "
                               "non-negative (0: any number), got ")
          << static_cast<int>(maxFusedLoopsPerRank);
      return signalPassFailure();
    }
    if (maxFusedLoops < 0) {
      emitError(func.getLoc(), "ffm-fuse: max-fused-loops must be "
                               "non-negative (0: any number), got ")
          << static_cast<int>(maxFusedLoops);
      return signalPassFailure();
    }
    if (maxSpatialRanksPerDim < 1 || maxSpatialRanksPerDim > 4) {
      emitError(func.getLoc(), "ffm-fuse: max-spatial-ranks-per-dim must be "
                               "between 1 and 4, got ")
          << static_cast<int>(maxSpatialRanksPerDim);
      return signalPassFailure();
    }
    // Both read the rewritten IR back: without a rewrite they would do
    // nothing, silently.
    if (!rewrite && (verify || !looptree.empty())) {
      emitError(func.getLoc(), "ffm-fuse: verify=true and looptree= read "
                               "the rewritten IR back: they need "
                               "rewrite=true");
      return signalPassFailure();
    }
    // One file for both: the DOT would overwrite the report.
    if (!report.empty() && !looptree.empty() && oneFile(report, looptree)) {
      emitError(func.getLoc(), "ffm-fuse: report= and looptree= name the "
                               "same file '")
          << looptree << "'";
      return signalPassFailure();
    }
    SmallVector<int64_t> optionSizes;
    if (!dimSizes.empty() && !parseDimSizes(dimSizes, optionSizes)) {
      emitError(func.getLoc(), "ffm-fuse: dim-sizes must be a "
                               "comma-separated list of positive sizes, got '")
          << dimSizes << "'";
      return signalPassFailure();
    }
    options.maxSpatialRanksPerDim = maxSpatialRanksPerDim;
    options.exhaustive = searchMode == "exhaustive";
    options.maxPmappings = maxPmappings;
    options.timeLimitSeconds = timeLimit;
    options.maxMemoryMB = maxMemoryMB;
    options.maxFusedLoopsPerRank = maxFusedLoopsPerRank;
    options.maxFusedLoops = maxFusedLoops;
    options.nodeDepths = nodeDepths;
    options.haloFusion = haloFusion;
    MLIRContext *ctx = &getContext();
    options.parallelFor = [ctx](size_t n,
                                const std::function<void(size_t)> &body) {
      mlir::parallelFor(ctx, 0, n, body);
    };

    if (func.isExternal())
      return;
    // Every function of a run owns the output files, mapped or not: a run
    // that maps none must not leave another run's results in them (and an
    // unwritable path is told before the search).
    if (failed(claimOutputs(func)))
      return signalPassFailure();
    // Its ops are the mapping's loops and buffers now, which would read as
    // unsupported ops: say what happened instead (without an architecture
    // it is left unchanged with a remark, as any function is).
    if (func->hasAttr("ffm.energy_pj")) {
      FailureOr<std::optional<Arch>> arch = lookupArch(func, archFile);
      if (failed(arch))
        return signalPassFailure(); // reported
      if (*arch) {
        emitError(func.getLoc(), "ffm-fuse: function '")
            << func.getSymName()
            << "' was already rewritten by ffm-fuse (it carries "
               "ffm.energy_pj); run ffm-fuse on the linalg IR before its "
               "rewrite";
        return signalPassFailure();
      }
    }
    // Dynamic shapes are mapped at given sizes (where there is an
    // architecture to map on): the body is specialised now. The rewrite
    // walks dynamic ranks by their runtime extents where it can, and the
    // body then serves every size; otherwise it is guarded by a runtime
    // check of the sizes once mapped. Static functions read the
    // architecture once, in preparePass.
    SmallVector<int64_t> sizes;
    OwningOpRef<func::FuncOp> unspecialized;
    FailureOr<std::optional<Arch>> dynamicArch =
        hasDynamicArguments(func) ? lookupArch(func, archFile)
                                  : FailureOr<std::optional<Arch>>(std::nullopt);
    if (succeeded(dynamicArch) && *dynamicArch) {
      FailureOr<SmallVector<int64_t>> given = dynamicArgSizes(func, optionSizes);
      if (failed(given))
        return signalPassFailure();
      sizes = std::move(*given);
      if (!sizes.empty()) {
        unspecialized = specializeToSizes(func, sizes);
        // Sizes the ops tie together (a square matmul's M and K, a batch
        // shared by two arguments, a dimension equal to a static one) must
        // agree, or the specialised ops are invalid.
        if (failed(mlir::verify(func))) {
          emitError(func.getLoc(), "ffm-fuse: the sizes given to the "
                                   "dynamic dimensions (dim-sizes or "
                                   "ffm.dim_sizes) contradict the ops: "
                                   "dimensions they tie together must "
                                   "get equal sizes");
          return signalPassFailure();
        }
      }
    }
    llvm::scope_exit guard([&] {
      dropDynamicLoopMarks(func);
      if (unspecialized)
        versionOnSizes(func, *unspecialized, sizes);
    });
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
    // The output says what it was mapped on, so that --ffm-evaluate and a
    // reader need no copy of the file (an attribute in scope already says
    // it): on every function of the run, those with nothing to map too.
    if (!archFile.empty())
      func->setAttr(kArchAttr, ArchAttr::get(ctx, arch));
    const EinsumGraphAnalysis *graphPtr = (*inputs)->graph;
    if (graphPtr->getWorkload().einsums.empty())
      return;
    // The option is a default for every function of the run; one with
    // nothing dynamic that is about to be mapped is mapped at its own
    // sizes, which is worth a word where the option was meant for it.
    if (!hasDynamicArguments(func)) {
      auto unused = [&](StringRef given) {
        emitRemark(func.getLoc(), "ffm-fuse: ")
            << given << " not used for function '" << func.getSymName()
            << "': its arguments have no dynamic dimensions";
      };
      if (!optionSizes.empty())
        unused("dim-sizes");
      // So is the function's own attribute (left as it was).
      if (func->hasAttr(kDimSizesAttr))
        unused(kDimSizesAttr);
    }
    if (std::optional<size_t> i =
            unrunnableEinsum(graphPtr->getWorkload(), arch)) {
      const Einsum &e = graphPtr->getWorkload().einsums[*i];
      graphPtr->getOps()[*i]->emitError("ffm-fuse: no compute unit of the "
                                        "architecture runs this Einsum (")
          << kindNames(einsumKinds(e)) << ")";
      return signalPassFailure();
    }
    warnUnmatchedSpatialRanks(func, graphPtr->getWorkload(), arch);

    // time-limit bounds every search for the function together: the form
    // as written, its reruns with barriers, the folded form and the
    // report's unfused baseline.
    options.timeLimitFrom = std::chrono::steady_clock::now();
    SearchResult result = searchEmittable(*graphPtr, arch, options);
    // Reshapes that regroup dimensions between Einsums: the form with the
    // reshapes folded into the ops can fuse through them, the form as
    // written can tile the merged ranks more ways; the better mapping of
    // the two is kept. Not in a specialised body, whose ops carry which of
    // their loops were dynamic.
    std::optional<EinsumGraphAnalysis> foldedGraph;
    // The folded form gets what the first search left of the time limit,
    // and running out of it keeps the form as written.
    SearchOptions foldedOptions = options;
    // Only a better mapping replaces the form as written: its score bounds
    // the folded search, which stops once its floors cannot beat it.
    if (result.ok())
      foldedOptions.beat = result.score(options.objective);
    if (foldReshapes && !unspecialized && result.ok() && timeLeft(options) &&
        hasReshapesBetweenEinsums(func)) {
      OwningOpRef<func::FuncOp> folded = func.clone();
      foldReshapesIntoEinsums(*folded);
      std::optional<SearchResult> better;
      {
        // An op the graph cannot take once folded leaves the form as
        // written; it is no error of the input's.
        ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) {
          return success();
        });
        EinsumGraphAnalysis g(*folded);
        if (g.isValid() && !unrunnableEinsum(g.getWorkload(), arch)) {
          SearchResult r = searchEmittable(g, arch, foldedOptions);
          // The report's cost covers both forms' searches.
          if (r.ok() &&
              r.score(options.objective) < result.score(options.objective)) {
            r.stats.addCost(result.stats, /*sameEinsums=*/false);
            better = std::move(r);
          } else {
            result.stats.addCost(r.stats, /*sameEinsums=*/false);
          }
        }
      }
      if (better) {
        foldReshapesIntoEinsums(func);
        foldedGraph.emplace(func.getOperation());
        if (!foldedGraph->isValid() ||
            foldedGraph->getWorkload().einsums.size() !=
                better->einsums.size()) {
          emitError(func.getLoc(), "ffm-fuse: internal error: the function "
                                   "folded differently from its copy");
          return signalPassFailure();
        }
        result = std::move(*better);
        graphPtr = &*foldedGraph;
      }
    }
    const EinsumGraphAnalysis &graph = *graphPtr;
    const Workload &w = graph.getWorkload();
    if (!result.ok()) {
      // At the Einsum's op where the error is one Einsum's, else at the
      // function's location, without dumping the whole function.
      Location at = func.getLoc();
      if (result.failedEinsum >= 0 &&
          (size_t)result.failedEinsum < graph.getOps().size())
        at = graph.getOps()[result.failedEinsum]->getLoc();
      emitError(at, "ffm-fuse: ") << result.error;
      return signalPassFailure();
    }
    // What the ops left in place move through DRAM: the same for every
    // mapping, so charged once the mapping is chosen.
    Evaluation moves = evaluateMoves(func, arch);
    result.energy += moves.energy;
    result.latency += moves.latency;
    // Finite energies and bandwidths can still multiply past a double: no
    // mapping then scores, and none is better than another.
    bool scoreOverflows = !std::isfinite(result.energy) ||
                          !std::isfinite(result.latency);
    if (scoreOverflows || (options.objective == Objective::EDP &&
                           !std::isfinite(result.energy * result.latency))) {
      emitError(func.getLoc(), "ffm-fuse: the mapping's ")
          << (scoreOverflows ? "energy or latency overflows ("
                             : "energy-delay product overflows (")
          << result.energy << (scoreOverflows ? " pJ, " : " pJ x ")
          << result.latency
          << " cycles): the architecture's energies or bandwidths are too "
             "extreme to score";
      return signalPassFailure();
    }
    numCandidates += result.stats.candidates;
    numPmappings += result.stats.pmappings;
    numKept += result.stats.kept;
    numGroups += result.stats.groups;
    maxFrontier = std::max<uint64_t>(maxFrontier, result.stats.maxFrontier);
    for (auto &g : result.groups)
      numFusionGroups += g.size() > 1;

    if (!report.empty() &&
        failed(writeReport(func, w, arch, options, result, moves)))
      return signalPassFailure();
    if (!rewrite) {
      annotateWithMapping(graph, arch, result);
      return;
    }
    Builder b(ctx);
    func->setAttr("ffm.energy_pj", b.getF64FloatAttr(result.energy));
    func->setAttr("ffm.latency_cycles", b.getF64FloatAttr(result.latency));
    // The workload's names and accesses outlive the ops the rewrite erases.
    Workload original = w;
    std::optional<RankExtents> runtime;
    if (unspecialized)
      runtime = runtimeExtents(func, graph, result);
    if (failed(rewriteToMapping(func, graph, arch, result,
                                runtime ? &*runtime : nullptr)))
      return signalPassFailure();
    if (runtime) {
      // MappingFromIR reads the trip counts at the mapped sizes from here.
      func->setAttr(kDimSizesAttr, b.getDenseI64ArrayAttr(sizes));
      if (servesEverySize(func) && sizesOnlyShapeTensors(*unspecialized))
        unspecialized = nullptr; // no guard: one body for every size
    }
    if (!verify && looptree.empty())
      return;
    MappingFromIR recovered(func, arch);
    if (!recovered.isValid())
      return signalPassFailure();
    if (verify && failed(verifyRewrite(original, arch, result, recovered)))
      return signalPassFailure();
    if (!looptree.empty() && failed(writeLoopTree(func, arch, recovered)))
      return signalPassFailure();
  }

  /// The first Einsum no compute unit of `arch` runs, if any.
  static std::optional<size_t> unrunnableEinsum(const Workload &w,
                                                const Arch &arch) {
    for (auto [i, e] : llvm::enumerate(w.einsums))
      if (unitsFor(arch, e).empty())
        return i;
    return std::nullopt;
  }

  /// Whether the searches so far left some of the time limit (or there is
  /// none).
  static bool timeLeft(const SearchOptions &options) {
    return options.timeLimitSeconds <= 0 || !options.timeLimitFrom ||
           std::chrono::steady_clock::now() - *options.timeLimitFrom <
               std::chrono::duration<double>(options.timeLimitSeconds);
  }

  /// The search, again with a barrier at each read through DRAM inside a
  /// fusion group that the tree could not run after its producer (the
  /// mapspace does not see them), until every group can be emitted.
  SearchResult searchEmittable(const EinsumGraphAnalysis &graph,
                               const Arch &arch,
                               const SearchOptions &options) {
    const Workload &w = graph.getWorkload();
    SearchResult result = search(w, arch, options);
    std::optional<Workload> constrained; // a copy only once needed
    for (unsigned retry = 0; rewrite && result.ok() && retry < w.einsums.size();
         ++retry) {
      std::optional<int> reader = unemittableReader(graph, arch, result);
      if (!reader)
        break;
      if (!constrained)
        constrained.emplace(w);
      if (llvm::is_contained(constrained->barriers, *reader))
        break;
      constrained->barriers.push_back(*reader);
      SearchStats before = result.stats;
      result = search(*constrained, arch, options);
      result.stats.addCost(before, /*sameEinsums=*/true);
    }
    return result;
  }

  /// The runtime extents of the dynamic ranks, when loops over them serve
  /// every size: each Einsum must have a loop over each of its dynamic
  /// ranks (a rank mapped at size 1 has none, and its one-point tile would
  /// not cover a larger runtime extent).
  std::optional<RankExtents> runtimeExtents(func::FuncOp func,
                                            const EinsumGraphAnalysis &graph,
                                            const SearchResult &result) {
    std::optional<RankExtents> runtime = dynamicRankExtents(func, graph);
    if (!runtime)
      return std::nullopt;
    for (auto [i, extents] : llvm::enumerate(*runtime))
      for (auto [r, extent] : llvm::enumerate(extents))
        if (extent && llvm::none_of(result.einsums[i].mapping.nodes,
                                    [&](const MapNode &n) {
                                      return n.isLoop() && n.rank == (int)r;
                                    }))
          return std::nullopt;
    return runtime;
  }

  /// The IR read back must be the chosen mapping: node for node, with the
  /// same modelled figures, each tile run as often as its Einsum has
  /// iterations, and the same fusion groups.
  LogicalResult verifyRewrite(const Workload &w, const Arch &arch,
                              const SearchResult &result,
                              const MappingFromIR &recovered) {
    const Workload &rw = recovered.getWorkload();
    auto recoveredEinsums = recovered.getEinsums();
    if (rw.einsums.size() != w.einsums.size())
      return emitError(getOperation().getLoc(), "ffm-fuse: verify: the IR has ")
             << rw.einsums.size() << " Einsum tiles, the workload "
             << w.einsums.size();
    auto close = [](double a, double b) {
      return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
    };
    for (auto [i, rec] : llvm::enumerate(recoveredEinsums)) {
      const Einsum &e = w.einsums[i];
      Mapping want = canonicalKeeps(result.einsums[i].mapping);
      const auto &got = rec.mapping.nodes;
      if (rw.einsums[i].name != e.name)
        return rec.tile->emitError("ffm-fuse: verify: tile ")
               << i << " is '" << rw.einsums[i].name << "', expected '"
               << e.name << "'";
      for (size_t n = 0; n < std::max(got.size(), want.nodes.size()); ++n) {
        if (n < got.size() && n < want.nodes.size() &&
            got[n] == want.nodes[n].asRun())
          continue;
        auto node = [&](const Workload &ww, const Einsum &ee,
                        ArrayRef<MapNode> nodes) -> std::string {
          if (n >= nodes.size())
            return "nothing";
          return Mapping{{nodes[n]}}.str(ww, ee, arch);
        };
        return rec.tile->emitError("ffm-fuse: verify: the IR of '")
               << e.name << "' differs from its mapping at node " << n
               << ": the IR has '" << node(rw, rw.einsums[i], got)
               << "', the mapping '" << node(w, e, want.nodes) << "'";
      }
      Evaluation ev = recovered.evaluate(i, arch);
      const Evaluation &chosen = result.einsums[i].eval;
      if (!ev.ok() || !close(ev.energy, chosen.energy) ||
          !close(ev.latency, chosen.latency))
        return rec.tile->emitError("ffm-fuse: verify: the IR of '")
               << e.name << "' evaluates to "
               << (ev.ok() ? llvm::formatv("{0} pJ, {1} cycles", ev.energy,
                                           ev.latency)
                                 .str()
                           : ev.error)
               << ", the chosen mapping to " << chosen.energy << " pJ, "
               << chosen.latency << " cycles";
      // A halo loop recomputes its overlap: the tile runs as often as the
      // Einsum the model charges (haloEinsum), no more.
      // The executions are a product of doubles: exact up to 2^53, past
      // it equal within rounding (their factors multiply in other orders).
      Einsum charged = haloEinsum(e, want);
      std::optional<int64_t> work = charged.work();
      double iterations = 1;
      for (const RankVar &r : charged.ranks)
        iterations *= (double)r.bound;
      bool exact = work && *work <= (int64_t(1) << 53);
      if (exact ? rec.executions != (double)*work
                : !close(rec.executions, iterations))
        return rec.tile->emitError("ffm-fuse: verify: the tile of '")
               << e.name << "' runs " << llvm::formatv("{0:f0}", rec.executions)
               << " times, its Einsum has "
               << (work ? std::to_string(*work)
                        : llvm::formatv("{0:f0}", iterations).str())
               << " iterations";
    }
    std::vector<std::vector<int>> groups = result.groups;
    llvm::sort(groups);
    if (groups != recovered.getGroups())
      return emitError(getOperation().getLoc(),
                       "ffm-fuse: verify: the loop trees share loops or "
                       "buffers in other groups than the chosen fusion");
    return success();
  }

  /// Each group's LoopTree as read from the IR: loops, keep nodes per
  /// level and the Einsums' tiles as leaves; loops over several tiles are
  /// the fused ones.
  LogicalResult writeLoopTree(func::FuncOp func, const Arch &arch,
                              const MappingFromIR &recovered) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "digraph " << dotQuoted(func.getSymName())
       << " {\n  node [fontname=mono];\n";
    const Workload &rw = recovered.getWorkload();
    // Loops numbered as met, not by address: one input, one file.
    llvm::DenseMap<Operation *, size_t> loopIds;
    for (auto [g, group] : llvm::enumerate(recovered.getGroups())) {
      os << "  subgraph cluster_" << g << " { label=\"group " << g << "\";\n";
      // One path per Einsum, merged where the IR shares the loop.
      std::set<std::string> ids;
      for (int i : group) {
        const Einsum &e = rw.einsums[i];
        auto accesses = e.accesses();
        std::string parent = "g" + std::to_string(g);
        if (ids.insert(parent).second) {
          os << "    " << parent << " [label=\"root\", shape=point];\n";
        }
        Operation *tile = recovered.getEinsums()[i].tile;
        SmallVector<Operation *> loops = treeAncestors(tile, func);
        size_t depth = 0;
        for (const MapNode &n : recovered.getEinsums()[i].mapping.nodes) {
          std::string id, label, attrs;
          if (n.kind == MapNode::Keep) {
            id = parent + "_k" + std::to_string(n.access) + "_" +
                 std::to_string(i);
            label = "keep " + rw.tensors[accesses[n.access]->tensor].name + " in " +
                    arch.levels[n.level].name;
            attrs = ", shape=box";
          } else {
            Operation *loop = loops[depth++];
            id = "l" + std::to_string(
                           loopIds.try_emplace(loop, loopIds.size())
                               .first->second);
            bool fused = llvm::count_if(group, [&](int j) {
                           return loop->isAncestor(recovered.getEinsums()[j].tile);
                         }) > 1;
            label = (n.kind == MapNode::Spatial ? "par " : "for ") +
                    e.ranks[n.rank].name + " : " + std::to_string(n.factor);
            if (n.kind == MapNode::Spatial)
              label += " in " + arch.levels[n.level].name + "[" +
                       std::to_string(n.dim) + "]";
            if (fused)
              attrs = ", style=bold, color=red";
          }
          if (ids.insert(id).second) {
            os << "    " << id << " [label=" << dotQuoted(label) << attrs
               << "];\n    " << parent << " -> " << id << ";\n";
          }
          parent = id;
        }
        os << "    t" << i << " [label=" << dotQuoted(e.name)
           << ", shape=ellipse, style=filled];\n    " << parent << " -> t"
           << i << ";\n";
      }
      os << "  }\n";
    }
    os << "}\n";
    std::string error;
    if (failed(outputs<std::string>().add(looptree, func, std::move(text),
                                          renderLoopTree, error)))
      return cannotWrite(func, "looptree", looptree, error);
    return success();
  }

  LogicalResult writeReport(func::FuncOp func, const Workload &w,
                            const Arch &arch, SearchOptions options,
                            const SearchResult &result,
                            const Evaluation &moves) {
    std::optional<std::pair<double, double>> unfused = result.unfused;
    std::string baselineError;
    SearchStats st = result.stats;
    // Within the time limit only: past it the report has no baseline.
    if (!unfused && timeLeft(options)) {
      options.allowFusion = false;
      SearchResult alone = search(w, arch, options);
      if (alone.ok())
        unfused = {alone.energy, alone.latency};
      else
        baselineError = alone.error;
      // A search of the same Einsums too, for the baseline alone.
      st.addCost(alone.stats, /*sameEinsums=*/true);
    }
    // The unfused baseline leaves the same ops in place.
    if (unfused) {
      unfused->first += moves.energy;
      unfused->second += moves.latency;
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
      llvm::json::Object entry{{"name", e.name},
                               {"op", e.opName},
                               {"mapping", er.mapping.str(w, e, arch)},
                               {"placement", std::move(placement)},
                               {"energy_pj", er.eval.energy},
                               {"latency_cycles", er.eval.latency},
                               {"accesses", accessesJson(w, e, arch, er.eval)}};
      // Where the search spent its time (absent where it did not count).
      if (i < st.einsumSteps.size() && i < st.einsumSeconds.size()) {
        entry["search_steps"] = (int64_t)st.einsumSteps[i];
        entry["search_seconds"] = st.einsumSeconds[i];
      }
      einsums.push_back(std::move(entry));
    }
    llvm::json::Array passes;
    for (auto [steps, seconds] : st.passCosts)
      passes.push_back(llvm::json::Object{{"steps", (int64_t)steps},
                                          {"seconds", seconds}});
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
                            {"generation_passes", (int64_t)st.generationPasses()},
                            {"window_proofs", (int64_t)st.windowProofs},
                            {"window_reruns", (int64_t)st.windowReruns},
                            {"passes", std::move(passes)},
                            {"searches", (int64_t)st.searches},
                            {"mapspace_log10", st.mapspaceLog10},
                            {"generate_seconds", st.generateSeconds},
                            {"join_seconds", st.joinSeconds},
                            {"peak_rss_mb", (int64_t)peakResidentMB()}}}};
    if (unfused)
      entry["unfused"] = llvm::json::Object{{"energy_pj", unfused->first},
                                            {"latency_cycles", unfused->second}};
    // A baseline whose own search failed (a budget the fused search kept
    // within) is left out, and the report says why.
    if (!baselineError.empty()) {
      entry["unfused_error"] = baselineError;
      emitRemark(func.getLoc(), "ffm-fuse: the report of '")
          << func.getSymName()
          << "' has no unfused baseline: its search failed: " << baselineError;
    }
    std::string error;
    if (failed(outputs<llvm::json::Value>().add(report, func,
                                                std::move(entry), renderReport,
                                                error)))
      return cannotWrite(func, "report", report, error);
    return success();
  }
};
} // namespace
