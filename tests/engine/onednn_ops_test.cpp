// Each oneDNN kernel against the reference backend on random inputs (tolerance: 1e-4 relative
// to max(1, |reference|)), plus the nodes it must decline and why.
#include "onednn_test_util.h"

#include <cmath>
#include <tuple>

using namespace lbtest;

namespace {

struct ConvCase {
    const char* label;
    Shape x, w;
    bool bias;
    std::vector<ir::Attribute> attrs;
};

std::shared_ptr<ir::Graph> convGraph(const ConvCase& c) {
    GraphBuilder b;
    std::vector<ir::ValueId> in{b.input("x", c.x), b.constant("w", randomTensor(c.w, 2))};
    if (c.bias)
        in.push_back(b.constant("b", randomTensor({c.w[0]}, 3)));
    b.output(b.node("Conv", in, "y", std::nullopt, c.attrs));
    return b.graph();
}

} // namespace

TEST_CASE("oneDNN Conv matches the reference", "[onednn]") {
    const std::vector<ConvCase> cases = {
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
    for (const ConvCase& c : cases) {
        SECTION(c.label) {
            compareWithReference(convGraph(c), {{"x", randomTensor(c.x, 1)}});
        }
    }
}

TEST_CASE("oneDNN runs large 3x3 convolutions as Winograd, output channels padded to 16",
          "[onednn]") {
    // 24 output channels: the primitive computes 32, the graph sees 24 in the same blocked bytes.
    // The consumer (a 1x1 Conv and a GlobalAveragePool on the blocked tensor) must not see the
    // padding channels.
    for (bool relu : {false, true}) {
        DYNAMIC_SECTION((relu ? "FusedConv Relu" : "Conv") << " 32 -> 24 at 72x68") {
            const Shape xs{1, 32, 72, 68}, ys{1, 24, 72, 68};
            GraphBuilder b;
            std::vector<ir::ValueId> in{b.input("x", xs),
                                        b.constant("w", randomTensor({24, 32, 3, 3}, 4)),
                                        b.constant("b", randomTensor({24}, 5))};
            std::vector<ir::Attribute> attrs{attrInts("pads", {1, 1, 1, 1})};
            if (relu)
                attrs.push_back(attrString("activation", "Relu"));
            const ir::ValueId y = b.node(relu ? "FusedConv" : "Conv", in, "y", ys, attrs,
                                         relu ? "ai.layerbench" : "");
            b.output(b.node("Conv", {y, b.constant("w2", randomTensor({8, 24, 1, 1}, 6))}, "z"));
            b.output(b.node("GlobalAveragePool", {y}, "g"));
            const auto g = b.graph();
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            CHECK_THAT(session.implementation(0), Catch::Contains("wino"));
            compareWithReference(g, {{"x", randomTensor(xs, 1)}});
        }
    }
    SECTION("a strided or small convolution stays direct") {
        GraphBuilder b;
        b.output(b.node(
            "Conv",
            {b.input("x", {1, 32, 72, 68}), b.constant("w", randomTensor({24, 32, 3, 3}, 4))}, "y",
            std::nullopt, {attrInts("pads", {1, 1, 1, 1}), attrInts("strides", {2, 2})}));
        runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
        CHECK_THAT(session.implementation(0), !Catch::Contains("wino"));
        CHECK_FALSE(session.implementation(0).empty());
    }
    SECTION("a narrow convolution (UNet's 32 -> 16 at full resolution) stays direct") {
        const Shape xs{1, 32, 80, 72};
        GraphBuilder b;
        b.output(b.node("Conv",
                        {b.input("x", xs), b.constant("w", randomTensor({16, 32, 3, 3}, 4))}, "y",
                        std::nullopt, {attrInts("pads", {1, 1, 1, 1})}));
        runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
        CHECK_THAT(session.implementation(0), !Catch::Contains("wino"));
        CHECK_FALSE(session.implementation(0).empty());
        compareWithReference(b.graph(), {{"x", randomTensor(xs, 2)}});
    }
}

TEST_CASE("oneDNN runs a residual block's 3x3 convolutions as Winograd, the residual summed in",
          "[onednn]") {
    // ResNet's basic block: FusedConv Relu, then FusedConv with the block input as residual Z and
    // Relu. Weights scaled as a trained network's (He-uniform) so the sums stay in range.
    for (const auto& [channels, side, outChannels] :
         {std::tuple<int64_t, int64_t, int64_t>{64, 28, 64}, {96, 16, 72}, {256, 14, 256}}) {
        DYNAMIC_SECTION(channels << " -> " << outChannels << " at " << side << "x" << side) {
            // The second convolution writes outChannels (zero channels padded up to 16 inside).
            const Shape xs{1, channels, side, side}, ys{1, outChannels, side, side};
            const float s1 = std::sqrt(6.0f / static_cast<float>(channels * 9));
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            const std::vector<ir::Attribute> attrs{attrInts("pads", {1, 1, 1, 1}),
                                                   attrString("activation", "Relu")};
            const ir::ValueId y1 =
                b.node("FusedConv",
                       {x, b.constant("w1", randomTensor({channels, channels, 3, 3}, 7, -s1, s1)),
                        b.constant("b1", randomTensor({channels}, 8, -0.1f, 0.1f))},
                       "y1", xs, attrs, "ai.layerbench");
            // The residual Z must have the output's shape: a 1x1 projection when widths differ.
            ir::ValueId z = x;
            if (outChannels != channels)
                z = b.node(
                    "Conv",
                    {x, b.constant("wp", randomTensor({outChannels, channels, 1, 1}, 9, -s1, s1))},
                    "proj", ys);
            b.output(b.node(
                "FusedConv",
                {y1, b.constant("w2", randomTensor({outChannels, channels, 3, 3}, 10, -s1, s1)),
                 b.constant("b2", randomTensor({outChannels}, 11, -0.1f, 0.1f)), z},
                "y", ys, attrs, "ai.layerbench"));
            const auto g = b.graph();
            runtime::Session session(g, {onednnBackend(), referenceBackend()});
            for (size_t i = 0; i < session.steps().size(); ++i)
                if (g->node(session.steps()[i].node).opType == "FusedConv")
                    CHECK_THAT(session.implementation(i), Catch::Contains("wino"));
            compareWithReference(g, {{"x", randomTensor(xs, 12)}});
        }
    }
    // 256 -> 256 at 14x14 (ResNet's third stage) is Winograd since measured in the network again
    // (conv_kernel.cpp); 512 -> 512 at 7x7 is SmallMapConv's where the CPU has AVX-512.
    SECTION("narrow outputs and small maps under wide weights stay off Winograd") {
        for (const auto& [channels, outChannels, side] :
             {std::tuple<int64_t, int64_t, int64_t>{128, 32, 28}, {288, 288, 14}, {512, 512, 7}}) {
            GraphBuilder b;
            b.output(b.node("Conv",
                            {b.input("x", {1, channels, side, side}),
                             b.constant("w", randomTensor({outChannels, channels, 3, 3}, 4))},
                            "y", std::nullopt, {attrInts("pads", {1, 1, 1, 1})}));
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            INFO(channels << " -> " << outChannels << " at " << side << "x" << side);
            CHECK_THAT(session.implementation(0), !Catch::Contains("wino"));
            CHECK_FALSE(session.implementation(0).empty());
        }
    }
}

TEST_CASE("oneDNN FusedConv equals Conv + Add + activation on the reference", "[onednn]") {
    const Shape xs{1, 8, 9, 9}, ys{1, 16, 9, 9};
    const Tensor w = randomTensor({16, 8, 3, 3}, 5), bias = randomTensor({16}, 6);
    struct Act {
        const char* name;
        std::vector<float> params;
        std::vector<ir::Attribute> attrs; // the same parameters as ONNX attributes
    };
    const std::vector<Act> acts = {
        {"Relu", {}, {}},
        {"LeakyRelu", {0.2f}, {attrFloat("alpha", 0.2f)}},
        {"Sigmoid", {}, {}},
        {"Tanh", {}, {}},
        {"HardSigmoid", {0.3f, 0.4f}, {attrFloat("alpha", 0.3f), attrFloat("beta", 0.4f)}},
        {"HardSwish", {}, {}},
        {"Clip", {-0.5f, 0.75f}, {}},
    };
    for (const Act& act : acts) {
        for (bool withZ : {false, true}) {
            DYNAMIC_SECTION(act.name << (withZ ? " with residual Z" : "")) {
                GraphBuilder fused, plain;
                std::vector<ir::ValueId> fin{fused.input("x", xs), fused.constant("w", w),
                                             fused.constant("b", bias)};
                ir::ValueId px = plain.input("x", xs);
                ir::ValueId y =
                    plain.node("Conv", {px, plain.constant("w", w), plain.constant("b", bias)}, "c",
                               ys, {attrInts("pads", {1, 1, 1, 1})});
                if (withZ) {
                    fin.push_back(fused.input("z", ys));
                    y = plain.node("Add", {y, plain.input("z", ys)}, "s", ys);
                }
                std::vector<ir::ValueId> actIn{y};
                if (std::string(act.name) == "Clip") {
                    Tensor lo(DataType::Float32, {}), hi(DataType::Float32, {});
                    lo.data<float>()[0] = act.params[0];
                    hi.data<float>()[0] = act.params[1];
                    actIn.push_back(plain.constant("lo", lo));
                    actIn.push_back(plain.constant("hi", hi));
                }
                plain.output(plain.node(act.name, actIn, "y", ys, act.attrs));
                fused.output(
                    fused.node("FusedConv", fin, "y", ys,
                               {attrInts("pads", {1, 1, 1, 1}), attrString("activation", act.name),
                                attrFloats("activation_params", act.params)},
                               "ai.layerbench"));
                const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 7)},
                                                           {"z", randomTensor(ys, 8)}};
                std::map<std::string, Tensor> plainInputs{{"x", inputs.at("x")}};
                if (withZ)
                    plainInputs["z"] = inputs.at("z");
                std::map<std::string, Tensor> fusedInputs = plainInputs;
                runtime::Session session(fused.graph(), {onednnBackend(), referenceBackend()});
                REQUIRE(session.steps()[0].backend == "onednn");
                const Tensor got = session.run(fusedInputs)[0];
                const Tensor want = runGraph(plain.graph(), false, plainInputs)[0];
                CHECK(relativeError(got, want) <= 1e-4);
            }
        }
    }
}

