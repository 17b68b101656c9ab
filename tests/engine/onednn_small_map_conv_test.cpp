// Dense convolutions over small maps with large weights run as SmallMapConv's GEMM (issue #13;
// backends/onednn/fp32_small_map_conv.h, conv_kernel.cpp's smallMapCandidate): every variant
// against the reference backend, and the implementation each node reports, so a test fails if
// the path silently stops applying (or starts applying where the rule says it should not).
#include "backends/onednn/fp32_small_map_conv.h"
#include "onednn_test_util.h"

#include <sstream>

using namespace lbtest;

namespace {

constexpr const char* kSmallMapImpl = "lb_small_map_gemm:avx512";

struct Case {
    int64_t batch = 1, in = 512, out = 512, h = 7, w = 7, k = 1, stride = 1;
    std::vector<int64_t> pads{0, 0, 0, 0}; // ONNX order: top, left, bottom, right
    bool bias = true;
    std::string z = "";   // "": none, "input": a graph input, "chain": the conv's own input
    std::string act = ""; // "", "Relu", "Relu6", "LeakyRelu"
    bool chain = false;   // the conv's input is a small oneDNN conv's output (blocked)
    int threads = 1;
    bool smallMap = true; // the rule should pick SmallMapConv
};

std::string describe(const Case& c) {
    std::ostringstream s;
    s << c.batch << "x" << c.in << "x" << c.h << "x" << c.w << " -> " << c.out << " k" << c.k
      << " s" << c.stride << " pads " << c.pads[0] << c.pads[1] << c.pads[2] << c.pads[3]
      << (c.bias ? " +bias" : "") << (c.z.empty() ? "" : " +Z(" + c.z + ")") << " " << c.act
      << (c.chain ? " chained" : "") << ", " << c.threads << " threads";
    return s.str();
}

Shape outShape(const Case& c) {
    return {c.batch, c.out, (c.h + c.pads[0] + c.pads[2] - c.k) / c.stride + 1,
            (c.w + c.pads[1] + c.pads[3] - c.k) / c.stride + 1};
}

// [x -> 1x1 conv 16 -> in ->] conv (the one under test) [+ Z] [-> act] -> y
std::shared_ptr<ir::Graph> graph(const Case& c) {
    GraphBuilder b;
    const Shape xs{c.batch, c.chain ? 16 : c.in, c.h, c.w}, ys = outShape(c);
    ir::ValueId x = b.input("x", xs);
    if (c.chain)
        x = b.node("Conv", {x, b.constant("w0", randomTensor({c.in, 16, 1, 1}, 11, -0.5f, 0.5f))},
                   "pre", Shape{c.batch, c.in, c.h, c.w});
    std::vector<ir::ValueId> in{
        x, b.constant("w", randomTensor({c.out, c.in, c.k, c.k}, 12, -0.05f, 0.05f))};
    if (c.bias)
        in.push_back(b.constant("b", randomTensor({c.out}, 13)));
    ir::ValueId y = b.node("Conv", in, "conv", ys,
                           {attrInts("kernel_shape", {c.k, c.k}),
                            attrInts("strides", {c.stride, c.stride}), attrInts("pads", c.pads)});
    if (c.z == "input")
        y = b.node("Add", {y, b.input("z", ys)}, "add", ys);
    else if (c.z == "chain")
        y = b.node("Add", {y, x}, "add", ys);
    if (c.act == "Relu6")
        y = b.node("Clip", {y, b.constant("lo", scalar(0.0f)), b.constant("hi", scalar(6.0f))},
                   "act", ys);
    else if (!c.act.empty())
        y = b.node(c.act, {y}, "act", ys);
    b.output(y);
    return b.graph();
}

} // namespace

