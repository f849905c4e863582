//===- Search.cpp - the search: passes, joins, and the result ------------===//
//
// The invariant: ffm::search returns the optimum of the whole mapspace for
// the objective (or an error naming what failed or ran out). It runs the
// reference (every combination) or FFM's capped passes (Caps.cpp), whose
// narrowing loses no pmapping of an optimum; joinPmappings dispatches to
// the join for the objective (Join.cpp, EdpJoin.cpp, Exhaustive.cpp) and
// evaluates the mapping it picks afresh, so the result's figures are the
// model's, not the join's sums.
//
//===----------------------------------------------------------------------===//
#include "Join.h"
#include "Search.h"

#include "ffm/Model/Model.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <cmath>
#include <new>

using namespace ffm;
using namespace ffm::detail;

bool ffm::parseObjective(llvm::StringRef text, Objective &out) {
  std::optional<Objective> o = llvm::StringSwitch<std::optional<Objective>>(text)
                                   .Case("energy", Objective::Energy)
                                   .Case("latency", Objective::Latency)
                                   .Case("edp", Objective::EDP)
                                   .Default(std::nullopt);
  if (o)
    out = *o;
  return o.has_value();
}

double SearchResult::score(Objective objective) const {
  return scoreOf(objective, energy, latency);
}

std::vector<int> detail::interfaceTensors(const Workload &w,
                                          const std::vector<bool> &fusable,
                                          size_t i) {
  std::vector<int> tensors;
  for (const TensorAccess *a : w.einsums[i].accesses())
    if (fusable[a->tensor])
      tensors.push_back(a->tensor);
  return tensors;
}

std::vector<int> detail::neighbours(const Workload &w, int t, size_t i) {
  std::vector<int> all = w.tensors[t].consumers;
  all.push_back(w.tensors[t].producer);
  llvm::erase(all, (int)i);
  return all;
}

std::vector<bool> ffm::onChipAccesses(const Workload &w, int einsum,
                                      const Mapping &mapping) {
  std::vector<bool> fusable = fusableTensors(w);
  auto accesses = w.einsums[einsum].accesses();
  std::vector<bool> onChip(accesses.size(), false);
  for (auto [a, acc] : llvm::enumerate(accesses))
    if (fusable[acc->tensor])
      onChip[a] = !llvm::any_of(mapping.nodes, [&](const MapNode &n) {
        return n.kind == MapNode::Keep && n.access == (int)a && n.level == 0;
      });
  return onChip;
}

namespace {

void fillResult(const Workload &w, const Arch &arch,
                const std::vector<const Pmapping *> &chosen,
                const std::vector<bool> &starts, SearchResult &result) {
  result.energy = result.latency = 0;
  for (auto [i, p] : llvm::enumerate(chosen)) {
    EinsumResult er;
    er.mapping = p->mapping;
    er.onChipShared = onChipAccesses(w, i, er.mapping);
    er.eval = evaluate(w, i, arch, er.mapping, er.onChipShared);
    result.energy += er.eval.energy;
    result.latency += er.eval.latency;
    result.einsums.push_back(std::move(er));
    if (starts[i] || result.groups.empty())
      result.groups.push_back({});
    result.groups.back().push_back(i);
  }
}

std::string fitError(const Workload &w, const Arch &arch, int i,
                     const EinsumPmappings &p) {
  if (!p.error.empty())
    return p.error;
  // Bypassing every on-chip level is always in the mapspace, so this means
  // the architecture itself rules the Einsum out: its keep rules, or a
  // fanout the Einsum's ranks cannot fill as min_usage asks (an Einsum of
  // a few rows on a 128x128 array). Which one is not known here: the
  // message names each min_usage as a rule to look at, not as the cause.
  const Einsum &e = w.einsums[i];
  std::string error = llvm::formatv("no valid mapping for Einsum '{0}' ({1}) "
                                    "on this architecture",
                                    e.name, e.opName);
  std::vector<int> units = unitsFor(arch, e);
  // Only a fanout a unit that runs the Einsum spreads over binds it.
  for (auto [l, level] : llvm::enumerate(arch.levels))
    if (level.minUsage > 0 && level.fanoutInstances() > 1 &&
        llvm::any_of(units, [&](int k) { return arch.unitUsesFanout(k, l); }))
      error += llvm::formatv(
          "; note: level '{0}' has min_usage {1} (its spatial loops must use "
          "{2} of its {3} instances)",
          level.name, llvm::format("%g", level.minUsage),
          llvm::format("%.0f", std::ceil(level.leastUsed())),
          llvm::format("%.0f", level.fanoutInstances()));
  // A level on the way to a unit that runs the Einsum, which its keep rules
  // fill past its capacity with one element of each tensor they force into
  // it (as unfused): a likely cause, not a proven one, as a rule naming
  // `fused` may not bind it.
  EinsumModel model(w, i, arch);
  size_t numAccesses = e.accesses().size();
  size_t deepest = 0;
  for (int k : units)
    deepest = std::max(deepest, arch.unitLevel(k));
  for (auto [l, level] : llvm::enumerate(arch.levels)) {
    if (l == 0 || l > deepest || !level.capacity)
      continue;
    unsigned forced = 0;
    double bytes = 0;
    for (size_t a = 0; a < numAccesses; ++a)
      if (model.keepRule(l, a) > 0) {
        ++forced;
        bytes += arch.datumBits / 8.0 * model.widthAt(a, l);
      }
    if (bytes > *level.capacity)
      error += llvm::formatv(
          "; note: level '{0}' must keep {1} of its tensors by its keep "
          "rules, at least {2} bytes, over its capacity of {3}",
          level.name, forced, llvm::format("%g", bytes),
          llvm::format("%g", (double)*level.capacity));
  }
  return error;
}

} // namespace

