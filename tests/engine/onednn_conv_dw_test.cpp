// Inverted-residual blocks (issue #13): an expand 1x1 Conv read only by a depthwise 3x3 becomes
// one FusedConvDw that oneDNN runs with its depthwise post-op (lowering/fusions.h,
// backends/onednn/conv_dw_kernel.cpp). Each fused graph on oneDNN must compute what the unfused
// graph computes on the reference backend; patterns outside the post-op's reach stay apart; and
// calibration, which observes every tensor, still sees the expanded map.
#include "graph_query_util.h"
#include "onednn_test_util.h"
#include "quant/calibration.h"

#include <sstream>

using namespace lbtest;
using lb::test::countOps;

namespace {

// `act` after `y` (shape s): "", "Relu", "Relu6" (Clip 0..6 with constant inputs), "HardSwish",
// "SiLU" (y * Sigmoid(y)).
ir::ValueId activation(GraphBuilder& b, ir::ValueId y, const Shape& s, const std::string& act,
                       const std::string& name) {
    if (act.empty())
        return y;
    if (act == "Relu6")
        return b.node(
            "Clip",
            {y, b.constant(name + "_lo", scalar(0.0f)), b.constant(name + "_hi", scalar(6.0f))},
            name, s);
    if (act == "SiLU") {
        const ir::ValueId sig = b.node("Sigmoid", {y}, name + "_sig", s);
        return b.node("Mul", {y, sig}, name, s);
    }
    return b.node(act, {y}, name, s);
}

struct Block {
    int64_t batch = 1, in = 16, expanded = 96, h = 13, w = 11;
    int64_t dwKernel = 3, stride = 1, pad = 1, dilation = 1;
    std::string act = "Relu6", dwAct = "Relu6";
    bool bias = true, dwBias = true;
    bool expandedIsOutput = false; // the 1x1's activation output is also a graph output
};

// x -> 1x1 Conv (+act) -> depthwise Conv (+act) -> project 1x1 Conv to 8 channels.
std::shared_ptr<ir::Graph> invertedResidual(const Block& c) {
    GraphBuilder b;
    const Shape xs{c.batch, c.in, c.h, c.w}, es{c.batch, c.expanded, c.h, c.w};
    const int64_t span = c.dilation * (c.dwKernel - 1) + 1;
    const int64_t oh = (c.h + 2 * c.pad - span) / c.stride + 1,
                  ow = (c.w + 2 * c.pad - span) / c.stride + 1;
    const Shape ds{c.batch, c.expanded, oh, ow};
    const ir::ValueId x = b.input("x", xs);
    std::vector<ir::ValueId> in1{x, b.constant("w1", randomTensor({c.expanded, c.in, 1, 1}, 1))};
    if (c.bias)
        in1.push_back(b.constant("b1", randomTensor({c.expanded}, 2)));
    const ir::ValueId e = activation(b, b.node("Conv", in1, "conv1", es), es, c.act, "expand");
    std::vector<ir::ValueId> in2{
        e, b.constant("w2", randomTensor({c.expanded, 1, c.dwKernel, c.dwKernel}, 3))};
    if (c.dwBias)
        in2.push_back(b.constant("b2", randomTensor({c.expanded}, 4)));
    const ir::ValueId d =
        activation(b,
                   b.node("Conv", in2, "dw", ds,
                          {attrInt("group", c.expanded), attrInts("strides", {c.stride, c.stride}),
                           attrInts("pads", {c.pad, c.pad, c.pad, c.pad}),
                           attrInts("dilations", {c.dilation, c.dilation})}),
                   ds, c.dwAct, "dwact");
    const ir::ValueId y =
        b.node("Conv", {d, b.constant("w3", randomTensor({8, c.expanded, 1, 1}, 5))}, "y",
               Shape{c.batch, 8, oh, ow});
    b.output(y);
    if (c.expandedIsOutput)
        b.output(e);
    return b.graph();
}

std::string describe(const Block& c) {
    std::ostringstream s;
    s << c.batch << "x" << c.in << "x" << c.h << "x" << c.w << " -> " << c.expanded << ", " << c.act
      << (c.bias ? "+bias" : "") << ", dw " << c.dwKernel << "x" << c.dwKernel << " s" << c.stride
      << " pad " << c.pad << " dil " << c.dilation << " " << c.dwAct << (c.dwBias ? "+bias" : "");
    return s.str();
}

} // namespace

