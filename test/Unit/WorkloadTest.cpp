//===- WorkloadTest.cpp - Einsum graph: by hand and from IR agree ---------===//
#include "ffm/Transforms/EinsumGraphAnalysis.h"
#include "ffm/Workload/Workload.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>
#include <algorithm>
#include <limits>

using namespace ffm;

namespace {

/// Two chained matmuls A[m,k] B[k,n] -> C[m,n]; C D[n,o] -> E[m,o], by hand.
Workload handChain() {
  Workload w;
  w.name = "chain";
  auto tensor = [&](std::string name, std::vector<int64_t> shape) {
    Tensor t;
    t.name = std::move(name);
    t.shape = std::move(shape);
    w.tensors.push_back(t);
    return (int)w.tensors.size() - 1;
  };
  // Tensors are numbered in the order the IR first uses them.
  int a = tensor("arg0", {8, 4}), b = tensor("arg1", {4, 6});
  int c = tensor("matmul_0.out", {8, 6});
  int d = tensor("arg2", {6, 2});
  Einsum e0{"matmul_0", "linalg.matmul", {{"m", 8}, {"n", 6}, {"k", 4}},
            {{a, {0, 2}}, {b, {2, 1}}}, {c, {0, 1}}};
  w.einsums.push_back(e0);
  w.tensors[c].producer = 0;
  int e = tensor("matmul_1.out", {8, 2});
  Einsum e1{"matmul_1", "linalg.matmul", {{"m", 8}, {"n", 2}, {"k", 6}},
            {{c, {0, 2}}, {d, {2, 1}}}, {e, {0, 1}}};
  w.einsums.push_back(e1);
  w.tensors[e].producer = 1;
  w.tensors[e].isOutput = true;
  w.buildEdges();
  return w;
}

const char *chainIR = R"mlir(
func.func @chain(%a: tensor<8x4xf32>, %b: tensor<4x6xf32>, %d: tensor<6x2xf32>) -> tensor<8x2xf32> {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<8x6xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<8x6xf32>) -> tensor<8x6xf32>
  %c = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x6xf32>) outs(%f0 : tensor<8x6xf32>) -> tensor<8x6xf32>
  %e1 = tensor.empty() : tensor<8x2xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<8x2xf32>) -> tensor<8x2xf32>
  %e = linalg.matmul ins(%c, %d : tensor<8x6xf32>, tensor<6x2xf32>) outs(%f1 : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %e : tensor<8x2xf32>
}
)mlir";

std::string text(const Workload &w) {
  std::string s;
  llvm::raw_string_ostream os(s);
  w.print(os);
  return s;
}

TEST(Workload, HandBuiltAndFromIRAgree) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::tensor::TensorDialect, mlir::arith::ArithDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(chainIR, &ctx);
  ASSERT_TRUE(module);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  EinsumGraphAnalysis analysis(func);
  ASSERT_TRUE(analysis.isValid());
  EXPECT_EQ(text(analysis.getWorkload()), text(handChain()));
}

TEST(Workload, EdgeMapsConsumerDimsToProducerRanks) {
  Workload w = handChain();
  ASSERT_EQ(w.edges.size(), 1u);
  const Edge &edge = w.edges[0];
  EXPECT_EQ(edge.producer, 0);
  EXPECT_EQ(edge.consumer, 1);
  // C[m, n] of matmul_0 is read as C[m, k] by matmul_1.
  EXPECT_EQ(edge.producerRanks, (std::vector<int>{0, 1}));
  EXPECT_TRUE(w.einsums[0].isReduction(2));
  EXPECT_FALSE(w.einsums[0].isReduction(0));
  EXPECT_EQ(*w.einsums[0].work(), 8 * 6 * 4);
}

TEST(Workload, WorkOverflowIsReported) {
  Einsum e{"big", "linalg.generic",
           {{"a", int64_t(1) << 40}, {"b", int64_t(1) << 40}}, {}, {}};
  EXPECT_FALSE(e.work().has_value());
}

// The model charges every tile of a window at its span, gaps included, so
// the least a tiling moves is the least total of spans over the tilings;
// the bound multiplies it by refetches and must never exceed it. For a
// window dimension `s*p + d*r` beside a plain one, the floor must be that
// least over every tiling with integer counts (each count dividing its
// rank), exactly: the corners it takes are tilings too. Before, the floor
// was the elements touched (6 of the 11 at P = 4, R = 3, stride and
// dilation 2), where every tiling moves at least 11.
TEST(Workload, LeastTiledElementsIsTheLeastSpanTotal) {
  auto divisors = [](int64_t n) {
    std::vector<int64_t> d;
    for (int64_t i = 1; i <= n; ++i)
      if (n % i == 0)
        d.push_back(i);
    return d;
  };
  for (int64_t stride : {1, 2, 3})
    for (int64_t dilation : {1, 2, 3})
      for (int64_t p : {1, 2, 4, 6})
        for (int64_t r : {1, 3, 4})
          for (int64_t c : {1, 5}) {
            TensorAccess in{0, {TensorAccess::kWindow, 2}};
            in.windows = {{{0, stride}, {1, dilation}}, {}};
            std::vector<RankVar> ranks{{"p", p}, {"r", r}, {"c", c}};
            double least = std::numeric_limits<double>::infinity();
            for (int64_t a : divisors(p))
              for (int64_t b : divisors(r))
                least = std::min(least, double(p / a) * (r / b) *
                                            (stride * (a - 1) +
                                             dilation * (b - 1) + 1) *
                                            c);
            EXPECT_EQ(in.leastTiledElements(ranks), least)
                << "stride " << stride << " dilation " << dilation << " P "
                << p << " R " << r << " C " << c;
            EXPECT_GE(in.leastTiledElements(ranks),
                      in.accessedElements(ranks));
          }
  TensorAccess in{0, {TensorAccess::kWindow}};
  in.windows = {{{0, 2}, {1, 2}}};
  std::vector<RankVar> ranks{{"p", 4}, {"r", 3}};
  EXPECT_EQ(in.accessedElements(ranks), 6);
  EXPECT_EQ(in.leastTiledElements(ranks), 11);
}

// Where a rank walks two dimensions the tiles' spans do not multiply
// dimension by dimension: the floor falls back to the touched elements.
TEST(Workload, LeastTiledElementsOfSharedRanksIsTheTouchedElements) {
  TensorAccess in{0, {TensorAccess::kWindow, TensorAccess::kWindow}};
  in.windows = {{{0, 2}, {1, 2}}, {{0, 1}}};
  std::vector<RankVar> ranks{{"p", 4}, {"r", 3}};
  EXPECT_EQ(in.leastTiledElements(ranks), in.accessedElements(ranks));
}

} // namespace
