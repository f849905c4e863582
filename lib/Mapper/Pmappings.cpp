//===- Pmappings.cpp - one Einsum's pmappings: inputs and result ----------===//
//
// The invariant: what generatePmappings returns is what the enumeration
// (Generator.h) kept, made final: with pruning each group is exactly its Pareto
// front under the final caps, and the floor is the least score on the first
// criterion (weighted by Narrowing::rankWeight) of anything kept or, where a
// cap may have cut what lay at the best, enumerated. Its inputs narrow nothing
// the mapspace holds: fusableTensors gives exactly docs/mapspace.md's interface
// tensors, and a level bindingLevels calls non-binding cannot be overflowed by
// any fusion group the join can form (every tensor of every Einsum held whole
// fits, or no tile there outlives the fused loops, so each pmapping's own fit
// is the group's), so its reservations need not be criteria.
//
//===----------------------------------------------------------------------===//
#include "Generator.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace ffm;
using namespace ffm::detail;

bool detail::readWithOutput(const Workload &w, int einsum, size_t a) {
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  if (a + 1 >= acc.size())
    return false; // the output itself
  return llvm::any_of(w.tensors[e.output.tensor].consumers, [&](int c) {
    return llvm::any_of(w.einsums[c].inputs, [&](const TensorAccess &in) {
      return in.tensor == acc[a]->tensor;
    });
  });
}

std::vector<bool> detail::fusableTensors(const Workload &w) {
  std::vector<bool> fusable(w.tensors.size(), false);
  for (auto [t, tensor] : llvm::enumerate(w.tensors)) {
    if (tensor.producer < 0 || tensor.aliasOf >= 0 || tensor.isOutput ||
        tensor.escapes || tensor.consumers.empty())
      continue;
    bool ok = true;
    for (int c : tensor.consumers) {
      int reads = 0;
      for (const TensorAccess &in : w.einsums[c].inputs) {
        if (in.tensor == (int)t)
          ++reads;
        else if (w.rootOf(in.tensor) == (int)t)
          ok = false; // read through a reshape: dims do not line up
      }
      ok &= reads == 1 && c > tensor.producer;
    }
    // Fusion groups are contiguous and every Einsum of one reads each
    // intermediate live across it (the join's rule): an Einsum between the
    // producer and the last consumer that does not read the tensor would
    // leave every on-chip pmapping of it unjoinable, so none is generated.
    int last = *llvm::max_element(tensor.consumers);
    for (int j = tensor.producer + 1; ok && j <= last; ++j)
      ok = llvm::is_contained(tensor.consumers, j);
    // An op left in place between producer and consumer may depend on
    // one and feed the other: the group's tree could not run around it.
    for (int b : w.barriers)
      ok &= !(tensor.producer < b && b <= last);
    fusable[t] = ok;
  }
  return fusable;
}

std::vector<bool> detail::bindingLevels(const Workload &w, const Arch &arch,
                                        const std::vector<bool> &fusable) {
  double everything = 0;
  for (const Einsum &e : w.einsums)
    for (const TensorAccess *a : e.accesses())
      everything += largestTile(e, *a);
  // A tile outlives the fused loops only if it sits above the outermost
  // on-chip node of one of its Einsum's fused intermediates, so at a
  // level below every level where such a node can sit no pmapping the
  // join combines holds persistent bytes, and the join needs each alone
  // to fit. Each access may put the node at a level its class may keep,
  // down to the first one that must; the join takes only keys its
  // producer and consumers share, so a node sits only where all of them
  // may put it (a tensor produced into a level that must keep it and
  // read as a weight that must bypass it is never on chip in a join).
  std::vector<uint64_t> outermost(w.tensors.size(), ~uint64_t(0));
  for (auto [i, e] : llvm::enumerate(w.einsums))
    for (auto [a, acc] : llvm::enumerate(e.accesses())) {
      if (!fusable[acc->tensor])
        continue;
      unsigned classes = accessClasses(w, i, a, /*fused=*/true);
      uint64_t may = 0;
      for (size_t m = 1; m < arch.levels.size(); ++m) {
        int rule = arch.levels[m].keepRule(classes);
        if (rule >= 0)
          may |= uint64_t(1) << m;
        if (rule > 0)
          break;
      }
      outermost[acc->tensor] &= may;
    }
  size_t deepest = 0;
  for (auto [t, levels] : llvm::enumerate(outermost))
    if (fusable[t] && levels)
      deepest = std::max<size_t>(deepest, llvm::Log2_64(levels));
  // A machine of main memory alone has no on-chip level to bind.
  deepest = std::min(deepest, arch.levels.size() - 1);
  std::vector<bool> binding(arch.levels.size(), false);
  for (size_t l = 1; l <= deepest; ++l)
    binding[l] =
        everything * arch.widestBytesAt(l) > (double)*arch.levels[l].capacity;
  return binding;
}