TEST_CASE("oneDNN lowering fuses an expand 1x1 and its depthwise 3x3 into one FusedConvDw",
          "[onednn]") {
    std::vector<std::pair<Block, int>> cases; // block, threads
    for (const std::string act : {"Relu6", "Relu", "HardSwish", "SiLU", ""})
        for (int64_t stride : {1, 2}) {
            Block c;
            c.act = act;
            c.dwAct = act;
            c.stride = stride;
            cases.push_back({c, 1});
        }
    Block c;
    c.bias = false; // neither bias; a different activation on each side
    c.dwBias = false;
    c.act = "HardSwish";
    c.dwAct = "";
    cases.push_back({c, 1});
    c = Block{};
    c.dwBias = false;
    c.stride = 2;
    c.h = 12; // even: stride 2 leaves the right padding unused
    c.w = 15;
    cases.push_back({c, 1});
    c = Block{};
    c.bias = false;
    c.in = 8; // channel counts that are not whole 16-channel blocks
    c.expanded = 20;
    c.stride = 2;
    cases.push_back({c, 1});
    c.expanded = 72;
    c.act = "SiLU";
    cases.push_back({c, 2});
    c = Block{};
    c.batch = 2;
    c.stride = 2;
    cases.push_back({c, 2});
    for (const auto& [block, threads] : cases) {
        DYNAMIC_SECTION(describe(block) << ", " << threads << " threads") {
            const auto g = invertedResidual(block);
            const std::map<std::string, Tensor> inputs{
                {"x", randomTensor({block.batch, block.in, block.h, block.w}, 7)}};
            const std::vector<Tensor> want = runGraph(g, false, inputs);
            runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                     runtime::SessionOptions{threads});
            CHECK(countOps(session.graph(), "FusedConvDw") == 1);
            CHECK(countOps(session.graph(), "Conv") == 1); // the projection
            for (size_t i = 0; i < session.steps().size(); ++i) {
                const ir::Node& n = session.graph().node(session.steps()[i].node);
                INFO("node " << n.name << " (" << n.opType << ")");
                CHECK(session.steps()[i].backend == "onednn");
                if (n.opType == "FusedConvDw")
                    CHECK(n.fusedFrom.size() >= 2);
            }
            const std::vector<Tensor> got = session.run(inputs);
            REQUIRE(got.size() == 1);
            CHECK(relativeError(got[0], want[0]) <= 1e-4);
            // A second run reuses the primitives and memory objects.
            CHECK(relativeError(session.run(inputs)[0], want[0]) <= 1e-4);
        }
    }
}

TEST_CASE("FusedConvDw runs oneDNN's depthwise post-op where oneDNN has a JIT one, else the two "
          "primitives apart",
          "[onednn]") {
    // oneDNN 2.6 builds the JIT fusion for large maps at one thread (MobileNetV2's 16 -> 96 at
    // 112x112, stride 2); for small maps it would offer ref_fused_convolution, which the kernel
    // replaces by the two primitives.
    Block big;
    big.h = 112;
    big.w = 112;
    big.stride = 2;
    Block small;
    for (const auto& [block, fused] : {std::pair{big, true}, std::pair{small, false}}) {
        DYNAMIC_SECTION(describe(block)) {
            const auto g = invertedResidual(block);
            const std::map<std::string, Tensor> inputs{
                {"x", randomTensor({block.batch, block.in, block.h, block.w}, 8)}};
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            bool seen = false;
            for (size_t i = 0; i < session.steps().size(); ++i) {
                if (session.graph().node(session.steps()[i].node).opType != "FusedConvDw")
                    continue;
                seen = true;
                const std::string impl = session.implementation(i);
                INFO(impl);
                CHECK(impl.rfind("jit", 0) == 0);
                CHECK((impl.find("with depthwise post-op") != std::string::npos) == fused);
                CHECK((impl.find(" then jit") != std::string::npos) == !fused);
            }
            CHECK(seen);
            CHECK(relativeError(session.run(inputs)[0], runGraph(g, false, inputs)[0]) <= 1e-4);
        }
    }
}

