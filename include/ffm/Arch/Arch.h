//===- Arch.h - accelerator description as plain C++ ------------*- C++ -*-===//
#ifndef FFM_ARCH_ARCH_H
#define FFM_ARCH_ARCH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ffm {

/// Classes of a tensor as one Einsum accesses it, for keep/bypass rules:
/// an input; the output; a weight (the second input of a two-input Einsum:
/// matmul(x, W)'s W, Q K^T's K); an
/// intermediate (produced by one Einsum, read by another); fused (an
/// intermediate this mapping keeps on chip only: what DRAM does not hold).
enum TensorClass : unsigned {
  kInputClass = 1,
  kOutputClass = 2,
  kWeightClass = 4,
  kIntermediateClass = 8,
  kFusedClass = 16,
  kAllClasses = 31,
};

/// A keep/bypass rule: the tensors that have a class of `include` and none
/// of `exclude` ("all - weight": every tensor but the weights).
struct ClassSet {
  unsigned include = 0, exclude = 0;
  bool matches(unsigned classes) const {
    return (classes & include) && !(classes & exclude);
  }
};

/// Kinds of Einsum, for the rules saying which compute unit runs which
/// (not exclusive: a matmul is a contraction, a ReLU elementwise and unary).
enum EinsumKind : unsigned {
  kContractionKind = 1, // a reduced rank and two or more inputs
  kReductionKind = 2,   // a reduced rank and one input
  kElementwiseKind = 4, // no reduced rank
  kUnaryKind = 8,       // one input (two tensors in all)
  kAllKinds = 15,
};

/// Parses an Einsum-kind rule: contraction, reduction, elementwise, unary
/// and all, joined by `+` and `-` as class rules are; nullopt when
/// malformed.
std::optional<ClassSet> parseKindSet(llvm::StringRef text);

/// Names of Einsum `kinds`, for diagnostics ("elementwise, unary").
std::string kindNames(unsigned kinds);

/// Parses a rule: class names (input(s), output(s), weight(s),
/// intermediate(s), fused, all) joined by `+` (also these) and `-` (but not
/// these); nullopt when malformed.
std::optional<ClassSet> parseClassSet(llvm::StringRef text);

/// Names of `classes`, for diagnostics ("input, weight").
std::string classNames(unsigned classes);

/// The widest datum a level or an architecture may give, in bits: past it
/// a tile's bytes stop being a size any machine has.
constexpr int64_t kMaxDatumBits = 4096;

/// One memory level. Capacity in bytes per instance (nullopt: unbounded);
/// energies in pJ per datum; bandwidths in data per cycle per instance.
struct Level {
  std::string name;
  std::optional<int64_t> capacity;
  double readEnergy = 0, writeEnergy = 0;
  /// Reads plus writes; and, where a level has separate ports, reads and
  /// writes alone. The level's time is the largest of those given.
  std::optional<double> bandwidth, readBandwidth, writeBandwidth;
  /// Static (leakage) energy, pJ per cycle per instance: every instance of
  /// the level leaks for as long as an Einsum runs.
  double leakage = 0;
  /// Spatial dimensions of the instances below this level.
  std::vector<int64_t> fanout;
  /// Least fraction of those instances a mapping must use (0: any).
  double minUsage = 0;
  /// Rank variables allowed on the fanout (empty: any).
  std::vector<std::string> spatialRanks;
  /// Per fanout dimension, what its instances may share (empty: "any" for
  /// every dimension). "any": one parent access serves every instance that
  /// needs the same data (multicast, spatial reduction); "none": each
  /// instance moves its own copy; "inputs" / "outputs": only inputs are
  /// multicast / only the output is reduced, and the dimension spreads only
  /// ranks along which such a tensor is shared (a systolic array's axes).
  std::vector<std::string> reuse;

