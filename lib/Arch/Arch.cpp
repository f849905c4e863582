//===- Arch.cpp - architecture validation ---------------------------------===//
#include "ffm/Arch/Arch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <cmath>

using namespace ffm;

bool Level::allowsSpatial(llvm::StringRef rank) const {
  return spatialRanks.empty() || llvm::is_contained(spatialRanks, rank);
}

/// Parses names joined by `+` and `-`, each name's bits given by `bitsOf`
/// (0: not a name).
static std::optional<ClassSet>
parseNamedSet(llvm::StringRef text,
              llvm::function_ref<unsigned(llvm::StringRef)> bitsOf) {
  ClassSet set;
  bool exclude = false;
  while (true) {
    text = text.ltrim();
    size_t end = text.find_first_of("+-");
    unsigned cls = bitsOf(text.substr(0, end).trim());
    if (!cls)
      return std::nullopt;
    (exclude ? set.exclude : set.include) |= cls;
    if (end == llvm::StringRef::npos)
      return set;
    // Everything after the first `-` is excluded.
    exclude |= text[end] == '-';
    text = text.substr(end + 1);
  }
}

/// parseNamedSet, once per text and thread: the model asks the rules of
/// every mapping it evaluates, and an architecture has a handful of them.
static std::optional<ClassSet>
parseOnce(llvm::StringMap<std::optional<ClassSet>> &parsed,
          llvm::StringRef text,
          llvm::function_ref<unsigned(llvm::StringRef)> bitsOf) {
  if (parsed.size() > 256)
    parsed.clear(); // texts read once (a fuzzer's, say) do not pile up
  auto [it, fresh] = parsed.try_emplace(text);
  if (fresh)
    it->second = parseNamedSet(text, bitsOf);
  return it->second;
}

std::optional<ClassSet> ffm::parseClassSet(llvm::StringRef text) {
  thread_local llvm::StringMap<std::optional<ClassSet>> parsed;
  return parseOnce(parsed, text, [](llvm::StringRef name) {
    return llvm::StringSwitch<unsigned>(name)
        .Cases({"input", "inputs"}, kInputClass)
        .Cases({"output", "outputs"}, kOutputClass)
        .Cases({"weight", "weights"}, kWeightClass)
        .Cases({"intermediate", "intermediates"}, kIntermediateClass)
        .Case("fused", kFusedClass)
        .Case("all", kAllClasses)
        .Default(0);
  });
}

std::optional<ClassSet> ffm::parseKindSet(llvm::StringRef text) {
  thread_local llvm::StringMap<std::optional<ClassSet>> parsed;
  return parseOnce(parsed, text, [](llvm::StringRef name) {
    return llvm::StringSwitch<unsigned>(name)
        .Cases({"contraction", "contractions"}, kContractionKind)
        .Cases({"reduction", "reductions"}, kReductionKind)
        .Case("elementwise", kElementwiseKind)
        .Case("unary", kUnaryKind)
        .Case("all", kAllKinds)
        .Default(0);
  });
}

std::string ffm::kindNames(unsigned kinds) {
  std::vector<std::string> names;
  for (auto [bit, name] : {std::pair{kContractionKind, "contraction"},
                           {kReductionKind, "reduction"},
                           {kElementwiseKind, "elementwise"},
                           {kUnaryKind, "unary"}})
    if (kinds & bit)
      names.push_back(name);
  return llvm::join(names, ", ");
}

bool Compute::runsKinds(unsigned kinds) const {
  if (runs.empty())
    return true;
  std::optional<ClassSet> set = parseKindSet(runs);
  return set && set->matches(kinds);
}

std::string ffm::classNames(unsigned classes) {
  std::vector<std::string> names;
  for (auto [bit, name] :
       {std::pair{kInputClass, "input"}, {kOutputClass, "output"},
        {kWeightClass, "weight"}, {kIntermediateClass, "intermediate"},
        {kFusedClass, "fused"}})
    if (classes & bit)
      names.push_back(name);
  return llvm::join(names, ", ");
}

