// The XNNPACK backend: each kernel against the reference backend on small random graphs
// (tolerance 1e-4 relative to max(1, |reference|)), the configurations its claims decline and
// their codes, its fusions staying within what it claims, and the PaddleOCR models on its
// fallback chain against the reference outputs.
#include "backends/registry.h"
#include "backends/xnnpack/xnnpack_backend.h"
#include "onednn_test_util.h"
#include "onnx/importer.h"
#include "passes/graph_pass.h"

#include <iostream>

using namespace lbtest;

namespace {

std::shared_ptr<const runtime::Backend> xnnpackBackend() {
    return std::make_shared<backends::xnnpack::XnnpackBackend>();
}

// Runs `g` on XNNPACK (every node must land there) and on the reference backend alone.
void compareXnnpack(const std::shared_ptr<ir::Graph>& g, const std::map<std::string, Tensor>& in,
                    int threads = 1, double tol = 1e-4) {
    runtime::Session session(g, {xnnpackBackend(), referenceBackend()},
                             runtime::SessionOptions{threads});
    for (const runtime::PlanStep& step : session.steps()) {
        INFO("node " << session.graph().node(step.node).name
                     << " fell back: " << step.fallbackReason);
        CHECK(step.backend == "xnnpack");
    }
    const std::vector<Tensor> got = session.run(in);
    const std::vector<Tensor> want = runGraph(g, false, in);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < got.size(); ++i)
        CHECK(relativeError(got[i], want[i]) <= tol);
}

runtime::Claim claimOf(const std::shared_ptr<ir::Graph>& g) {
    const ir::Graph& graph = *g;
    return backends::xnnpack::XnnpackBackend().capability(graph,
                                                          graph.node(graph.nodeIds().front()));
}

std::shared_ptr<ir::Graph> unaryGraph(const std::string& op, const Shape& shape,
                                      std::vector<ir::Attribute> attrs = {}) {
    GraphBuilder b;
    b.output(b.node(op, {b.input("x", shape)}, "y", shape, std::move(attrs)));
    return b.graph();
}

} // namespace

TEST_CASE("XNNPACK Conv and FusedConv match the reference", "[xnnpack]") {
    struct Case {
        const char* label;
        Shape x, w;
        bool bias;
        std::vector<ir::Attribute> attrs;
    };
    const std::vector<Case> cases = {
        {"3x3 pad 1 with bias",
         {1, 8, 13, 11},
         {16, 8, 3, 3},
         true,
         {attrInts("pads", {1, 1, 1, 1})}},
        {"1x1 no bias, batch 2", {2, 5, 7, 7}, {12, 5, 1, 1}, false, {}},
        {"depthwise stride 2 dilation 2",
         {1, 16, 15, 15},
         {16, 1, 3, 3},
         true,
         {attrInt("group", 16), attrInts("strides", {2, 2}), attrInts("dilations", {2, 2}),
          attrInts("pads", {2, 1, 2, 1})}},
        {"grouped SAME_UPPER stride 2",
         {1, 8, 10, 9},
         {6, 4, 3, 3},
         true,
         {attrInt("group", 2), attrInts("strides", {2, 2}), attrString("auto_pad", "SAME_UPPER")}},
        {"3 input channels, asymmetric pads",
         {1, 3, 17, 12},
         {8, 3, 5, 3},
         true,
         {attrInts("pads", {2, 0, 1, 2})}},
    };
    for (const Case& c : cases) {
        for (const char* act : {"", "Relu", "Clip"}) {
            DYNAMIC_SECTION(c.label << (*act ? " + " : "") << act) {
                GraphBuilder b;
                std::vector<ir::ValueId> in{b.input("x", c.x),
                                            b.constant("w", randomTensor(c.w, 2))};
                if (c.bias)
                    in.push_back(b.constant("b", randomTensor({c.w[0]}, 3)));
                std::vector<ir::Attribute> attrs = c.attrs;
                if (*act)
                    attrs.push_back(attrString("activation", act));
                if (std::string(act) == "Clip")
                    attrs.push_back(attrFloats("activation_params", {-0.25f, 0.5f}));
                b.output(b.node(*act ? "FusedConv" : "Conv", in, "y", std::nullopt, attrs,
                                *act ? "ai.layerbench" : ""));
                compareXnnpack(b.graph(), {{"x", randomTensor(c.x, 1)}});
            }
        }
    }
    SECTION("4 threads") {
        GraphBuilder b;
        b.output(b.node(
            "Conv",
            {b.input("x", {1, 16, 20, 20}), b.constant("w", randomTensor({32, 16, 3, 3}, 2))}, "y",
            std::nullopt, {attrInts("pads", {1, 1, 1, 1})}));
        compareXnnpack(b.graph(), {{"x", randomTensor({1, 16, 20, 20}, 1)}}, 4);
    }
}