namespace {
/// The frees under way on threads of their own (discardStopped). Never
/// destroyed: a freeing thread may outlive main.
struct Discards {
  std::mutex mutex;
  std::condition_variable done;
  unsigned pending = 0;
};
Discards &discards() {
  static Discards *d = new Discards;
  return *d;
}
} // namespace

void detail::awaitDiscards() {
  Discards &d = discards();
  std::unique_lock<std::mutex> lock(d.mutex);
  d.done.wait(lock, [&] { return d.pending == 0; });
}

/// A search stopped by a spent budget ends in an error, and what its
/// enumeration holds serves no one. Freeing it took seconds (gigabytes of
/// fronts, their indices and their groups, in small allocations: 2.9 s
/// past a 10 s time limit on the TPU-like GPT-3 layer without a fused-loop
/// limit), past the very limit that stopped it. Past a time limit a thread
/// of its own frees it while the error is reported (where none can start,
/// this one does); the next search waits for it (awaitDiscards), so that
/// it does not read the process's size mid-free. Past a memory budget this
/// one does, as the error it reports is about that size.
static void discardStopped(Generator &gen, EinsumPmappings &out,
                           const Deadline &deadline) {
  struct Garbage {
    std::shared_ptr<EinsumPmappings::Groups> groups;
    // Destroyed first: the indices name the groups' vectors.
    decltype(gen.fronts) fronts;
  };
  auto garbage = std::make_unique<Garbage>();
  garbage->groups = std::exchange(
      out.groups, std::make_shared<EinsumPmappings::Groups>());
  garbage->fronts = std::move(gen.fronts);
  gen.fronts.clear();
  gen.group = nullptr;
  gen.front = nullptr;
  if (!deadline.timeSpent())
    return;
  Discards &d = discards();
  {
    std::lock_guard<std::mutex> lock(d.mutex);
    ++d.pending;
  }
  try {
    std::thread([g = std::move(garbage), &d]() mutable {
      g.reset();
      std::lock_guard<std::mutex> lock(d.mutex);
      --d.pending;
      d.done.notify_all();
    }).detach();
  } catch (...) { // no thread: freed here, as the lambda unwinds
    std::lock_guard<std::mutex> lock(d.mutex);
    --d.pending;
  }
}

