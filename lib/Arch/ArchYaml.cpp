//===- ArchYaml.cpp - architecture from YAML (LLVM YAML I/O) --------------===//
//
// Format (examples/arch/*.yaml):
//   datum_bits: 8
//   levels:
//     - name: DRAM
//       read_energy: 56.24
//       write_energy: 56.24
//       bandwidth: 584.76
//     - name: GlobalBuffer
//       capacity: 134217728
//       ...
//       fanout: [4]
//       spatial_ranks: [m, n]
//       reuse: [inputs, outputs]     # per fanout dimension
//       keep: [inputs]               # roles it must hold; bypass: [...]
//       datum_bits: {output: 24}     # widths by tensor class, optional
//   compute: {mac_energy: 0.084, instances: 4, throughput: 1}
//   units:                           # further compute units, optional
//     - {name: Vector, level: GlobalBuffer, runs: all - contraction,
//        mac_energy: 0.1, throughput: 16}
//
//===----------------------------------------------------------------------===//
#include "ffm/Arch/Arch.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/YAMLTraits.h"

using namespace ffm;

namespace {
/// A check of a level or of the whole architecture that failed, and where.
/// Kept until the document has been read: a field that fails to parse (a
/// misspelt key, which YAML I/O reports only once the mapping is done, or
/// a bad number) leaves its default behind, and the check would report
/// that default in the field's place.
struct FailedCheck {
  llvm::SMLoc at;
  std::string error;
};

/// What the traits' checks leave for the loader (YAML I/O's context): the
/// checks that failed, and where each level and compute unit was read, in
/// Arch::levels and Arch::unit() order, for the whole's checks to point at
/// the part they are about.
struct Checks {
  std::vector<FailedCheck> failed;
  std::vector<llvm::SMLoc> levels, units;
};

Checks &checks(llvm::yaml::IO &io) {
  return *static_cast<Checks *>(io.getContext());
}

llvm::SMLoc here(llvm::yaml::IO &io) {
  return static_cast<llvm::yaml::Input &>(io)
      .getCurrentNode()
      ->getSourceRange()
      .Start;
}
} // namespace

namespace llvm::yaml {
/// A level's `datum_bits: {class rule: bits, ...}`.
template <>
struct CustomMappingTraits<std::vector<std::pair<std::string, int64_t>>> {
  using Rules = std::vector<std::pair<std::string, int64_t>>;
  static void inputOne(IO &io, StringRef key, Rules &rules) {
    int64_t bits = 0;
    io.mapRequired(key.str().c_str(), bits);
    rules.emplace_back(key.str(), bits);
  }
  static void output(IO &io, Rules &rules) {
    for (auto &[rule, bits] : rules)
      io.mapRequired(rule.c_str(), bits);
  }
};
template <> struct MappingTraits<ffm::Level> {
  static void mapping(IO &io, ffm::Level &level) {
    io.mapRequired("name", level.name);
    io.mapOptional("capacity", level.capacity);
    io.mapRequired("read_energy", level.readEnergy);
    io.mapRequired("write_energy", level.writeEnergy);
    io.mapOptional("bandwidth", level.bandwidth);
    io.mapOptional("read_bandwidth", level.readBandwidth);
    io.mapOptional("write_bandwidth", level.writeBandwidth);
    io.mapOptional("leakage", level.leakage, 0.0);
    io.mapOptional("fanout", level.fanout);
    io.mapOptional("min_usage", level.minUsage, 0.0);
    io.mapOptional("spatial_ranks", level.spatialRanks);
    io.mapOptional("reuse", level.reuse);
    io.mapOptional("keep", level.keep);
    io.mapOptional("bypass", level.bypass);
    io.mapOptional("datum_bits", level.datumBits);
  }
  static std::string validate(IO &io, ffm::Level &level) {
    checks(io).levels.push_back(here(io));
    if (std::string error = level.validate(); !error.empty())
      checks(io).failed.push_back({here(io), std::move(error)});
    return "";
  }
};
template <> struct MappingTraits<ffm::Compute> {
  static void mapping(IO &io, ffm::Compute &compute) {
    io.mapOptional("name", compute.name);
    io.mapOptional("level", compute.level);
    io.mapOptional("runs", compute.runs);
    io.mapRequired("mac_energy", compute.macEnergy);
    io.mapOptional("instances", compute.instances);
    io.mapOptional("throughput", compute.throughput, 1.0);
    io.mapOptional("leakage", compute.leakage, 0.0);
  }
  // `compute`, then `units` (Arch's mapping reads them in that order).
  static std::string validate(IO &io, ffm::Compute &) {
    checks(io).units.push_back(here(io));
    return "";
  }
};
template <> struct MappingTraits<ffm::Arch> {
  static void mapping(IO &io, ffm::Arch &arch) {
    io.mapRequired("levels", arch.levels);
    io.mapRequired("compute", arch.compute);
    io.mapOptional("units", arch.units);
    io.mapOptional("datum_bits", arch.datumBits, int64_t(8));
    io.mapOptional("output_rmw", arch.outputRmw, std::string("skip_first"));
    io.mapOptional("accounting", arch.accounting, std::string("looptree"));
  }
  static std::string validate(IO &io, ffm::Arch &arch) {
    ffm::ArchPart part;
    std::string error = arch.validate(&part);
    if (error.empty())
      return "";
    Checks &seen = checks(io);
    llvm::SMLoc at = here(io);
    if (part.level >= 0 && (size_t)part.level < seen.levels.size())
      at = seen.levels[part.level];
    else if (part.unit >= 0 && (size_t)part.unit < seen.units.size())
      at = seen.units[part.unit];
    seen.failed.push_back({at, std::move(error)});
    return "";
  }
};
} // namespace llvm::yaml

