// The fusions that came out of the architecture benchmark (issue #13): SiLU after a Conv as a
// Swish post-op, the decomposed GELU as one Gelu, ShuffleNet's Reshape -> Transpose -> Reshape as
// one ChannelShuffle, no-op Pads dropped. Each fused graph on oneDNN must compute what the
// unfused graph computes on the reference backend.
#include "backends/onednn/simd.h"
#include "graph_query_util.h"
#include "onednn_test_util.h"
#include "passes/constant_folding.h"
#include "passes/fusion.h"

using namespace lbtest;
using lb::test::countOps;

namespace {

Tensor int64s(std::vector<int64_t> v) {
    Tensor t(DataType::Int64, {static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    return t;
}

ir::ValueId int64Constant(GraphBuilder& b, const std::string& name, std::vector<int64_t> v) {
    const ir::ValueId id = b.constant(name, int64s(std::move(v)));
    b.graph()->value(id).dtype = DataType::Int64;
    return id;
}

// x * 0.5 * (1 + erf(x / sqrt 2)) on `x`, in PyTorch's grouping ((x * (1 + erf)) * 0.5) or the
// other ((x * 0.5) * (1 + erf)), by Div or by Mul.
ir::ValueId decomposedGelu(GraphBuilder& b, ir::ValueId x, const Shape& s, bool torchGrouping,
                           bool byDiv) {
    const ir::ValueId d =
        byDiv ? b.node("Div", {x, b.constant("sqrt2", scalar(std::sqrt(2.0f)))}, "d", s)
              : b.node("Mul", {b.constant("rsqrt2", scalar(1.0f / std::sqrt(2.0f))), x}, "d", s);
    const ir::ValueId e = b.node("Erf", {d}, "e", s);
    const ir::ValueId a = b.node("Add", {e, b.constant("one", scalar(1.0f))}, "a", s);
    if (torchGrouping) {
        const ir::ValueId m = b.node("Mul", {x, a}, "m", s);
        return b.node("Mul", {m, b.constant("half", scalar(0.5f))}, "gelu", s);
    }
    const ir::ValueId h = b.node("Mul", {b.constant("half", scalar(0.5f)), x}, "h", s);
    return b.node("Mul", {a, h}, "gelu", s);
}

} // namespace

TEST_CASE("oneDNN FusedConv Swish and Gelu activations equal the parts on the reference",
          "[onednn]") {
    const Shape xs{1, 8, 9, 9}, ys{1, 20, 9, 9};
    const Tensor w = randomTensor({20, 8, 3, 3}, 5), bias = randomTensor({20}, 6);
    for (const char* act : {"Swish", "Gelu"}) {
        DYNAMIC_SECTION(act) {
            GraphBuilder fused, plain;
            fused.output(fused.node(
                "FusedConv",
                {fused.input("x", xs), fused.constant("w", w), fused.constant("b", bias)}, "y", ys,
                {attrInts("pads", {1, 1, 1, 1}), attrString("activation", act)}, "ai.layerbench"));
            const ir::ValueId c = plain.node(
                "Conv", {plain.input("x", xs), plain.constant("w", w), plain.constant("b", bias)},
                "c", ys, {attrInts("pads", {1, 1, 1, 1})});
            if (std::string(act) == "Swish")
                plain.output(plain.node("Mul", {c, plain.node("Sigmoid", {c}, "s", ys)}, "y", ys));
            else
                plain.output(decomposedGelu(plain, c, ys, true, true));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 7, -2.0f, 2.0f)}};
            runtime::Session session(fused.graph(), {onednnBackend(), referenceBackend()});
            REQUIRE(session.steps()[0].backend == "onednn");
            CHECK(relativeError(session.run(inputs)[0],
                                runGraph(plain.graph(), false, inputs)[0]) <= 1e-4);
        }
    }
}