TEST_CASE("XNNPACK ConvTranspose matches the reference", "[xnnpack]") {
    const struct {
        const char* label;
        Shape x, w;
        std::vector<ir::Attribute> attrs;
    } cases[] = {
        {"2x2 stride 2 (PaddleOCR det)", {1, 8, 5, 6}, {8, 4, 2, 2}, {attrInts("strides", {2, 2})}},
        {"3x3 stride 2 pads 1 output_padding 1",
         {1, 6, 5, 4},
         {6, 5, 3, 3},
         {attrInts("strides", {2, 2}), attrInts("pads", {1, 1, 1, 1}),
          attrInts("output_padding", {1, 1})}},
        {"grouped, dilated, asymmetric pads",
         {2, 4, 5, 5},
         {4, 3, 3, 2},
         {attrInt("group", 2), attrInts("dilations", {2, 1}), attrInts("pads", {1, 0, 2, 1})}},
    };
    for (const auto& c : cases) {
        SECTION(c.label) {
            GraphBuilder b;
            int64_t m = c.w[1]; // W is C x M/group x kh x kw
            for (const ir::Attribute& a : c.attrs)
                if (a.name == "group")
                    m *= a.i;
            b.output(b.node("ConvTranspose",
                            {b.input("x", c.x), b.constant("w", randomTensor(c.w, 2)),
                             b.constant("b", randomTensor({m}, 3))},
                            "y", std::nullopt, c.attrs));
            compareXnnpack(b.graph(), {{"x", randomTensor(c.x, 1)}});
        }
    }
    SECTION("auto_pad SAME_UPPER is declined") {
        GraphBuilder b;
        b.output(b.node(
            "ConvTranspose",
            {b.input("x", {1, 2, 4, 4}), b.constant("w", randomTensor({2, 2, 3, 3}, 2))}, "y",
            std::nullopt, {attrInts("strides", {2, 2}), attrString("auto_pad", "SAME_UPPER")}));
        CHECK(claimOf(b.graph()).code() == "unsupported-attribute");
    }
}

TEST_CASE("XNNPACK element-wise ops match the reference", "[xnnpack]") {
    const Shape s{2, 3, 5, 7};
    const Tensor x = randomTensor(s, 1, -8.0f, 8.0f);
    SECTION("Relu") {
        compareXnnpack(unaryGraph("Relu", s), {{"x", x}});
    }
    SECTION("HardSwish") {
        compareXnnpack(unaryGraph("HardSwish", s), {{"x", x}});
    }
    SECTION("Sigmoid") {
        compareXnnpack(unaryGraph("Sigmoid", s), {{"x", x}});
    }
    SECTION("HardSigmoid") {
        compareXnnpack(
            unaryGraph("HardSigmoid", s, {attrFloat("alpha", 0.1666667f), attrFloat("beta", 0.5f)}),
            {{"x", x}});
        compareXnnpack(unaryGraph("HardSigmoid", s), {{"x", x}}); // ONNX's 0.2 and 0.5
    }
    SECTION("LeakyRelu") {
        compareXnnpack(unaryGraph("LeakyRelu", s, {attrFloat("alpha", 0.2f)}), {{"x", x}});
    }
    SECTION("Clip with constant bounds") {
        GraphBuilder b;
        Tensor lo(DataType::Float32, {}), hi(DataType::Float32, {});
        lo.data<float>()[0] = -1.5f;
        hi.data<float>()[0] = 6.0f;
        b.output(
            b.node("Clip", {b.input("x", s), b.constant("lo", lo), b.constant("hi", hi)}, "y", s));
        compareXnnpack(b.graph(), {{"x", x}});
    }
    const struct {
        const char* op;
        Shape a, b;
    } binary[] = {{"Add", {2, 3, 4, 5}, {3, 1, 1}},
                  {"Sub", {1, 8, 4, 4}, {1, 8, 4, 4}},
                  {"Mul", {1, 8, 4, 4}, {1, 8, 1, 1}},
                  {"Div", {4, 5}, {2, 1, 5}},
                  {"Add", {1}, {3, 1, 4}}};
    for (const auto& c : binary) {
        DYNAMIC_SECTION(c.op << " " << shapeToString(c.a) << " by " << shapeToString(c.b)) {
            GraphBuilder b;
            b.output(b.node(c.op, {b.input("a", c.a), b.input("b", c.b)}, "y"));
            // Div's denominators stay away from 0.
            compareXnnpack(b.graph(),
                           {{"a", randomTensor(c.a, 4)}, {"b", randomTensor(c.b, 5, 0.5f, 2.0f)}});
        }
    }
}

