// The oneDNN backend's classifier-head and pooling loops (fp32_gemv, fp32_pool) against the
// reference backend, each with a check that the loop is the one that ran (its implementation
// string), and with the portable setting under which the oneDNN primitives run instead.
#include "backends/onednn/channel_binary.h"
#include "backends/onednn/fp32_gemv.h"
#include "backends/onednn/fp32_pool.h"
#include "backends/onednn/simd.h"
#include "channel_layout_test_util.h"
#include "onednn_test_util.h"

using namespace lbtest;

namespace {

struct Loops {
    explicit Loops(bool portable) { backends::onednn::usePortableLoops(portable); }
    ~Loops() { backends::onednn::usePortableLoops(false); }
};

bool ownLoops() {
    return backends::onednn::simdAvailable(backends::onednn::Simd::Avx512);
}

// Runs the graph on oneDNN (every step there) and the reference; returns the relative error and
// the implementation of the step whose node has op type `op` after the run (a kernel built for a
// plain input picks its loop again when the input arrives in a convolution's layout).
std::pair<double, std::string> runBoth(const std::shared_ptr<ir::Graph>& g,
                                       const std::map<std::string, Tensor>& in,
                                       const std::string& op, int threads = 1) {
    runtime::Session session(g, {onednnBackend(), referenceBackend()},
                             runtime::SessionOptions{threads});
    const Tensor got = session.run(in)[0];
    CHECK(relativeError(session.run(in)[0], got) == 0.0); // repeatable
    std::string impl;
    for (size_t i = 0; i < session.steps().size(); ++i) {
        const runtime::PlanStep& step = session.steps()[i];
        INFO("node " << session.graph().node(step.node).name
                     << " fell back: " << step.fallbackReason);
        REQUIRE(step.backend == "onednn");
        if (session.graph().node(step.node).opType == op)
            impl = session.implementation(i);
    }
    return {relativeError(got, runGraph(g, false, in)[0]), impl};
}

int64_t storedSize(const backends::onednn::ChannelLayout& l) {
    const int64_t c = l.block > 1 ? (l.channels + l.block - 1) / l.block * l.block : l.channels;
    return l.batch * c * l.spatial;
}

// A plain NxCxHxW tensor in `l`'s layout, padding lanes zero.
std::vector<float> pack(const Tensor& x, backends::onednn::ChannelLayout l) {
    std::vector<float> out(static_cast<size_t>(storedSize(l)), 0.0f);
    for (int64_t n = 0; n < l.batch; ++n)
        for (int64_t c = 0; c < l.channels; ++c)
            for (int64_t s = 0; s < l.spatial; ++s)
                out[static_cast<size_t>(storedIndex(l, n, c, s))] =
                    x.data<float>()[(n * l.channels + c) * l.spatial + s];
    return out;
}

} // namespace