TEST_CASE("oneDNN FusedConv output_affine equals activation, Mul and Add on the reference",
          "[onednn]") {
    const Shape xs{1, 8, 9, 9}, ys{1, 16, 9, 9};
    const Tensor w = randomTensor({16, 8, 3, 3}, 5), bias = randomTensor({16}, 6);
    Tensor scale(DataType::Float32, {1}), shift(DataType::Float32, {1});
    scale.data<float>()[0] = 1.7f;
    shift.data<float>()[0] = -0.3f;
    for (bool withZ : {false, true}) {
        DYNAMIC_SECTION((withZ ? "with residual Z" : "without Z")) {
            GraphBuilder fused, plain;
            std::vector<ir::ValueId> fin{fused.input("x", xs), fused.constant("w", w),
                                         fused.constant("b", bias)};
            ir::ValueId y = plain.node(
                "Conv", {plain.input("x", xs), plain.constant("w", w), plain.constant("b", bias)},
                "c", ys, {attrInts("pads", {1, 1, 1, 1})});
            if (withZ) {
                fin.push_back(fused.input("z", ys));
                y = plain.node("Add", {y, plain.input("z", ys)}, "s", ys);
            }
            y = plain.node("HardSwish", {y}, "h", ys);
            y = plain.node("Mul", {y, plain.constant("k", scale)}, "m", ys);
            plain.output(plain.node("Add", {y, plain.constant("t", shift)}, "y", ys));
            fused.output(
                fused.node("FusedConv", fin, "y", ys,
                           {attrInts("pads", {1, 1, 1, 1}), attrString("activation", "HardSwish"),
                            attrFloats("output_affine", {1.7f, -0.3f})},
                           "ai.layerbench"));
            std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 7)}};
            if (withZ)
                inputs["z"] = randomTensor(ys, 8);
            runtime::Session session(fused.graph(), {onednnBackend(), referenceBackend()});
            REQUIRE(session.steps()[0].backend == "onednn");
            const Tensor got = session.run(inputs)[0];
            const Tensor want = runGraph(plain.graph(), false, inputs)[0];
            CHECK(relativeError(got, want) <= 1e-4);
            // The reference backend's FusedConv applies output_affine too.
            CHECK(relativeError(runGraph(fused.graph(), false, inputs)[0], want) <= 1e-5);
        }
    }
}