TEST_CASE("oneDNN lowering fuses Conv -> Sigmoid -> Mul (SiLU) into one FusedConv", "[onednn]") {
    const Shape xs{1, 8, 10, 10}, ys{1, 24, 10, 10};
    GraphBuilder b;
    const ir::ValueId c = b.node("Conv",
                                 {b.input("x", xs), b.constant("w", randomTensor({24, 8, 3, 3}, 3)),
                                  b.constant("b", randomTensor({24}, 4))},
                                 "c", ys, {attrInts("pads", {1, 1, 1, 1})});
    // Either operand order of the Mul.
    const ir::ValueId y = b.node("Mul", {b.node("Sigmoid", {c}, "s", ys), c}, "y", ys);
    b.output(b.node("Relu", {y}, "r", ys));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 9)}};
    const Tensor want = runGraph(b.graph(), false, inputs)[0];
    runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
    // Conv + Sigmoid + Mul became one node; the Relu after it stays (one activation per conv).
    REQUIRE(session.steps().size() == 2);
    CHECK(session.steps()[0].backend == "onednn");
    CHECK(relativeError(session.run(inputs)[0], want) <= 1e-5);
}

TEST_CASE("decomposed GELU becomes one Gelu that oneDNN runs as the reference computes the parts",
          "[onednn]") {
    const Shape s{1, 7, 48};
    for (bool torchGrouping : {true, false}) {
        for (bool byDiv : {true, false}) {
            DYNAMIC_SECTION((torchGrouping ? "(x * (1 + erf)) * 0.5" : "(0.5 * x) * (1 + erf)")
                            << (byDiv ? ", x / sqrt 2" : ", x * 1/sqrt 2")) {
                GraphBuilder b;
                const ir::ValueId x = b.input("x", s);
                b.output(decomposedGelu(b, b.node("Relu", {x}, "r", s), s, torchGrouping, byDiv));
                auto original = std::make_shared<ir::Graph>(*b.graph());
                const std::map<std::string, Tensor> inputs{{"x", randomTensor(s, 2, -3.0f, 3.0f)}};
                const Tensor want = runGraph(original, false, inputs)[0];

                REQUIRE(passes::FuseGelu().run(*b.graph()));
                CHECK(countOps(*b.graph(), "Gelu") == 1);
                CHECK(countOps(*b.graph(), "Erf") == 0);
                CHECK(countOps(*b.graph(), "Mul") == 0);
                compareWithReference(b.graph(), inputs, 1e-5);
                CHECK(relativeError(runGraph(b.graph(), true, inputs)[0], want) <= 1e-5);
                CHECK(relativeError(runGraph(b.graph(), false, inputs)[0], want) <= 1e-6);
            }
        }
    }
}

TEST_CASE("a GELU whose inner values are read elsewhere is left alone", "[onednn]") {
    const Shape s{1, 4, 8};
    GraphBuilder b;
    const ir::ValueId x = b.input("x", s);
    b.output(decomposedGelu(b, x, s, true, true));
    b.output(b.graph()->valueId("e")); // the Erf output is a graph output
    CHECK_FALSE(passes::FuseGelu().run(*b.graph()));
}

