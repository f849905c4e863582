//===- Support.cpp - between IR attributes and the IR-free mapper ---------===//
#include "ffm/Transforms/Support.h"
#include "ffm/Transforms/EinsumGraphAnalysis.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"

using namespace mlir;
using namespace ffm;

std::optional<std::string> ffm::finishOutput(llvm::raw_fd_ostream &os,
                                             StringRef path) {
  if (path == "-")
    os.flush();
  else
    os.close();
  if (!os.has_error())
    return std::nullopt;
  std::string message = os.error().message();
  os.clear_error();
  return message;
}

/// Calls `visit(i)` at each offset of MLIR source `text` outside comments
/// and strings, in order, until it returns true: that offset.
template <typename Visit>
static std::optional<size_t> scanCode(StringRef text, Visit visit) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : 0;
    if (c == '/' && next == '/') {
      i = text.find('\n', i);
      if (i == StringRef::npos)
        break;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (visit(i)) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> ffm::findExcessiveNesting(StringRef text,
                                                unsigned maxDepth) {
  unsigned depth = 0;
  return scanCode(text, [&](size_t i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : 0;
    if (c == '(' || c == '[' || c == '{' || (c == '<' && next != '='))
      return ++depth > maxDepth;
    if (c == ')' || c == ']' || c == '}' ||
        (c == '>' && next != '=' && (i == 0 || text[i - 1] != '-')))
      depth = depth ? depth - 1 : 0;
    return false;
  });
}

std::optional<size_t> ffm::findNonDictionaryProperties(StringRef text) {
  static constexpr StringLiteral kDialect = "linalg.";
  std::optional<size_t> less;
  scanCode(text, [&](size_t i) {
    // An op name in custom form starts a line or follows `=`; after `#`,
    // `!`, `%`, `@`, `^` or within an identifier it is an attribute, a
    // type or a name that merely reads so.
    if (!text.substr(i).starts_with(kDialect) ||
        (i > 0 && !llvm::isSpace(text[i - 1]) && text[i - 1] != '='))
      return false;
    size_t end = i + kDialect.size();
    while (end < text.size() &&
           (llvm::isAlnum(text[end]) || text[end] == '_' || text[end] == '.'))
      ++end;
    StringRef rest = text.substr(end).ltrim();
    if (!rest.starts_with("<") || rest.drop_front().ltrim().starts_with("{"))
      return false;
    less = text.size() - rest.size();
    return true;
  });
  return less;
}

FailureOr<std::optional<Arch>> ffm::lookupArch(func::FuncOp func,
                                               StringRef archFile) {
  if (!archFile.empty()) {
    llvm::Expected<Arch> arch = loadArchYaml(archFile);
    if (!arch) {
      std::string msg = llvm::toString(arch.takeError());
      return emitError(func.getLoc(), "ffm: invalid arch-file: ") << msg;
    }
    return std::optional<Arch>(std::move(*arch));
  }
  for (Operation *op = func; op; op = op->getParentOp())
    if (Attribute attr = op->getAttr(kArchAttr)) {
      auto arch = dyn_cast<ArchAttr>(attr);
      if (!arch)
        return op->emitError("ffm: 'ffm.arch' must be an #ffm.arch "
                             "attribute, got ")
               << attr;
      return std::optional<Arch>(arch.toArch());
    }
  return std::optional<Arch>();
}

FailureOr<std::optional<Arch>>
ffm::lookupArchOrRemark(func::FuncOp func, StringRef archFile, StringRef pass,
                        StringRef consequence) {
  FailureOr<std::optional<Arch>> arch = lookupArch(func, archFile);
  if (succeeded(arch) && !*arch)
    emitRemark(func.getLoc())
        << pass
        << ": no architecture (no #ffm.arch attribute and no arch-file); "
        << consequence;
  return arch;
}

FailureOr<std::optional<PassInputs>>
ffm::preparePass(func::FuncOp func, StringRef archFile, StringRef pass,
                 StringRef consequence,
                 llvm::function_ref<EinsumGraphAnalysis &()> getGraph) {
  FailureOr<std::optional<Arch>> arch =
      lookupArchOrRemark(func, archFile, pass, consequence);
  if (failed(arch))
    return failure();
  if (!*arch)
    return std::optional<PassInputs>();
  EinsumGraphAnalysis &graph = getGraph();
  if (!graph.isValid())
    return failure();
  return std::optional<PassInputs>(PassInputs{std::move(**arch), &graph});
}

MappingAttr ffm::toAttr(MLIRContext *ctx, const Mapping &mapping,
                        const Workload &w, int einsum, const Arch &arch) {
  const Einsum &e = w.einsums[einsum];
  auto accesses = e.accesses();
  SmallVector<MappingNode> nodes;
  for (const MapNode &n : mapping.nodes) {
    MappingNode node;
    switch (n.kind) {
    case MapNode::Keep:
      node.kind = MappingNode::Kind::Keep;
      node.name = StringAttr::get(ctx, w.tensors[accesses[n.access]->tensor].name);
      node.level = StringAttr::get(ctx, arch.levels[n.level].name);
      break;
    case MapNode::Temporal:
    case MapNode::Spatial:
      node.kind = n.kind == MapNode::Temporal ? MappingNode::Kind::Temporal
                                              : MappingNode::Kind::Spatial;
      node.name = StringAttr::get(ctx, e.ranks[n.rank].name);
      node.count = n.factor;
      node.haloSpan = n.haloSpan;
      node.haloStep = n.haloStep;
      if (n.kind == MapNode::Spatial) {
        node.level = StringAttr::get(ctx, arch.levels[n.level].name);
        node.dim = n.dim;
      }
      break;
    }
    nodes.push_back(std::move(node));
  }
  StringAttr unit;
  if (arch.numUnits() > 1)
    unit = StringAttr::get(ctx, arch.unit(mapping.unit).displayName());
  return MappingAttr::get(ctx, nodes, unit);
}

FailureOr<Mapping> ffm::fromAttr(MappingAttr attr, const Workload &w,
                                 int einsum, const Arch &arch,
                                 Operation *diagOp) {
  const Einsum &e = w.einsums[einsum];
  auto accesses = e.accesses();
  Mapping mapping;
  if (StringAttr unit = attr.getUnit()) {
    mapping.unit = arch.unitIndex(unit.getValue());
    if (mapping.unit < 0)
      return diagOp->emitError("ffm: mapping runs on compute unit '")
             << unit.getValue() << "', which the architecture does not have";
  }
  // Spatial loops of one level take its fanout dimensions in order.
  std::vector<int> nextDim(arch.levels.size(), 0);
  for (const MappingNode &node : attr.getNodes()) {
    MapNode n;
    if (node.kind == MappingNode::Kind::Keep) {
      n.kind = MapNode::Keep;
      for (auto [a, acc] : llvm::enumerate(accesses))
        if (w.tensors[acc->tensor].name == node.name.getValue())
          n.access = a;
      if (n.access < 0)
        return diagOp->emitError("ffm: mapping keeps '")
               << node.name.getValue() << "', which is not a tensor of this op";
    } else {
      n.kind = node.kind == MappingNode::Kind::Temporal ? MapNode::Temporal
                                                        : MapNode::Spatial;
      for (auto [r, rank] : llvm::enumerate(e.ranks))
        if (rank.name == node.name.getValue())
          n.rank = r;
      if (n.rank < 0)
        return diagOp->emitError("ffm: mapping loops over '")
               << node.name.getValue() << "', which is not a rank of this op";
      n.factor = node.count;
      n.haloSpan = node.haloSpan;
      n.haloStep = node.haloStep;
    }
    if (node.kind != MappingNode::Kind::Temporal) {
      n.level = arch.levelIndex(node.level.getValue());
      if (n.level < 0)
        return diagOp->emitError("ffm: mapping names level '")
               << node.level.getValue() << "', which the architecture does not have";
      if (n.kind == MapNode::Spatial)
        n.dim = node.dim >= 0 ? node.dim : nextDim[n.level]++;
    }
    mapping.nodes.push_back(n);
  }
  return mapping;
}

/// Elements of a statically shaped value, or nullopt. Counted in doubles,
/// as the model counts: getNumElements() wraps past 2^63 (a 2^32 x 2^32
/// slice moved nothing).
static std::optional<double> elements(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return std::nullopt;
  double n = 1;
  for (int64_t d : type.getShape())
    n *= double(d);
  return n;
}

/// Whether `op` is a move its folder removes (a pad by nothing, a slice
/// or an insert of the whole tensor, a concatenation of one): no data
/// moves, and the rewrite's cleanup (or --canonicalize) leaves none to
/// read back.
static bool foldsAway(Operation *op) {
  auto whole = [](auto slice) {
    return llvm::all_of(slice.getStaticOffsets(),
                        [](int64_t o) { return o == 0; }) &&
           llvm::all_of(slice.getStaticStrides(),
                        [](int64_t s) { return s == 1; });
  };
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    return !pad.getNofold() && pad.getResultType().hasStaticShape() &&
           pad.getResultType() == pad.getSourceType();
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return slice.getSourceType().hasStaticShape() &&
           slice.getSourceType() == slice.getResultType() && whole(slice);
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
    return insert.getSourceType().hasStaticShape() &&
           insert.getSourceType() == insert.getResultType() && whole(insert);
  if (auto concat = dyn_cast<tensor::ConcatOp>(op))
    return concat.getInputs().size() == 1 &&
           concat.getInputs()[0].getType() == concat.getResultType();
  return false;
}

/// (elements read, elements written) by a data-movement op, or nullopt
/// when it is not one, moves nothing, or a shape is dynamic.
static std::optional<std::pair<double, double>> movedElements(Operation *op) {
  if (foldsAway(op))
    return std::nullopt;
  auto both = [](std::optional<double> reads, std::optional<double> writes)
      -> std::optional<std::pair<double, double>> {
    if (!reads || !writes)
      return std::nullopt;
    return std::make_pair(*reads, *writes);
  };
  if (auto pad = dyn_cast<tensor::PadOp>(op))
    return both(elements(pad.getSource()), elements(pad.getResult()));
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return both(elements(slice.getResult()), elements(slice.getResult()));
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
    return both(elements(insert.getSource()), elements(insert.getSource()));
  if (auto concat = dyn_cast<tensor::ConcatOp>(op)) {
    double reads = 0.0;
    for (Value in : concat.getInputs()) {
      std::optional<double> n = elements(in);
      if (!n)
        return std::nullopt;
      reads += *n;
    }
    return both(reads, elements(concat.getResult()));
  }
  return std::nullopt;
}

Evaluation ffm::evaluateMoves(func::FuncOp func, const Arch &arch) {
  Evaluation total;
  func.walk([&](Operation *op) {
    std::optional<std::pair<double, double>> moved = movedElements(op);
    if (!moved)
      return;
    Evaluation ev = evaluateMove(arch, moved->first, moved->second);
    total.energy += ev.energy;
    total.latency += ev.latency;
    total.leakageEnergy += ev.leakageEnergy;
  });
  return total;
}