  /// Tensor sets (parseClassSet: "inputs", "weight", "all - weight", ...)
  /// this level must keep / must not keep in every mapping (mapspace
  /// constraints, as in Timeloop-style specs; on-chip levels only). A
  /// tensor in a bypass set is bypassed even if a keep set has it too.
  std::vector<std::string> keep, bypass;
  /// Datum widths by tensor class at this level, where it stores some
  /// tensors wider or narrower than the arch's datum_bits (Simba's
  /// accumulation buffer holds 24-bit partial sums): (class rule, bits).
  /// A tensor takes the widest rule it matches. A datum's capacity,
  /// energy and bandwidth here scale with its width: the level's energies
  /// and bandwidths are per datum of the arch's datum_bits.
  std::vector<std::pair<std::string, int64_t>> datumBits;

  /// `Classes`: a class set (parseClassSet), the reference's `reuse: X`:
  /// the dimension spreads only ranks that leave every tensor of X
  /// unindexed, and shares (multicasts, reduces) only the tensors of X.
  enum class Reuse { Any, None, Inputs, Outputs, Classes };
  /// +1: must keep a tensor of these classes, -1: must bypass it, 0: free.
  int keepRule(unsigned classes) const;
  /// Bits per datum here of a tensor of `classes` (`archBits` unless a
  /// datumBits rule matches).
  int64_t bitsFor(unsigned classes, int64_t archBits) const;
  bool allowsSpatial(llvm::StringRef rank) const;
  Reuse reuseOf(size_t dim) const;
  /// Whether instances along fanout dimension `dim` share one access of a
  /// tensor (an output or not, of `classes`) that the spread rank does not
  /// index.
  bool shares(size_t dim, bool isOutput, unsigned classes) const;
  /// Instances below this level: the product of its fanout dimensions.
  double fanoutInstances() const;
  /// Whether spatial loops using `used` of those instances meet min_usage.
  bool meetsMinUsage(double used) const { return used >= leastUsed(); }
  /// The instances min_usage asks the spatial loops to use (within
  /// rounding of the product).
  double leastUsed() const {
    return minUsage * fanoutInstances() * (1 - 1e-12);
  }
  /// Cycles to move `reads` and `writes` (per instance): each port the
  /// level has (shared, read, write) takes its traffic's time, the level
  /// the longest; 0 without bandwidths. (Inline: the generator's bound
  /// asks it of every level at every node.)
  double portCycles(double reads, double writes) const {
    double cycles = 0;
    if (bandwidth)
      cycles = (reads + writes) / *bandwidth;
    if (readBandwidth)
      cycles = std::max(cycles, reads / *readBandwidth);
    if (writeBandwidth)
      cycles = std::max(cycles, writes / *writeBandwidth);
    return cycles;
  }
  /// Empty when the level is sound, else why not.
  std::string validate() const;
};

/// A compute unit. The primary one (Arch::compute) sits below the innermost
/// level's fanout; further units (Arch::units) each sit below one level,
/// beside its fanout (a vector unit next to a systolic array), and run
/// the Einsums of the kinds they list. The mapper picks, per Einsum, a
/// unit that runs it; a mapping on a unit below level L uses the levels
/// down to L and the fanouts above L only.
struct Compute {
  double macEnergy = 0;  // pJ per operation (a MAC, or one output update)
  std::optional<int64_t> instances; // absent: as the levels above give
  double throughput = 1; // operations per cycle per instance
  double leakage = 0;    // pJ per cycle per instance
  std::string name;      // empty: "MAC"
  /// The level it sits below (empty: the innermost level, below its
  /// fanout).
  std::string level;
  /// The Einsum kinds it runs (parseKindSet; empty: all).
  std::string runs;

  llvm::StringRef displayName() const {
    return name.empty() ? llvm::StringRef("MAC") : llvm::StringRef(name);
  }
  /// Whether it runs an Einsum with these kinds (EinsumKind bits).
  bool runsKinds(unsigned kinds) const;
  std::string validate() const;
};

