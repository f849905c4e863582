//===- Model.h - analytical energy/latency/reservation model ----*- C++ -*-===//
//
// LoopTree semantics (DESIGN.md section 5, docs/model.md): a storage node
// holds the tile defined by the loops below it and is refilled once per
// iteration of the loops above it, except that the innermost run of
// temporal loops above it over ranks that do not index the tensor reuses
// the tile. Outputs are read-modify-write, each residency starting empty.
//
//===----------------------------------------------------------------------===//
#ifndef FFM_MODEL_MODEL_H
#define FFM_MODEL_MODEL_H

#include "ffm/Model/Mapping.h"
#include <string>
#include <vector>

namespace ffm {

/// Data moved at one level for one tensor, in data (not bytes).
struct Accesses {
  double reads = 0, writes = 0;
};

struct Evaluation {
  std::string error; // non-empty: the mapping is invalid, and why
  double energy = 0;  // pJ
  double latency = 0; // cycles
  double macs = 0;
  /// Part of `energy`: the machine's leakage over the latency.
  double leakageEnergy = 0;
  /// [access][level]
  std::vector<std::vector<Accesses>> accesses;
  /// Bytes per instance held at each level while the Einsum runs.
  std::vector<double> reservation;
  /// Bytes per instance at each level held by tiles that stay live across
  /// the fused loops this Einsum shares (they coexist with the other
  /// Einsums of its fusion group).
  std::vector<double> persistent;
  /// Latency of each component: levels, then compute.
  std::vector<double> componentCycles;

  bool ok() const { return error.empty(); }
};

/// Evaluates `mapping` of Einsum `e`. `onChipShared[a]` marks accesses to a
/// fused intermediate whose outermost storage is on chip: it is produced or
/// consumed there and never reaches DRAM. Checks structure and capacity.
Evaluation evaluate(const Workload &w, int einsum, const Arch &arch,
                    const Mapping &mapping,
                    const std::vector<bool> &onChipShared = {});

/// What evaluate() derives from the Einsum, the architecture and the fused
/// set alone, derived once: a search evaluates millions of mappings of one
/// Einsum under one fused set, and the tensors' classes, the keep, reuse
/// and spread rules they select (rule texts in the architecture) and the
/// datum widths are the same for all of them. Holds references to `w` and
/// `arch`, which must outlive it.
class EinsumModel {
public:
  EinsumModel(const Workload &w, int einsum, const Arch &arch,
              std::vector<bool> onChipShared = {});
  /// evaluate(w, einsum, arch, mapping, onChipShared).
  Evaluation evaluate(const Mapping &mapping) const;
  /// The same into `ev`, whose vectors keep their storage: a search's
  /// inner loop evaluates into one Evaluation.
  void evaluate(const Mapping &mapping, Evaluation &ev) const;

  /// The rules evaluate() applies, for a search that must enumerate only
  /// what it accepts: access `a`'s classes, the keep rule of `level` for
  /// it (Level::keepRule), its datum width there (Arch::widthAt), and
  /// whether fanout dimension `dim` of `level` may spread `rank`.
  unsigned classesOf(size_t a) const { return classes[a]; }
  /// Access `a`'s reuse class (reuseClasses), which the spread rules read.
  unsigned reuseOf(size_t a) const { return reuse[a]; }
  int keepRule(size_t level, size_t a) const { return keep[level][a]; }
  double widthAt(size_t a, size_t level) const { return width[a][level]; }
  bool maySpread(size_t level, size_t dim, int rank) const {
    return spreads[level][dim][rank];
  }

private:
  std::string checkStructure(const Mapping &m) const;

  const Workload &w;
  int einsum;
  const Arch &arch;
  std::vector<bool> onChip;            // per access, padded to every access
  std::vector<const TensorAccess *> accesses;
  std::vector<unsigned> classes;       // per access, `fused` included
  std::vector<unsigned> reuse;         // reuseClasses(w, einsum)
  std::vector<std::vector<int>> keep;  // [level][access]: Level::keepRule
  std::vector<std::vector<double>> width; // [access][level]: Arch::widthAt
  std::vector<std::vector<bool>> indexes; // [access][rank]
  /// [level][dim][rank]: the level may spread the rank over that dimension
  /// (its spread and reuse rules).
  std::vector<std::vector<std::vector<bool>>> spreads;
  /// [level][dim][access]: Level::shares, the dimension multicasts (or
  /// reduces) the tensor.
  std::vector<std::vector<std::vector<bool>>> shares;
  bool referenceAccounting = false; // Arch::referenceAccounting
  bool everyUpdateReads = false;    // Arch::everyUpdateReads
  std::vector<bool> unitRuns;          // per compute unit
  double macs = 1;
  double leakagePerCycle = 0; // Arch::leakagePerCycle
};

/// A pad, slice or concatenation left in place runs on DRAM data between
/// fusion groups: it reads `reads` data from the outermost level and
/// writes `writes` back (docs/model.md, "Data movement ops"). Energy at
/// that level's costs per datum, latency its ports' time, and the
/// machine's leakage over that time. No mapping changes it.
Evaluation evaluateMove(const Arch &arch, double reads, double writes);

/// Why the halo loops of `m` (MapNode::haloSpan) are invalid for Einsum
/// `einsum`, or "": each is temporal, the outermost loop over a rank that
/// alone walks an output dimension, above every on-chip tile that rank
/// indexes; the output is a fused intermediate kept on chip only; its
/// tiles stay within the output's extent.
std::string checkHalo(const Workload &w, int einsum, const Mapping &m,
                      const std::vector<bool> &onChipShared);

/// `e` with each halo loop's rank as long as the loop covers (count times
/// span): the Einsum the model evaluates for such a mapping.
Einsum haloEinsum(const Einsum &e, const Mapping &m);

/// The classes (TensorClass) of access `a` of Einsum `einsum`; `fused`: the
/// mapping keeps that intermediate on chip only.
unsigned accessClasses(const Workload &w, int einsum, int a, bool fused);

/// The kinds (EinsumKind) of an Einsum, for compute units' `runs` rules.
unsigned einsumKinds(const Einsum &e);

/// The compute units of `arch` that run Einsum `e`, in unit order.
std::vector<int> unitsFor(const Arch &arch, const Einsum &e);

/// Per access of Einsum `einsum` (inputs, then the output), its classes as
/// fanout reuse rules see them (no `fused`: they do not depend on the
/// mapping).
std::vector<unsigned> reuseClasses(const Workload &w, int einsum);

/// Whether fanout dimension `dim` of `level` may spread `rank` of `e` under
/// its reuse rule ("inputs": the rank leaves some input unindexed;
/// "outputs": it does not index the output; a class set: it indexes no
/// tensor of the set, `classes` giving each access's, as reuseClasses).
bool reuseAllows(const Level &level, size_t dim, const Einsum &e, int rank,
                 llvm::ArrayRef<unsigned> classes);

} // namespace ffm

#endif // FFM_MODEL_MODEL_H
