// The oneDNN backend's own fp32 loops (fp32_rows, fp32_packed_gemm) and the paths around oneDNN
// primitives (chunked Concat, eltwise on padded blocked layouts), each against the reference,
// with the AVX-512 loops and with the portable ones.
#include "backends/onednn/channel_binary.h"
#include "backends/onednn/fp32_packed_gemm.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/simd.h"
#include "channel_layout_test_util.h"
#include "onednn_test_util.h"

#include <cstring>

using namespace lbtest;

namespace {

// Every case runs on the AVX-512 loops (where the CPU has them) and on the portable ones, which
// this machine would otherwise never execute.
struct Loops {
    explicit Loops(bool portable) { backends::onednn::usePortableLoops(portable); }
    ~Loops() { backends::onednn::usePortableLoops(false); }
};

// Runs a one-output graph on oneDNN (checking every node stayed there) and on the reference;
// returns the worst per-element relative error among reference values above `floor`.
double worstRelative(const std::shared_ptr<ir::Graph>& g, const std::map<std::string, Tensor>& in,
                     double floor, int threads = 1) {
    runtime::Session session(g, {onednnBackend(), referenceBackend()},
                             runtime::SessionOptions{threads});
    for (const runtime::PlanStep& step : session.steps())
        CHECK(step.backend == "onednn");
    const Tensor got = session.run(in)[0];
    const Tensor want = runGraph(g, false, in)[0];
    REQUIRE(got.shape() == want.shape());
    double worst = 0.0;
    for (int64_t i = 0; i < got.numel(); ++i) {
        const double w = want.data<float>()[i], v = got.data<float>()[i];
        REQUIRE(std::isfinite(v));
        if (std::abs(w) > floor)
            worst = std::max(worst, std::abs(v - w) / std::abs(w));
    }
    return worst;
}

} // namespace

TEST_CASE("oneDNN Softmax over the last axis matches the reference element by element",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    struct Case {
        Shape x;
        int64_t opset, axis;
    };
    // Row lengths that are not multiples of 16 (the vector tail), rec's head, opset < 13's
    // flattening where the axis is the last one; 13 x 6625 is large enough to be split across
    // two threads.
    for (const Case& c : {Case{{3, 6625}, 13, -1}, Case{{2, 8, 40, 37}, 13, 3},
                          Case{{4, 5}, 13, -1}, Case{{2, 3, 7}, 11, 2}, Case{{13, 6625}, 13, -1}}) {
        for (int threads : {1, 2}) {
            DYNAMIC_SECTION(shapeToString(c.x)
                            << " opset " << c.opset << ", " << threads << " threads") {
                GraphBuilder b(c.opset);
                b.output(
                    b.node("Softmax", {b.input("x", c.x)}, "y", c.x, {attrInt("axis", c.axis)}));
                // Inputs from -30 to 30: exp() over a wide range, outputs down to 1e-26.
                const double worst = worstRelative(
                    b.graph(), {{"x", randomTensor(c.x, 5, -30.0f, 30.0f)}}, 1e-30, threads);
                CHECK(worst <= 2e-6);
            }
        }
    }
}

TEST_CASE("oneDNN Add of a row vector to a plain tensor equals the reference exactly", "[onednn]") {
    const Loops loops(GENERATE(false, true));
    for (auto [as, bs] : {std::pair<Shape, Shape>{{1, 40, 6625}, {6625}},
                          std::pair<Shape, Shape>{{2, 3, 17}, {1, 1, 17}},
                          std::pair<Shape, Shape>{{17}, {2, 3, 17}}}) {
        DYNAMIC_SECTION(shapeToString(as) << " + " << shapeToString(bs)) {
            GraphBuilder g;
            g.output(g.node("Add", {g.input("a", as), g.input("b", bs)}, "y"));
            compareWithReference(g.graph(),
                                 {{"a", randomTensor(as, 1)}, {"b", randomTensor(bs, 2)}}, 0.0);
        }
    }
}