/// Which part of an architecture a failed check is about, by index into
/// Arch::levels and Arch::unit() (-1: none), for a loader to point at it.
struct ArchPart {
  int level = -1, unit = -1;
};

struct Arch {
  /// The mapper keeps per-tensor sets of levels as bit masks.
  static constexpr size_t kMaxLevels = 16;

  std::vector<Level> levels; // outermost (DRAM) first
  Compute compute;
  /// Further compute units (unit k >= 1 is units[k - 1]).
  std::vector<Compute> units;
  int64_t datumBits = 8;
  /// How an output's storage below its outermost node is counted
  /// (docs/model.md, "Accesses"): "skip_first" (default, DESIGN.md: every
  /// update reads but a residency's first) or "every_update" (the
  /// reference's: such a node is read and written on every update and on
  /// every partial sum its ancestors send back).
  std::string outputRmw = "skip_first";
  bool everyUpdateReads() const { return outputRmw == "every_update"; }
  /// How fills and accesses are counted (docs/model.md, "Accounting"):
  /// "looptree" (default, DESIGN.md: a tile stays across the innermost
  /// loops above it that do not index it) or "reference" (the FFM
  /// authors' reference model: a tile is refilled on every iteration of
  /// every loop above it, reused only by its node's placement; output
  /// traffic as its drains and refills, a refill written into each
  /// instance of a reducing fanout). "reference" overrides output_rmw.
  std::string accounting = "looptree";
  bool referenceAccounting() const { return accounting == "reference"; }

  int levelIndex(llvm::StringRef name) const;
  size_t numUnits() const { return 1 + units.size(); }
  const Compute &unit(size_t k) const { return k ? units[k - 1] : compute; }
  /// The unit named `name`, or -1.
  int unitIndex(llvm::StringRef name) const;
  /// The innermost level unit k can use.
  size_t unitLevel(size_t k) const;
  /// Whether mappings on unit k may spread loops over level l's fanout:
  /// the levels above its own, and for the primary unit below the
  /// innermost level that level's too (its fanout leads to the MACs;
  /// further units sit beside the fanout of their level).
  bool unitUsesFanout(size_t k, size_t l) const {
    size_t u = unitLevel(k);
    return l < u || (k == 0 && l == u && u + 1 == levels.size());
  }
  /// Instances of unit k in the hardware.
  double unitInstances(size_t k) const;
  /// Instances of level l in the hardware: the product of the fanouts of
  /// the levels above it.
  double instancesOf(size_t l) const;
  /// Leakage of the whole machine, pJ per cycle: every level's and every
  /// compute unit's leakage times their instances.
  double leakagePerCycle() const;
  double datumBytes() const { return datumBits / 8.0; }
  /// A datum of a tensor of `classes` at level l, in data of datum_bits:
  /// what its energy and bandwidth per datum scale by.
  double widthAt(size_t l, unsigned classes) const {
    return levels[l].datumBits.empty()
               ? 1.0
               : levels[l].bitsFor(classes, datumBits) / double(datumBits);
  }
  /// Bytes per datum of a tensor of `classes` at level l.
  double bytesAt(size_t l, unsigned classes) const {
    return datumBytes() * widthAt(l, classes);
  }
  /// The most bytes any datum takes at level l.
  double widestBytesAt(size_t l) const;
  /// Empty when the architecture is sound, else the first problem found,
  /// and in `part` (if given) the level or unit it is about. The #ffm.arch
  /// verifier and the YAML loader both use it.
  std::string validate(ArchPart *part = nullptr) const;
};

/// Parses an architecture from YAML text; errors carry line and column.
llvm::Expected<Arch> parseArchYaml(llvm::StringRef text,
                                   llvm::StringRef bufferName = "<arch>");
/// Reads and parses a YAML architecture file.
llvm::Expected<Arch> loadArchYaml(llvm::StringRef path);

} // namespace ffm

#endif // FFM_ARCH_ARCH_H
