// The light networks' paths (issue #13): a Linear layer on a rank > 2 input (MatMul + bias Add,
// then maybe an activation) as one FusedMatMul, and ShuffleNetV2's channel split (Slice on axis
// 1) on oneDNN in the producer's blocked layout. Each must compute what the unfused graph computes
// on the reference backend.
#include "graph_query_util.h"
#include "onednn_test_util.h"

#include <limits>

using namespace lbtest;
using lb::test::countSteps;

namespace {

ir::ValueId int64Constant(GraphBuilder& b, const std::string& name, std::vector<int64_t> v) {
    Tensor t(DataType::Int64, {static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    const ir::ValueId id = b.constant(name, t);
    b.graph()->value(id).dtype = DataType::Int64;
    return id;
}

ir::ValueId slice(GraphBuilder& b, ir::ValueId x, int64_t start, int64_t end, const Shape& out,
                  const std::string& name, int64_t axis = 1) {
    return b.node("Slice",
                  {x, int64Constant(b, name + "_s", {start}), int64Constant(b, name + "_e", {end}),
                   int64Constant(b, name + "_a", {axis})},
                  name, out);
}

// x [1, T, K] -> MatMul by W [K, N] -> Add bias -> activation (or none).
std::shared_ptr<ir::Graph> linear(int64_t t, int64_t k, int64_t n, const Shape& biasShape,
                                  bool biasFirst, const std::string& activation) {
    GraphBuilder b;
    const Shape ys{1, t, n};
    const ir::ValueId m = b.node(
        "MatMul", {b.input("x", {1, t, k}), b.constant("w", randomTensor({k, n}, 3))}, "m", ys);
    const ir::ValueId bias = b.constant("bias", randomTensor(biasShape, 4));
    ir::ValueId y = b.node("Add", biasFirst ? std::vector{bias, m} : std::vector{m, bias},
                           activation.empty() ? "y" : "a", ys);
    if (activation == "Gelu")
        y = b.node("Gelu", {y}, "y", ys, {}, "ai.layerbench");
    else if (!activation.empty())
        y = b.node(activation, {y}, "y", ys);
    b.output(y);
    return b.graph();
}

} // namespace

TEST_CASE("oneDNN runs MatMul + bias (+ activation) as one FusedMatMul like the parts on the "
          "reference",
          "[onednn]") {
    struct Case {
        const char* name;
        int64_t t, k, n;
        Shape bias;
        bool biasFirst;
        std::string activation;
    };
    // ViT-Tiny's fc1 (then GELU) and qkv at a smaller T; a weight of 1.1 MB takes the packed GEMM
    // path (fp32_packed_gemm.h), which adds the bias after it.
    const Case cases[] = {{"fc1 + GELU", 13, 192, 768, {768}, false, "Gelu"},
                          {"qkv, bias first, [1, 1, N] bias", 13, 192, 576, {1, 1, 576}, true, ""},
                          {"Relu", 5, 24, 40, {40}, false, "Relu"},
                          {"packed GEMM head", 9, 96, 3000, {3000}, false, ""}};
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.name) {
            const auto g = linear(c.t, c.k, c.n, c.bias, c.biasFirst, c.activation);
            const std::map<std::string, Tensor> inputs{
                {"x", randomTensor({1, c.t, c.k}, 11, -2.0f, 2.0f)}};
            const Tensor want = runGraph(g, false, inputs)[0];
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            // MatMul, Add and the activation became one node on oneDNN.
            REQUIRE(session.steps().size() == 1);
            CHECK(countSteps(session, "FusedMatMul", "onednn") == 1);
            CHECK(relativeError(session.run(inputs)[0], want) <= 1e-4);
        }
    }
}

TEST_CASE("an Add that is not a row bias stays apart from the MatMul", "[onednn]") {
    // A bias of the output's full shape is a residual, not the primitive's bias.
    const auto g = linear(6, 16, 24, {1, 6, 24}, false, "");
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 6, 16}, 5)}};
    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    CHECK(countSteps(session, "FusedMatMul", "onednn") == 0);
    CHECK(countSteps(session, "MatMul", "onednn") == 1);
    CHECK(relativeError(session.run(inputs)[0], runGraph(g, false, inputs)[0]) <= 1e-5);
}

TEST_CASE("a MatMul output the caller keeps (calibration observes it) is not fused with its bias",
          "[onednn]") {
    const auto g = linear(13, 192, 768, {768}, false, "Gelu");
    const std::map<std::string, Tensor> inputs{{"x", randomTensor({1, 13, 192}, 6, -2.0f, 2.0f)}};
    runtime::SessionOptions options;
    options.keepValues = {"m"};
    runtime::Session session(g, {onednnBackend(), referenceBackend()}, options);
    CHECK(countSteps(session, "FusedMatMul", "onednn") == 0);
    CHECK(countSteps(session, "MatMul", "onednn") == 1);
    REQUIRE(session.graph().findValue("m"));
    CHECK(relativeError(session.run(inputs)[0], runGraph(g, false, inputs)[0]) <= 1e-4);
}