TEST_CASE("oneDNN MatMul with a large constant B runs the packed GEMM and matches", "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // rec's head, and rows / columns that leave partial register blocks (37 = 4 * 8 + 5 rows,
    // 2200 = 45 * 48 + 40 columns).
    for (auto [as, k, n] : {std::tuple<Shape, int64_t, int64_t>{{1, 40, 120}, 120, 6625},
                            std::tuple<Shape, int64_t, int64_t>{{2, 37, 120}, 120, 2200}}) {
        for (int threads : {1, 2}) {
            DYNAMIC_SECTION(shapeToString(as)
                            << " x " << k << "x" << n << ", " << threads << " threads") {
                GraphBuilder g;
                Shape ys = as;
                ys.back() = n;
                g.output(g.node("MatMul",
                                {g.input("a", as), g.constant("b", randomTensor({k, n}, 7))}, "y",
                                ys));
                const std::map<std::string, Tensor> in{{"a", randomTensor(as, 8)}};
                runtime::Session session(g.graph(), {onednnBackend(), referenceBackend()},
                                         runtime::SessionOptions{threads});
                REQUIRE(session.steps()[0].backend == "onednn");
                if (backends::onednn::PackedGemm::available())
                    CHECK(session.implementation(0) == "packed_gemm:avx512");
                const Tensor got = session.run(in)[0];
                CHECK(relativeError(got, runGraph(g.graph(), false, in)[0]) <= 1e-5);
                CHECK(relativeError(session.run(in)[0], got) == 0.0); // repeatable
            }
        }
    }
}

TEST_CASE("oneDNN Concat copies blocked and plain chunks the way the reference concatenates",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    const Shape xs{2, 8, 5, 6};
    auto conv = [&](GraphBuilder& b, ir::ValueId x, int64_t oc, uint32_t seed) {
        return b.node("Conv",
                      {x, b.constant("w" + std::to_string(seed), randomTensor({oc, 8, 1, 1}, seed)),
                       b.constant("b" + std::to_string(seed), randomTensor({oc}, seed + 1))},
                      "c" + std::to_string(seed), Shape{2, oc, 5, 6});
    };
    for (bool blockedOut : {true, false}) {
        DYNAMIC_SECTION("32 + 16 blocked channels, output "
                        << (blockedOut ? "to a Conv" : "plain")) {
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            const ir::ValueId cat = b.node("Concat", {conv(b, x, 32, 10), conv(b, x, 16, 20)},
                                           "cat", Shape{2, 48, 5, 6}, {attrInt("axis", 1)});
            if (blockedOut)
                b.output(b.node("Conv", {cat, b.constant("w2", randomTensor({4, 48, 1, 1}, 30))},
                                "y", Shape{2, 4, 5, 6}));
            else
                b.output(cat);
            compareWithReference(b.graph(), {{"x", randomTensor(xs, 3)}});
        }
    }
    SECTION("20 + 16 channels (padded blocks) go through oneDNN's concat") {
        GraphBuilder b;
        const ir::ValueId x = b.input("x", xs);
        b.output(b.node("Concat", {conv(b, x, 20, 10), conv(b, x, 16, 20)}, "y", Shape{2, 36, 5, 6},
                        {attrInt("axis", 1)}));
        compareWithReference(b.graph(), {{"x", randomTensor(xs, 3)}});
    }
    SECTION("plain inputs on axis 2") {
        GraphBuilder b;
        b.output(b.node("Concat", {b.input("p", {2, 3, 4}), b.input("q", {2, 3, 5})}, "y",
                        Shape{2, 3, 9}, {attrInt("axis", 2)}));
        compareWithReference(
            b.graph(), {{"p", randomTensor({2, 3, 4}, 1)}, {"q", randomTensor({2, 3, 5}, 2)}}, 0.0);
    }
}

