// The XNNPACK backend's int8 kernels (ops/int8_ops.h) against the reference int8 kernels, the
// ground truth: each op on small random cases, and PaddleOCR cls, rec and det (160x160) lowered
// to int8 on the xnnpack chain, every int8 node's bytes compared with the reference kernel's on
// the same inputs, and the final outputs with the reference int8 run's.
//
// Exact: Quantize, Dequantize, QLut, FakeQuant, QMaxPool. QConv, QGlobalAveragePool and QAdd
// requantize with XNNPACK's own arithmetic (int8_conv_kernel.cpp, int8_data_kernel.cpp): a byte
// may differ by one step, and only where the spec's quotient v / y_scale lies near a rounding
// tie; the tests assert how near, with the bound the arithmetic gives.
#include "int8_test_util.h"
#include "onnx/importer.h"
#include "ops/fake_quant_op.h"
#include "ops/window.h"
#include "passes/graph_pass.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_lowering.h"

#include <filesystem>
#include <iomanip>
#include <random>
#include <sstream>

using namespace lb;
using namespace lb::test;

namespace {

const std::string kXnnpack = "xnnpack";
const std::string kReference = backends::groundTruth().name;

std::vector<int> randomInts(size_t n, int lo, int hi, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> d(lo, hi);
    std::vector<int> v(n);
    for (int& x : v)
        x = d(rng);
    return v;
}

// How far q lies from the half-way point between two integers (0: a tie).
double tieDistance(double q) {
    return std::abs(q - std::floor(q) - 0.5);
}

// Byte differences between two runs of one op.
struct Bytes {
    int64_t elements = 0, differ = 0, maxSteps = 0;
    std::vector<int64_t> where;
    void add(const std::vector<int>& ref, const std::vector<int>& got) {
        REQUIRE(ref.size() == got.size());
        for (size_t i = 0; i < ref.size(); ++i) {
            ++elements;
            const int64_t steps = std::abs(ref[i] - got[i]);
            if (steps) {
                ++differ;
                where.push_back(int64_t(i));
            }
            maxSteps = std::max(maxSteps, steps);
        }
    }
};

// A 2-D QConv on random bytes and the spec's quotient v / y_scale of every output, from plain
// loops (ops/int8_ops.h).
struct ConvCase {
    int64_t c = 1, h = 9, w = 11, m = 1, k = 3, group = 1, stride = 1, dilation = 1;
    std::array<int64_t, 4> pads{0, 0, 0, 0};
    float xScale = 0.02f, yScale = 0.05f;
    int64_t xOffset = -37, yOffset = -100;
    std::vector<float> wScales, bias;
    std::vector<int> x, weights;
    ops::Activation activation;
    std::string activationName;

    int64_t oh() const { return (h + pads[0] + pads[2] - (k - 1) * dilation - 1) / stride + 1; }
    int64_t ow() const { return (w + pads[1] + pads[3] - (k - 1) * dilation - 1) / stride + 1; }
    float wScale(int64_t oc) const { return wScales.size() == 1 ? wScales[0] : wScales[oc]; }

    double quotient(int64_t index) const {
        const int64_t cg = c / group, mg = m / group;
        const int64_t oc = index / (oh() * ow()), oy = index / ow() % oh(), ox = index % ow();
        int64_t acc = 0;
        for (int64_t j = 0; j < cg; ++j)
            for (int64_t ky = 0; ky < k; ++ky)
                for (int64_t kx = 0; kx < k; ++kx) {
                    const int64_t iy = oy * stride - pads[0] + ky * dilation;
                    const int64_t ix = ox * stride - pads[1] + kx * dilation;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                        continue;
                    const int64_t ic = (oc / mg) * cg + j;
                    acc += (x[(ic * h + iy) * w + ix] + xOffset) *
                           weights[((oc * cg + j) * k + ky) * k + kx];
                }
        const double real = double(acc) * (double(xScale) * wScale(oc)) + bias[oc];
        return double(activation.apply(float(real)) / yScale);
    }