TEST_CASE("oneDNN Gemm of a few rows against a constant B runs the GEMV and matches the reference",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    struct Case {
        int64_t m, k, n;
        bool transB;
        int bias; // 0 none, 1 [N], 2 [1, N], 3 one value
        float alpha, beta;
        std::string activation; // a node after the Gemm that lowering fuses into FusedGemm
    };
    // ResNet-50's head; K not a multiple of 16 (the masked tail), N not a multiple of 4 (the
    // partial group), M 1..4 sharing one pass, alpha / beta, each fused activation kind.
    const std::vector<Case> cases{{1, 2048, 1000, true, 1, 1.0f, 1.0f, ""},
                                  {1, 37, 13, false, 0, 1.0f, 1.0f, ""},
                                  {2, 37, 13, true, 2, 0.5f, 2.0f, ""},
                                  {3, 100, 257, false, 3, 1.0f, -1.0f, "Relu"},
                                  {4, 600, 130, true, 1, 1.5f, 0.25f, ""},
                                  {1, 576, 1024, true, 1, 1.0f, 1.0f, "HardSwish"},
                                  {2, 19, 7, false, 1, 1.0f, 1.0f, "Sigmoid"},
                                  {1, 48, 33, true, 2, 1.0f, 1.0f, "Tanh"}};
    for (const Case& c : cases)
        for (int threads : {1, 2})
            DYNAMIC_SECTION(c.m << "x" << c.k << " by " << c.n << (c.transB ? " transB" : "")
                                << ", bias kind " << c.bias << ", alpha " << c.alpha << ", beta "
                                << c.beta << ", " << (c.activation.empty() ? "-" : c.activation)
                                << ", " << threads << " threads") {
                GraphBuilder g;
                std::vector<ir::ValueId> in{
                    g.input("a", {c.m, c.k}),
                    g.constant("b", randomTensor(c.transB ? Shape{c.n, c.k} : Shape{c.k, c.n}, 3))};
                if (c.bias)
                    in.push_back(g.constant("c", randomTensor(c.bias == 1   ? Shape{c.n}
                                                              : c.bias == 2 ? Shape{1, c.n}
                                                                            : Shape{1},
                                                              4)));
                ir::ValueId y = g.node("Gemm", in, "gemm", Shape{c.m, c.n},
                                       {attrInt("transB", c.transB), attrFloat("alpha", c.alpha),
                                        attrFloat("beta", c.beta)});
                if (!c.activation.empty())
                    y = g.node(c.activation, {y}, "act", Shape{c.m, c.n});
                g.output(y);
                const auto [error, impl] =
                    runBoth(g.graph(), {{"a", randomTensor({c.m, c.k}, 5)}},
                            c.activation.empty() ? "Gemm" : "FusedGemm", threads);
                // Float sums of K products in another order: oneDNN's matmul differs as much.
                CHECK(error <= 2e-6 * std::sqrt(static_cast<double>(c.k)));
                if (ownLoops())
                    CHECK(impl == "gemv:avx512");
                else
                    CHECK(impl != "gemv:avx512");
            }
}

TEST_CASE("oneDNN MatMul runs the GEMV for up to 4 rows against a constant B and not for 5",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // A [1, 3, K] (3 rows after collapsing), and 5 rows, which oneDNN's matmul keeps.
    for (const Shape& as : {Shape{1, 3, 40}, Shape{5, 40}}) {
        DYNAMIC_SECTION(shapeToString(as)) {
            GraphBuilder g;
            Shape ys = as;
            ys.back() = 24;
            g.output(g.node(
                "MatMul", {g.input("a", as), g.constant("b", randomTensor({40, 24}, 6))}, "y", ys));
            const auto [error, impl] = runBoth(g.graph(), {{"a", randomTensor(as, 7)}}, "MatMul");
            CHECK(error <= 1e-5);
            CHECK((impl == "gemv:avx512") == (ownLoops() && as[0] * as[1] <= 4 + (as.size() > 2)));
        }
    }
}