EinsumPmappings detail::generatePmappings(const Workload &w, int einsum,
                                          const Arch &arch,
                                          const std::vector<bool> &fusable,
                                          const SearchOptions &options,
                                          bool prune,
                                          const std::vector<bool> &binding,
                                          const Deadline &deadline,
                                          const Narrowing &narrowing,
                                          const std::vector<HaloTags> &halo) {
  EinsumPmappings out;
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  for (auto [a, access] : llvm::enumerate(acc))
    if (fusable[access->tensor])
      out.interface.push_back(a);
  Generator gen(w, arch, einsum, options, prune, out, binding, deadline,
                narrowing);
  gen.run();
  out.steps = gen.steps;
  // Each set of halo loops enumerates the Einsum whose tagged ranks are
  // count * span long (the recomputed halo is work it does), into the
  // same groups: its keys differ in those loops' entries.
  // One copy of the workload for them all, its ranks reset between sets.
  Workload v = halo.empty() ? Workload() : w;
  for (const HaloTags &tags : halo) {
    if (gen.stop)
      break;
    v.einsums[einsum].ranks = e.ranks;
    for (const HaloTag &t : tags)
      v.einsums[einsum].ranks[t.rank].bound = t.count * t.span;
    Generator tagged(v, arch, einsum, options, prune, out, binding, deadline,
                     narrowing);
    tagged.halo = tags;
    tagged.best = gen.best; // a floor of the whole Einsum
    tagged.bestSecond = gen.bestSecond;
    tagged.held = gen.held;
    tagged.steps = out.steps; // one count, and one step limit, for all
    tagged.run();
    if (out.stopped)
      discardStopped(tagged, out, deadline);
    out.steps = tagged.steps;
    gen.noteBest(tagged.best, tagged.bestSecond);
    gen.held = tagged.held;
    gen.stop |= tagged.stop;
  }
  out.ownSteps = out.steps;
  // Stopped by a shared budget, the groups serve no one (the error is the
  // search's result): freed now, not pruned first. Pruning a front of
  // gigabytes took seconds past the limit and half its size again in
  // memory, past the very budget that stopped it.
  if (out.stopped) {
    discardStopped(gen, out, deadline);
    return out;
  }
  // Stopped part way, the key bounds would leave out keys not reached.
  if (out.abandoned)
    out.groups->clear();
  // Each pmapping met its own group's cap, surcharge (and EDP corners)
  // and all, when it was enumerated; since then only the best has moved.
  // So the final cap is the one without a group's surcharge or corners,
  // not the last subtree's (a stale surcharge would cut other groups'
  // pmappings and record them as cut above where they were).
  gen.group = nullptr;
  // One pass over the groups (they are many, and scattered in memory).
  for (auto it = out.groups->begin(); it != out.groups->end();) {
    std::vector<Pmapping> &group = it->second;
    // Kept before the floor was known, some lie above the final cap.
    if (prune && gen.capped())
      llvm::erase_if(group, [&](const Pmapping &p) {
        return gen.cutByCap(p.energy, p.latency);
      });
    // The window from the group's least, now that it is known.
    if (prune && !group.empty() && std::isfinite(gen.narrowing.window)) {
      double least = gen.primary(group.front());
      llvm::erase_if(group, [&](const Pmapping &p) {
        return gen.primary(p) > (least + gen.narrowing.window) * (1 + 1e-9);
      });
    }
    if (group.empty()) {
      it = out.groups->erase(it);
      continue;
    }
    if (prune)
      paretoPrune(group, group.front().fused, gen.dominance);
    for (const Pmapping &p : group)
      out.floor = std::min(out.floor, gen.ranked(p.energy, p.latency));
    ++it;
  }
  // A second cap may have cut what lay at the best (a cheaper one within
  // rounding of it stayed), and a weighted floor's EDP cap may have cut
  // the best while its slack cap cut, by that best, all the EDP cap left:
  // the best is the floor.
  if (narrowing.secondSlack < INFINITY || narrowing.rankWeight > 0)
    out.floor = std::min(out.floor, gen.best);
  // A weighted floor has no second criterion to break ties.
  if (narrowing.rankWeight > 0)
    return out;
  // The second floor: what lies at the floor, kept (its group's least on
  // both, which no pruning drops) or left out, and the anchors of the
  // second caps that cut there. (Under EDP's slopes a group may drop its
  // least-energy member: an EDP pass's floors bound only what it kept,
  // and no search reads them.)
  double atFloor = std::min(out.floor, out.unjoinableFloor) * (1 + 1e-9);
  out.secondFloor = std::min(out.unjoinableBounds.leastSecondUpTo(atFloor),
                             out.secondAnchors.leastSecondUpTo(atFloor));
  for (const auto &[keys, group] : *out.groups)
    for (const Pmapping &p : group) {
      if (prune && gen.primary(p) > atFloor)
        break; // paretoPrune left the group in order of the first one
      if (gen.primary(p) <= atFloor)
        out.secondFloor = std::min(out.secondFloor,
                                   gen.otherCriterion(p.energy, p.latency));
    }
  return out;
}

double detail::rawMapspaceLog10(const Workload &w, int einsum,
                                const Arch &arch,
                                const std::vector<bool> &fusable) {
  const Einsum &e = w.einsums[einsum];
  std::vector<const TensorAccess *> acc = e.accesses();
  double levels = arch.levels.size(), ranks = e.ranks.size();
  double log = 0;
  for (const TensorAccess *a : acc) {
    if (fusable[a->tensor])
      log += std::log10(2.0); // in DRAM or on chip
    // keep sets: any subset of the on-chip levels; positions in each block
    log += (levels - 1) * std::log10(2.0 * (ranks + 1));
  }
  for (const Level &l : arch.levels)
    for (int64_t f : l.fanout)
      if (f > 1)
        log += std::log10(ranks + 1);
  // Ordered factorizations of each bound into one factor per level: for
  // each prime power p^k, C(k + levels - 1, levels - 1).
  for (const RankVar &r : e.ranks) {
    int64_t n = r.bound;
    for (int64_t p = 2; p <= n / p; ++p) {
      int k = 0;
      while (n % p == 0)
        n /= p, ++k;
      for (int i = 1; i <= k; ++i)
        log += std::log10((i + levels - 1) / i);
    }
    if (n > 1)
      log += std::log10(levels);
  }
  // loop orders of every block
  double orders = 0;
  for (int i = 2; i <= ranks; ++i)
    orders += std::log10((double)i);
  return log + levels * orders;
}