TEST_CASE("channel shuffle becomes one ChannelShuffle that oneDNN runs on blocked tensors",
          "[onednn]") {
    // 116 channels (ShuffleNetV2 1.0x's stage 2) leave the last 16-channel block padded.
    for (auto [channels, group] : {std::pair<int64_t, int64_t>{116, 2}, {48, 4}, {30, 3}}) {
        DYNAMIC_SECTION(channels << " channels, " << group << " groups") {
            const Shape xs{1, 8, 7, 9}, cs{1, channels, 7, 9};
            GraphBuilder b;
            const ir::ValueId c =
                b.node("Conv",
                       {b.input("x", xs), b.constant("w", randomTensor({channels, 8, 1, 1}, 3)),
                        b.constant("b", randomTensor({channels}, 4))},
                       "c", cs);
            const ir::ValueId r1 =
                b.node("Reshape", {c, int64Constant(b, "s1", {1, group, channels / group, 7, 9})},
                       "r1", Shape{1, group, channels / group, 7, 9});
            const ir::ValueId t =
                b.node("Transpose", {r1}, "t", Shape{1, channels / group, group, 7, 9},
                       {attrInts("perm", {0, 2, 1, 3, 4})});
            const ir::ValueId r2 =
                b.node("Reshape", {t, int64Constant(b, "s2", {1, -1, 7, 9})}, "r2", cs);
            // A depthwise Conv reads the shuffled channels (blocked in, as in ShuffleNet).
            b.output(b.node("Conv",
                            {r2, b.constant("w2", randomTensor({channels, 1, 3, 3}, 5)),
                             b.constant("b2", randomTensor({channels}, 6))},
                            "y", cs, {attrInts("pads", {1, 1, 1, 1}), attrInt("group", channels)}));
            auto original = std::make_shared<ir::Graph>(*b.graph());
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 8)}};
            const Tensor want = runGraph(original, false, inputs)[0];

            REQUIRE(passes::FuseChannelShuffle().run(*b.graph()));
            passes::RemoveDeadNodes().run(*b.graph());
            CHECK(countOps(*b.graph(), "ChannelShuffle") == 1);
            CHECK(countOps(*b.graph(), "Reshape") == 0);
            CHECK(countOps(*b.graph(), "Transpose") == 0);
            compareWithReference(b.graph(), inputs, 1e-5);
            CHECK(relativeError(runGraph(b.graph(), true, inputs)[0], want) <= 1e-5);
            // The reference kernel moves the same bytes as Reshape -> Transpose -> Reshape.
            CHECK(relativeError(runGraph(b.graph(), false, inputs)[0], want) == 0.0);
        }
    }
}

TEST_CASE("a Reshape -> Transpose -> Reshape that is not a channel shuffle is left alone",
          "[onednn]") {
    GraphBuilder b;
    const ir::ValueId x = b.input("x", {1, 12, 4, 5});
    const ir::ValueId r1 =
        b.node("Reshape", {x, int64Constant(b, "s1", {1, 3, 4, 4, 5})}, "r1", Shape{1, 3, 4, 4, 5});
    const ir::ValueId t =
        b.node("Transpose", {r1}, "t", Shape{1, 3, 4, 5, 4}, {attrInts("perm", {0, 1, 2, 4, 3})});
    b.output(
        b.node("Reshape", {t, int64Constant(b, "s2", {1, 12, 4, 5})}, "y", Shape{1, 12, 4, 5}));
    CHECK_FALSE(passes::FuseChannelShuffle().run(*b.graph()));
}

TEST_CASE("a Pad with all-zero pads is dropped, one that pads is kept", "[onednn]") {
    const Shape s{1, 16, 6, 6};
    GraphBuilder b;
    const ir::ValueId x = b.input("x", s);
    const ir::ValueId p0 =
        b.node("Pad", {x, int64Constant(b, "z", {0, 0, 0, 0, 0, 0, 0, 0})}, "p0", s);
    const ir::ValueId r = b.node("Relu", {p0}, "r", s);
    const ir::ValueId p1 = b.node("Pad", {r, int64Constant(b, "p", {0, 0, 1, 1, 0, 0, 1, 1})}, "p1",
                                  Shape{1, 16, 8, 8});
    b.output(b.node("Relu", {p1}, "y", Shape{1, 16, 8, 8}));
    auto original = std::make_shared<ir::Graph>(*b.graph());
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(s, 1)}};
    REQUIRE(passes::RemoveNoOpPads().run(*b.graph()));
    passes::RemoveDeadNodes().run(*b.graph());
    CHECK(countOps(*b.graph(), "Pad") == 1);
    CHECK(relativeError(runGraph(b.graph(), true, inputs)[0],
                        runGraph(original, false, inputs)[0]) == 0.0);
}