int Level::keepRule(unsigned classes) const {
  auto any = [&](const std::vector<std::string> &rules) {
    return llvm::any_of(rules, [&](const std::string &r) {
      std::optional<ClassSet> set = parseClassSet(r);
      return set && set->matches(classes);
    });
  };
  if (any(bypass))
    return -1;
  return any(keep) ? 1 : 0;
}

int64_t Level::bitsFor(unsigned classes, int64_t archBits) const {
  int64_t bits = 0;
  for (const auto &[rule, width] : datumBits) {
    std::optional<ClassSet> set = parseClassSet(rule);
    if (set && set->matches(classes))
      bits = std::max(bits, width);
  }
  return bits ? bits : archBits;
}

double Arch::widestBytesAt(size_t l) const {
  int64_t bits = datumBits;
  for (const auto &rule : levels[l].datumBits)
    bits = std::max(bits, rule.second);
  return bits / 8.0;
}

Level::Reuse Level::reuseOf(size_t dim) const {
  if (dim >= reuse.size())
    return Reuse::Any;
  llvm::StringRef r = reuse[dim];
  return r == "any"       ? Reuse::Any
         : r == "none"    ? Reuse::None
         : r == "inputs"  ? Reuse::Inputs
         : r == "outputs" ? Reuse::Outputs
                          : Reuse::Classes;
}

bool Level::shares(size_t dim, bool isOutput, unsigned classes) const {
  switch (reuseOf(dim)) {
  case Reuse::Any:
    return true;
  case Reuse::None:
    return false;
  case Reuse::Inputs:
    return !isOutput;
  case Reuse::Outputs:
    return isOutput;
  case Reuse::Classes: {
    std::optional<ClassSet> set = parseClassSet(reuse[dim]);
    return set && set->matches(classes);
  }
  }
  return false;
}

std::string Level::validate() const {
  if (name.empty())
    return "memory level needs a non-empty name";
  if (capacity && *capacity <= 0)
    return llvm::formatv("level '{0}': capacity must be positive, got {1}",
                         name, *capacity);
  if (readEnergy < 0 || writeEnergy < 0 || std::isnan(readEnergy) ||
      std::isnan(writeEnergy))
    return llvm::formatv("level '{0}': energies must be non-negative", name);
  if (!(leakage >= 0))
    return llvm::formatv("level '{0}': leakage must be non-negative", name);
  for (const std::optional<double> &bw :
       {bandwidth, readBandwidth, writeBandwidth})
    if (bw && !(*bw > 0))
      return llvm::formatv("level '{0}': bandwidths must be positive", name);
  // A number too large for a double reads as infinity, which the model
  // would multiply by zero traffic (NaN) or report as no figure at all.
  for (std::optional<double> v :
       {std::optional<double>(readEnergy), std::optional<double>(writeEnergy),
        std::optional<double>(leakage), bandwidth, readBandwidth,
        writeBandwidth})
    if (v && std::isinf(*v))
      return llvm::formatv("level '{0}': energies, leakage and bandwidths "
                           "must be finite (leave a bandwidth out for no "
                           "limit)",
                           name);
  if (!(minUsage >= 0 && minUsage <= 1))
    return llvm::formatv("level '{0}': min_usage must be between 0 and 1, "
                         "got {1}",
                         name, llvm::format("%g", minUsage));
  for (int64_t f : fanout)
    if (f < 1)
      return llvm::formatv("level '{0}': fanout must be at least 1, got {1}",
                           name, f);
  if (!spatialRanks.empty() && fanout.empty())
    return llvm::formatv("level '{0}': spatial_ranks given without a fanout",
                         name);
  if (!reuse.empty() && reuse.size() != fanout.size())
    return llvm::formatv("level '{0}': reuse lists {1} entries for {2} "
                         "fanout dimensions",
                         name, reuse.size(), fanout.size());
  for (const std::vector<std::string> *roles : {&keep, &bypass})
    for (const std::string &role : *roles)
      if (!parseClassSet(role))
        return llvm::formatv("level '{0}': keep/bypass set '{1}' is not "
                             "classes (input, output, weight, intermediate, "
                             "fused, all) joined by + and -",
                             name, role);
  for (const auto &[rule, bits] : datumBits) {
    if (!parseClassSet(rule))
      return llvm::formatv("level '{0}': datum_bits rule '{1}' is not "
                           "classes (input, output, weight, intermediate, "
                           "fused, all) joined by + and -",
                           name, rule);
    if (bits < 1 || bits > kMaxDatumBits)
      return llvm::formatv("level '{0}': datum_bits of '{1}' must be an "
                           "integer from 1 to {2}, got {3}",
                           name, rule, kMaxDatumBits, bits);
  }
  for (const std::string &role : keep)
    if (llvm::is_contained(bypass, role))
      return llvm::formatv("level '{0}': '{1}' both kept and bypassed", name,
                           role);
  for (const std::string &r : reuse)
    if (r != "any" && r != "none" && r != "inputs" && r != "outputs" &&
        !parseClassSet(r))
      return llvm::formatv("level '{0}': reuse '{1}' is none of any, none, "
                           "inputs, outputs, nor a class set (input, "
                           "output, weight, intermediate, all, joined by "
                           "+ and -)",
                           name, r);
  return "";
}

