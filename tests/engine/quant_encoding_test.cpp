// lb::quant encodings: QNN's convention, nudging, AIMET's symmetric variants, validation,
// quantize/dequantize, per-channel weights and bias encodings.

#include "core/error.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "quant/encoding.h"
#include "quant/per_channel.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace lb;
using namespace lb::quant;

TEST_CASE("asymmetric min/max is nudged so 0 is exactly representable") {
    const ChannelParams p = paramsFromMinMax(-1.3, 2.9, 8, false);
    CHECK(p.scale == Approx(4.2 / 255.0));
    CHECK(p.offset == std::lround(-1.3 / (4.2 / 255.0)));
    CHECK(p.offset <= 0);
    // min/max follow QNN's convention from the nudged offset
    CHECK(p.min == Approx(p.offset * p.scale));
    CHECK(p.max == Approx((255 + p.offset) * p.scale));
    CHECK(dequantizeValue(quantizeValue(0.0, p, 8), p) == 0.0);
    // a range not holding 0 is widened to hold it
    const ChannelParams positive = paramsFromMinMax(1.0, 6.0, 8, false);
    CHECK(positive.offset == 0);
    CHECK(positive.min == 0.0);
    CHECK(positive.max == Approx(6.0));
    for (int bw : {4, 8, 16}) {
        const ChannelParams q = paramsFromMinMax(-0.77, 3.1, bw, false);
        CHECK(fakeQuantValue(0.0, q, bw) == 0.0);
        CHECK(q.max - q.min == Approx(q.scale * (std::pow(2.0, bw) - 1)));
    }
}

TEST_CASE("the tutorial's activation agrees with QNN's convention") {
    const ChannelParams p = paramsFromScaleOffset(0.023529, 0, 8);
    CHECK(p.min == 0.0);
    CHECK(p.max == Approx(6.0).margin(0.001)); // 0.023529 * 255
    CHECK(paramsFromMinMax(0.0, 6.0, 8, false).scale == Approx(0.023529).epsilon(1e-4));
}

TEST_CASE("symmetric encodings follow AIMET (default offset -2^(bw-1), strict -(2^(bw-1)-1))") {
    const ChannelParams p = paramsFromMinMax(-3.0, 3.175, 8, true);
    CHECK(p.scale == Approx(3.175 / 127.0));
    CHECK(p.offset == -128);
    CHECK(p.max == Approx(3.175));
    CHECK(p.min == Approx(-128 * 3.175 / 127.0));
    const ChannelParams strict = paramsFromMinMax(-3.0, 3.175, 8, true, SymmetricMode::Strict);
    CHECK(strict.offset == -127);
    CHECK(strict.min == Approx(-3.175));
    CHECK(fakeQuantValue(0.0, p, 8) == 0.0);
    const ChannelParams p4 = paramsFromMinMax(-1.0, 0.5, 4, true);
    CHECK(p4.offset == -8);
    CHECK(p4.scale == Approx(1.0 / 7.0));
}

TEST_CASE("quantize clamps to [0, 2^bw-1] and dequantize inverts within half a step") {
    const Encoding e = perTensorEncoding(-1.0, 1.0, 8, false);
    const std::vector<float> data{-5.0f, -1.0f, -0.3f, 0.0f, 0.41f, 1.0f, 9.0f};
    const std::vector<int64_t> q = quantize(data, {7}, e);
    CHECK(q.front() == 0);
    CHECK(q.back() == 255);
    const std::vector<float> back = dequantize(q, {7}, e);
    for (size_t i = 1; i + 1 < data.size(); ++i) {
        CHECK(std::abs(back[i] - data[i]) <= e.channels[0].scale / 2 + 1e-6);
    }
    CHECK(back[3] == 0.0f);
    // the tutorial's validate_quantization_range: small MSE inside the range, large when clipped
    std::vector<float> inside(1000);
    for (size_t i = 0; i < inside.size(); ++i) {
        inside[i] = -1.0f + 2.0f * static_cast<float>(i) / 999.0f;
    }
    const double mse = quantizationMse(inside, {1000}, e);
    CHECK(mse < e.channels[0].scale * e.channels[0].scale / 12.0 * 1.2);
    CHECK(mse > 0.0);
    const Encoding narrow = perTensorEncoding(-0.1, 0.1, 8, false);
    CHECK(quantizationMse(inside, {1000}, narrow) > 100 * mse);
}

TEST_CASE("invalid encodings are rejected naming the tensor") {
    auto expectError = [](const Encoding& e, const std::string& what,
                          std::optional<Shape> shape = std::nullopt) {
        try {
            validateEncoding(e, "conv3.weight", shape);
            FAIL("no error for " << what);
        } catch (const Error& error) {
            const std::string msg = error.what();
            CHECK(msg.find("'conv3.weight'") != std::string::npos);
            CHECK(msg.find(what) != std::string::npos);
            CHECK(msg.find('\n') == std::string::npos);
        }
    };
    Encoding e = perTensorEncoding(-1.0, 1.0, 8, false);
    CHECK_NOTHROW(validateEncoding(e, "conv3.weight"));
    Encoding bad = e;
    bad.channels[0].max = -2.0;
    expectError(bad, "max");
    bad = e;
    bad.channels[0].scale = 0.0;
    expectError(bad, "scale");
    bad.channels[0].scale = std::nan("");
    expectError(bad, "scale");
    bad = e;
    bad.channels[0].offset = 127;
    expectError(bad, "offset 127");
    bad.channels[0].offset = -256;
    expectError(bad, "offset -256");
    bad = e;
    bad.bitwidth = 7;
    expectError(bad, "bitwidth 7");
    Encoding perChannel = e;
    perChannel.axis = 0;
    perChannel.channels.push_back(e.channels[0]);
    CHECK_NOTHROW(validateEncoding(perChannel, "conv3.weight", Shape{2, 3, 3, 3}));
    expectError(perChannel, "2 per-channel encodings", Shape{4, 3, 3, 3});
}

