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
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace ffm;

llvm::hash_code ffm::hash_value(const MappingNode &node) {
  return llvm::hash_combine(static_cast<int>(node.kind), node.name, node.level,
                            node.count);
}

FailureOr<llvm::APFloat> ffm::detail::parseDouble(AsmParser &parser) {
  // Integers are accepted too: "write_energy = 2" means what it says.
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
    if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 1e15)
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

LogicalResult LevelAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                StringRef name, std::optional<int64_t> capacity,
                                llvm::APFloat readEnergyF,
                                llvm::APFloat writeEnergyF,
                                std::optional<llvm::APFloat> bandwidth,
                                ArrayRef<int64_t> fanout,
                                ArrayRef<std::string> spatialRanks) {
  if (name.empty())
    return emitError() << "memory level needs a non-empty name";
  if (capacity && *capacity <= 0)
    return emitError() << "level '" << name
                       << "': capacity must be positive, got " << *capacity;
  if (readEnergyF.isNegative() || writeEnergyF.isNegative())
    return emitError() << "level '" << name
                       << "': energies must be non-negative";
  if (bandwidth && (bandwidth->isNegative() || bandwidth->isZero() ||
                    bandwidth->isNaN()))
    return emitError() << "level '" << name
                       << "': bandwidth must be positive";
  for (int64_t f : fanout)
    if (f < 1)
      return emitError() << "level '" << name
                         << "': fanout must be at least 1, got " << f;
  if (!spatialRanks.empty() && fanout.empty())
    return emitError() << "level '" << name
                       << "': spatial_ranks given without a fanout";
  return success();
}

LogicalResult
ComputeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                    llvm::APFloat macEnergy, int64_t instances,
                    llvm::APFloat throughput) {
  if (macEnergy.isNegative())
    return emitError() << "compute: mac_energy must be non-negative";
  if (instances < 1)
    return emitError() << "compute: instances must be at least 1, got "
                       << instances;
  if (throughput.isNegative() || throughput.isZero() || throughput.isNaN())
    return emitError() << "compute: throughput must be positive";
  return success();
}

LogicalResult ArchAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<LevelAttr> levels, ComputeAttr compute,
                               int64_t datumBits) {
  if (levels.empty())
    return emitError() << "arch needs at least one memory level (DRAM)";
  if (!compute)
    return emitError() << "arch needs a compute description";
  if (levels.front().getCapacity())
    return emitError() << "outermost level '" << levels.front().getName()
                       << "' must be unbounded (DRAM): omit its capacity";
  llvm::StringSet<> names;
  int64_t instances = 1;
  for (auto [i, level] : llvm::enumerate(levels)) {
    if (!names.insert(level.getName()).second)
      return emitError() << "duplicate level name '" << level.getName()
                         << "'";
    if (i > 0 && !level.getCapacity())
      return emitError() << "level '" << level.getName()
                         << "' is unbounded; only the outermost level may be";
    // Inner levels are smaller: a level larger than the one holding it is
    // almost always a unit slip or levels listed innermost first.
    if (i > 1 && *level.getCapacity() > *levels[i - 1].getCapacity())
      return emitError() << "levels are not ordered outermost first: '"
                         << level.getName() << "' (" << *level.getCapacity()
                         << " bytes) is larger than '"
                         << levels[i - 1].getName() << "' ("
                         << *levels[i - 1].getCapacity() << " bytes)";
    for (int64_t f : level.getFanout())
      instances *= f;
  }
  if (compute.getInstances() != instances)
    return emitError() << "compute instances (" << compute.getInstances()
                       << ") must equal the product of the level fanouts ("
                       << instances << ")";
  if (datumBits < 1)
    return emitError() << "datum_bits must be positive, got " << datumBits;
  return success();
}

//===----------------------------------------------------------------------===//
// #ffm.mapping
//===----------------------------------------------------------------------===//

static ParseResult parseName(AsmParser &parser, std::string &out) {
  return parser.parseKeywordOrString(&out);
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
    } else {
      return parser.emitError(parser.getCurrentLocation(),
                              "expected 'keep', 'for' or 'par', got '")
             << kw << "'";
    }
    nodes.push_back(std::move(node));
    return success();
  };
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     parseNode) ||
      parser.parseGreater())
    return {};
  return MappingAttr::get(parser.getContext(), nodes);
}

static void printName(AsmPrinter &printer, StringRef name) {
  printer.printKeywordOrString(name);
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
      if (node.kind == MappingNode::Kind::Spatial) {
        printer << " in ";
        printName(printer, node.level);
      }
      break;
    }
  });
  printer << "]>";
}