std::string Compute::validate() const {
  std::string who = llvm::formatv("compute unit '{0}'", displayName());
  if (!(macEnergy >= 0))
    return who + ": mac_energy must be non-negative";
  if (instances && *instances < 1)
    return llvm::formatv("{0}: instances must be at least 1, got {1}", who,
                         *instances);
  if (!(throughput > 0))
    return who + ": throughput must be positive";
  if (!(leakage >= 0))
    return who + ": leakage must be non-negative";
  if (std::isinf(macEnergy) || std::isinf(throughput) || std::isinf(leakage))
    return who + ": mac_energy, throughput and leakage must be finite";
  if (!runs.empty()) {
    std::optional<ClassSet> set = parseKindSet(runs);
    if (!set)
      return llvm::formatv("{0}: runs '{1}' is not Einsum kinds "
                           "(contraction, reduction, elementwise, unary, "
                           "all) joined by + and -",
                           who, runs);
    // Every Einsum has one of these kind combinations: a rule matching
    // none of them leaves the unit nothing to run.
    unsigned combos[] = {kContractionKind, kReductionKind | kUnaryKind,
                         kElementwiseKind, kElementwiseKind | kUnaryKind};
    if (llvm::none_of(combos, [&](unsigned k) { return set->matches(k); }))
      return llvm::formatv("{0}: runs '{1}' matches no Einsum", who, runs);
  }
  return "";
}

int Arch::unitIndex(llvm::StringRef name) const {
  for (size_t k = 0; k < numUnits(); ++k)
    if (unit(k).displayName() == name)
      return k;
  return -1;
}

size_t Arch::unitLevel(size_t k) const {
  int l = unit(k).level.empty() ? -1 : levelIndex(unit(k).level);
  return l < 0 ? levels.size() - 1 : l;
}

double Arch::unitInstances(size_t k) const {
  size_t u = unitLevel(k);
  return instancesOf(u) *
         (unitUsesFanout(k, u) ? levels[u].fanoutInstances() : 1);
}

double Level::fanoutInstances() const {
  double n = 1;
  for (int64_t f : fanout)
    n *= f;
  return n;
}

double Arch::instancesOf(size_t l) const {
  double n = 1;
  for (size_t above = 0; above < l; ++above)
    n *= levels[above].fanoutInstances();
  return n;
}

double Arch::leakagePerCycle() const {
  double pj = 0;
  for (size_t k = 0; k < numUnits(); ++k)
    pj += unit(k).leakage * unitInstances(k);
  for (size_t l = 0; l < levels.size(); ++l)
    pj += levels[l].leakage * instancesOf(l);
  return pj;
}

int Arch::levelIndex(llvm::StringRef name) const {
  for (auto [i, level] : llvm::enumerate(levels))
    if (level.name == name)
      return i;
  return -1;
}

