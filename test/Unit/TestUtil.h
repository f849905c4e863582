//===- TestUtil.h - small builders for unit tests ---------------*- C++ -*-===//
#ifndef FFM_TEST_UNIT_TESTUTIL_H
#define FFM_TEST_UNIT_TESTUTIL_H

#include "ffm/Arch/Arch.h"
#include "ffm/Model/Mapping.h"
#include "ffm/Workload/Workload.h"

#include <gtest/gtest.h>

namespace ffm::test {

/// Builds workloads tensor by tensor, Einsum by Einsum.
struct WorkloadBuilder {
  Workload w;
  int tensor(std::string name, std::vector<int64_t> shape) {
    Tensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    w.tensors.push_back(std::move(t));
    return w.tensors.size() - 1;
  }
  /// out[outRanks] (+)= ins..., ranks given as name:bound.
  int einsum(std::string name, std::vector<RankVar> ranks,
             std::vector<TensorAccess> inputs, TensorAccess output) {
    Einsum e{std::move(name), "linalg.generic", std::move(ranks),
             std::move(inputs), output};
    w.tensors[output.tensor].producer = w.einsums.size();
    w.einsums.push_back(std::move(e));
    return w.einsums.size() - 1;
  }
  /// C[m,n] = A[m,k] B[k,n] with fresh tensors; `a` reuses a tensor as A.
  int matmul(std::string name, int64_t m, int64_t n, int64_t k, int a = -1) {
    if (a < 0)
      a = tensor(name + ".A", {m, k});
    int b = tensor(name + ".B", {k, n});
    int c = tensor(name + ".out", {m, n});
    return einsum(name, {{"m", m}, {"n", n}, {"k", k}},
                  {{a, {0, 2}}, {b, {2, 1}}}, {c, {0, 1}});
  }
  /// 1-D convolution out[p, k] += in[stride*p + dilation*r, c] w[r, c, k]
  /// (ranks p, k, r, c); `in` reuses a tensor as the input.
  int conv1d(std::string name, int64_t p, int64_t k, int64_t r, int64_t c,
             int64_t stride = 1, int64_t dilation = 1, int in = -1) {
    int64_t span = stride * (p - 1) + dilation * (r - 1) + 1;
    if (in < 0)
      in = tensor(name + ".in", {span, c});
    int wt = tensor(name + ".w", {r, c, k});
    int out = tensor(name + ".out", {p, k});
    TensorAccess input{in, {TensorAccess::kWindow, 3}};
    input.windows = {{{0, stride}, {2, dilation}}, {}};
    return einsum(name, {{"p", p}, {"k", k}, {"r", r}, {"c", c}},
                  {input, {wt, {2, 3, 1}}}, {out, {0, 1}});
  }
  Workload finish(std::vector<int> outputs) {
    for (int o : outputs)
      w.tensors[o].isOutput = true;
    w.buildEdges();
    return w;
  }
};

/// A shipped preset, examples/arch/<name>.yaml (a failure, and an empty
/// architecture, where it does not load).
inline Arch preset(const std::string &name) {
  std::string file = __FILE__;
  std::string dir = file.substr(0, file.rfind('/'));
  auto arch = loadArchYaml(dir + "/../../examples/arch/" + name + ".yaml");
  if (!arch) {
    ADD_FAILURE() << llvm::toString(arch.takeError());
    return Arch();
  }
  return *arch;
}

/// X = A B (m x n over k), then Y = X C (m x o over n).
inline Workload matmulChain(int64_t m, int64_t n, int64_t k, int64_t o) {
  WorkloadBuilder b;
  int e0 = b.matmul("mm0", m, n, k);
  int e1 = b.matmul("mm1", m, o, n, b.w.einsums[e0].output.tensor);
  return b.finish({b.w.einsums[e1].output.tensor});
}

/// Two 1-D convolutions: a over 7 rows (3 taps), then b of stride 2 over
/// a's output, whose p reads a's rows 2p + r. Einsum 0 is a, 1 is b.
inline Workload strideTwoConvChain() {
  WorkloadBuilder b;
  int a = b.conv1d("a", 7, 1, 3, 1);
  int c = b.conv1d("b", 3, 1, 3, 1, /*stride=*/2, 1,
                   b.w.einsums[a].output.tensor);
  return b.finish({b.w.einsums[c].output.tensor});
}

inline Level level(std::string name, std::optional<int64_t> capacity,
                   double read, double write,
                   std::optional<double> bandwidth = std::nullopt,
                   std::vector<int64_t> fanout = {}) {
  Level l;
  l.name = std::move(name);
  l.capacity = capacity;
  l.readEnergy = read;
  l.writeEnergy = write;
  l.bandwidth = bandwidth;
  l.fanout = std::move(fanout);
  return l;
}

inline MapNode keep(int access, int lvl) {
  return {MapNode::Keep, access, lvl};
}
inline MapNode loop(int rank, int64_t factor) {
  return {MapNode::Temporal, -1, -1, rank, factor};
}
inline MapNode par(int rank, int64_t factor, int lvl, int dim = 0) {
  return {MapNode::Spatial, -1, lvl, rank, factor, dim};
}

/// Nodes of function arguments (never fused) below a loop of their own
/// level's block in `m`.
inline uint64_t deepArgumentNodes(const Workload &w, const Einsum &e,
                                  const Mapping &m) {
  std::vector<const TensorAccess *> acc = e.accesses();
  uint64_t deep = 0;
  int level = -1;
  bool loopSince = false;
  for (const MapNode &n : m.nodes) {
    if (n.kind == MapNode::Temporal) {
      loopSince = true;
      continue;
    }
    if (n.kind != MapNode::Keep || n.level == 0)
      continue;
    if (n.level != level)
      loopSince = false;
    level = n.level;
    deep += loopSince && w.tensors[acc[n.access]->tensor].producer < 0;
  }
  return deep;
}

} // namespace ffm::test

#endif // FFM_TEST_UNIT_TESTUTIL_H
