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

/// One memory level. Capacity in bytes per instance (nullopt: unbounded);
/// energies in pJ per datum; bandwidth in data per cycle per instance.
struct Level {
  std::string name;
  std::optional<int64_t> capacity;
  double readEnergy = 0, writeEnergy = 0;
  std::optional<double> bandwidth;
  /// Spatial dimensions of the instances below this level.
  std::vector<int64_t> fanout;
  /// Rank variables allowed on the fanout (empty: any).
  std::vector<std::string> spatialRanks;

  bool allowsSpatial(llvm::StringRef rank) const;
  /// Empty when the level is sound, else why not.
  std::string validate() const;
};

struct Compute {
  double macEnergy = 0;
  int64_t instances = 1;
  double throughput = 1; // MACs per cycle per instance
  std::string validate() const;
};

struct Arch {
  std::vector<Level> levels; // outermost (DRAM) first
  Compute compute;
  int64_t datumBits = 8;

  int levelIndex(llvm::StringRef name) const;
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