std::string Arch::validate(ArchPart *part) const {
  ArchPart none;
  if (!part)
    part = &none;
  // The message, with the level or unit it is about.
  auto inLevel = [&](size_t i, std::string message) {
    part->level = (int)i;
    return message;
  };
  auto inUnit = [&](size_t k, std::string message) {
    part->unit = (int)k;
    return message;
  };
  if (levels.empty())
    return "arch needs at least one memory level (DRAM)";
  if (levels.size() > kMaxLevels)
    return inLevel(kMaxLevels,
                   llvm::formatv("arch has {0} memory levels; at most {1} "
                                 "are supported",
                                 levels.size(), kMaxLevels));
  for (auto [i, level] : llvm::enumerate(levels))
    if (std::string err = level.validate(); !err.empty())
      return inLevel(i, err);
  for (size_t k = 0; k < numUnits(); ++k)
    if (std::string err = unit(k).validate(); !err.empty())
      return inUnit(k, err);
  if (levels.front().capacity)
    return inLevel(0, llvm::formatv("outermost level '{0}' must be "
                                    "unbounded (DRAM): omit its capacity",
                                    levels.front().name));
  llvm::StringSet<> names;
  int64_t instances = 1;
  for (auto [i, level] : llvm::enumerate(levels)) {
    if (!names.insert(level.name).second)
      return inLevel(i, llvm::formatv("duplicate level name '{0}'",
                                      level.name));
    if (i == 0 && (!level.keep.empty() || !level.bypass.empty()))
      return inLevel(i, llvm::formatv("outermost level '{0}' takes no "
                                      "keep/bypass rules: what it holds "
                                      "follows from fusion",
                                      level.name));
    if (i > 0 && !level.capacity)
      return inLevel(
          i, llvm::formatv(
                 "level '{0}' is unbounded; only the outermost level may be",
                 level.name));
    // Inner levels are smaller: a level larger than the one holding it is
    // almost always a unit slip or levels listed innermost first. Levels
    // with class rules need not nest (Eyeriss's per-tensor scratchpads).
    auto hasRules = [](const Level &l) {
      return !l.keep.empty() || !l.bypass.empty();
    };
    if (i > 1 && !hasRules(level) && !hasRules(levels[i - 1]) &&
        *level.capacity > *levels[i - 1].capacity)
      return inLevel(
          i, llvm::formatv("levels are not ordered outermost first: '{0}' "
                           "({1} bytes) is larger than '{2}' ({3} bytes)",
                           level.name, *level.capacity, levels[i - 1].name,
                           *levels[i - 1].capacity));
    for (int64_t f : level.fanout)
      if (__builtin_mul_overflow(instances, f, &instances))
        return inLevel(i, "the product of the level fanouts overflows");
  }
  llvm::StringSet<> unitNames;
  for (size_t k = 0; k < numUnits(); ++k) {
    const Compute &c = unit(k);
    if (!unitNames.insert(c.displayName()).second)
      return inUnit(k, llvm::formatv("duplicate compute unit name '{0}'",
                                     c.displayName()));
    if (!c.level.empty() && levelIndex(c.level) < 0)
      return inUnit(k, llvm::formatv("compute unit '{0}' sits below level "
                                     "'{1}', which the architecture does "
                                     "not have",
                                     c.displayName(), c.level));
    if (k > 0 && c.level.empty())
      return inUnit(k, llvm::formatv("compute unit '{0}': name the level it "
                                     "sits below",
                                     c.displayName()));
    if (c.instances && *c.instances != unitInstances(k))
      return inUnit(
          k, llvm::formatv("compute unit '{0}' has {1} instances, but the "
                           "levels above it give {2}",
                           c.displayName(), *c.instances,
                           llvm::format("%g", unitInstances(k))));
  }
  if (accounting != "looptree" && accounting != "reference")
    return llvm::formatv("accounting must be looptree or reference, got "
                         "'{0}'",
                         accounting);
  if (outputRmw != "skip_first" && outputRmw != "every_update")
    return llvm::formatv("output_rmw must be skip_first or every_update, "
                         "got '{0}'",
                         outputRmw);
  if (datumBits < 1 || datumBits > kMaxDatumBits)
    return llvm::formatv("datum_bits must be from 1 to {0}, got {1}",
                         kMaxDatumBits, datumBits);
  return "";
}