TEST_CASE("oneDNN lowering fuses BatchNormalization -> Relu into the primitive's fused ReLU",
          "[onednn]") {
    // DenseNet's BN-ReLU-Conv on a concatenation, 20 channels (a padded 16-channel block).
    const Shape xs{1, 20, 6, 6};
    GraphBuilder b;
    const ir::ValueId x = b.input("x", xs);
    const ir::ValueId n = b.node("BatchNormalization",
                                 {x, b.constant("scale", randomTensor({20}, 1)),
                                  b.constant("bias", randomTensor({20}, 2)),
                                  b.constant("mean", randomTensor({20}, 3)),
                                  b.constant("var", randomTensor({20}, 4, 0.5f, 2.0f))},
                                 "n", xs, {attrFloat("epsilon", 1e-3f)});
    const ir::ValueId r = b.node("Relu", {n}, "r", xs);
    b.output(b.node("Conv", {r, b.constant("w", randomTensor({8, 20, 1, 1}, 5))}, "y",
                    Shape{1, 8, 6, 6}));
    const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 6, -2.0f, 2.0f)}};
    const Tensor want = runGraph(b.graph(), false, inputs)[0];
    runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
    REQUIRE(session.steps().size() == 2);
    for (const runtime::PlanStep& step : session.steps())
        CHECK(step.backend == "onednn");
    CHECK(relativeError(session.run(inputs)[0], want) <= 1e-5);
}

namespace {

// DenseNet's dense block: each layer normalizes Concat(all features so far) (BN -> ReLU), then a
// 1x1 and a 3x3 Conv add `growth` channels; the last Concat is normalized without a ReLU and one
// Concat is also a graph output (it must not be fused away).
std::shared_ptr<ir::Graph> denseBlock(int64_t batch, int64_t first, int64_t growth) {
    const int64_t h = 7, w = 9;
    GraphBuilder b;
    uint32_t seed = 10;
    std::vector<ir::ValueId> features{
        b.node("Conv",
               {b.input("x", {batch, 3, h, w}),
                b.constant("w0", randomTensor({first, 3, 3, 3}, 1, -0.3f, 0.3f))},
               "f0", Shape{batch, first, h, w}, {attrInts("pads", {1, 1, 1, 1})})};
    int64_t channels = first;
    auto norm = [&](ir::ValueId in, int64_t c, const std::string& name) {
        return b.node("BatchNormalization",
                      {in, b.constant(name + "_s", randomTensor({c}, seed++)),
                       b.constant(name + "_b", randomTensor({c}, seed++)),
                       b.constant(name + "_m", randomTensor({c}, seed++)),
                       b.constant(name + "_v", randomTensor({c}, seed++, 0.5f, 2.0f))},
                      name, Shape{batch, c, h, w}, {attrFloat("epsilon", 1e-3f)});
    };
    for (int layer = 1; layer <= 3; ++layer) {
        const std::string l = "l" + std::to_string(layer);
        const ir::ValueId cat = b.node("Concat", features, l + "_cat", Shape{batch, channels, h, w},
                                       {attrInt("axis", layer == 2 ? -3 : 1)});
        if (layer == 2)
            b.output(cat);
        const ir::ValueId r = b.node("Relu", {norm(cat, channels, l + "_bn")}, l + "_relu",
                                     Shape{batch, channels, h, w});
        const ir::ValueId c1 = b.node(
            "Conv",
            {r, b.constant(l + "_w1", randomTensor({32, channels, 1, 1}, seed++, -0.15f, 0.15f))},
            l + "_c1", Shape{batch, 32, h, w});
        features.push_back(b.node(
            "Conv",
            {c1, b.constant(l + "_w2", randomTensor({growth, 32, 3, 3}, seed++, -0.06f, 0.06f))},
            l + "_c2", Shape{batch, growth, h, w}, {attrInts("pads", {1, 1, 1, 1})}));
        channels += growth;
    }
    const ir::ValueId cat =
        b.node("Concat", features, "last_cat", Shape{batch, channels, h, w}, {attrInt("axis", 1)});
    b.output(b.node("Conv",
                    {norm(cat, channels, "last_bn"),
                     b.constant("w_out", randomTensor({16, channels, 1, 1}, seed++, -0.1f, 0.1f))},
                    "y", Shape{batch, 16, h, w}));
    return b.graph();
}

} // namespace