TEST_CASE("XNNPACK pools match the reference", "[xnnpack]") {
    const Shape s{1, 6, 11, 10};
    const struct {
        const char* label;
        const char* op;
        std::vector<ir::Attribute> attrs;
    } cases[] = {
        {"MaxPool 3x3 s2 p1",
         "MaxPool",
         {attrInts("kernel_shape", {3, 3}), attrInts("strides", {2, 2}),
          attrInts("pads", {1, 1, 1, 1})}},
        {"MaxPool 2x2 s2 ceil_mode",
         "MaxPool",
         {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2}), attrInt("ceil_mode", 1)}},
        {"MaxPool 2x1 s2x1 (PaddleOCR rec)",
         "MaxPool",
         {attrInts("kernel_shape", {2, 1}), attrInts("strides", {2, 1})}},
        {"AveragePool 2x2 s2",
         "AveragePool",
         {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2})}},
        {"AveragePool 3x3 p1 excluding pads",
         "AveragePool",
         {attrInts("kernel_shape", {3, 3}), attrInts("pads", {1, 1, 1, 1})}},
        {"AveragePool 3x2 s2 ceil_mode",
         "AveragePool",
         {attrInts("kernel_shape", {3, 2}), attrInts("strides", {2, 2}), attrInt("ceil_mode", 1)}},
        {"GlobalAveragePool", "GlobalAveragePool", {}},
    };
    for (const auto& c : cases) {
        SECTION(c.label) {
            compareXnnpack(unaryGraph(c.op, s, c.attrs), {{"x", randomTensor(s, 1)}});
        }
    }
}

TEST_CASE("XNNPACK Gemm, MatMul and Softmax match the reference", "[xnnpack]") {
    SECTION("Gemm transB with bias row, alpha and beta") {
        GraphBuilder b;
        b.output(b.node("Gemm",
                        {b.input("a", {3, 16}), b.constant("w", randomTensor({10, 16}, 2)),
                         b.constant("c", randomTensor({10}, 3))},
                        "y", std::nullopt,
                        {attrInt("transB", 1), attrFloat("alpha", 0.5f), attrFloat("beta", 2.0f)}));
        compareXnnpack(b.graph(), {{"a", randomTensor({3, 16}, 1)}});
    }
    SECTION("Gemm without transB, C of shape 1xN") {
        GraphBuilder b;
        b.output(b.node("Gemm",
                        {b.input("a", {2, 8}), b.constant("w", randomTensor({8, 5}, 2)),
                         b.constant("c", randomTensor({1, 5}, 3))},
                        "y"));
        compareXnnpack(b.graph(), {{"a", randomTensor({2, 8}, 1)}});
    }
    SECTION("MatMul 3-D by constant 2-D") {
        GraphBuilder b;
        b.output(b.node(
            "MatMul", {b.input("a", {2, 7, 12}), b.constant("w", randomTensor({12, 9}, 2))}, "y"));
        compareXnnpack(b.graph(), {{"a", randomTensor({2, 7, 12}, 1)}});
    }
    SECTION("Softmax over the last axis") {
        compareXnnpack(unaryGraph("Softmax", {2, 5, 33}, {attrInt("axis", -1)}),
                       {{"x", randomTensor({2, 5, 33}, 1, -5.0f, 5.0f)}});
    }
}

