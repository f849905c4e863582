//===- Rewrite.h - make a chosen fused mapping real in the IR ---*- C++ -*-===//
#ifndef FFM_TRANSFORMS_REWRITE_H
#define FFM_TRANSFORMS_REWRITE_H

#include "ffm/Mapper/Mapper.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Transforms/Specialize.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace ffm {

/// Rewrites the ops of `graph` into the mapping of `result`: each fused
/// group becomes one loop nest (the last Einsum tiled by its fused loops,
/// its producers fused in), each op is tiled further for the inner levels
/// of its own mapping (spatial loops as scf.forall over #ffm.fanout), and
/// every tile kept on chip is copied into a bufferization.alloc_tensor in
/// that level's #ffm.level_space. Rewritten ops carry their mapping and
/// modelled figures.
///
/// With `dynamic` (dynamicRankExtents), a loop over a rank with a runtime
/// extent runs ceildiv(remaining extent, tile) times, the remaining extent
/// of its tile being min(tile, remaining - iv * tile): the last tile is
/// clipped, its buffers allocated at the full tile with a subview of the
/// clipped size (at the runtime extent where a tile spans the whole rank).
/// Static ranks are emitted as without it.
mlir::LogicalResult rewriteToMapping(mlir::func::FuncOp func,
                                     const EinsumGraphAnalysis &graph,
                                     const Arch &arch,
                                     const SearchResult &result,
                                     const RankExtents *dynamic = nullptr);

/// The first Einsum whose fusion group's tree cannot be emitted because
/// it reads an earlier member's result that a loop they share does not
/// walk along one dimension in both (through a reshape merging or
/// splitting dimensions, or written back to DRAM too late); nullopt when
/// every group can be emitted. Changes neither the IR nor diagnostics.
std::optional<int> unemittableReader(const EinsumGraphAnalysis &graph,
                                     const Arch &arch,
                                     const SearchResult &result);

/// Only attaches ffm.mapping / ffm.energy_pj / ffm.latency_cycles.
void annotateWithMapping(const EinsumGraphAnalysis &graph, const Arch &arch,
                         const SearchResult &result);

} // namespace ffm

#endif // FFM_TRANSFORMS_REWRITE_H
