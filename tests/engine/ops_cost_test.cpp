#include "ops/cost.h"
#include "test_models.h"

#include <catch2/catch.hpp>

using namespace lb;

TEST_CASE("Conv MACs with groups and dilations", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 8, 10, 10});
    test::addWeight(g, "w", {16, 4, 3, 3}); // group 2: 8 input channels / 2
    const auto id = test::addNode(g, "Conv", {"x", "w"}, {"y"},
                                  {test::intAttr("group", 2), test::intsAttr("dilations", {2, 2})},
                                  {{1, 16, 6, 6}});
    // 16*6*6 outputs, each 4*3*3 MACs
    CHECK(ops::nodeMacs(g, g.node(id)) == 16 * 6 * 6 * 4 * 3 * 3);
}

TEST_CASE("Depthwise Conv MACs", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {2, 32, 16, 16});
    test::addWeight(g, "w", {32, 1, 3, 3});
    const auto id = test::addNode(g, "Conv", {"x", "w"}, {"y"}, {test::intAttr("group", 32)},
                                  {{2, 32, 16, 16}});
    CHECK(ops::nodeMacs(g, g.node(id)) == 2 * 32 * 16 * 16 * 9);
}

TEST_CASE("Gemm MACs honour transA and transB", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "a", {64, 5});  // transA: M=5, K=64
    test::addWeight(g, "b", {7, 64}); // transB: N=7
    const auto id =
        test::addNode(g, "Gemm", {"a", "b"}, {"y"},
                      {test::intAttr("transA", 1), test::intAttr("transB", 1)}, {{5, 7}});
    CHECK(ops::nodeMacs(g, g.node(id)) == 5 * 7 * 64);
}

TEST_CASE("LSTM MACs: every step multiplies its input by W and its state by R", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {64, 2, 32});      // seq 64, batch 2, input 32
    test::addWeight(g, "w", {2, 4 * 16, 32}); // bidirectional, hidden 16
    test::addWeight(g, "r", {2, 4 * 16, 16});
    const auto id = test::addNode(g, "LSTM", {"x", "w", "r"}, {"y"},
                                  {test::intAttr("hidden_size", 16)}, {{64, 2, 2, 16}});
    CHECK(ops::nodeMacs(g, g.node(id)) == 64 * 2 * 2 * 4 * 16 * (32 + 16));
    CHECK(ops::opCategory("LSTM") == ops::OpCategory::Linear);
}

TEST_CASE("MatMul MACs with batch broadcasting", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "a", {4, 1, 10, 32});
    test::addInput(g, "b", {3, 32, 20});
    const auto id = test::addNode(g, "MatMul", {"a", "b"}, {"y"}, {}, {{4, 3, 10, 20}});
    CHECK(ops::nodeMacs(g, g.node(id)) == 4 * 3 * 10 * 20 * 32);
}

TEST_CASE("pooling, elementwise, shape ops and unknown shapes", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 4, 8, 8});
    const auto pool = test::addNode(g, "MaxPool", {"x"}, {"p"},
                                    {test::intsAttr("kernel_shape", {3, 3})}, {{1, 4, 6, 6}});
    const auto gap = test::addNode(g, "GlobalAveragePool", {"x"}, {"q"}, {}, {{1, 4, 1, 1}});
    const auto relu = test::addNode(g, "Relu", {"x"}, {"r"}, {}, {{1, 4, 8, 8}});
    const auto ln = test::addNode(g, "LayerNormalization", {"x"}, {"l"}, {}, {{1, 4, 8, 8}});
    const auto reshape = test::addNode(g, "Reshape", {"x"}, {"s"}, {}, {{4, 64}});
    const auto unknown = test::addNode(g, "Relu", {"x"}, {"u"});
    CHECK(ops::nodeMacs(g, g.node(pool)) == 4 * 6 * 6 * 9);
    CHECK(ops::nodeMacs(g, g.node(gap)) == 4 * 8 * 8);
    CHECK(ops::nodeMacs(g, g.node(relu)) == 4 * 8 * 8);
    CHECK(ops::nodeMacs(g, g.node(ln)) == 2 * 4 * 8 * 8);
    CHECK(ops::nodeMacs(g, g.node(reshape)) == 0);
    CHECK(ops::nodeMacs(g, g.node(unknown)) == -1);
}

TEST_CASE("op categories", "[ops]") {
    CHECK(ops::opCategory("Conv") == ops::OpCategory::Convolution);
    CHECK(ops::opCategory("MatMul") == ops::OpCategory::Linear);
    CHECK(ops::opCategory("HardSigmoid") == ops::OpCategory::Activation);
    CHECK(ops::opCategory("BatchNormalization") == ops::OpCategory::Normalization);
    CHECK(ops::opCategory("Reshape") == ops::OpCategory::Shape);
    CHECK(ops::opCategory("QuantizeLinear") == ops::OpCategory::Quantization);
    CHECK(ops::opCategory("MyCustomOp") == ops::OpCategory::Other);
    CHECK(ops::opCategoryName(ops::OpCategory::Pooling) == "pooling");
}

TEST_CASE("fused Conv and Gemm from the passes cost what the plain ops cost", "[ops][macs]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 8, 10, 10});
    test::addWeight(g, "w", {16, 8, 3, 3});
    const auto conv = test::addNode(g, "FusedConv", {"x", "w"}, {"y"}, {}, {{1, 16, 8, 8}});
    g.node(conv).domain = "ai.layerbench";
    CHECK(ops::nodeMacs(g, g.node(conv)) == 16 * 8 * 8 * 8 * 3 * 3);
    test::addInput(g, "a", {5, 64});
    test::addWeight(g, "b", {64, 7});
    const auto gemm = test::addNode(g, "FusedGemm", {"a", "b"}, {"z"}, {}, {{5, 7}});
    g.node(gemm).domain = "ai.layerbench";
    CHECK(ops::nodeMacs(g, g.node(gemm)) == 5 * 7 * 64);
}