// LayerNormalization is our own loop on the backend's pthreadpool (layer_norm_kernel.cpp), not
// an XNNPACK operator: at one and two threads, against the reference kernel.
TEST_CASE("XNNPACK's LayerNormalization matches the reference", "[xnnpack]") {
    struct Case {
        const char* label;
        Shape x, scale;
        std::optional<Shape> bias;
        int64_t axis;
        const char* domain;
    };
    const std::vector<Case> cases = {
        {"last axis, rec's shape", {1, 40, 120}, {120}, Shape{120}, -1, ""},
        {"no bias, odd width", {3, 5, 37}, {37}, std::nullopt, -1, ""},
        {"two axes, broadcast scale and bias", {2, 6, 4, 9}, {1, 9}, Shape{4, 1}, 2, ""},
        {"ai.layerbench domain (older opsets)", {7, 64}, {64}, Shape{64}, 1, "ai.layerbench"},
    };
    for (const Case& c : cases)
        for (int threads : {1, 2}) {
            DYNAMIC_SECTION(c.label << ", " << threads << " thread(s)") {
                GraphBuilder b(c.domain[0] ? 13 : 17);
                std::vector<ir::ValueId> in{b.input("x", c.x),
                                            b.constant("s", randomTensor(c.scale, 2))};
                if (c.bias)
                    in.push_back(b.constant("b", randomTensor(*c.bias, 3)));
                b.output(b.node("LayerNormalization", in, "y", c.x,
                                {attrInt("axis", c.axis), attrFloat("epsilon", 1e-5f)}, c.domain));
                // An offset and spread so the statistics are not trivially 0 and 1.
                compareXnnpack(b.graph(), {{"x", randomTensor(c.x, 1, -3.0f, 5.0f)}}, threads);
            }
        }
}

TEST_CASE("XNNPACK MatMul with a constant B takes A of any rank, known or not", "[xnnpack]") {
    SECTION("1-D A") {
        GraphBuilder b;
        b.output(
            b.node("MatMul", {b.input("a", {12}), b.constant("w", randomTensor({12, 5}, 2))}, "y"));
        compareXnnpack(b.graph(), {{"a", randomTensor({12}, 1)}});
    }
    SECTION("A whose shape the graph does not know (as in int8 simulation graphs)") {
        GraphBuilder b;
        const ir::ValueId a = b.input("a", {2, 3, 12});
        b.graph()->value(a).shape.reset();
        b.output(b.node("MatMul", {a, b.constant("w", randomTensor({12, 5}, 2))}, "y"));
        compareXnnpack(b.graph(), {{"a", randomTensor({2, 3, 12}, 1)}}, 2);
    }
}