TEST_CASE("oneDNN Transpose matches the reference, from plain and blocked inputs", "[onednn]") {
    struct Case {
        Shape x;
        std::vector<int64_t> perm; // empty: reverse the axes
    };
    const std::vector<Case> cases = {{{2, 3, 5}, {0, 2, 1}},
                                     {{2, 3, 5}, {}},
                                     {{1, 4, 3, 5}, {0, 2, 3, 1}},
                                     {{2, 3, 4, 5}, {3, 1, 0, 2}},
                                     {{1, 2, 3, 4, 5}, {0, 3, 1, 4, 2}}};
    for (const Case& c : cases) {
        DYNAMIC_SECTION(shapeToString(c.x) << " perm " << c.perm.size()) {
            GraphBuilder b;
            Shape ys;
            for (size_t i = 0; i < c.x.size(); ++i)
                ys.push_back(c.x[c.perm.empty() ? c.x.size() - 1 - i : c.perm[i]]);
            std::vector<ir::Attribute> attrs;
            if (!c.perm.empty())
                attrs.push_back(attrInts("perm", c.perm));
            b.output(b.node("Transpose", {b.input("x", c.x)}, "y", ys, attrs));
            compareWithReference(b.graph(), {{"x", randomTensor(c.x, 21)}}, 0.0);
        }
    }
    SECTION("the input is a Conv's blocked output") {
        // 20 channels: oneDNN picks a 16-channel blocked layout with padding.
        const Shape xs{1, 8, 6, 7}, cs{1, 20, 6, 7}, ys{1, 6, 7, 20};
        GraphBuilder b;
        const ir::ValueId c =
            b.node("Conv",
                   {b.input("x", xs), b.constant("w", randomTensor({20, 8, 3, 3}, 3)),
                    b.constant("b", randomTensor({20}, 4))},
                   "c", cs, {attrInts("pads", {1, 1, 1, 1})});
        b.output(b.node("Transpose", {c}, "y", ys, {attrInts("perm", {0, 2, 3, 1})}));
        compareWithReference(b.graph(), {{"x", randomTensor(xs, 22)}});
    }
}

