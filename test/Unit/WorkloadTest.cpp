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

} // namespace
