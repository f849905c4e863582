//===- Workload.cpp - Einsum graph helpers --------------------------------===//
#include "ffm/Workload/Workload.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <limits>

using namespace ffm;

bool TensorAccess::projects(int rank) const {
  return llvm::is_contained(dimRanks, rank);
}

TensorAccess TensorAccess::onDims(llvm::ArrayRef<int> under,
                                  size_t rank) const {
  TensorAccess out = *this;
  out.dimRanks.assign(rank, -1);
  if (hasWindows())
    out.windows.assign(rank, {});
  for (auto [d, u] : llvm::enumerate(under))
    if (u >= 0) {
      out.dimRanks[u] = dimRanks[d];
      if (hasWindows())
        out.windows[u] = windows[d];
    }
  return out;
}

bool TensorAccess::indexedBy(int rank) const {
  if (projects(rank))
    return true;
  for (const std::vector<WindowTerm> &window : windows)
    for (const WindowTerm &t : window)
      if (t.rank == rank)
        return true;
  return false;
}

double TensorAccess::accessedElements(llvm::ArrayRef<RankVar> bounds) const {
  double size = 1;
  for (size_t d = 0; d < dimRanks.size(); ++d) {
    if (dimRanks[d] != kWindow) {
      size *= extent(d, [&](int r) { return (double)bounds[r].bound; });
      continue;
    }
    // The indices sum c * r reaches, term by term.
    std::vector<bool> reached{true};
    for (const WindowTerm &t : windows[d]) {
      std::vector<bool> next(reached.size() + t.coeff * (bounds[t.rank].bound - 1),
                             false);
      for (size_t i = 0; i < reached.size(); ++i)
        if (reached[i])
          for (int64_t v = 0; v < bounds[t.rank].bound; ++v)
            next[i + t.coeff * v] = true;
      reached = std::move(next);
    }
    size *= llvm::count(reached, true);
  }
  return size;
}

bool TensorAccess::separable() const {
  uint64_t seen = 0;
  auto once = [&](int r) {
    if (r < 0)
      return true;
    uint64_t bit = uint64_t(1) << r;
    bool fresh = !(seen & bit);
    seen |= bit;
    return fresh;
  };
  for (size_t d = 0; d < dimRanks.size(); ++d) {
    if (dimRanks[d] != kWindow) {
      if (!once(dimRanks[d]))
        return false;
      continue;
    }
    // Corners of a window's box: one per subset of its terms.
    if (windows[d].size() >= 16)
      return false;
    for (const WindowTerm &t : windows[d])
      if (t.coeff < 1 || !once(t.rank))
        return false;
  }
  return true;
}

double
TensorAccess::leastTiledElements(llvm::ArrayRef<RankVar> bounds) const {
  double touched = accessedElements(bounds);
  if (!hasWindows() || !separable())
    return touched;
  return std::max(touched,
                  leastSpanTotal([&](int r) { return (double)bounds[r].bound; },
                                 [](int) { return 1.0; }));
}

bool Einsum::hasReduction() const {
  for (int r = 0, e = ranks.size(); r < e; ++r)
    if (isReduction(r))
      return true;
  return false;
}

static std::optional<int64_t> checkedProduct(llvm::ArrayRef<int64_t> values) {
  int64_t product = 1;
  for (int64_t v : values)
    if (llvm::MulOverflow(product, v, product))
      return std::nullopt;
  return product;
}

std::optional<int64_t> Einsum::work() const {
  std::vector<int64_t> bounds;
  for (const RankVar &r : ranks)
    bounds.push_back(r.bound);
  return checkedProduct(bounds);
}

std::vector<const TensorAccess *> Einsum::accesses() const {
  std::vector<const TensorAccess *> all;
  for (const TensorAccess &in : inputs)
    all.push_back(&in);
  all.push_back(&output);
  return all;
}

std::optional<int64_t> Tensor::numElements() const {
  return checkedProduct(shape);
}

int Workload::rootOf(int tensor) const {
  while (tensors[tensor].aliasOf >= 0)
    tensor = tensors[tensor].aliasOf;
  return tensor;
}

std::vector<int> Workload::rootDims(int tensor) const {
  const Tensor &t = tensors[tensor];
  std::vector<int> dims(t.shape.size());
  if (t.aliasOf < 0) {
    for (size_t d = 0; d < dims.size(); ++d)
      dims[d] = d;
    return dims;
  }
  std::vector<int> below = rootDims(t.aliasOf);
  const Tensor &src = tensors[t.aliasOf];
  bool expand = t.shape.size() > src.shape.size();
  const std::vector<int64_t> &wide = expand ? t.shape : src.shape;
  // Each reassociation group pairs one dimension of the narrower side with
  // several of the wider: the one larger than 1 (or the only one) carries
  // the data, the others are unit; two larger than 1 are merged.
  for (auto [g, group] : llvm::enumerate(t.reassociation)) {
    int nonUnit = -1, count = 0;
    for (int64_t d : group)
      if (wide[d] != 1)
        nonUnit = d, ++count;
    if (group.size() == 1)
      nonUnit = group[0], count = 1;
    if (expand) {
      for (int64_t d : group)
        dims[d] = count > 1 ? kMergedDim : -1;
      if (count == 1)
        dims[nonUnit] = below[g];
    } else {
      dims[g] = count > 1 ? kMergedDim : count == 1 ? below[nonUnit] : -1;
    }
  }
  return dims;
}

