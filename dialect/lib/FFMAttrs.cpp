//===- FFMAttrs.cpp - ffm attribute parsing, printing, verification -------===//
#include "ffm/Dialect/FFMDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <cmath>
#include <cstdlib>
#include <cstring>
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace ffm;

llvm::hash_code ffm::hash_value(const MappingNode &node) {
  return llvm::hash_combine(static_cast<int>(node.kind), node.name, node.level,
                            node.count, node.dim, node.haloSpan,
                            node.haloStep);
}

FailureOr<llvm::APFloat> ffm::detail::parseDouble(AsmParser &parser) {
  // A hexadecimal literal is the double's bits, as in MLIR's float
  // attributes (the parser's float hook reads it so, and refuses a minus).
  // Three characters at most: a StringRef of the pointer alone would
  // measure the rest of the file at every number.
  const char *at = parser.getCurrentLocation().getPointer();
  llvm::StringRef ahead(at, strnlen(at, 3));
  if (ahead.consume_front("-"), ahead.starts_with_insensitive("0x")) {
    llvm::APFloat value(0.0);
    if (parser.parseFloat(llvm::APFloat::IEEEdouble(), value))
      return failure();
    return value;
  }
  // Decimal integers are accepted too: "write_energy = 2" means what it
  // says.
  bool negative = succeeded(parser.parseOptionalMinus());
  int64_t integer;
  mlir::OptionalParseResult asInt = parser.parseOptionalInteger(integer);
  if (asInt.has_value()) {
    if (failed(*asInt))
      return failure();
    return llvm::APFloat(static_cast<double>(negative ? -integer : integer));
  }
  double value;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(negative ? -value : value);
}

FailureOr<std::optional<llvm::APFloat>>
ffm::detail::parseOptionalDouble(AsmParser &parser) {
  auto value = parseDouble(parser);
  if (failed(value))
    return failure();
  return std::optional<llvm::APFloat>(*value);
}

void ffm::detail::printDouble(AsmPrinter &printer,
                              const llvm::APFloat &value) {
  // Shortest decimal that parses back to the same double, always with a dot
  // or exponent so the value reads as a float.
  double v = value.convertToDouble();
  std::string text;
  for (int precision = 1; precision <= 17; ++precision) {
    text = llvm::formatv("{0}", llvm::format("%.*g", precision, v)).str();
    if (std::strtod(text.c_str(), nullptr) == v)
      break;
  }
  // MLIR's float literal needs a dot before any exponent.
  if (llvm::StringRef(text).find_first_of(".n") == llvm::StringRef::npos) {
    size_t exp = text.find_first_of("eE");
    if (v == 0)
      text = std::signbit(v) ? "-0.0" : "0.0"; // the sign is a bit too
    else if (v == static_cast<double>(static_cast<int64_t>(v)) &&
             std::abs(v) < 1e15)
      text = std::to_string(static_cast<int64_t>(v)) + ".0";
    else
      text.insert(exp == std::string::npos ? text.size() : exp, ".0");
  }
  printer << text;
}

#define GET_ATTRDEF_CLASSES
#include "ffm/Dialect/FFMAttrs.cpp.inc"

// Registration lives beside the attribute storage it instantiates.
void FFMDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ffm/Dialect/FFMAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

static double toDouble(const llvm::APFloat &f) { return f.convertToDouble(); }