TEST_CASE("oneDNN lowering normalizes each input of DenseNet's Concat straight into its slice",
          "[onednn]") {
    struct Case {
        int64_t batch, first, growth;
        int threads;
        bool portable;
    };
    // 64 + 32k channels: 16-channel blocks; 24 + 12k: plain (inputs reordered first).
    for (const Case c :
         {Case{1, 64, 32, 1, false}, Case{2, 64, 32, 2, false}, Case{1, 64, 32, 1, true},
          Case{1, 24, 12, 1, false}, Case{2, 24, 12, 2, true}}) {
        DYNAMIC_SECTION("batch " << c.batch << ", " << c.first << " + " << c.growth
                                 << "k channels, " << c.threads << " threads"
                                 << (c.portable ? ", portable" : "")) {
            const auto g = denseBlock(c.batch, c.first, c.growth);
            const std::map<std::string, Tensor> inputs{{"x", randomTensor({c.batch, 3, 7, 9}, 99)}};
            const std::vector<Tensor> want = runGraph(g, false, inputs);
            runtime::SessionOptions unfused(c.threads);
            unfused.lower = false; // the same oneDNN kernels, Concat and BatchNormalization apart
            const std::vector<Tensor> apart =
                runtime::Session(g, {onednnBackend(), referenceBackend()}, unfused).run(inputs);
            backends::onednn::usePortableLoops(c.portable);
            runtime::Session session(g, {onednnBackend(), referenceBackend()},
                                     runtime::SessionOptions{c.threads});
            const std::vector<Tensor> got = session.run(inputs);
            backends::onednn::usePortableLoops(false);
            // Layers 1, 3 and the last; layer 2's Concat is a graph output and stays.
            CHECK(countOps(session.graph(), "ConcatBatchNormalization") == 3);
            CHECK(countOps(session.graph(), "Concat") == 1);
            CHECK(countOps(session.graph(), "BatchNormalization") == 1);
            for (size_t i = 0; i < session.steps().size(); ++i) {
                const ir::Node& n = session.graph().node(session.steps()[i].node);
                INFO("node " << n.name << " (" << n.opType << ")");
                CHECK(session.steps()[i].backend == "onednn");
                if (n.opType == "ConcatBatchNormalization") {
                    CHECK(session.implementation(i) == "lb:concat_norm");
                    CHECK(n.fusedFrom.size() >= 2);
                }
            }
            REQUIRE(got.size() == 2);
            CHECK(relativeError(got[0], want[0]) <= 1e-5); // the Concat output
            CHECK(relativeError(got[1], want[1]) <= 1e-5);
            CHECK(relativeError(got[1], apart[1]) <= 1e-6);
        }
    }
}

TEST_CASE("oneDNN grouped convolutions with groups narrower than a 16-channel block avoid the "
          "reference implementation",
          "[onednn]") {
    // RegNetY-400MF: 48 channels in 6 groups of 8, 3x3, stride 1 and 2.
    for (int64_t stride : {1, 2}) {
        DYNAMIC_SECTION("stride " << stride) {
            const Shape xs{1, 48, 14, 14};
            const int64_t out = stride == 1 ? 14 : 7;
            GraphBuilder b;
            b.output(b.node("Conv",
                            {b.input("x", xs), b.constant("w", randomTensor({48, 8, 3, 3}, 3)),
                             b.constant("b", randomTensor({48}, 4))},
                            "y", Shape{1, 48, out, out},
                            {attrInts("pads", {1, 1, 1, 1}), attrInt("group", 6),
                             attrInts("strides", {stride, stride})}));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 5)}};
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            REQUIRE(session.steps()[0].backend == "onednn");
            const Tensor got = session.run(inputs)[0];
            INFO("implementation " << session.implementation(0));
            CHECK(session.implementation(0).rfind("ref", 0) != 0);
            CHECK(relativeError(got, runGraph(b.graph(), false, inputs)[0]) <= 1e-4);
        }
    }
}