TEST_CASE("XNNPACK declines what it cannot run, with the code", "[xnnpack]") {
    const auto fusedConv = [](std::vector<ir::Attribute> attrs, bool z) {
        GraphBuilder b;
        std::vector<ir::ValueId> in{b.input("x", {1, 4, 8, 8}),
                                    b.constant("w", randomTensor({4, 4, 3, 3}, 2)),
                                    b.constant("b", randomTensor({4}, 3))};
        if (z)
            in.push_back(b.input("z", {1, 4, 6, 6}));
        b.output(b.node("FusedConv", in, "y", std::nullopt, attrs, "ai.layerbench"));
        return b.graph();
    };
    SECTION("FusedConv with HardSwish") {
        const runtime::Claim c = claimOf(fusedConv({attrString("activation", "HardSwish")}, false));
        CHECK_FALSE(c);
        CHECK(c.code() == "unsupported-attribute");
    }
    SECTION("FusedConv with a residual Z") {
        const runtime::Claim c = claimOf(fusedConv({}, true));
        CHECK_FALSE(c);
        CHECK(c.code() == "unsupported-attribute");
    }
    SECTION("FusedConv with output_affine") {
        const runtime::Claim c = claimOf(fusedConv(
            {attrString("activation", "Relu"), attrFloats("output_affine", {2, 1})}, false));
        CHECK_FALSE(c);
        CHECK(c.code() == "unsupported-attribute");
    }
    SECTION("FusedConv with Relu is claimed") {
        CHECK(claimOf(fusedConv({attrString("activation", "Relu")}, false)));
    }
    SECTION("AveragePool counting the pads") {
        const runtime::Claim c =
            claimOf(unaryGraph("AveragePool", {1, 2, 6, 6},
                               {attrInts("kernel_shape", {3, 3}), attrInts("pads", {1, 1, 1, 1}),
                                attrInt("count_include_pad", 1)}));
        CHECK(c.code() == "unsupported-attribute");
    }
    SECTION("Softmax over a middle axis") {
        CHECK(claimOf(unaryGraph("Softmax", {2, 3, 4}, {attrInt("axis", 1)})).code() ==
              "unsupported-attribute");
    }
    SECTION("MatMul with a computed B (no batch matrix multiply in XNNPACK 2022)") {
        GraphBuilder b;
        b.output(b.node("MatMul", {b.input("a", {2, 3}), b.input("b", {3, 4})}, "y"));
        CHECK(claimOf(b.graph()).code() == "unsupported-input");
    }
    SECTION("Transpose (no transpose_nd in XNNPACK 2022)") {
        CHECK(claimOf(unaryGraph("Transpose", {2, 3}, {attrInts("perm", {1, 0})})).code() ==
              "unsupported-op");
    }
    SECTION("LayerNormalization with the Mean output") {
        GraphBuilder b;
        const ir::ValueId y = b.value("y", Shape{2, 8}), mean = b.value("mean", Shape{2, 1});
        ir::Node n;
        n.name = "ln";
        n.opType = "LayerNormalization";
        n.inputs = {b.input("x", {2, 8}), b.constant("s", randomTensor({8}, 2))};
        n.outputs = {y, mean};
        b.graph()->addNode(n);
        b.output(y);
        CHECK(claimOf(b.graph()).code() == "unsupported-input");
    }
    SECTION("an op outside its table") {
        CHECK(claimOf(unaryGraph("Tanh", {2, 3})).code() == "unsupported-op");
    }
}

TEST_CASE("XNNPACK's lowering fuses only the activations it claims", "[xnnpack]") {
    const auto convThen = [](const std::string& act) {
        GraphBuilder b;
        const Shape s{1, 4, 8, 8};
        const ir::ValueId y =
            b.node("Conv", {b.input("x", s), b.constant("w", randomTensor({4, 4, 3, 3}, 2))}, "c",
                   s, {attrInts("pads", {1, 1, 1, 1})});
        b.output(b.node(act, {y}, "y", s));
        return b.graph();
    };
    SECTION("Conv + HardSwish stays two nodes, both on XNNPACK") {
        const auto g = convThen("HardSwish");
        runtime::Session session(g, {xnnpackBackend(), referenceBackend()});
        REQUIRE(session.steps().size() == 2);
        for (const runtime::PlanStep& step : session.steps())
            CHECK(step.backend == "xnnpack");
        CHECK(session.graph().node(session.steps()[0].node).opType == "Conv");
        compareXnnpack(g, {{"x", randomTensor({1, 4, 8, 8}, 1)}});
    }
    SECTION("Conv + Relu becomes one FusedConv") {
        const auto g = convThen("Relu");
        runtime::Session session(g, {xnnpackBackend(), referenceBackend()});
        REQUIRE(session.steps().size() == 1);
        CHECK(session.graph().node(session.steps()[0].node).opType == "FusedConv");
        CHECK(session.steps()[0].backend == "xnnpack");
        compareXnnpack(g, {{"x", randomTensor({1, 4, 8, 8}, 1)}});
    }
}

