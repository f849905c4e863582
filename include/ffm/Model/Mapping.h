//===- Mapping.h - LoopTree mapping of one Einsum ---------------*- C++ -*-===//
#ifndef FFM_MODEL_MAPPING_H
#define FFM_MODEL_MAPPING_H

#include "ffm/Arch/Arch.h"
#include "ffm/Workload/Workload.h"
#include <cstdint>
#include <string>
#include <vector>

namespace ffm {

/// A node of the LoopTree, top (DRAM) to bottom (compute).
struct MapNode {
  enum Kind : uint8_t { Keep, Temporal, Spatial };
  Kind kind = Temporal;
  /// Keep: index into Einsum::accesses() (inputs, then the output).
  int access = -1;
  /// Keep: the memory level; Spatial: the level whose fanout is used.
  int level = -1;
  /// Loops: the Einsum rank and its iteration count (> 1).
  int rank = -1;
  int64_t factor = 1;
  /// Spatial: which fanout dimension of `level`.
  int dim = 0;
  /// Temporal, a halo loop (docs/model.md, "Halo co-tiling"): iteration i
  /// covers ranks [i * haloStep, i * haloStep + haloSpan) of `rank`, tiles
  /// that overlap (or leave gaps) instead of partitioning it. The Einsum is
  /// then evaluated with bound(rank) = factor * haloSpan, the work each
  /// iteration recomputes included. 0: an ordinary loop.
  int64_t haloSpan = 0, haloStep = 0;

  bool isLoop() const { return kind != Keep; }
  bool isHalo() const { return haloSpan > 0; }
  /// This node as the IR runs it: a halo loop whose tiles are as long as
  /// their step is a plain loop (what the rank has past its tiles, which
  /// they leave out, is not in the IR; MappingFromIR reads it so).
  MapNode asRun() const {
    MapNode n = *this;
    if (n.isHalo() && n.haloSpan == n.haloStep)
      n.haloSpan = n.haloStep = 0;
    return n;
  }
  bool operator==(const MapNode &o) const {
    return kind == o.kind && access == o.access && level == o.level &&
           rank == o.rank && factor == o.factor && dim == o.dim &&
           haloSpan == o.haloSpan && haloStep == o.haloStep;
  }
};

struct Mapping {
  std::vector<MapNode> nodes;
  /// The compute unit that runs the Einsum (Arch::unit).
  int unit = 0;

  bool operator==(const Mapping &o) const {
    return nodes == o.nodes && unit == o.unit;
  }
  /// Human-readable form, the #ffm.mapping syntax.
  std::string str(const Workload &w, const Einsum &e, const Arch &arch) const;
};

} // namespace ffm

#endif // FFM_MODEL_MAPPING_H