TEST_CASE("oneDNN Concat of padded channel blocks is not oneDNN's reference concat", "[onednn]") {
    // ShuffleNetV2: two 58-channel convolution outputs (blocked, padded to 64) and a plain input,
    // for which oneDNN 2.6's concat primitive is `ref:any`.
    for (int64_t batch : {1, 2}) {
        DYNAMIC_SECTION("batch " << batch) {
            const Shape xs{batch, 24, 10, 12};
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            const ir::ValueId a =
                b.node("Conv", {x, b.constant("wa", randomTensor({58, 24, 1, 1}, 3))}, "a",
                       Shape{batch, 58, 10, 12});
            const ir::ValueId c =
                b.node("Conv", {x, b.constant("wc", randomTensor({58, 24, 1, 1}, 4))}, "c",
                       Shape{batch, 58, 10, 12});
            const ir::ValueId cat = b.node("Concat", {a, x, c, a}, "cat", Shape{batch, 198, 10, 12},
                                           {attrInt("axis", 1)});
            b.output(b.node("Conv",
                            {cat, b.constant("wo", randomTensor({16, 198, 1, 1}, 5, -0.1f, 0.1f))},
                            "y", Shape{batch, 16, 10, 12}));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 6)}};
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            const Tensor got = session.run(inputs)[0];
            bool sawConcat = false;
            for (size_t i = 0; i < session.steps().size(); ++i) {
                const ir::Node& n = session.graph().node(session.steps()[i].node);
                INFO("node " << n.name << " implementation " << session.implementation(i));
                CHECK(session.steps()[i].backend == "onednn");
                if (n.opType == "Concat") {
                    sawConcat = true;
                    CHECK(session.implementation(i) == "reorder:slices");
                }
            }
            CHECK(sawConcat);
            CHECK(relativeError(got, runGraph(b.graph(), false, inputs)[0]) <= 1e-5);
        }
    }
}

TEST_CASE("oneDNN Concat of channels-last and blocked inputs writes each into its slice",
          "[onednn]") {
    // A grouped conv with groups of 8 runs channels-last (above), a 1x1 conv blocked: the mixed
    // Concat (DeepLabV3's ASPP, UNet's skips) must not be oneDNN's reference concat.
    for (int64_t batch : {1, 2}) {
        DYNAMIC_SECTION("batch " << batch) {
            const Shape xs{batch, 64, 9, 11};
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            const ir::ValueId grouped = b.node(
                "Conv", {x, b.constant("wg", randomTensor({64, 8, 3, 3}, 3))}, "g",
                Shape{batch, 64, 9, 11}, {attrInts("pads", {1, 1, 1, 1}), attrInt("group", 8)});
            const ir::ValueId pointwise =
                b.node("Conv", {x, b.constant("wp", randomTensor({32, 64, 1, 1}, 4))}, "p",
                       Shape{batch, 32, 9, 11});
            const ir::ValueId cat = b.node("Concat", {pointwise, grouped, pointwise}, "cat",
                                           Shape{batch, 128, 9, 11}, {attrInt("axis", 1)});
            b.output(b.node("Conv", {cat, b.constant("wc", randomTensor({16, 128, 3, 3}, 5))}, "y",
                            std::nullopt, {attrInts("pads", {1, 1, 1, 1})}));
            const std::map<std::string, Tensor> inputs{{"x", randomTensor(xs, 6)}};
            runtime::Session session(b.graph(), {onednnBackend(), referenceBackend()});
            const Tensor got = session.run(inputs)[0];
            for (size_t i = 0; i < session.steps().size(); ++i) {
                INFO("step " << i << " implementation " << session.implementation(i));
                CHECK(session.steps()[i].backend == "onednn");
                CHECK(session.implementation(i).rfind("ref", 0) != 0);
            }
            CHECK(relativeError(got, runGraph(b.graph(), false, inputs)[0]) <= 1e-4);
        }
    }
}