TEST_CASE("XNNPACK keeps NHWC between its own nodes and gives plain tensors at the borders",
          "[xnnpack]") {
    GraphBuilder b;
    const Shape xs{1, 6, 9, 8};
    const ir::ValueId y =
        b.node("Conv", {b.input("x", xs), b.constant("w", randomTensor({10, 6, 3, 3}, 2))}, "c",
               Shape{1, 10, 9, 8}, {attrInts("pads", {1, 1, 1, 1})});
    b.output(b.node("HardSwish", {y}, "h", Shape{1, 10, 9, 8}));
    const auto g = b.graph();
    const Tensor x = randomTensor(xs, 1, -3.0f, 3.0f);
    const backends::xnnpack::XnnpackBackend backend;
    const auto run = [&](const ir::Node& node, const Tensor& in, bool stays) {
        std::vector<Tensor> outs(1);
        runtime::KernelContext ctx(
            {&in}, outs, [](size_t, DataType t, const Shape& s, size_t) { return Tensor(t, s); },
            1);
        backend.createKernel(runtime::KernelInfo{*g, node, 1, {stays}})->run(ctx);
        return outs[0];
    };
    const ir::Node& conv = g->node(g->nodeIds()[0]);
    const ir::Node& hswish = g->node(g->nodeIds()[1]);
    const Tensor plainConv = run(conv, x, false);
    const Tensor nhwcConv = run(conv, x, true);
    CHECK(plainConv.isPlain());
    CHECK_FALSE(nhwcConv.isPlain());
    CHECK(relativeError(backend.toPlain(nhwcConv), plainConv) == 0.0);
    // An NHWC input: an NHWC output where it stays, plain where a reader is elsewhere.
    const Tensor kept = run(hswish, nhwcConv, true);
    const Tensor border = run(hswish, nhwcConv, false);
    CHECK_FALSE(kept.isPlain());
    CHECK(border.isPlain());
    CHECK(relativeError(border, run(hswish, plainConv, false)) == 0.0);
    CHECK(relativeError(backend.toPlain(kept), border) == 0.0);
}

TEST_CASE("an XNNPACK chain (conv, pools, broadcast add, softmax) matches the reference",
          "[xnnpack]") {
    GraphBuilder b;
    const Shape xs{1, 4, 12, 12};
    ir::ValueId v = b.node("Conv",
                           {b.input("x", xs), b.constant("w", randomTensor({8, 4, 3, 3}, 2)),
                            b.constant("b", randomTensor({8}, 3))},
                           "c1", Shape{1, 8, 12, 12}, {attrInts("pads", {1, 1, 1, 1})});
    v = b.node("Relu", {v}, "r1", Shape{1, 8, 12, 12});
    v = b.node("MaxPool", {v}, "p1", Shape{1, 8, 6, 6},
               {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2})});
    v = b.node("Add", {v, b.constant("bias", randomTensor({1, 8, 1, 1}, 4))}, "a1",
               Shape{1, 8, 6, 6});
    const ir::ValueId skip =
        b.node("Mul", {v, b.input("s", {1, 8, 6, 6})}, "m1", Shape{1, 8, 6, 6});
    v = b.node("Conv", {skip, b.constant("w2", randomTensor({8, 1, 3, 3}, 5))}, "c2",
               Shape{1, 8, 6, 6}, {attrInts("pads", {1, 1, 1, 1}), attrInt("group", 8)});
    v = b.node("Sub", {v, skip}, "d1", Shape{1, 8, 6, 6});
    v = b.node("Sigmoid", {v}, "g1", Shape{1, 8, 6, 6});
    b.output(b.node("AveragePool", {v}, "ap", Shape{1, 8, 3, 3},
                    {attrInts("kernel_shape", {2, 2}), attrInts("strides", {2, 2})}));
    b.output(b.node("GlobalAveragePool", {v}, "gap", Shape{1, 8, 1, 1}));
    v = b.node("MatMul", {v, b.constant("fc", randomTensor({6, 5}, 7))}, "mm", Shape{1, 8, 6, 5});
    b.output(b.node("Softmax", {v}, "sm", Shape{1, 8, 6, 5}, {attrInt("axis", -1)}));
    for (int threads : {1, 3})
        DYNAMIC_SECTION(threads << " threads") {
            compareXnnpack(b.graph(),
                           {{"x", randomTensor(xs, 1)}, {"s", randomTensor({1, 8, 6, 6}, 6)}},
                           threads);
        }
}

