//===- Halo.cpp - which halo loops each Einsum's mapspace holds -----------===//
//
// The invariant: haloCandidates gives every Einsum E each set of halo loops
// (rank, count, span, step) whose compatibility key some consumer of E's
// output can present for it: a consumer reading E's output T through a
// window s * p + ... and looping over p above T's on-chip node hands each
// iteration a tile of T of one span at one step (fusionKey), and the only
// producer pmapping that can join it walks T's dimension with exactly that
// halo loop. Consumers are walked before producers (program order runs
// producers first), so a consumer's own halo loops, which set the tiles it
// hands over, are known when its producer is reached: chains compose.
// Anything not listed here has no partner in the join, so leaving it out
// of the mapspace loses no mapping that could be joined.
//
//===----------------------------------------------------------------------===//
#include "Pmappings.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace ffm;
using namespace ffm::detail;

namespace {

/// A fused loop a consumer may place over one window dimension: its count,
/// the extent of its rank each iteration covers, and the step between
/// iterations' first indices of that rank.
struct WindowLoop {
  int rank;
  int64_t count, tile, stride;
};

} // namespace

std::vector<std::vector<HaloTags>>
detail::haloCandidates(const Workload &w, const std::vector<bool> &fusable,
                       const SearchOptions &options) {
  std::vector<std::vector<HaloTags>> out(w.einsums.size());
  if (!options.haloFusion || !options.allowFusion)
    return out;
  std::vector<std::set<HaloTags>> sets(w.einsums.size());
  for (size_t c = w.einsums.size(); c-- > 0;) {
    const Einsum &ce = w.einsums[c];
    for (const TensorAccess &in : ce.inputs) {
      if (!in.hasWindows() || !fusable[in.tensor])
        continue;
      int e = w.tensors[in.tensor].producer;
      const Einsum &pe = w.einsums[e];
      if (pe.output.view >= 0 || pe.output.tensor != in.tensor)
        continue;
      const std::vector<int64_t> &shape = w.tensors[in.tensor].shape;
      // The consumer's own halo sets, the empty one (no halo loop) first.
      std::vector<HaloTags> own{HaloTags{}};
      own.insert(own.end(), out[c].begin(), out[c].end());
      for (const HaloTags &mine : own) {
        auto tagOf = [&](int r) -> const HaloTag * {
          for (const HaloTag &t : mine)
            if (t.rank == r)
              return &t;
          return nullptr;
        };
        // Per window dimension: no fused loop, or one over a rank in it (a
        // halo loop of the consumer's own, or a count dividing the rank),
        // as fusionKey reads it.
        std::vector<std::vector<std::pair<int, WindowLoop>>> choices;
        for (size_t h = 0; h < in.dimRanks.size(); ++h) {
          if (in.dimRanks[h] != TensorAccess::kWindow ||
              h >= pe.output.dimRanks.size() || h >= shape.size())
            continue;
          int pr = pe.output.dimRanks[h];
          if (pr < 0)
            continue;
          std::vector<std::pair<int, WindowLoop>> dim;
          // Any rank of the dimension may be the looped one: an output
          // pixel or a filter tap (a reduction rank of the consumer, never
          // itself a halo loop's).
          for (const WindowTerm &t : in.windows[h]) {
            // fusionKey takes the other ranks of the dimension whole at
            // their bounds, which a halo loop of theirs would change.
            bool othersTagged = llvm::any_of(in.windows[h], [&](auto &o) {
              return o.rank != t.rank && tagOf(o.rank);
            });
            if (othersTagged)
              continue;
            if (const HaloTag *tag = tagOf(t.rank)) {
              dim.push_back({(int)h, {t.rank, tag->count, tag->span,
                                      tag->step}});
              continue;
            }
            int64_t bound = ce.ranks[t.rank].bound;
            for (int64_t n = 2; n <= bound; ++n)
              if (bound % n == 0)
                dim.push_back({(int)h, {t.rank, n, bound / n, bound / n}});
          }
          if (!dim.empty())
            choices.push_back(std::move(dim));
        }
        // Every combination with at least one fused window loop.
        std::vector<size_t> pick(choices.size(), 0); // 0: none
        while (true) {
          size_t k = 0;
          while (k < pick.size() && ++pick[k] > choices[k].size())
            pick[k++] = 0;
          if (k == pick.size())
            break;
          HaloTags tags;
          // The producer ranks looped, tags or not.
          llvm::SmallVector<int, 4> looped;
          bool ok = true;
          for (size_t j = 0; j < pick.size() && ok; ++j) {
            if (!pick[j])
              continue;
            auto [h, loop] = choices[j][pick[j] - 1];
            int64_t span = 1, step = 0;
            for (const WindowTerm &t : in.windows[h]) {
              if (t.rank == loop.rank) {
                span += t.coeff * (loop.tile - 1);
                step += t.coeff * loop.stride;
              } else {
                span += t.coeff * (ce.ranks[t.rank].bound - 1);
              }
            }
            int pr = pe.output.dimRanks[h];
            // Within the tensor (checkHalo): what a valid window reaches.
            ok = span >= 1 && step >= 1 &&
                 step * (loop.count - 1) + span <= shape[h];
            looped.push_back(pr);
            // Disjoint tiles covering the dimension are a plain loop's,
            // which every enumeration holds (fusionKey keys them so): a
            // 1x1 convolution's producer was enumerated again for each
            // count of its pixel loops, most of a ResNet block's steps.
            if (!plainTiles(loop.count, span, step, shape[h]))
              tags.push_back({pr, loop.count, span, step});
          }
          // One fused loop per rank (a rank writing two dimensions of T
          // cannot walk both with different tiles).
          llvm::sort(looped);
          ok &= std::adjacent_find(looped.begin(), looped.end()) ==
                looped.end();
          if (!ok || tags.empty())
            continue;
          llvm::sort(tags, [](const HaloTag &a, const HaloTag &b) {
            return a.rank < b.rank;
          });
          sets[e].insert(std::move(tags));
        }
      }
    }
    // Consumers come after their producers: every consumer of Einsum c
    // has been walked, so its set is final.
    out[c].assign(sets[c].begin(), sets[c].end());
  }
  return out;
}
