//===- Arch.h - accelerator description as plain C++ ------------*- C++ -*-===//
#ifndef FFM_ARCH_ARCH_H
#define FFM_ARCH_ARCH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ffm {

/// Classes of a tensor as one Einsum accesses it, for keep/bypass rules:
/// an input; the output; a weight (an input no Einsum produces); an
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

/// Parses a rule: class names (input(s), output(s), weight(s),
/// intermediate(s), fused, all) joined by `+` (also these) and `-` (but not
/// these); nullopt when malformed.
std::optional<ClassSet> parseClassSet(llvm::StringRef text);

/// Names of `classes`, for diagnostics ("input, weight").
std::string classNames(unsigned classes);

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

  enum class Reuse { Any, None, Inputs, Outputs };
  /// +1: must keep a tensor of these classes, -1: must bypass it, 0: free.
  int keepRule(unsigned classes) const;
  bool allowsSpatial(llvm::StringRef rank) const;
  Reuse reuseOf(size_t dim) const;
  /// Whether instances along fanout dimension `dim` share one access of a
  /// tensor that the spread rank does not index.
  bool shares(size_t dim, bool isOutput) const {
    Reuse r = reuseOf(dim);
    return r == Reuse::Any || (r == Reuse::Inputs && !isOutput) ||
           (r == Reuse::Outputs && isOutput);
  }
  /// Instances below this level: the product of its fanout dimensions.
  double fanoutInstances() const;
  /// Whether spatial loops using `used` of those instances meet min_usage.
  bool meetsMinUsage(double used) const {
    return used >= minUsage * fanoutInstances() * (1 - 1e-12);
  }
  /// Cycles to move `reads` and `writes` (per instance): each port the
  /// level has (shared, read, write) takes its traffic's time, the level
  /// the longest; 0 without bandwidths.
  double portCycles(double reads, double writes) const;
  /// Empty when the level is sound, else why not.
  std::string validate() const;
};

struct Compute {
  double macEnergy = 0;
  int64_t instances = 1;
  double throughput = 1; // MACs per cycle per instance
  double leakage = 0;    // pJ per cycle per instance
  std::string validate() const;
};

struct Arch {
  /// The mapper keeps per-tensor sets of levels as bit masks.
  static constexpr size_t kMaxLevels = 16;

  std::vector<Level> levels; // outermost (DRAM) first
  Compute compute;
  int64_t datumBits = 8;

  int levelIndex(llvm::StringRef name) const;
  /// Instances of level l in the hardware: the product of the fanouts of
  /// the levels above it.
  double instancesOf(size_t l) const;
  /// Leakage of the whole machine, pJ per cycle: every level's and the
  /// compute units' leakage times their instances.
  double leakagePerCycle() const;
  double datumBytes() const { return datumBits / 8.0; }
  /// Empty when the architecture is sound, else the first problem found.
  /// The #ffm.arch verifier and the YAML loader both use it.
  std::string validate() const;
};

/// Parses an architecture from YAML text; errors carry line and column.
llvm::Expected<Arch> parseArchYaml(llvm::StringRef text,
                                   llvm::StringRef bufferName = "<arch>");
/// Reads and parses a YAML architecture file.
llvm::Expected<Arch> loadArchYaml(llvm::StringRef path);

} // namespace ffm

#endif // FFM_ARCH_ARCH_H