TEST_CASE("a 1x1 and a depthwise conv outside the depthwise post-op's reach stay apart",
          "[onednn]") {
    std::vector<std::pair<std::string, Block>> cases;
    Block c;
    c.dwKernel = 5;
    c.pad = 2;
    cases.push_back({"5x5 depthwise", c});
    c = Block{};
    c.dilation = 2;
    c.pad = 2;
    cases.push_back({"dilation 2", c});
    c = Block{};
    c.pad = 0;
    cases.push_back({"pads 0", c});
    c = Block{};
    c.stride = 3;
    cases.push_back({"stride 3", c});
    c = Block{};
    c.expandedIsOutput = true;
    cases.push_back({"expanded map also a graph output", c});
    for (const auto& [what, block] : cases) {
        DYNAMIC_SECTION(what) {
            const auto g = invertedResidual(block);
            const std::map<std::string, Tensor> inputs{
                {"x", randomTensor({block.batch, block.in, block.h, block.w}, 9)}};
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            CHECK(countOps(session.graph(), "FusedConvDw") == 0);
            CHECK(countOps(session.graph(), "FusedConv") == 2); // each with its activation
            const std::vector<Tensor> got = session.run(inputs);
            const std::vector<Tensor> want = runGraph(g, false, inputs);
            REQUIRE(got.size() == want.size());
            for (size_t i = 0; i < got.size(); ++i)
                CHECK(relativeError(got[i], want[i]) <= 1e-4);
        }
    }
    SECTION("fp16 rounding of every node output (gpu-fp16) keeps the expanded map a node's") {
        const Block block;
        runtime::SessionOptions options;
        options.roundFp16 = true;
        runtime::Session session(invertedResidual(block), {onednnBackend(), referenceBackend()},
                                 options);
        CHECK(countOps(session.graph(), "FusedConvDw") == 0);
        CHECK(countOps(session.graph(), "FusedConv") == 2);
    }
    SECTION("expanded map read by a second node") {
        GraphBuilder b;
        const Shape xs{1, 16, 9, 9}, es{1, 48, 9, 9};
        const ir::ValueId x = b.input("x", xs);
        const ir::ValueId e =
            b.node("Conv", {x, b.constant("w1", randomTensor({48, 16, 1, 1}, 1))}, "e", es);
        const ir::ValueId d =
            b.node("Conv", {e, b.constant("w2", randomTensor({48, 1, 3, 3}, 2))}, "d", es,
                   {attrInt("group", 48), attrInts("pads", {1, 1, 1, 1})});
        b.output(b.node("Add", {d, e}, "y", es));
        const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 3)}};
        runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
        CHECK(countOps(session.graph(), "FusedConvDw") == 0);
        CHECK(relativeError(session.run(inputs)[0], runGraph(b.graph(), false, inputs)[0]) <= 1e-4);
    }
}

TEST_CASE("calibration observes the expanded map a FusedConvDw hides from inference", "[onednn]") {
    const Block block;
    const auto g = invertedResidual(block);
    // The lowered inference graph has no tensor between the 1x1 and the depthwise conv ...
    runtime::Session session(g, {onednnBackend(), referenceBackend()});
    REQUIRE(countOps(session.graph(), "FusedConvDw") == 1);
    for (ir::NodeId id : session.graph().nodeIds())
        for (ir::ValueId v : session.graph().node(id).outputs)
            CHECK(session.graph().value(v).name != "expand");
    // ... but calibration runs without the backends' lowering and records it.
    quant::CalibrationConfig config;
    config.backend = "onednn";
    const std::vector<quant::Sample> samples{
        {{"x", randomTensor({block.batch, block.in, block.h, block.w}, 10)}},
        {{"x", randomTensor({block.batch, block.in, block.h, block.w}, 11)}}};
    const auto observed = quant::observeActivations(*g, samples, config);
    REQUIRE(observed.count("expand") == 1);
    CHECK(observed.at("expand").count() == 2 * block.expanded * block.h * block.w);
    CHECK(observed.count("dwact") == 1);
}