    OneNode node() const {
        OneNode n;
        n.input("x", bytesTensor({1, c, h, w}, x));
        n.constant("w", int8Tensor({m, c / group, k, k}, weights));
        n.constant("b", floatTensor({m}, bias));
        std::vector<ir::Attribute> attrs = {intAttr("group", group),
                                            floatAttr("x_scale", xScale),
                                            intAttr("x_offset", xOffset),
                                            floatsAttr("w_scales", wScales),
                                            floatAttr("y_scale", yScale),
                                            intAttr("y_offset", yOffset),
                                            intsAttr("strides", {stride, stride}),
                                            intsAttr("dilations", {dilation, dilation}),
                                            intsAttr("pads", {pads[0], pads[1], pads[2], pads[3]})};
        if (!activationName.empty()) {
            attrs.push_back(stringAttr("activation", activationName));
            if (activationName == "Clip")
                attrs.push_back(
                    floatsAttr("activation_params", {activation.alpha, activation.beta}));
        }
        n.node("QConv", {"x", "w", "b"}, std::move(attrs), {1, m, oh(), ow()});
        return n;
    }
};

} // namespace

// XNNPACK's bias is an int32 in accumulator units: round(B / (x_scale * w_scale)) moves the
// quotient by at most 0.5 * x_scale * w_scale / y_scale; the rest (float32 products where the
// spec sums in double) by a few float32 ulps. A byte that differs does so by one step, where the
// spec's quotient lies within that distance of a tie.
TEST_CASE("XNNPACK QConv: the reference's bytes but near rounding ties, measured",
          "[xnnpack][int8]") {
    struct Geometry {
        int64_t c, m, group, k, stride, dilation;
        std::array<int64_t, 4> pads;
        bool perChannel, bias;
        const char* activation;
    };
    const std::vector<Geometry> cases = {
        {3, 4, 1, 3, 1, 1, {1, 1, 1, 1}, true, true, ""},
        {4, 6, 2, 3, 2, 1, {1, 0, 2, 1}, true, true, "Relu"},
        {6, 6, 6, 3, 1, 2, {2, 2, 2, 2}, false, true, "Clip"},
        {16, 16, 16, 3, 2, 1, {1, 1, 1, 1}, true, true, "Relu"}, // depthwise
        {24, 40, 1, 1, 1, 1, {0, 0, 0, 0}, true, true, ""},      // pointwise
        {8, 8, 1, 3, 1, 1, {1, 1, 1, 1}, true, false, ""},       // no bias: float steps only
        {2, 3, 1, 5, 2, 1, {2, 2, 2, 2}, true, true, "Relu"},
    };
    uint32_t seed = 1;
    int64_t elements = 0, differ = 0;
    double worstNoBias = 0, worstRatio = 0;
    for (const Geometry& gm : cases) {
        INFO("c " << gm.c << " m " << gm.m << " group " << gm.group << " k " << gm.k << " stride "
                  << gm.stride << " " << gm.activation);
        ConvCase k;
        k.c = gm.c, k.m = gm.m, k.group = gm.group, k.k = gm.k, k.stride = gm.stride;
        k.dilation = gm.dilation, k.pads = gm.pads;
        k.x = randomInts(size_t(k.c * k.h * k.w), 0, 255, seed++);
        k.weights = randomInts(size_t(k.m * (k.c / k.group) * k.k * k.k), -128, 127, seed++);
        for (int64_t oc = 0; oc < (gm.perChannel ? k.m : 1); ++oc)
            k.wScales.push_back(0.0007f * float(oc + 1) + 0.0003f);
        for (int64_t oc = 0; oc < k.m; ++oc)
            k.bias.push_back(gm.bias ? 0.37f * float(oc) - 0.61f : 0.0f);
        k.activationName = gm.activation;
        if (k.activationName == "Relu")
            k.activation.kind = ops::ActivationKind::Relu;
        if (k.activationName == "Clip")
            k.activation = {ops::ActivationKind::Clip, 0.0f, 3.0f};
        const OneNode n = k.node();
        const std::vector<int> ref = bytesOf(n.run(kReference));
        const std::vector<int> got = bytesOf(n.run(kXnnpack));
        Bytes d;
        d.add(ref, got);
        CHECK(d.maxSteps <= 1);
        elements += d.elements;
        differ += d.differ;
        for (int64_t i : d.where) {
            const int64_t oc = i / (k.oh() * k.ow());
            const double distance = tieDistance(k.quotient(i));
            const double biasBound = 0.5 * k.xScale * k.wScale(oc) / k.yScale;
            INFO("element " << i << ": reference " << ref[i] << ", xnnpack " << got[i]
                            << ", distance from a tie " << distance << ", bias bound "
                            << biasBound);
            if (gm.bias) {
                CHECK(distance <= biasBound + 1e-4);
                worstRatio = std::max(worstRatio, distance / biasBound);
            } else {
                CHECK(distance < 1e-4);
                worstNoBias = std::max(worstNoBias, distance);
            }
        }
        // Not a case where everything saturates.
        CHECK(std::count(ref.begin(), ref.end(), 255) + std::count(ref.begin(), ref.end(), 0) <
              int64_t(ref.size()));
    }
    WARN("XNNPACK QConv: " << differ << " of " << elements
                           << " bytes differ from the reference (one step each); the farthest "
                              "from a tie at "
                           << worstRatio << " of the bias bound, " << worstNoBias
                           << " without bias");
    CHECK(double(differ) / double(elements) < 0.01);
}