// det's FPN: nearest upsamples by whole factors and a channel concat, between convs (NHWC inside)
// and as graph outputs (plain).
TEST_CASE("XNNPACK nearest Resize and channel Concat match the reference", "[xnnpack]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 3, 5, 6});
    const ir::ValueId c1 = b.node("Conv", {x, b.constant("w", randomTensor({4, 3, 1, 1}, 2))}, "c1",
                                  Shape{1, 4, 5, 6});
    Tensor scales(DataType::Float32, {4});
    const float factors[4] = {1, 1, 2, 3};
    std::copy(factors, factors + 4, scales.data<float>());
    const ir::ValueId up = b.node(
        "Resize", {c1, ir::kNoValue, b.constant("scales", scales)}, "up", Shape{1, 4, 10, 18},
        {attrString("mode", "nearest"), attrString("coordinate_transformation_mode", "asymmetric"),
         attrString("nearest_mode", "floor")});
    const ir::ValueId other = b.node(
        "Conv", {b.input("z", {1, 2, 10, 18}), b.constant("w2", randomTensor({5, 2, 1, 1}, 3))},
        "c2", Shape{1, 5, 10, 18});
    const ir::ValueId cat = b.node("Concat", {up, other, b.input("p", {1, 3, 10, 18})}, "cat",
                                   Shape{1, 12, 10, 18}, {attrInt("axis", 1)});
    b.output(b.node("Relu", {cat}, "r", Shape{1, 12, 10, 18}));
    b.output(up);
    compareXnnpack(b.graph(), {{"x", randomTensor({1, 3, 5, 6}, 4)},
                               {"z", randomTensor({1, 2, 10, 18}, 5)},
                               {"p", randomTensor({1, 3, 10, 18}, 6)}});
}

TEST_CASE("PaddleOCR models on xnnpack's fallback chain match the reference", "[xnnpack][models]") {
    const std::pair<const char*, Shape> models[] = {
        {"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}},
        {"ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}},
        {"ch_PP-OCRv4_det_infer.onnx", {1, 3, 96, 96}}};
    for (const auto& [file, shape] : models) {
        DYNAMIC_SECTION(file) {
            onnx::ImportOptions options;
            options.inputShapes["x"] = shape;
            auto g = std::make_shared<ir::Graph>(
                onnx::importModel(std::string(LB_MODELS_DIR) + "/" + file, options).graph);
            passes::optimize(*g, passes::genericPasses());
            const Tensor x = randomTensor(shape, 7);
            runtime::Session session(g, backends::fallbackChain("xnnpack"));
            std::map<std::string, int> onXnnpack, fallbacks;
            for (const runtime::PlanStep& step : session.steps()) {
                const std::string op = session.graph().node(step.node).opType;
                if (step.backend == "xnnpack") {
                    ++onXnnpack[op];
                } else {
                    INFO(op << ": " << step.fallbackReason);
                    CHECK_FALSE(step.fallbackCode.empty()); // every fallback says why
                    ++fallbacks[op + " (" + step.fallbackCode + ")"];
                }
            }
            std::cout << file << ": on xnnpack:";
            for (const auto& [op, n] : onXnnpack)
                std::cout << " " << op << " x" << n;
            std::cout << "\n  fallbacks:";
            for (const auto& [op, n] : fallbacks)
                std::cout << " " << op << " x" << n;
            std::cout << "\n";
            CHECK(onXnnpack["FusedConv"] + onXnnpack["Conv"] > 0);
            const std::vector<Tensor> got = session.run({{"x", x}});
            const std::vector<Tensor> want = runGraph(g, false, {{"x", x}});
            REQUIRE(got.size() == want.size());
            for (size_t i = 0; i < got.size(); ++i)
                CHECK(relativeError(got[i], want[i]) <= 1e-4);
        }
    }
}