TEST_CASE("oneDNN LayerNormalization matches the reference", "[onednn]") {
    for (int64_t axis : {-1, -2, 1}) {
        DYNAMIC_SECTION("axis " << axis) {
            const Shape xs{2, 6, 5, 8};
            const int64_t a = axis < 0 ? axis + 4 : axis;
            Shape norm(xs.begin() + a, xs.end());
            GraphBuilder b(17);
            b.output(b.node("LayerNormalization",
                            {b.input("x", xs), b.constant("g", randomTensor(norm, 2, 0.5f, 2.0f)),
                             b.constant("b", randomTensor(norm, 3))},
                            "y", xs, {attrInt("axis", axis), attrFloat("epsilon", 1e-3f)}));
            compareWithReference(b.graph(), {{"x", randomTensor(xs, 4, -3.0f, 5.0f)}});
        }
    }
}

TEST_CASE("oneDNN activations match the reference", "[onednn]") {
    const Shape s{2, 5, 4, 3};
    for (const char* op : {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish"}) {
        DYNAMIC_SECTION(op) {
            GraphBuilder b;
            b.output(b.node(op, {b.input("x", s)}, "y", s));
            compareWithReference(b.graph(), {{"x", randomTensor(s, 11, -4.0f, 4.0f)}});
        }
    }
    SECTION("Clip with constant min and max") {
        GraphBuilder b;
        Tensor lo(DataType::Float32, {}), hi(DataType::Float32, {});
        lo.data<float>()[0] = -0.25f;
        hi.data<float>()[0] = 0.5f;
        b.output(
            b.node("Clip", {b.input("x", s), b.constant("lo", lo), b.constant("hi", hi)}, "y", s));
        compareWithReference(b.graph(), {{"x", randomTensor(s, 12)}});
    }
}

TEST_CASE("oneDNN binary ops match the reference where broadcasting fits", "[onednn]") {
    struct Case {
        const char* op;
        Shape a, b;
    };
    const std::vector<Case> cases = {{"Add", {2, 8, 5, 5}, {1, 8, 1, 1}}, {"Sub", {2, 3, 4}, {4}},
                                     {"Mul", {1, 8, 1, 1}, {2, 8, 5, 5}}, {"Div", {3, 6}, {3, 6}},
                                     {"Max", {2, 1, 5}, {2, 4, 5}},       {"Min", {4, 5}, {1}}};
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.op << " " << shapeToString(c.a) << " " << shapeToString(c.b)) {
            GraphBuilder g;
            g.output(g.node(c.op, {g.input("a", c.a), g.input("b", c.b)}, "y"));
            Tensor b = randomTensor(c.b, 22);
            if (std::string(c.op) == "Div")
                for (float& v : b.span<float>())
                    v = v < 0 ? v - 0.5f : v + 0.5f;
            compareWithReference(g.graph(), {{"a", randomTensor(c.a, 21)}, {"b", b}});
        }
    }
    SECTION("Sub whose first input would broadcast is declined with the reason") {
        GraphBuilder g;
        g.output(g.node("Sub", {g.input("a", {1, 4}), g.input("b", {3, 4})}, "y"));
        const ir::Graph& graph = *g.graph();
        const runtime::Claim claim =
            backends::onednn::OneDnnBackend().capability(graph, graph.node(0));
        CHECK(claim.code() == "unsupported-shape");
        CHECK_THAT(claim.text(), Catch::Contains("broadcast"));
        runtime::Session session(g.graph(), {onednnBackend(), referenceBackend()});
        CHECK(session.steps()[0].backend == "reference");
        CHECK(session.steps()[0].fallbackCode == "unsupported-shape");
        CHECK_THAT(session.steps()[0].fallbackReason, Catch::Contains("onednn"));
    }
}