static Level toLevel(StringRef name, std::optional<int64_t> capacity,
                     const llvm::APFloat &readEnergy,
                     const llvm::APFloat &writeEnergy,
                     const std::optional<llvm::APFloat> &bandwidth,
                     const std::optional<llvm::APFloat> &readBandwidth,
                     const std::optional<llvm::APFloat> &writeBandwidth,
                     const std::optional<llvm::APFloat> &leakage,
                     ArrayRef<int64_t> fanout,
                     const std::optional<llvm::APFloat> &minUsage,
                     ArrayRef<StringAttr> spatialRanks,
                     ArrayRef<StringAttr> reuse, ArrayRef<StringAttr> keep,
                     ArrayRef<StringAttr> bypass, DictionaryAttr datumBits) {
  Level level;
  level.name = name.str();
  level.capacity = capacity;
  level.readEnergy = toDouble(readEnergy);
  level.writeEnergy = toDouble(writeEnergy);
  if (bandwidth)
    level.bandwidth = toDouble(*bandwidth);
  if (readBandwidth)
    level.readBandwidth = toDouble(*readBandwidth);
  if (writeBandwidth)
    level.writeBandwidth = toDouble(*writeBandwidth);
  if (leakage)
    level.leakage = toDouble(*leakage);
  level.fanout.assign(fanout.begin(), fanout.end());
  if (minUsage)
    level.minUsage = toDouble(*minUsage);
  auto strings = [](ArrayRef<StringAttr> attrs) {
    std::vector<std::string> out;
    for (StringAttr a : attrs)
      out.push_back(a.str());
    return out;
  };
  level.spatialRanks = strings(spatialRanks);
  level.reuse = strings(reuse);
  level.keep = strings(keep);
  level.bypass = strings(bypass);
  if (datumBits)
    for (NamedAttribute rule : datumBits) {
      auto bits = dyn_cast<IntegerAttr>(rule.getValue());
      // Not an integer: 0, which Level::validate rejects.
      level.datumBits.emplace_back(rule.getName().str(),
                                   bits ? bits.getInt() : 0);
    }
  return level;
}

Level LevelAttr::toLevel() const {
  return ::toLevel(getName(), getCapacity(), getReadEnergy(),
                   getWriteEnergy(), getBandwidth(), getReadBandwidth(),
                   getWriteBandwidth(), getLeakage(), getFanout(),
                   getMinUsage(),
                   getSpatialRanks(), getReuse(), getKeep(), getBypass(),
                   getDatumBits());
}

static std::string str(StringAttr s) { return s ? s.str() : std::string(); }

static Compute toCompute(StringAttr name, StringAttr level, StringAttr runs,
                         const llvm::APFloat &macEnergy,
                         std::optional<int64_t> instances,
                         const llvm::APFloat &throughput,
                         const std::optional<llvm::APFloat> &leakage) {
  return {toDouble(macEnergy), instances,
          toDouble(throughput), leakage ? toDouble(*leakage) : 0.0,
          str(name),           str(level),
          str(runs)};
}

Compute ComputeAttr::toCompute() const {
  return ::toCompute(getName(), getLevel(), getRuns(), getMacEnergy(),
                     getInstances(), getThroughput(), getLeakage());
}

static Arch toArch(ArrayRef<LevelAttr> levels, ComputeAttr compute,
                   ArrayRef<ComputeAttr> units, int64_t datumBits,
                   StringAttr outputRmw, StringAttr accounting) {
  Arch arch;
  for (LevelAttr level : levels)
    arch.levels.push_back(level.toLevel());
  arch.compute = compute.toCompute();
  for (ComputeAttr unit : units)
    arch.units.push_back(unit.toCompute());
  arch.datumBits = datumBits;
  if (outputRmw)
    arch.outputRmw = outputRmw.str();
  if (accounting)
    arch.accounting = accounting.str();
  return arch;
}

Arch ArchAttr::toArch() const {
  return ::toArch(getLevels(), getCompute(), getUnits(), getDatumBits(),
                  getOutputRmw(), getAccounting());
}

static std::optional<llvm::APFloat> optionalDouble(std::optional<double> v) {
  if (!v)
    return std::nullopt;
  return llvm::APFloat(*v);
}

// Absent and 0 mean the same (toLevel, toCompute): 0 is left out, as a
// hand-written attribute would.
static std::optional<llvm::APFloat> unlessZero(double v) {
  return v == 0 && !std::signbit(v) ? std::nullopt
                                     : std::optional<llvm::APFloat>(v);
}

static StringAttr unlessEmpty(MLIRContext *context, const std::string &s) {
  return s.empty() ? StringAttr() : StringAttr::get(context, s);
}