TEST_CASE("XNNPACK QConv declines what XNNPACK does not fuse, with the code", "[xnnpack][int8]") {
    ConvCase k;
    k.c = 2, k.m = 2, k.h = k.w = 3;
    k.x = randomInts(18, 0, 255, 5);
    k.weights = randomInts(36, -128, 127, 6);
    k.wScales = {0.001f};
    k.bias = {0.1f, 0.2f};
    const auto backend = backends::createBackend(kXnnpack);
    const auto claim = [&](const OneNode& n) {
        const ir::Graph& g = n.graph;
        return backend->capability(g, g.node(g.nodeIds().at(0)));
    };
    CHECK(claim(k.node()));
    OneNode hardSwish = k.node();
    ir::Node& hs = hardSwish.graph.node(hardSwish.graph.nodeIds().at(0));
    hs.attributes.push_back(stringAttr("activation", "HardSwish"));
    CHECK(claim(hardSwish).code() == "unsupported-attribute");
    OneNode affine = k.node();
    affine.graph.node(affine.graph.nodeIds().at(0))
        .attributes.push_back(floatsAttr("output_affine", {2.0f, 0.5f}));
    CHECK(claim(affine).code() == "unsupported-attribute");
    OneNode residual = k.node();
    residual.input("z", bytesTensor({1, 2, 1, 1}, {1, 2}));
    residual.graph.node(residual.graph.nodeIds().at(0))
        .inputs.push_back(residual.graph.valueId("z"));
    CHECK(claim(residual).code() == "unsupported-attribute");
    // A requantization scale of 256 or more, which XNNPACK refuses.
    ConvCase big = k;
    big.xScale = 1.0f, big.wScales = {1.0f}, big.yScale = 0.001f;
    CHECK(claim(big.node()).code() == "unsupported-attribute");
    // A zero weight scale (an all-zero channel's), which XNNPACK refuses.
    ConvCase zero = k;
    zero.wScales = {0.001f, 0.0f};
    CHECK(claim(zero.node()).code() == "unsupported-attribute");
}