TEST_CASE("oneDNN Sigmoid on a padded blocked tensor computes every channel and zeroes padding",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    using namespace backends::onednn;
    const Shape shape{1, 20, 2, 3}; // 20 channels in 16-channel blocks: 12 padding lanes
    const memory::desc desc(toDims(shape), memory::data_type::f32, memory::format_tag::aBcd16b);
    const size_t bytes = desc.get_size();
    REQUIRE(bytes == 32 * 6 * sizeof(float));
    std::shared_ptr<std::byte[]> storage(new std::byte[bytes]);
    auto* raw = reinterpret_cast<float*>(storage.get());
    for (size_t i = 0; i < bytes / sizeof(float); ++i)
        raw[i] = 0.25f * static_cast<float>(i % 13) - 1.5f; // padding lanes too: not zero
    Tensor x = Tensor::view(DataType::Float32, shape, storage);
    x.setLayout(makeLayout(desc), bytes);

    GraphBuilder b;
    b.output(b.node("Sigmoid", {b.input("x", shape)}, "y", shape));
    const ir::Graph& graph = *b.graph();
    runtime::KernelInfo info{graph, graph.node(0), 1};
    info.outputStaysInBackend = {true};
    auto kernel = OneDnnBackend().createKernel(info);
    std::vector<Tensor> outs(1);
    runtime::KernelContext ctx(
        {&x}, outs,
        [](size_t, DataType type, const Shape& s, size_t storageBytes) {
            Tensor t(type, s);
            if (storageBytes == 0)
                return t;
            std::shared_ptr<std::byte[]> big(new std::byte[storageBytes]);
            std::memset(big.get(), 0x7f, storageBytes); // garbage, not zeros
            return Tensor::view(type, s, big);
        },
        1);
    kernel->run(ctx);
    REQUIRE(!outs[0].isPlain());
    const float* y = outs[0].data<float>();
    for (int64_t block = 0; block < 2; ++block)
        for (int64_t s = 0; s < 6; ++s)
            for (int64_t lane = 0; lane < 16; ++lane) {
                const int64_t i = (block * 6 + s) * 16 + lane;
                INFO("block " << block << " position " << s << " lane " << lane);
                if (block * 16 + lane < 20)
                    CHECK(std::abs(y[i] - 1.0f / (1.0f + std::exp(-raw[i]))) <= 1e-6f);
                else
                    CHECK(y[i] == 0.0f);
            }
}

TEST_CASE("oneDNN Add, Sub and Mul of blocked tensors (same layout, scalar, per channel)",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // 20 channels: 16-channel blocks with padding, which the flat loops run over too.
    for (int64_t batch : {1, 2}) {
        DYNAMIC_SECTION("batch " << batch) {
            const Shape xs{batch, 8, 5, 6}, cs{batch, 20, 5, 6}, gs{batch, 20, 1, 1};
            GraphBuilder b;
            const ir::ValueId x = b.input("x", xs);
            auto conv = [&](ir::ValueId in, int64_t ic, int64_t oc, uint32_t seed) {
                return b.node("Conv",
                              {in, b.constant("w" + std::to_string(seed),
                                              randomTensor({oc, ic, 1, 1}, seed))},
                              "c" + std::to_string(seed), Shape{batch, oc, 5, 6});
            };
            const ir::ValueId c1 = conv(x, 8, 20, 1), c2 = conv(x, 8, 20, 2);
            Tensor half(DataType::Float32, {});
            half.data<float>()[0] = 0.5f;
            const ir::ValueId sum = b.node("Add", {c1, c2}, "sum", cs);
            const ir::ValueId diff = b.node("Sub", {sum, c2}, "diff", cs);
            const ir::ValueId scaled =
                b.node("Mul", {diff, b.constant("half", half)}, "scaled", cs);
            // Squeeze-excitation: a per-channel scale from a pool (blocked) and a constant (plain).
            const ir::ValueId gap = b.node("GlobalAveragePool", {c1}, "gap", gs);
            const ir::ValueId se = b.node("Mul", {scaled, gap}, "se", cs);
            const ir::ValueId se2 =
                b.node("Mul", {se, b.constant("k", randomTensor({1, 20, 1, 1}, 9))}, "se2", cs);
            const ir::ValueId sig = b.node("Sigmoid", {se2}, "sig", cs);
            b.output(conv(sig, 20, 4, 3));
            compareWithReference(b.graph(), {{"x", randomTensor(xs, 4)}});
        }
    }
}

TEST_CASE("oneDNN LayerNormalization matches the reference on both sides of the direct loop's size",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // 3 x 37: row tails; 40 x 120: rec's; 2 x 300 x 120: above 65536 elements, oneDNN's primitive.
    for (const Shape& xs : {Shape{3, 37}, Shape{1, 40, 120}, Shape{2, 300, 120}}) {
        DYNAMIC_SECTION(shapeToString(xs)) {
            const Shape norm{xs.back()};
            GraphBuilder b(17);
            b.output(b.node("LayerNormalization",
                            {b.input("x", xs), b.constant("g", randomTensor(norm, 2, 0.5f, 2.0f)),
                             b.constant("b", randomTensor(norm, 3))},
                            "y", xs, {attrInt("axis", -1), attrFloat("epsilon", 1e-5f)}));
            compareWithReference(b.graph(), {{"x", randomTensor(xs, 4, -3.0f, 5.0f)}}, 1e-5);
        }
    }
}