LevelAttr LevelAttr::get(MLIRContext *context, const Level &level) {
  auto strings = [&](const std::vector<std::string> &list) {
    SmallVector<StringAttr> out;
    for (const std::string &s : list)
      out.push_back(StringAttr::get(context, s));
    return out;
  };
  DictionaryAttr datumBits;
  if (!level.datumBits.empty()) {
    Builder b(context);
    SmallVector<NamedAttribute> rules;
    for (const auto &[rule, bits] : level.datumBits)
      rules.push_back(b.getNamedAttr(rule, b.getI64IntegerAttr(bits)));
    datumBits = b.getDictionaryAttr(rules);
  }
  return get(context, level.name, level.capacity,
             llvm::APFloat(level.readEnergy), llvm::APFloat(level.writeEnergy),
             optionalDouble(level.bandwidth),
             optionalDouble(level.readBandwidth),
             optionalDouble(level.writeBandwidth), unlessZero(level.leakage),
             level.fanout, unlessZero(level.minUsage),
             strings(level.spatialRanks), strings(level.reuse),
             strings(level.keep), strings(level.bypass), datumBits);
}

ComputeAttr ComputeAttr::get(MLIRContext *context, const Compute &unit) {
  return get(context, unlessEmpty(context, unit.name),
             unlessEmpty(context, unit.level), unlessEmpty(context, unit.runs),
             llvm::APFloat(unit.macEnergy), unit.instances,
             llvm::APFloat(unit.throughput), unlessZero(unit.leakage));
}

ArchAttr ArchAttr::get(MLIRContext *context, const Arch &arch) {
  SmallVector<LevelAttr> levels;
  for (const Level &level : arch.levels)
    levels.push_back(LevelAttr::get(context, level));
  SmallVector<ComputeAttr> units;
  for (const Compute &unit : arch.units)
    units.push_back(ComputeAttr::get(context, unit));
  // The defaults are left out, as toArch() reads them.
  Arch defaults;
  return get(context, levels, ComputeAttr::get(context, arch.compute), units,
             arch.datumBits,
             arch.outputRmw == defaults.outputRmw
                 ? StringAttr()
                 : StringAttr::get(context, arch.outputRmw),
             arch.accounting == defaults.accounting
                 ? StringAttr()
                 : StringAttr::get(context, arch.accounting));
}

// The rules live in lib/Arch so that YAML architectures obey the same ones.
static LogicalResult check(function_ref<InFlightDiagnostic()> emitError,
                           const std::string &problem) {
  if (problem.empty())
    return success();
  return emitError() << problem;
}

LogicalResult LevelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                StringRef name, std::optional<int64_t> capacity,
                                llvm::APFloat readEnergy,
                                llvm::APFloat writeEnergy,
                                std::optional<llvm::APFloat> bandwidth,
                                std::optional<llvm::APFloat> readBandwidth,
                                std::optional<llvm::APFloat> writeBandwidth,
                                std::optional<llvm::APFloat> leakage,
                                ArrayRef<int64_t> fanout,
                                std::optional<llvm::APFloat> minUsage,
                                ArrayRef<StringAttr> spatialRanks,
                                ArrayRef<StringAttr> reuse,
                                ArrayRef<StringAttr> keep,
                                ArrayRef<StringAttr> bypass,
                                DictionaryAttr datumBits) {
  return check(emitError, ::toLevel(name, capacity, readEnergy, writeEnergy,
                                    bandwidth, readBandwidth, writeBandwidth,
                                    leakage, fanout, minUsage, spatialRanks, reuse,
                                    keep, bypass, datumBits)
                              .validate());
}

LogicalResult
ComputeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                    StringAttr name, StringAttr level, StringAttr runs,
                    llvm::APFloat macEnergy, std::optional<int64_t> instances,
                    llvm::APFloat throughput,
                    std::optional<llvm::APFloat> leakage) {
  return check(emitError, ::toCompute(name, level, runs, macEnergy, instances,
                                      throughput, leakage)
                              .validate());
}

LogicalResult ArchAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<LevelAttr> levels, ComputeAttr compute,
                               ArrayRef<ComputeAttr> units, int64_t datumBits,
                               StringAttr outputRmw, StringAttr accounting) {
  if (!compute || llvm::is_contained(units, ComputeAttr()))
    return emitError() << "arch needs a compute description";
  return check(emitError,
               ::toArch(levels, compute, units, datumBits, outputRmw,
                        accounting)
                   .validate());
}

//===----------------------------------------------------------------------===//
// #ffm.mapping
//===----------------------------------------------------------------------===//