TEST_CASE("XNNPACK Quantize, Dequantize, QLut and FakeQuant give the reference's values exactly",
          "[xnnpack][int8]") {
    const float scale = 0.0625f;
    const int64_t offset = -100;
    std::vector<float> x = {0.0f,  0.03125f, -0.03125f, 0.09375f, 1.0f,
                            -7.0f, 100.0f,   -100.0f,   9.40625f, std::nanf("")};
    for (int v : randomInts(90, -20000, 20000, 3))
        x.push_back(float(v) / 1000.0f);
    const Shape shape{1, 2, 5, 10};
    OneNode q;
    q.input("x", floatTensor(shape, x));
    q.node("Quantize", {"x"}, {floatAttr("scale", scale), intAttr("offset", offset)}, shape);
    const std::vector<int> bytes = bytesOf(q.run(kReference));
    CHECK(bytesOf(q.run(kXnnpack)) == bytes);

    OneNode d;
    d.input("q", bytesTensor(shape, bytes));
    d.node("Dequantize", {"q"}, {floatAttr("scale", scale), intAttr("offset", offset)}, shape,
           DataType::Float32);
    const Tensor realRef = d.run(kReference), real = d.run(kXnnpack);
    for (int64_t i = 0; i < real.numel(); ++i)
        CHECK(real.data<float>()[i] == realRef.data<float>()[i]);

    OneNode lut;
    lut.input("q", bytesTensor(shape, bytes));
    lut.constant("t", bytesTensor({256}, randomInts(256, 0, 255, 4)));
    lut.node("QLut", {"q", "t"}, {}, shape);
    CHECK(bytesOf(lut.run(kXnnpack)) == bytesOf(lut.run(kReference)));

    OneNode fq;
    fq.input("x", floatTensor(shape, x));
    ops::Encoding e;
    e.bitwidth = 8;
    e.channels = {ops::paramsFromScaleOffset(scale, offset, 8)};
    fq.node("FakeQuant", {"x"}, {}, shape, DataType::Float32);
    ops::setFakeQuantAttributes(fq.graph.node(fq.graph.nodeIds().at(0)), e);
    const Tensor fqRef = fq.run(kReference), fqGot = fq.run(kXnnpack);
    for (int64_t i = 0; i < fqGot.numel(); ++i)
        CHECK(fqGot.data<float>()[i] == fqRef.data<float>()[i]);
}

TEST_CASE("XNNPACK QMaxPool gives the reference's bytes exactly", "[xnnpack][int8]") {
    const Shape xs{1, 5, 9, 10};
    const std::vector<int> x = randomInts(size_t(5 * 9 * 10), 0, 255, 11);
    struct Case {
        std::vector<ir::Attribute> window;
        float yScale;
        int64_t yOffset;
    };
    const std::vector<Case> cases = {
        {{intsAttr("kernel_shape", {3, 3}), intsAttr("strides", {2, 2}),
          intsAttr("pads", {1, 1, 1, 1})},
         0.1f,
         -20}, // requantized
        {{intsAttr("kernel_shape", {2, 2}), intsAttr("strides", {2, 2}), intAttr("ceil_mode", 1)},
         0.05f,
         -30}, // the same encoding: no table
        {{intsAttr("kernel_shape", {3, 2}), intsAttr("strides", {1, 2})}, 0.033f, -7},
    };
    for (const Case& c : cases) {
        const ops::WindowAttrs probe = [&] {
            ir::Node n;
            n.attributes = c.window;
            return ops::parseWindowAttrs(n);
        }();
        Shape ys = xs;
        for (size_t i = 0; i < 2; ++i)
            ys[2 + i] = ops::windowAxis(probe, i, 2, xs[2 + i], probe.kernel[i]).out;
        OneNode n;
        n.input("x", bytesTensor(xs, x));
        std::vector<ir::Attribute> attrs = c.window;
        attrs.push_back(floatsAttr("x_scales", {0.05f}));
        attrs.push_back(intsAttr("x_offsets", {-30}));
        attrs.push_back(floatAttr("y_scale", c.yScale));
        attrs.push_back(intAttr("y_offset", c.yOffset));
        n.node("QMaxPool", {"x"}, attrs, ys);
        CHECK(bytesOf(n.run(kXnnpack)) == bytesOf(n.run(kReference)));
    }
}