TEST_CASE("MaxPool and GlobalAveragePool loops on every layout match the reference", "[onednn]") {
    using backends::onednn::ChannelLayout;
    using backends::onednn::PoolWindow;
    if (!ownLoops())
        return; // AVX-512 loops: the session-level tests below cover the primitive
    struct Window {
        int64_t k, s, pad;
        bool ceil;
    };
    // ResNet's 3x3 stride 2 pad 1, SqueezeNet's ceil_mode 3x3 stride 2, a 2x2 stride 2, a 3x3
    // stride 1 pad 1; odd channel counts (padded blocks, vector tails in channels last).
    for (int block : {0, 8, 16})
        for (int64_t channels : {3, 16, 20, 70})
            for (const Window& w : {Window{3, 2, 1, false}, Window{3, 2, 0, true},
                                    Window{2, 2, 0, false}, Window{3, 1, 1, false}})
                for (int threads : {1, 2}) {
                    const Shape xs{2, channels, 13, 10};
                    GraphBuilder g;
                    std::vector<ir::Attribute> attrs{
                        attrInts("kernel_shape", {w.k, w.k}), attrInts("strides", {w.s, w.s}),
                        attrInts("pads", {w.pad, w.pad, w.pad, w.pad})};
                    if (w.ceil)
                        attrs.push_back(attrInt("ceil_mode", 1));
                    g.output(g.node("MaxPool", {g.input("x", xs)}, "y", std::nullopt, attrs));
                    const Tensor x = randomTensor(xs, 8, -3.0f, 3.0f);
                    const Tensor want = runGraph(g.graph(), false, {{"x", x}})[0];
                    const int64_t oh = want.shape()[2], ow = want.shape()[3];
                    const ChannelLayout in{2, channels, 13 * 10, block};
                    const ChannelLayout out{2, channels, oh * ow, block};
                    const std::vector<float> packed = pack(x, in);
                    std::vector<float> y(static_cast<size_t>(storedSize(out)), 123.0f);
                    backends::onednn::maxPool2d(
                        packed.data(), y.data(), in,
                        PoolWindow{w.k, w.k, w.s, w.s, 1, 1, w.pad, w.pad, 13, 10, oh, ow},
                        threads);
                    INFO("block " << block << ", " << channels << " channels, window " << w.k
                                  << " stride " << w.s << " pad " << w.pad << " ceil " << w.ceil);
                    REQUIRE(y == pack(want, out)); // maxima are exact; padding lanes zero
                }
    for (int block : {0, 8, 16})
        for (int64_t channels : {3, 20, 70})
            for (int64_t spatial : {1, 7, 49, 200})
                for (int threads : {1, 2}) {
                    const Shape xs{2, channels, spatial, 1};
                    GraphBuilder g;
                    g.output(g.node("GlobalAveragePool", {g.input("x", xs)}, "y"));
                    const Tensor x = randomTensor(xs, 9);
                    const Tensor want = runGraph(g.graph(), false, {{"x", x}})[0];
                    const ChannelLayout in{2, channels, spatial, block};
                    const ChannelLayout out{2, channels, 1, block};
                    const std::vector<float> packed = pack(x, in);
                    std::vector<float> y(static_cast<size_t>(storedSize(out)), 123.0f);
                    backends::onednn::globalAveragePool(packed.data(), y.data(), in, threads);
                    const std::vector<float> w = pack(want, out);
                    INFO("block " << block << ", " << channels << " channels, " << spatial
                                  << " positions");
                    REQUIRE(y == w); // the reference's order of additions: its bits
                }
}

TEST_CASE("MaxPool and GlobalAveragePool after convolutions run the own loops and match",
          "[onednn]") {
    const Loops loops(GENERATE(false, true));
    // A convolution writes 16-channel blocks (36 channels, padded to 48); a grouped one with
    // groups of 8 writes 8-channel blocks; a plain input stays plain (the primitives).
    struct Case {
        std::string name;
        int64_t channels, group;
        bool conv;
    };
    for (const Case& c : {Case{"16-channel blocks", 36, 1, true},
                          Case{"8-channel blocks", 48, 6, true}, Case{"plain", 20, 1, false}})
        for (const std::string op : {"MaxPool", "GlobalAveragePool"})
            for (int threads : {1, 2})
                DYNAMIC_SECTION(c.name << ", " << op << ", " << threads << " threads") {
                    const Shape xs{1, c.channels, 29, 31};
                    GraphBuilder g;
                    ir::ValueId x = g.input("x", xs);
                    if (c.conv)
                        x = g.node(
                            "Conv",
                            {x,
                             g.constant("w", randomTensor({c.channels, c.channels / c.group, 3, 3},
                                                          10, -0.2f, 0.2f)),
                             g.constant("b", randomTensor({c.channels}, 11))},
                            "conv", xs,
                            {attrInts("kernel_shape", {3, 3}), attrInts("pads", {1, 1, 1, 1}),
                             attrInt("group", c.group)});
                    std::vector<ir::Attribute> attrs;
                    if (op == "MaxPool")
                        attrs = {attrInts("kernel_shape", {3, 3}), attrInts("strides", {2, 2}),
                                 attrInt("ceil_mode", 1)};
                    g.output(g.node(op, {x}, "pool", std::nullopt, attrs));
                    const auto [error, impl] =
                        runBoth(g.graph(), {{"x", randomTensor(xs, 12)}}, op, threads);
                    CHECK(error <= 1e-5);
                    const bool own = ownLoops() && c.conv;
                    INFO("implementation " << impl);
                    CHECK((impl == "pool:avx512") == own);
                }
}