static ParseResult parseName(AsmParser &parser, StringAttr &out) {
  std::string name;
  if (parser.parseKeywordOrString(&name))
    return failure();
  out = StringAttr::get(parser.getContext(), name);
  return success();
}

Attribute MappingAttr::parse(AsmParser &parser, Type) {
  SmallVector<MappingNode> nodes;
  auto parseNode = [&]() -> ParseResult {
    MappingNode node;
    StringRef kw;
    if (parser.parseKeyword(&kw))
      return failure();
    if (kw == "keep") {
      node.kind = MappingNode::Kind::Keep;
      if (parseName(parser, node.name) || parser.parseKeyword("in") ||
          parseName(parser, node.level))
        return failure();
    } else if (kw == "for" || kw == "par") {
      node.kind = kw == "for" ? MappingNode::Kind::Temporal
                              : MappingNode::Kind::Spatial;
      if (parseName(parser, node.name) || parser.parseColon() ||
          parser.parseInteger(node.count))
        return failure();
      if (node.count < 1)
        return parser.emitError(parser.getCurrentLocation(),
                                "loop count must be at least 1");
      if (node.kind == MappingNode::Kind::Spatial &&
          (parser.parseKeyword("in") || parseName(parser, node.level)))
        return failure();
      // `for p : 4 halo 6 step 4`: a halo loop (overlapping tiles).
      if (node.kind == MappingNode::Kind::Temporal &&
          succeeded(parser.parseOptionalKeyword("halo"))) {
        if (parser.parseInteger(node.haloSpan) || parser.parseKeyword("step") ||
            parser.parseInteger(node.haloStep))
          return failure();
        if (node.haloSpan < 1 || node.haloStep < 1)
          return parser.emitError(parser.getCurrentLocation(),
                                  "halo span and step must be at least 1");
      }
      if (node.kind == MappingNode::Kind::Spatial &&
          succeeded(parser.parseOptionalLSquare())) {
        if (parser.parseInteger(node.dim) || parser.parseRSquare())
          return failure();
        if (node.dim < 0)
          return parser.emitError(parser.getCurrentLocation(),
                                  "fanout dimension must be non-negative");
      }
    } else {
      return parser.emitError(parser.getCurrentLocation(),
                              "expected 'keep', 'for' or 'par', got '")
             << kw << "'";
    }
    nodes.push_back(std::move(node));
    return success();
  };
  StringAttr unit;
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     parseNode) ||
      (succeeded(parser.parseOptionalKeyword("on")) &&
       parseName(parser, unit)) ||
      parser.parseGreater())
    return {};
  return MappingAttr::get(parser.getContext(), nodes, unit);
}

static void printName(AsmPrinter &printer, StringAttr name) {
  printer.printKeywordOrString(name.getValue());
}

void MappingAttr::print(AsmPrinter &printer) const {
  printer << "<[";
  llvm::interleaveComma(getNodes(), printer, [&](const MappingNode &node) {
    switch (node.kind) {
    case MappingNode::Kind::Keep:
      printer << "keep ";
      printName(printer, node.name);
      printer << " in ";
      printName(printer, node.level);
      break;
    case MappingNode::Kind::Temporal:
    case MappingNode::Kind::Spatial:
      printer << (node.kind == MappingNode::Kind::Temporal ? "for " : "par ");
      printName(printer, node.name);
      printer << " : " << node.count;
      if (node.haloSpan > 0)
        printer << " halo " << node.haloSpan << " step " << node.haloStep;
      if (node.kind == MappingNode::Kind::Spatial) {
        printer << " in ";
        printName(printer, node.level);
        if (node.dim >= 0)
          printer << "[" << node.dim << "]";
      }
      break;
    }
  });
  printer << "]";
  if (getUnit()) {
    printer << " on ";
    printName(printer, getUnit());
  }
  printer << ">";
}

//===----------------------------------------------------------------------===//
// #ffm.fanout as an scf.forall mapping
//===----------------------------------------------------------------------===//

int64_t FanoutAttr::getMappingId() const { return getDim(); }
bool FanoutAttr::isLinearMapping() const { return false; }
int64_t FanoutAttr::getRelativeIndex() const { return getDim(); }
