//===- BruteForceReference.h - an FFM-independent optimal mapper -*- C++ -*-===//
//
// A brute-force reference for small workloads, written from the definitions
// in docs/mapspace.md and docs/model.md only. It shares no search code with
// lib/Mapper (no generator, no Joiner, no group keys, no Pareto pruning, no
// capacity check): it enumerates every mapping of every Einsum in the
// mapspace, then every combination of them, with its own fusion-validity
// and capacity checks. The model (ffm::evaluate) gives each Einsum's energy
// and latency; the reference adds them up itself.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TEST_UNIT_BRUTEFORCEREFERENCE_H
#define FFM_TEST_UNIT_BRUTEFORCEREFERENCE_H

#include "ffm/Mapper/Mapper.h" // Objective only
#include "ffm/Model/Model.h"
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

namespace ffm::bruteforce {

struct Options {
  /// Rule 8 of docs/mapspace.md (0: any number).
  unsigned maxFusedLoopsPerRank = 1;
  /// And in all, over every rank (0: any number).
  unsigned maxFusedLoops = 0;
  /// Rule 3: ranks per fanout dimension.
  unsigned maxSpatialRanksPerDim = 1;
  bool allowFusion = true;
  /// Rule 6 read literally: the outermost node of an on-chip intermediate
  /// may sit under any prefix of its block's loops, even when no other node
  /// of that level heads the block. The generator puts such loops one
  /// level up instead (the first node of a level heads its block).
  bool floatingMayLeadBlock = false;
  /// Rule 6 with node depths (SearchOptions::nodeDepths): every node of a
  /// level, not only an on-chip intermediate's outermost, at any position
  /// among its block's loops.
  bool nodeDepths = false;
  /// Halo loops (docs/model.md, "Halo co-tiling"): a consumer's loop over
  /// one rank of a window dimension above an on-chip input, and producers
  /// enumerated with the halo loops (count, span, step) that the
  /// consumers' enumerated mappings read per iteration.
  bool haloFusion = false;
  /// Give up (error) past this many enumerated mappings of one Einsum.
  uint64_t maxMappingsPerEinsum = 20'000'000;
};

/// One mapping of one Einsum with what couples it to the other Einsums.
struct Choice {
  Mapping mapping;
  double energy = 0, latency = 0;
};

/// Mappings of one Einsum that are interchangeable for every other Einsum:
/// the same fusion choices, the same loops above every on-chip
/// intermediate, the same reservations. Only their (energy, latency)
/// matter, so only the staircase of those is kept.
struct Class {
  std::vector<bool> onChip;              // per access
  std::vector<std::vector<int64_t>> key; // per access (on chip only)
  std::vector<double> reservation, persistent; // per level, bytes
  std::vector<Choice> front;
  double minEnergy = 0, minLatency = 0;
};

struct EinsumSpace {
  std::vector<Class> classes;
  /// Hashes of every valid mapping (with its fusion choices).
  std::unordered_set<uint64_t> valid;
  uint64_t enumerated = 0, validCount = 0;
  double minEnergy = 0, minLatency = 0;
};

struct Result {
  std::string error;
  double energy = 0, latency = 0;
  std::vector<Mapping> mappings;
  uint64_t combinations = 0;
  double score(Objective o) const {
    return o == Objective::Energy    ? energy
           : o == Objective::Latency ? latency
                                     : energy * latency;
  }
};

class Reference {
public:
  Reference(const Workload &w, const Arch &arch, Options options = {});
  const std::string &error() const { return error_; }
  /// The optimal complete mapping for `objective`.
  Result best(Objective objective) const;
  /// Whether a complete mapping (one per Einsum) is valid: each in the
  /// enumerated mapspace, fusion choices consistent, fused loops agreeing,
  /// fusion groups within capacity. Empty when valid; sums its figures.
  std::string check(const std::vector<Mapping> &mappings, double &energy,
                    double &latency) const;
  uint64_t enumerated() const;
  uint64_t validMappings() const;
  /// The least energy and the least latency of any valid mapping of Einsum
  /// `einsum` (any fusion choice).
  std::pair<double, double> least(int einsum) const {
    return {spaces[einsum].minEnergy, spaces[einsum].minLatency};
  }
  uint64_t classes() const;

  /// Per-Einsum analysis of a mapping (public for the tests' messages).
  struct Analysis {
    std::string error;
    std::vector<bool> onChip;
    std::vector<std::vector<int64_t>> key;
    std::vector<double> reservation, persistent;
  };
  Analysis analyze(int einsum, const Mapping &m) const;

private:
  const Workload &w;
  const Arch &arch;
  Options opts;
  std::string error_;
  std::vector<bool> interface; // per tensor (docs/mapspace.md item 1)
  std::vector<EinsumSpace> spaces;

  /// One halo loop: rank, count, span, step.
  using Halo = std::vector<std::array<int64_t, 4>>;
  /// Enumerates the Einsum as is (`halo` empty), or as the Einsum whose
  /// halo ranks are count * span long with those halo loops.
  void enumerate(int einsum, const Halo &halo = {});
  /// The halo loop sets the enumerated consumers of Einsum `einsum`'s
  /// output read through their window loops.
  std::vector<Halo> haloSets(int einsum) const;
  static uint64_t hashOf(const Mapping &m);
};

} // namespace ffm::bruteforce

#endif // FFM_TEST_UNIT_BRUTEFORCEREFERENCE_H