LLVM_YAML_IS_SEQUENCE_VECTOR(ffm::Level)
LLVM_YAML_IS_SEQUENCE_VECTOR(ffm::Compute)

llvm::Expected<Arch> ffm::parseArchYaml(llvm::StringRef text,
                                        llvm::StringRef bufferName) {
  std::string diagnostics;
  llvm::raw_string_ostream diagStream(diagnostics);
  auto handler = [](const llvm::SMDiagnostic &diag, void *ctx) {
    diag.print(nullptr, *static_cast<llvm::raw_string_ostream *>(ctx),
               /*ShowColors=*/false);
  };
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBuffer(text, bufferName),
                        llvm::SMLoc());
  // The traits' checks are reported at the node they checked
  // (checkLater); a document whose root is not a mapping (empty, null, an
  // alias, a scalar or a sequence) has none, and YAML I/O would crash on
  // it, so those are rejected here.
  {
    std::string syntax;
    llvm::raw_string_ostream syntaxStream(syntax);
    sm.setDiagHandler(handler, &syntaxStream);
    llvm::yaml::Stream stream(sm.getMemoryBuffer(1)->getMemBufferRef(), sm);
    llvm::yaml::document_iterator doc = stream.begin();
    llvm::yaml::Node *root = doc != stream.end() ? doc->getRoot() : nullptr;
    bool failed = stream.failed();
    bool empty = !root || llvm::isa<llvm::yaml::NullNode>(root);
    bool mapping = root && llvm::isa<llvm::yaml::MappingNode>(root);
    // One architecture per file: any further document would be read by
    // nothing, silently; empty ones (a trailing `---`) are harmless.
    // (Moving on frees the first one's nodes.)
    if (!failed && doc != stream.end())
      while (++doc != stream.end() && !stream.failed()) {
        llvm::yaml::Node *next = doc->getRoot();
        if (next && !llvm::isa<llvm::yaml::NullNode>(next)) {
          sm.PrintMessage(syntaxStream, next->getSourceRange().Start,
                          llvm::SourceMgr::DK_Error,
                          "an arch file holds one architecture: a second "
                          "YAML document starts here");
          failed = true;
          break;
        }
      }
    failed |= stream.failed();
    sm.setDiagHandler(nullptr, nullptr);
    // YAML I/O would go on to validate a root it could not read, and crash.
    if (failed)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(), "%s",
          syntax.empty() ? "invalid arch YAML" : syntax.c_str());
    if (empty)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%s: empty architecture: expected a mapping with 'levels' and "
          "'compute'",
          bufferName.str().c_str());
    if (!mapping)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%s: the architecture must be a mapping with 'levels' and "
          "'compute'",
          bufferName.str().c_str());
  }
  Arch arch;
  {
    Checks checked;
    llvm::yaml::Input yin(sm.getMemoryBuffer(1)->getMemBufferRef(), &checked,
                          handler, &diagStream);
    yin >> arch;
    if (yin.error())
      return llvm::createStringError(
          yin.error(), "%s",
          diagnostics.empty() ? "invalid arch YAML" : diagnostics.c_str());
    // The first: a level's, before the whole's that repeats it.
    if (!checked.failed.empty()) {
      const FailedCheck &first = checked.failed.front();
      sm.PrintMessage(diagStream, first.at, llvm::SourceMgr::DK_Error,
                      first.error);
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                     diagnostics.c_str());
    }
  }
  // Validation errors from the traits above are reported with positions;
  // this catches any that YAML I/O let through (e.g. an empty document).
  if (std::string err = arch.validate(); !err.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   bufferName.str().c_str(), err.c_str());
  return arch;
}

llvm::Expected<Arch> ffm::loadArchYaml(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read arch file '%s': %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  return parseArchYaml((*buffer)->getBuffer(), path);
}