TEST_CASE("Per-channel Add, Sub, Mul and Div on every layout the oneDNN kernels produce",
          "[onednn]") {
    using backends::onednn::ChannelLayout;
    using backends::onednn::FlatOp;
    const Loops loops(GENERATE(false, true));
    // Odd channel counts (padded 8- and 16-channel blocks, vector tails in channels last), odd
    // spatial sizes (the 8-channel loop's two-position step), a batch with its own b per image.
    for (int block : {0, 1, 8, 16})
        for (int64_t channels : {3, 13, 20, 48, 104})
            for (int64_t spatial : {1, 7, 30})
                for (int64_t batch : {1, 2})
                    for (bool perImage : {false, true})
                        for (FlatOp op : {FlatOp::Add, FlatOp::Sub, FlatOp::Mul, FlatOp::Div}) {
                            const ChannelLayout l{batch, channels, spatial, block};
                            const int64_t padded =
                                block > 1 ? (channels + block - 1) / block * block : channels;
                            const int64_t stored = batch * padded * spatial;
                            const Tensor a = randomTensor({stored}, 11, -2.0f, 2.0f);
                            const Tensor b = randomTensor({batch * padded}, 12, 0.5f, 2.0f);
                            std::vector<float> y(static_cast<size_t>(stored), 123.0f);
                            const int64_t stride = perImage ? padded : 0;
                            backends::onednn::channelBinary(op, a.data<float>(), b.data<float>(),
                                                            stride, y.data(), l, 2);
                            for (int64_t i = 0; i < stored; ++i) // padding lanes: overwritten
                                REQUIRE(y[static_cast<size_t>(i)] != 123.0f);
                            for (int64_t n = 0; n < batch; ++n)
                                for (int64_t c = 0; c < channels; ++c)
                                    for (int64_t s = 0; s < spatial; ++s) {
                                        const int64_t i = storedIndex(l, n, c, s);
                                        const float av = a.data<float>()[i];
                                        const float bv = b.data<float>()[n * stride + c];
                                        const float want = op == FlatOp::Add   ? av + bv
                                                           : op == FlatOp::Sub ? av - bv
                                                           : op == FlatOp::Mul ? av * bv
                                                                               : av / bv;
                                        INFO("block " << block << ", " << channels << " channels, "
                                                      << spatial << " positions, batch " << batch
                                                      << ", op " << static_cast<int>(op));
                                        REQUIRE(y[static_cast<size_t>(i)] ==
                                                Approx(want).epsilon(1e-6));
                                    }
                            if (block > 1) // padding channels stay zero
                                for (int64_t n = 0; n < batch; ++n)
                                    for (int64_t c = channels; c < padded; ++c)
                                        for (int64_t s = 0; s < spatial; ++s)
                                            REQUIRE(
                                                y[static_cast<size_t>(storedIndex(l, n, c, s))] ==
                                                0.0f);
                        }
}