TEST_CASE("convolutions over small maps with large weights run as SmallMapConv, exactly",
          "[onednn]") {
    std::vector<Case> cases;
    Case c; // ResNet-50's 1x1s at 7x7, with the residual and ReLU fused
    c.z = "input";
    c.act = "Relu";
    cases.push_back(c);
    c = Case{}; // channel counts that are not whole 16-channel blocks, nothing fused
    c.in = 520;
    c.out = 510;
    c.bias = false;
    cases.push_back(c);
    c = Case{}; // the stride-2 downsample
    c.out = 1024;
    c.h = c.w = 14;
    c.stride = 2;
    cases.push_back(c);
    c = Case{}; // a 3x3 residual block's second conv: Z is its own (blocked) input
    c.in = c.out = 176;
    c.k = 3;
    c.pads = {1, 1, 1, 1};
    c.z = "chain";
    c.act = "Relu";
    c.chain = true;
    cases.push_back(c);
    c = Case{}; // 3x3 stride 2 with odd channel counts and ReLU6 (a clip)
    c.in = 170;
    c.out = 180;
    c.k = 3;
    c.h = c.w = 14;
    c.stride = 2;
    c.pads = {1, 1, 1, 1};
    c.act = "Relu6";
    cases.push_back(c);
    c = Case{}; // odd map, batch 2, 2 threads
    c.batch = 2;
    c.in = 176;
    c.out = 192;
    c.k = 3;
    c.h = 5;
    c.w = 6;
    c.pads = {1, 1, 1, 1};
    c.act = "Relu";
    c.threads = 2;
    cases.push_back(c);
    c = Case{}; // asymmetric padding (only bottom / right), 64 output pixels
    c.in = c.out = 176;
    c.k = 3;
    c.h = c.w = 8;
    c.pads = {0, 0, 2, 2};
    c.bias = false;
    cases.push_back(c);
    c = Case{}; // batch 2, 2 threads, residual from an input, chained
    c.batch = 2;
    c.z = "input";
    c.act = "Relu";
    c.chain = true;
    c.threads = 2;
    cases.push_back(c);
    // Outside the rule: more than 64 output pixels, small weights, an activation it lacks.
    c = Case{};
    c.in = c.out = 176;
    c.k = 3;
    c.h = c.w = 14;
    c.pads = {1, 1, 1, 1};
    c.smallMap = false;
    cases.push_back(c);
    c = Case{};
    c.in = 256;
    c.out = 256;
    c.smallMap = false;
    cases.push_back(c);
    c = Case{};
    c.act = "LeakyRelu";
    c.smallMap = false;
    cases.push_back(c);
    for (const Case& tc : cases) {
        DYNAMIC_SECTION(describe(tc)) {
            const auto g = graph(tc);
            std::map<std::string, Tensor> inputs{
                {"x", randomTensor({tc.batch, tc.chain ? 16 : tc.in, tc.h, tc.w}, 7)}};
            if (tc.z == "input")
                inputs["z"] = randomTensor(outShape(tc), 8);
            runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                     runtime::SessionOptions{tc.threads});
            bool seen = false;
            for (size_t i = 0; i < session.steps().size(); ++i) {
                const ir::Node& n = session.graph().node(session.steps()[i].node);
                INFO("node " << n.name << " (" << n.opType << ")");
                CHECK(session.steps()[i].backend == "onednn");
                const bool tested = n.opType.find("Conv") != std::string::npos &&
                                    session.implementation(i) != "" && n.name != "pre_node";
                if (!tested)
                    continue;
                seen = true;
                const std::string impl = session.implementation(i);
                INFO(impl);
                const bool expected = tc.smallMap && backends::onednn::SmallMapConv::available();
                CHECK((impl == kSmallMapImpl) == expected);
            }
            CHECK(seen);
            const std::vector<Tensor> want = runGraph(g, false, inputs);
            CHECK(relativeError(session.run(inputs)[0], want[0]) <= 1e-4);
            // A second run (the padded map and the converters reused).
            CHECK(relativeError(session.run(inputs)[0], want[0]) <= 1e-4);
        }
    }
}