// XNNPACK requantizes these with its own multipliers (int8_data_kernel.cpp): one step at most,
// only near a tie of the spec's quotient.
TEST_CASE("XNNPACK QGlobalAveragePool and QAdd: the reference's bytes but near ties, measured",
          "[xnnpack][int8]") {
    const Shape xs{1, 16, 7, 9};
    const int64_t n = 16 * 7 * 9;
    const std::vector<int> a = randomInts(size_t(n), 0, 255, 21),
                           b = randomInts(size_t(n), 0, 255, 22);
    const float aScale = 0.043f, bScale = 0.021f, yScale = 0.057f;
    const int64_t aOffset = -120, bOffset = -31, yOffset = -77;

    OneNode add;
    add.input("a", bytesTensor(xs, a));
    add.input("b", bytesTensor(xs, b));
    add.node("QAdd", {"a", "b"},
             {floatsAttr("x_scales", {aScale, bScale}), intsAttr("x_offsets", {aOffset, bOffset}),
              floatAttr("y_scale", yScale), intAttr("y_offset", yOffset)},
             xs);
    const std::vector<int> addRef = bytesOf(add.run(kReference)),
                           addGot = bytesOf(add.run(kXnnpack));
    Bytes addDiff;
    addDiff.add(addRef, addGot);
    CHECK(addDiff.maxSteps <= 1);
    double addWorst = 0;
    for (int64_t i : addDiff.where) {
        const float sum = realOf(a[i], aScale, aOffset) + realOf(b[i], bScale, bOffset);
        addWorst = std::max(addWorst, tieDistance(double(sum / yScale)));
    }
    // XNNPACK's add multipliers have 2^-20 of the scale ratio's precision or better, and its
    // rounding of the products is what moves the result.
    CHECK(addWorst < 0.01);

    OneNode gap;
    gap.input("x", bytesTensor(xs, a));
    gap.node("QGlobalAveragePool", {"x"},
             {floatsAttr("x_scales", {aScale}), intsAttr("x_offsets", {aOffset}),
              floatAttr("y_scale", yScale / 8), intAttr("y_offset", -128)},
             {1, 16, 1, 1});
    const std::vector<int> gapRef = bytesOf(gap.run(kReference)),
                           gapGot = bytesOf(gap.run(kXnnpack));
    Bytes gapDiff;
    gapDiff.add(gapRef, gapGot);
    CHECK(gapDiff.maxSteps <= 1);
    double gapWorst = 0;
    for (int64_t c : gapDiff.where) {
        int64_t sum = 0;
        for (int64_t p = 0; p < 63; ++p)
            sum += a[size_t(c * 63 + p)];
        const float mean = float((double(sum) / 63.0 + double(aOffset)) * double(aScale));
        gapWorst = std::max(gapWorst, tieDistance(double(mean / (yScale / 8))));
    }
    CHECK(gapWorst < 1e-3);
    WARN("XNNPACK QAdd: " << addDiff.differ << " of " << addDiff.elements
                          << " bytes differ by one step, within " << addWorst
                          << " of a tie; QGlobalAveragePool: " << gapDiff.differ << " of "
                          << gapDiff.elements << ", within " << gapWorst);
}

// QMul keeps one table per gate byte value across runs (int8_mul_kernel.cpp): one session run
// on several gates, some bytes repeated and some new, each run the reference's bytes exactly.
TEST_CASE("XNNPACK QMul gives the reference's bytes on every run of a session", "[xnnpack][int8]") {
    for (const bool residual : {false, true}) {
        DYNAMIC_SECTION((residual ? "with" : "without") << " the residual") {
            const Shape xs{2, 6, 5, 7}, gs{2, 6, 1, 1};
            OneNode n;
            n.input("x", bytesTensor(xs, randomInts(size_t(2 * 6 * 5 * 7), 0, 255, 5)));
            n.input("g", bytesTensor(gs, randomInts(12, 0, 255, 6)));
            std::vector<ir::Attribute> attrs = {
                floatsAttr("x_scales", {0.04f, 0.0039f}), intsAttr("x_offsets", {-60, 0}),
                floatAttr("y_scale", 0.03f), intAttr("y_offset", -50)};
            if (residual) {
                attrs.push_back(intAttr("residual", 1));
                attrs.push_back(floatAttr("m_scale", 0.02f));
                attrs.push_back(intAttr("m_offset", -70));
            }
            n.node("QMul", {"x", "g"}, attrs, xs);
            const auto graph = std::make_shared<const ir::Graph>(n.graph);
            runtime::Session xnn(graph, backends::fallbackChain(kXnnpack));
            runtime::Session ref(graph, backends::fallbackChain(kReference));
            REQUIRE(xnn.steps().at(0).backend == kXnnpack);
            for (uint32_t seed : {6u, 7u, 6u, 8u}) {
                std::map<std::string, Tensor> feeds = n.feeds;
                // Gates from a narrow range repeat bytes across runs and channels.
                feeds["g"] = bytesTensor(gs, randomInts(12, 100, 130, seed));
                CHECK(bytesOf(xnn.run(feeds).at(0)) == bytesOf(ref.run(feeds).at(0)));
            }
        }
    }
}