TEST_CASE("the reference FusedMatMul adds the bias to every row, then the activation",
          "[reference]") {
    GraphBuilder fused;
    const Tensor w = randomTensor({6, 5}, 1), bias = randomTensor({5}, 2);
    fused.output(
        fused.node("FusedMatMul",
                   {fused.input("x", {2, 3, 6}), fused.constant("w", w), fused.constant("b", bias)},
                   "y", Shape{2, 3, 5}, {attrString("activation", "Relu")}, "ai.layerbench"));
    const Tensor x = randomTensor({2, 3, 6}, 3);
    const Tensor y = runGraph(fused.graph(), false, {{"x", x}})[0];
    REQUIRE(y.shape() == Shape{2, 3, 5});
    for (int64_t r = 0; r < 6; ++r)
        for (int64_t j = 0; j < 5; ++j) {
            double v = bias.data<float>()[j];
            for (int64_t k = 0; k < 6; ++k)
                v += double(x.data<float>()[r * 6 + k]) * w.data<float>()[k * 5 + j];
            CHECK(y.data<float>()[r * 5 + j] == Approx(std::max(v, 0.0)).margin(1e-5));
        }
}

TEST_CASE("oneDNN splits channels of a blocked tensor in its layout as the reference does",
          "[onednn]") {
    // ShuffleNetV2's block: conv -> split in two halves -> conv on one half -> concat. 116 and
    // 232 channels split at 58 and 116: not on a 16-channel block boundary; 64 splits on one.
    for (int64_t channels : {int64_t{116}, int64_t{232}, int64_t{64}, int64_t{20}}) {
        DYNAMIC_SECTION(channels << " channels") {
            const int64_t half = channels / 2, hw = 7;
            const Shape xs{1, 8, hw, hw}, cs{1, channels, hw, hw}, hs{1, half, hw, hw};
            GraphBuilder b;
            const ir::ValueId c = b.node(
                "Conv", {b.input("x", xs), b.constant("w", randomTensor({channels, 8, 1, 1}, 2))},
                "c", cs);
            const ir::ValueId left = slice(b, c, 0, half, hs, "left");
            // The second half as PyTorch's chunk may write it: a negative start, an end past C.
            const ir::ValueId right =
                slice(b, c, -(channels - half), std::numeric_limits<int64_t>::max(), hs, "right");
            const ir::ValueId conv =
                b.node("Conv", {right, b.constant("w2", randomTensor({half, half, 3, 3}, 4))}, "r2",
                       hs, {attrInts("pads", {1, 1, 1, 1})});
            b.output(b.node("Concat", {left, conv}, "y", cs, {attrInt("axis", 1)}));
            // A slice read by the graph's output too: written plain.
            b.output(slice(b, c, 3, half + 5, Shape{1, half + 2, hw, hw}, "mid"));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 9)}};
            // (The 3x3 conv over up to 116 channels sums in another order than the reference.)
            compareWithReference(b.graph(), inputs, 1e-4);
            // The slices read the Conv's blocked output as it is.
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            session.run(inputs);
            int blockCopies = 0;
            for (size_t i = 0; i < session.steps().size(); ++i)
                if (session.graph().node(session.steps()[i].node).opType == "Slice") {
                    INFO("implementation " << session.implementation(i));
                    CHECK(session.implementation(i).rfind("copy:nChw", 0) == 0);
                    ++blockCopies;
                }
            CHECK(blockCopies == 3);
        }
    }
}

TEST_CASE("oneDNN slices the channels of a plain input", "[onednn]") {
    // Two images: a reorder of the strided range; one image: a view of the input.
    for (int64_t n : {2, 1}) {
        DYNAMIC_SECTION(n << " images") {
            GraphBuilder b;
            const Shape xs{n, 10, 3, 4}, ys{n, 7, 3, 4};
            const ir::ValueId x = b.input("x", xs);
            b.output(b.node("Relu", {slice(b, x, 2, 9, ys, "s")}, "y", ys));
            b.output(b.node("Sigmoid", {x}, "z", xs)); // x stays live after the view
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 1)}};
            compareWithReference(b.graph(), inputs, 1e-6);
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            session.run(inputs);
            for (size_t i = 0; i < session.steps().size(); ++i)
                if (session.graph().node(session.steps()[i].node).opType == "Slice")
                    CHECK(session.implementation(i) == (n == 1 ? "view" : "reorder"));
        }
    }
}

TEST_CASE("oneDNN declines a Slice of another axis, a step or non-constant starts", "[onednn]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 4, 6, 6});
    b.output(slice(b, x, 1, 3, Shape{1, 4, 2, 6}, "spatial", 2));
    b.output(b.node("Slice",
                    {x, int64Constant(b, "s2", {0}), int64Constant(b, "e2", {4}),
                     int64Constant(b, "a2", {1}), int64Constant(b, "st2", {2})},
                    "stepped", Shape{1, 2, 6, 6}));
    const ir::ValueId starts = b.input("starts", {1});
    b.graph()->value(starts).dtype = DataType::Int64;
    b.output(b.node("Slice", {x, starts, int64Constant(b, "e", {2}), int64Constant(b, "a", {1})},
                    "dyn"));
    const backends::onednn::OneDnnBackend onednn;
    for (ir::NodeId id : b.graph()->nodeIds()) {
        const runtime::Claim claim = onednn.capability(*b.graph(), b.graph()->node(id));
        INFO(b.graph()->node(id).name << ": " << claim.text());
        CHECK_FALSE(claim);
    }
}