size_t detail::failedEinsum(llvm::ArrayRef<EinsumPmappings> pm) {
  size_t longest = pm.size();
  for (auto [i, p] : llvm::enumerate(pm)) {
    if (p.error.empty() && !p.groups->empty())
      continue;
    if (!p.stopped)
      return i;
    if (longest == pm.size() || p.seconds > pm[longest].seconds)
      longest = i;
  }
  return longest;
}

static SearchResult searchWithin(const Workload &w, const Arch &arch,
                                 const SearchOptions &options);

SearchResult ffm::search(const Workload &w, const Arch &arch,
                         const SearchOptions &options) {
  // The memory budget's checks come every few thousand steps; an
  // allocation between them that the machine cannot hold is an error too.
  try {
    awaitDiscards();
    return searchWithin(w, arch, options);
  } catch (const std::bad_alloc &) {
    SearchResult result;
    result.error = "out of memory during the search (an allocation failed; "
                   "lower max-memory-mb to stop sooner)";
    return result;
  }
}

static SearchResult searchWithin(const Workload &w, const Arch &arch,
                                 const SearchOptions &options) {
  if (std::string err = arch.validate(); !err.empty()) {
    SearchResult result;
    result.error = "invalid architecture: " + err;
    return result;
  }
  for (const Einsum &e : w.einsums)
    if (e.ranks.size() > Einsum::kMaxRanks ||
        e.accesses().size() > Einsum::kMaxOperands) {
      SearchResult result;
      result.error = llvm::formatv(
          "Einsum '{0}' has {1} ranks and {2} operands; the mapper handles "
          "at most {3} and {4}",
          e.name, e.ranks.size(), e.accesses().size(), Einsum::kMaxRanks,
          Einsum::kMaxOperands);
      return result;
    }
  Deadline deadline(options);
  double joinSeconds = 0;
  PassTotals totals;
  // One enumeration and join under `o`; `kept` receives the pmappings.
  auto runFor = [&](const SearchOptions &o) {
    return [&, o](const std::vector<Narrowing> &narrowing,
                  std::vector<EinsumPmappings> *kept) {
      auto t0 = Clock::now();
      std::vector<EinsumPmappings> pm = generateAll(
          w, arch, o, /*prune=*/!o.exhaustive, &deadline, narrowing);
      totals.add(pm, since(t0));
      SearchResult result = joinPmappings(w, arch, pm, o, &deadline);
      joinSeconds += result.stats.joinSeconds;
      for (const EinsumPmappings &p : pm)
        result.stats.mapspaceLog10 += p.mapspaceLog10;
      if (kept)
        *kept = std::move(pm);
      return result;
    };
  };
  SearchResult result;
  if (options.exhaustive)
    result = runFor(options)({}, nullptr);
  else if (options.objective != Objective::EDP)
    result = cappedSearch(w, arch, options, deadline, runFor(options),
                          totals);
  else
    result = edpSearch(w, arch, options, deadline, runFor, totals);
  // With no tensor passed from one Einsum to another there is nothing to
  // fuse: the mapping found is the unfused baseline too, which a caller
  // (ffm-fuse's report) need not search for again.
  if (result.ok() && !result.unfused && w.edges.empty())
    result.unfused = {result.energy, result.latency};
  result.stats.generateSeconds = totals.generateSeconds;
  result.stats.joinSeconds = joinSeconds;
  result.stats.windowProofs = totals.windowProofs;
  result.stats.windowReruns = totals.windowReruns;
  result.stats.steps = totals.steps;
  result.stats.einsumSteps = std::move(totals.einsumSteps);
  result.stats.einsumSeconds = std::move(totals.einsumSeconds);
  result.stats.passCosts = std::move(totals.passCosts);
  return result;
}

void detail::PassTotals::add(const std::vector<EinsumPmappings> &pm,
                             double seconds) {
  generateSeconds += seconds;
  einsumSteps.resize(pm.size());
  einsumSeconds.resize(pm.size());
  uint64_t passSteps = 0;
  for (size_t i = 0; i < pm.size(); ++i) {
    passSteps += pm[i].steps;
    einsumSteps[i] += pm[i].steps;
    einsumSeconds[i] += pm[i].seconds;
  }
  steps += passSteps;
  passCosts.push_back({passSteps, seconds});
}

SearchResult detail::joinPmappings(const Workload &w, const Arch &arch,
                                   const std::vector<EinsumPmappings> &pm,
                                   const SearchOptions &options,
                                   const Deadline *deadline) {
  Deadline local(options);
  if (!deadline)
    deadline = &local;
  SearchResult result;
  size_t n = w.einsums.size();
  if (n == 0)
    return result;
  for (size_t i = 0; i < n; ++i) {
    result.stats.candidates += pm[i].candidates;
    result.stats.pmappings += pm[i].valid;
    result.stats.steps += pm[i].steps;
    result.stats.groups += pm[i].groups->size();
    for (auto &g : *pm[i].groups)
      result.stats.kept += g.second.size();
  }
  if (size_t i = failedEinsum(pm); i < n) {
    result.error = fitError(w, arch, i, pm[i]);
    result.failedEinsum = i;
    return result;
  }

  auto t1 = Clock::now();
  std::vector<const Pmapping *> chosen(n);
  std::vector<bool> starts(n);
  JoinPath best;
  bool ok = options.exhaustive
                ? exhaustiveJoin(w, arch, pm, options, *deadline, result, best)
            : options.objective == Objective::EDP
                ? edpJoin(w, arch, pm, options, *deadline, result, best)
                : singleJoin(w, arch, pm, options, *deadline, result, best);
  if (!ok)
    return result;
  result.stats.joinSeconds = since(t1);
  fillResult(w, arch, best.chosen, best.starts, result);
  return result;
}