TEST_CASE("Squeeze-excitation after a grouped convolution of 8-channel groups matches the "
          "reference",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // RegNetY's block: 1x1 conv, grouped 3x3 conv (groups of 8 channels: oneDNN writes 8-channel
    // blocks), global pool -> 1x1 conv -> ReLU -> 1x1 conv -> Sigmoid, the per-channel Mul, a 1x1
    // conv; plus per-channel Add, Sub and Div by constants on the same 8-blocked tensor. 40 and
    // 104 channels: whole 8-blocks but padded 16-blocks on the other side of the Mul.
    for (int64_t channels : {40, 104})
        for (int64_t batch : {1, 2}) {
            DYNAMIC_SECTION(channels << " channels, batch " << batch) {
                const int64_t squeeze = channels / 4;
                const Shape xs{batch, 16, 9, 9}, cs{batch, channels, 9, 9},
                    gs{batch, channels, 1, 1}, ss{batch, squeeze, 1, 1};
                GraphBuilder b;
                uint32_t seed = 20;
                auto conv = [&](ir::ValueId in, int64_t ic, int64_t oc, const Shape& out,
                                int64_t k = 1, int64_t group = 1) {
                    ++seed;
                    std::vector<ir::Attribute> attrs{attrInt("group", group)};
                    if (k == 3)
                        attrs.push_back(attrInts("pads", {1, 1, 1, 1}));
                    return b.node(
                        "Conv",
                        {in,
                         b.constant("w" + std::to_string(seed),
                                    randomTensor({oc, ic / group, k, k}, seed)),
                         b.constant("b" + std::to_string(seed), randomTensor({oc}, seed + 100))},
                        "c" + std::to_string(seed), out, attrs);
                };
                const ir::ValueId x = b.input("x", xs);
                const ir::ValueId c1 = b.node("Relu", {conv(x, 16, channels, cs)}, "r1", cs);
                const ir::ValueId g = conv(c1, channels, channels, cs, 3, channels / 8);
                const ir::ValueId gr = b.node("Relu", {g}, "gr", cs);
                const ir::ValueId pool = b.node("GlobalAveragePool", {gr}, "pool", gs);
                const ir::ValueId fc1 =
                    b.node("Relu", {conv(pool, channels, squeeze, ss)}, "fc1", ss);
                const ir::ValueId gate =
                    b.node("Sigmoid", {conv(fc1, squeeze, channels, gs)}, "gate", gs);
                const ir::ValueId se = b.node("Mul", {gr, gate}, "se", cs);
                const ir::ValueId add = b.node(
                    "Add", {se, b.constant("k1", randomTensor({1, channels, 1, 1}, 3))}, "add", cs);
                const ir::ValueId sub = b.node(
                    "Sub", {add, b.constant("k2", randomTensor({channels, 1, 1}, 4))}, "sub", cs);
                const ir::ValueId div = b.node(
                    "Div",
                    {sub, b.constant("k3", randomTensor({1, channels, 1, 1}, 5, 0.5f, 2.0f))},
                    "div", cs);
                b.output(conv(div, channels, 8, {batch, 8, 9, 9}));
                compareWithReference(b.graph(), {{"x", randomTensor(xs, 6)}});
            }
        }
}

TEST_CASE("Per-channel ops from 8-channel blocks into 16-channel blocks", "[onednn]") {
    using backends::onednn::ChannelLayout;
    using backends::onednn::FlatOp;
    const Loops loops(GENERATE(false, true));
    // 8 and 24 channels: a last 16-block with no second 8-block to read; 13: padding in both.
    for (int64_t channels : {8, 13, 24, 48, 104})
        for (int64_t spatial : {1, 7})
            for (int64_t batch : {1, 2})
                for (FlatOp op : {FlatOp::Add, FlatOp::Mul, FlatOp::Div}) {
                    const ChannelLayout in{batch, channels, spatial, 8},
                        out{batch, channels, spatial, 16};
                    const int64_t pad8 = (channels + 7) / 8 * 8, pad16 = (channels + 15) / 16 * 16;
                    Tensor a = randomTensor({batch * pad8 * spatial}, 13, -2.0f, 2.0f);
                    for (int64_t n = 0; n < batch; ++n) // oneDNN's padding lanes hold zeros
                        for (int64_t c = channels; c < pad8; ++c)
                            for (int64_t s = 0; s < spatial; ++s)
                                a.data<float>()[storedIndex(in, n, c, s)] = 0.0f;
                    const Tensor b = randomTensor({batch * channels}, 14, 0.5f, 2.0f);
                    std::vector<float> y(static_cast<size_t>(batch * pad16 * spatial), 123.0f);
                    backends::onednn::channelBinary8To16(op, a.data<float>(), b.data<float>(),
                                                         channels, y.data(), in, 1);
                    INFO(channels << " channels, " << spatial << " positions, batch " << batch
                                  << ", op " << static_cast<int>(op));
                    for (int64_t n = 0; n < batch; ++n)
                        for (int64_t c = 0; c < pad16; ++c)
                            for (int64_t s = 0; s < spatial; ++s) {
                                const float got = y[static_cast<size_t>(storedIndex(out, n, c, s))];
                                if (c >= channels) {
                                    REQUIRE(got == 0.0f);
                                    continue;
                                }
                                const float av = a.data<float>()[storedIndex(in, n, c, s)];
                                const float bv = b.data<float>()[n * channels + c];
                                const float want = op == FlatOp::Add   ? av + bv
                                                   : op == FlatOp::Mul ? av * bv
                                                                       : av / bv;
                                REQUIRE(got == Approx(want).epsilon(1e-6));
                            }
                }
}