TEST_CASE("per-channel symmetric weights: scale = max|w| / 127 per channel") {
    // Conv weight 3x2x2x2 with different magnitudes per output channel
    Tensor w(DataType::Float32, {3, 2, 2, 2});
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const float magnitude[3] = {0.5f, 2.0f, 0.05f};
    std::vector<double> absMax(3, 0.0);
    for (int64_t i = 0; i < w.numel(); ++i) {
        const int64_t c = i / 8;
        w.data<float>()[i] = u(rng) * magnitude[c];
        absMax[c] = std::max(absMax[c], std::abs(static_cast<double>(w.data<float>()[i])));
    }
    const Encoding e = perChannelWeightEncoding(w, 0, 8, true, "conv.weight");
    REQUIRE(e.channels.size() == 3);
    CHECK(e.axis == 0);
    for (int c = 0; c < 3; ++c) {
        CHECK(e.channels[c].scale == Approx(absMax[c] / 127.0));
        CHECK(e.channels[c].offset == -128);
    }
    const std::vector<float> fq = fakeQuantize(w.span<float>(), w.shape(), e, "conv.weight");
    for (int64_t i = 0; i < w.numel(); ++i) {
        CHECK(std::abs(fq[i] - w.data<float>()[i]) <= e.channels[i / 8].scale / 2 + 1e-7);
    }
    // ConvTranspose weights are per channel along axis 1
    const Encoding t = perChannelWeightEncoding(w, 1, 8, true, "deconv.weight");
    CHECK(t.channels.size() == 2);
    CHECK_THROWS_WITH(perChannelWeightEncoding(w, 4, 8, true, "conv.weight"),
                      Catch::Contains("'conv.weight'") && Catch::Contains("axis 4"));
}

TEST_CASE("weight channel axis follows the consuming op") {
    ir::Graph g;
    auto addInit = [&](const std::string& name, Shape shape) {
        const ir::ValueId id = g.addValue(name);
        g.setInitializer(id, Tensor(DataType::Float32, std::move(shape)));
        return id;
    };
    const ir::ValueId x = g.addValue("x");
    g.inputs().push_back(x);
    const ir::ValueId conv = addInit("conv.w", {4, 3, 3, 3});
    const ir::ValueId deconv = addInit("deconv.w", {4, 2, 3, 3});
    const ir::ValueId gemmT = addInit("gemmT.w", {10, 8});
    const ir::ValueId gemm = addInit("gemm.w", {8, 10});
    const ir::ValueId matmul = addInit("matmul.w", {2, 8, 10});
    auto addNode = [&](const std::string& op, ir::ValueId w, int64_t transB = -1) {
        ir::Node n;
        n.name = op + std::to_string(g.nodeCount());
        n.opType = op;
        n.inputs = {x, w};
        n.outputs = {g.addValue(n.name + "_out")};
        if (transB >= 0) {
            ir::Attribute a;
            a.name = "transB";
            a.type = ir::AttributeType::Int;
            a.i = transB;
            n.attributes.push_back(a);
        }
        g.addNode(std::move(n));
    };
    addNode("Conv", conv);
    addNode("ConvTranspose", deconv);
    addNode("Gemm", gemmT, 1);
    addNode("Gemm", gemm, 0);
    addNode("MatMul", matmul);
    CHECK(weightChannelAxis(g, conv) == 0);
    CHECK(weightChannelAxis(g, deconv) == 1);
    CHECK(weightChannelAxis(g, gemmT) == 0);
    CHECK(weightChannelAxis(g, gemm) == 1);
    CHECK(weightChannelAxis(g, matmul) == 2);
    CHECK(weightChannelAxis(g, x) == -1);
}

TEST_CASE("bias encodings: 32-bit, scale = input_scale * weight_scale, zero point 0") {
    const Encoding input = perTensorEncoding(0.0, 6.0, 8, false);
    Tensor w(DataType::Float32, {2, 1, 1, 1});
    w.data<float>()[0] = 0.5f;
    w.data<float>()[1] = -2.0f;
    const Encoding weight = perChannelWeightEncoding(w, 0, 8, true);
    const Encoding bias = biasEncoding(input, weight, 2, "conv.bias");
    CHECK(bias.bitwidth == 32);
    CHECK(bias.symmetric);
    REQUIRE(bias.channels.size() == 2);
    for (int c = 0; c < 2; ++c) {
        CHECK(bias.channels[c].scale == Approx(input.channels[0].scale * weight.channels[c].scale));
        // offset -2^31 in the unsigned convention is zero point 0 in signed int32 storage
        CHECK(bias.channels[c].offset + (int64_t{1} << 31) == 0);
        CHECK(fakeQuantValue(0.0, bias.channels[c], 32) == 0.0);
        CHECK(fakeQuantValue(-1.25, bias.channels[c], 32) ==
              Approx(-1.25).margin(bias.channels[c].scale / 2));
    }
    CHECK_NOTHROW(validateEncoding(bias, "conv.bias", Shape{2}));
    const Encoding perTensorWeight = perTensorEncoding(-1.0, 1.0, 8, true);
    CHECK(biasEncoding(input, perTensorWeight, 5).channels.size() == 1);
    CHECK_THROWS_WITH(biasEncoding(input, weight, 3, "conv.bias"), Catch::Contains("'conv.bias'"));
}
