//===- FFMDialect.h - ffm dialect ---------------------------------*- C++ -*-===//
#ifndef FFM_DIALECT_FFMDIALECT_H
#define FFM_DIALECT_FFMDIALECT_H

#include "ffm/Arch/Arch.h"
#include "mlir/Dialect/SCF/IR/DeviceMappingInterface.h"
#include "mlir/IR/Attributes.h"
#include "llvm/ADT/APFloat.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include <optional>
#include <string>

namespace ffm {

/// One node of a LoopTree as stored in #ffm.mapping. Names are uniqued
/// StringAttrs: attribute storage never runs destructors, so owning strings
/// here would leak.
struct MappingNode {
  enum class Kind { Keep, Temporal, Spatial };
  Kind kind = Kind::Temporal;
  mlir::StringAttr name;  // tensor (Keep) or rank (loops)
  mlir::StringAttr level; // Keep and Spatial: the memory level
  int64_t count = 1;      // loops: iterations
  /// Spatial: the fanout dimension of `level` (-1: the next unused one).
  int64_t dim = -1;
  /// Temporal: a halo loop's span and step (ffm::MapNode), 0 otherwise.
  int64_t haloSpan = 0, haloStep = 0;

  bool operator==(const MappingNode &o) const {
    return kind == o.kind && name == o.name && level == o.level &&
           count == o.count && dim == o.dim && haloSpan == o.haloSpan &&
           haloStep == o.haloStep;
  }
};
llvm::hash_code hash_value(const MappingNode &node);

namespace detail {
mlir::FailureOr<llvm::APFloat> parseDouble(mlir::AsmParser &parser);
mlir::FailureOr<std::optional<llvm::APFloat>>
parseOptionalDouble(mlir::AsmParser &parser);
void printDouble(mlir::AsmPrinter &printer, const llvm::APFloat &value);
inline bool sameOptional(const std::optional<llvm::APFloat> &a,
                         const std::optional<llvm::APFloat> &b) {
  return a.has_value() == b.has_value() && (!a || a->bitwiseIsEqual(*b));
}

template <typename T>
mlir::FailureOr<llvm::SmallVector<T>> parseList(mlir::AsmParser &parser) {
  llvm::SmallVector<T> elements;
  if (parser.parseCommaSeparatedList(
          mlir::AsmParser::Delimiter::Square, [&]() -> mlir::ParseResult {
            // Strings are kept as uniqued StringAttrs: attribute storage
            // never runs destructors, so std::string elements would leak.
            if constexpr (std::is_same_v<T, mlir::StringAttr>) {
              std::string text;
              if (parser.parseString(&text))
                return mlir::failure();
              elements.push_back(mlir::StringAttr::get(parser.getContext(), text));
            } else {
              auto element = mlir::FieldParser<T>::parse(parser);
              if (mlir::failed(element))
                return mlir::failure();
              elements.push_back(std::move(*element));
            }
            return mlir::success();
          }))
    return mlir::failure();
  return elements;
}

template <typename T>
void printList(mlir::AsmPrinter &printer, llvm::ArrayRef<T> elements) {
  printer << '[';
  llvm::interleaveComma(elements, printer, [&](const T &e) {
    if constexpr (std::is_same_v<T, mlir::StringAttr>)
      printer.printString(e.getValue());
    else
      printer << e;
  });
  printer << ']';
}
} // namespace detail
} // namespace ffm

#include "ffm/Dialect/FFMDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ffm/Dialect/FFMAttrs.h.inc"

#endif // FFM_DIALECT_FFMDIALECT_H