void Workload::buildEdges() {
  edges.clear();
  for (Tensor &t : tensors)
    t.consumers.clear();
  for (auto [c, einsum] : llvm::enumerate(einsums)) {
    for (const TensorAccess &in : einsum.inputs) {
      int root = rootOf(in.tensor);
      if (!llvm::is_contained(tensors[root].consumers, (int)c))
        tensors[root].consumers.push_back(c);
      if (in.tensor != root &&
          !llvm::is_contained(tensors[in.tensor].consumers, (int)c))
        tensors[in.tensor].consumers.push_back(c);
      int p = tensors[root].producer;
      if (p < 0)
        continue;
      Edge edge;
      edge.producer = p;
      edge.consumer = c;
      edge.tensor = in.tensor;
      edge.throughReshape = in.tensor != root;
      const std::vector<int> &written = einsums[p].output.dimRanks;
      if (!edge.throughReshape) {
        edge.producerRanks = written;
      } else {
        // A dimension of the reshaped view maps back to a producer rank when
        // the reshape only added or dropped 1s around it. Merged or split
        // dims have no rank.
        const Tensor &view = tensors[in.tensor];
        edge.producerRanks.assign(view.shape.size(), -1);
        if (view.aliasOf == root)
          for (auto [d, r] : llvm::enumerate(rootDims(in.tensor)))
            if (r >= 0)
              edge.producerRanks[d] = written[r];
      }
      edges.push_back(std::move(edge));
    }
  }
}

static void printShape(llvm::raw_ostream &os, llvm::ArrayRef<int64_t> shape) {
  os << "[";
  llvm::interleave(shape, os, "x");
  os << "]";
}

static void printAccess(llvm::raw_ostream &os, const Workload &w,
                        const Einsum &e, const TensorAccess &a) {
  os << w.tensors[a.tensor].name << "[";
  for (auto [d, r] : llvm::enumerate(a.dimRanks)) {
    if (d)
      os << ", ";
    if (r >= 0) {
      os << e.ranks[r].name;
    } else if (r == TensorAccess::kWindow) {
      for (auto [k, t] : llvm::enumerate(a.windows[d])) {
        if (k)
          os << "+";
        if (t.coeff != 1)
          os << t.coeff << "*";
        os << e.ranks[t.rank].name;
      }
    } else {
      os << "1";
    }
  }
  os << "]";
}

void Workload::print(llvm::raw_ostream &os) const {
  os << "workload @" << name << ": " << einsums.size() << " einsums, "
     << tensors.size() << " tensors, " << edges.size() << " edges\n";
  for (const Tensor &t : tensors) {
    os << "  tensor " << t.name << " ";
    printShape(os, t.shape);
    if (t.aliasOf >= 0)
      os << " reshape-of " << tensors[t.aliasOf].name;
    else if (t.producer < 0)
      os << " input";
    else
      os << " produced-by " << einsums[t.producer].name;
    if (t.isOutput)
      os << " output";
    if (t.escapes)
      os << " escapes";
    os << "\n";
  }
  for (const Einsum &e : einsums) {
    os << "  einsum " << e.name << " (" << e.opName << ") ranks {";
    llvm::interleaveComma(e.ranks, os, [&](const RankVar &r) {
      os << r.name << ":" << r.bound << (e.isReduction(&r - &e.ranks[0]) ? "+" : "");
    });
    os << "}: ";
    printAccess(os, *this, e, e.output);
    os << (e.hasReduction() ? " +=" : " =");
    for (const TensorAccess &in : e.inputs) {
      os << " ";
      printAccess(os, *this, e, in);
    }
    if (e.orderedReduction)
      os << " (ordered)";
    os << "\n";
  }
  for (const Move &m : moves) {
    os << "  move " << m.op << ": ";
    llvm::interleaveComma(m.from, os,
                          [&](int t) { os << tensors[t].name; });
    os << " -> " << tensors[m.to].name << "\n";
  }
  for (const Edge &edge : edges) {
    const Einsum &p = einsums[edge.producer];
    os << "  edge " << p.name << " -> " << einsums[edge.consumer].name
       << " via " << tensors[edge.tensor].name << " dims [";
    llvm::interleaveComma(edge.producerRanks, os, [&](int r) {
      os << (r < 0 ? std::string("?") : p.ranks[r].name);
    });
    os << "]" << (edge.throughReshape ? " reshape" : "") << "\n";
  }
}

std::string ffm::dotQuoted(llvm::StringRef text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '\n') {
      quoted += "\\n"; // DOT's line break
      continue;
    }
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

void Workload::printDot(llvm::raw_ostream &os) const {
  os << "digraph " << dotQuoted(name) << " {\n";
  for (const Einsum &e : einsums)
    os << "  " << dotQuoted(e.name) << " [label="
       << dotQuoted(e.name + "\n" + e.opName) << "];\n";
  for (const Tensor &t : tensors)
    if (t.producer < 0 && t.aliasOf < 0 && !t.consumers.empty())
      os << "  " << dotQuoted(t.name) << " [shape=box];\n";
  for (const Tensor &t : tensors)
    if (t.producer < 0 && t.aliasOf < 0)
      for (int c : t.consumers)
        os << "  " << dotQuoted(t.name) << " -> " << dotQuoted(einsums[c].name)
           << ";\n";
  for (const Move &m : moves)
    for (int t : m.from)
      os << "  " << dotQuoted(tensors[t].name) << " -> "
         << dotQuoted(tensors[m.to].name) << " [label=" << dotQuoted(m.op)
         << "];\n";
  for (const Edge &edge : edges)
    os << "  " << dotQuoted(einsums[edge.producer].name) << " -> "
       << dotQuoted(einsums[edge.consumer].name)
       << " [label=" << dotQuoted(tensors[edge.tensor].name) << "];\n";
  os << "}\n";
}
