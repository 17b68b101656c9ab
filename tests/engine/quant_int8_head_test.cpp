// Real int8 ConvTranspose (QConvTranspose) and unary elementwise ops (QLut) against the
// quantization simulation, on small graphs and on the PaddleOCR det model's head
// (ConvTranspose -> Relu -> ConvTranspose -> Sigmoid), plus the channel axis of ConvTranspose
// weight encodings read back from a 1.0.0 file.
#include "graph_query_util.h"
#include "onnx/importer.h"
#include "ops/int8_ops.h"
#include "profile/local_run.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/encodings_json.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_transform.h"
#include "quant/name_check.h"
#include "runtime/session.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace lb;
using lb::test::countOps;

namespace {

const std::string kDet = std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx";

ir::Attribute floatAttr(const std::string& name, float v) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Float;
    a.f = v;
    return a;
}

quant::Encoding encoding(double scale, int64_t offset) {
    quant::Encoding e;
    e.channels = {quant::paramsFromScaleOffset(scale, offset, 8)};
    return e;
}

std::vector<Tensor> runPrepared(const ir::Graph& g, const std::string& backend, bool optimize,
                                const quant::Sample& inputs) {
    profile::LocalRunOptions options;
    options.backend = backend;
    options.optimize = optimize;
    return profile::prepare(g, options).session->run(inputs);
}

std::vector<Tensor> simulate(ir::Graph g, const quant::EncodingSet& set,
                             const quant::Sample& inputs) {
    quant::applyFakeQuant(g, set);
    return runPrepared(g, "auto", true, inputs);
}

// The int8 graph (returned for inspection) and its outputs on the oneDNN backend.
std::vector<Tensor> runInt8(ir::Graph& g, const quant::EncodingSet& set,
                            const quant::Sample& inputs, quant::Int8Result& result) {
    result = quant::applyInt8(g, set);
    return runPrepared(g, "onednn", false, inputs);
}

// Largest difference in units of `scale`.
double maxLsb(const Tensor& a, const Tensor& b, double scale) {
    REQUIRE(a.shape() == b.shape());
    double worst = 0;
    for (int64_t i = 0; i < a.numel(); ++i)
        worst = std::max(worst, std::abs(double(a.data<float>()[i]) - b.data<float>()[i]) / scale);
    return worst;
}

Tensor randomTensor(const Shape& shape, float sigma, std::mt19937& rng) {
    Tensor t(DataType::Float32, shape);
    std::normal_distribution<float> normal(0.0f, sigma);
    for (float& v : t.span<float>())
        v = normal(rng);
    return t;
}

// x [1,cin,9,7] -> ConvTranspose (random W, B) [-> BatchNormalization] [-> Relu] -> y.
struct DeconvCase {
    int64_t cin, cout, kernel, stride, pad, outputPadding;
    bool batchNorm;
    std::string activation;
};

ir::Graph deconvModel(const DeconvCase& c) {
    ir::Graph g = test::emptyModel("deconv_case");
    std::mt19937 rng(7);
    test::addInput(g, "x", {1, c.cin, 9, 7});
    g.setInitializer(g.valueId("w"), randomTensor({c.cin, c.cout, c.kernel, c.kernel}, 0.3f, rng));
    g.setInitializer(g.valueId("b"), randomTensor({c.cout}, 0.3f, rng));
    const auto outSize = [&](int64_t in) {
        return c.stride * (in - 1) + c.kernel - 2 * c.pad + c.outputPadding;
    };
    const Shape out = {1, c.cout, outSize(9), outSize(7)};
    std::string y = "d";
    test::addNode(g, "ConvTranspose", {"x", "w", "b"}, {y},
                  {test::intsAttr("strides", {c.stride, c.stride}),
                   test::intsAttr("pads", {c.pad, c.pad, c.pad, c.pad}),
                   test::intsAttr("output_padding", {c.outputPadding, c.outputPadding})},
                  {out});
    if (c.batchNorm) {
        Tensor scale = randomTensor({c.cout}, 0.5f, rng), var = randomTensor({c.cout}, 0.5f, rng);
        for (float& v : var.span<float>())
            v = v * v + 0.1f;
        g.setInitializer(g.valueId("bn_scale"), scale);
        g.setInitializer(g.valueId("bn_b"), randomTensor({c.cout}, 0.3f, rng));
        g.setInitializer(g.valueId("bn_mean"), randomTensor({c.cout}, 0.3f, rng));
        g.setInitializer(g.valueId("bn_var"), var);
        test::addNode(g, "BatchNormalization", {y, "bn_scale", "bn_b", "bn_mean", "bn_var"}, {"n"},
                      {}, {out});
        y = "n";
    }
    if (!c.activation.empty()) {
        test::addNode(g, c.activation, {y}, {"a"}, {}, {out});
        y = "a";
    }
    g.outputs().push_back(g.valueId(y));
    return g;
}

quant::EncodingSet calibrate(const ir::Graph& g, const std::vector<quant::Sample>& samples,
                             bool perChannel) {
    quant::CalibrationConfig config;
    config.perChannel = perChannel;
    config.backend = "onednn";
    return quant::computeEncodings(g, quant::observeActivations(g, samples, config), config);
}

} // namespace

// The simulation's ConvTranspose sums float32 products in its own order and its FakeQuant divides
// by the scale, the int8 kernel sums exactly in int32 and multiplies by 1 / scale in a post-op:
// an output byte may differ by 1 where the real value lies next to a rounding boundary.
TEST_CASE("int8: QConvTranspose against the simulation, within 1 LSB") {
    const std::vector<DeconvCase> cases = {
        {4, 8, 2, 2, 0, 0, false, ""},      // patch kernel (stride == kernel)
        {24, 1, 2, 2, 0, 0, false, ""},     // det's last layer: one output channel
        {16, 24, 2, 2, 0, 0, true, "Relu"}, // BatchNorm folded into the weights, Relu as QLut
        {3, 5, 3, 2, 1, 1, false, ""},      // oneDNN deconvolution: pads, output_padding
        {8, 16, 4, 2, 1, 0, true, ""},      // oneDNN deconvolution, folded BatchNorm
        {6, 6, 3, 1, 1, 0, false, "Sigmoid"},
    };
    for (const DeconvCase& c : cases)
        for (bool perChannel : {false, true}) {
            INFO("cin " << c.cin << " cout " << c.cout << " k " << c.kernel << " stride "
                        << c.stride << " pad " << c.pad << " output_padding " << c.outputPadding
                        << (c.batchNorm ? " + BatchNorm" : "") << " " << c.activation
                        << (perChannel ? " per-channel" : " per-tensor"));
            const ir::Graph g = deconvModel(c);
            std::mt19937 rng(42);
            std::vector<quant::Sample> samples;
            for (int s = 0; s < 3; ++s)
                samples.push_back({{"x", randomTensor({1, c.cin, 9, 7}, 1.0f, rng)}});
            const quant::EncodingSet set = calibrate(g, {samples[0], samples[1]}, perChannel);
            // Inputs around 0 give the input a zero point inside the range.
            CHECK(set.activations.at("x").channels.at(0).offset < -10);
            CHECK(set.params.at("w").channels.size() == (perChannel ? size_t(c.cout) : 1u));
            const Tensor sim = simulate(g, set, samples[2]).at(0);
            ir::Graph int8 = g;
            quant::Int8Result result;
            const Tensor real = runInt8(int8, set, samples[2], result).at(0);
            INFO(result.summary());
            CHECK(result.simulated.empty());
            CHECK(countOps(int8, ops::kQConvTransposeOp) == 1);
            CHECK(countOps(int8, ops::kQLutOp) == (c.activation.empty() ? 0 : 1));
            const std::string out = g.value(g.outputs()[0]).name;
            CHECK(maxLsb(sim, real, set.activations.at(out).channels[0].scale) <= 1.0001);
        }
}

// Every byte value at many positions: the table must give exactly the simulation's bytes, for
// activations oneDNN's eltwise primitive runs and for ops the reference backend runs (Elu, Exp).
TEST_CASE("int8: QLut is the simulation's float op between FakeQuants, bit for bit") {
    struct LutCase {
        std::string op;
        std::vector<ir::Attribute> attrs;
        double yScale;
        int64_t yOffset;
    };
    const std::vector<LutCase> cases = {
        {"Relu", {}, 0.04, 0},         {"Sigmoid", {}, 1.0 / 255, 0},
        {"Tanh", {}, 2.0 / 255, -128}, {"HardSigmoid", {}, 1.0 / 255, 0},
        {"HardSwish", {}, 0.05, -20},  {"LeakyRelu", {floatAttr("alpha", 0.1f)}, 0.03, -40},
        {"Clip", {}, 0.025, -100},     {"Elu", {}, 0.03, -60},
        {"Exp", {}, 0.5, 0},
    };
    const Shape shape = {1, 24, 17, 19};
    const double xScale = 0.05;
    const int64_t xOffset = -131;
    for (const LutCase& c : cases) {
        INFO(c.op);
        ir::Graph g = test::emptyModel("lut_case");
        test::addInput(g, "x", shape);
        std::vector<std::string> inputs = {"x"};
        if (c.op == "Clip") {
            Tensor lo(DataType::Float32, {}), hi(DataType::Float32, {});
            lo.data<float>()[0] = -2.5f;
            hi.data<float>()[0] = 3.0f;
            g.setInitializer(g.valueId("lo"), lo);
            g.setInitializer(g.valueId("hi"), hi);
            inputs = {"x", "lo", "hi"};
        }
        test::addNode(g, c.op, inputs, {"y"}, c.attrs, {shape});
        g.outputs().push_back(g.valueId("y"));
        quant::EncodingSet set;
        set.activations["x"] = encoding(xScale, xOffset);
        set.activations["y"] = encoding(c.yScale, c.yOffset);
        // Every grid value, in a scrambled order, plus values between grid points.
        Tensor x(DataType::Float32, shape);
        std::mt19937 rng(9);
        std::uniform_int_distribution<int> byte(0, 255);
        for (int64_t i = 0; i < x.numel(); ++i) {
            const int q = i < 256 ? int(i) : byte(rng);
            x.data<float>()[i] = float((q + xOffset) * xScale) + (i % 3 == 0 ? 0.3f * xScale : 0);
        }
        const quant::Sample sample{{"x", x}};
        const Tensor sim = simulate(g, set, sample).at(0);
        quant::Int8Result result;
        const Tensor real = runInt8(g, set, sample, result).at(0);
        INFO(result.summary());
        CHECK(result.simulated.empty());
        CHECK(countOps(g, ops::kQLutOp) == 1);
        CHECK(maxLsb(sim, real, c.yScale) == 0.0);
    }
}

namespace {

// Whether the first node's output stayed in a private (blocked) layout.
class FirstOutputLayout : public runtime::ExecutionObserver {
public:
    void onNodeEnd(size_t step, const runtime::PlanStep&,
                   const std::vector<Tensor>& outputs) override {
        if (step == 0)
            plain = outputs.at(0).isPlain();
    }
    bool plain = true;
};

} // namespace

// QLut tabulates the op on a plain 256-value vector; the simulation runs it on whatever layout
// its input has (a Conv's blocked output on det). oneDNN's eltwise must give the same floats on
// both, or the table would miss the simulation's bytes.
TEST_CASE("int8: oneDNN activations give the same floats on blocked and plain layouts") {
    const int64_t c = 48;
    const Shape shape = {1, c, 9, 9};
    Tensor x(DataType::Float32, shape);
    for (int64_t i = 0; i < x.numel(); ++i)
        x.data<float>()[i] = float(((i * 37) % 256 - 131) * 0.05);
    Tensor eye(DataType::Float32, {c, c, 1, 1});
    for (int64_t k = 0; k < c; ++k)
        eye.data<float>()[k * c + k] = 1.0f; // a 1x1 Conv that copies x exactly, blocked
    for (const char* op : {"Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "LeakyRelu", "Relu"}) {
        INFO(op);
        ir::Graph blocked = test::emptyModel("blocked"), plain = test::emptyModel("plain");
        test::addInput(blocked, "x", shape);
        blocked.setInitializer(blocked.valueId("w"), eye);
        test::addNode(blocked, "Conv", {"x", "w"}, {"c"}, {}, {shape});
        test::addNode(blocked, op, {"c"}, {"y"}, {}, {shape});
        blocked.outputs().push_back(blocked.valueId("y"));
        test::addInput(plain, "x", shape);
        test::addNode(plain, op, {"x"}, {"y"}, {}, {shape});
        plain.outputs().push_back(plain.valueId("y"));
        profile::LocalRunOptions options;
        options.backend = "onednn";
        options.optimize = false; // keep the activation a node of its own
        FirstOutputLayout layout;
        const Tensor a = profile::prepare(blocked, options).session->run({{"x", x}}, &layout).at(0);
        const Tensor b = profile::prepare(plain, options).session->run({{"x", x}}).at(0);
        CHECK_FALSE(layout.plain);
        REQUIRE(a.shape() == b.shape());
        int64_t differ = 0;
        for (int64_t i = 0; i < a.numel(); ++i)
            differ += a.data<float>()[i] != b.data<float>()[i];
        CHECK(differ == 0);
    }
}

TEST_CASE("int8: a unary op without an 8-bit output encoding stays simulated") {
    ir::Graph g = test::emptyModel("lut_16bit");
    test::addInput(g, "x", {1, 4, 5, 5});
    test::addNode(g, "Sigmoid", {"x"}, {"y"}, {}, {{1, 4, 5, 5}});
    g.outputs().push_back(g.valueId("y"));
    quant::EncodingSet set;
    set.activations["x"] = encoding(0.05, -128);
    set.activations["y"] = encoding(1.0 / 255, 0);
    set.activations["y"].bitwidth = 16;
    set.activations["y"].channels = {quant::paramsFromScaleOffset(1.0 / 65535, 0, 16)};
    quant::Int8Result result;
    std::mt19937 rng(1);
    runInt8(g, set, {{"x", randomTensor({1, 4, 5, 5}, 3.0f, rng)}}, result);
    REQUIRE(result.simulated.size() == 1);
    CHECK(result.simulated.begin()->second.find("not quantized to 8 bits") != std::string::npos);
    CHECK(countOps(g, ops::kQLutOp) == 0);
}

// AIMET's 1.0.0 files carry no axis: a one-channel PER_CHANNEL entry of a ConvTranspose weight
// [C_in, 1, kH, kW] is per output channel (axis 1), as calibration wrote it.
TEST_CASE("int8: ConvTranspose weight encodings are per output channel through 1.0.0 files") {
    const ir::Graph g = deconvModel({24, 1, 2, 2, 0, 0, false, ""});
    const auto samples = quant::randomSamples(g, 1, 3);
    const quant::EncodingSet set = calibrate(g, samples, true);
    CHECK(set.params.at("w").axis == 1);
    REQUIRE(set.params.at("w").channels.size() == 1);
    const quant::EncodingSet back = quant::parseEncodingsJson(
        quant::writeEncodingsJson(set, quant::EncodingsFormat::V100), "det.json");
    REQUIRE(back.params.at("w").isPerChannel());
    CHECK(quant::checkNames(back, g).empty());
}

TEST_CASE("int8: det's head runs in int8 and agrees with the simulation", "[models]") {
    onnx::ImportOptions options;
    options.inputShapes["x"] = {1, 3, 160, 160};
    const ir::Graph g = onnx::importModel(kDet, options).graph;
    const auto samples = quant::randomSamples(g, 3, 42);
    const quant::EncodingSet set = calibrate(g, {samples[0], samples[1]}, true);
    const Tensor sim = simulate(g, set, samples[2]).at(0);
    ir::Graph int8 = g;
    quant::Int8Result result;
    const Tensor real = runInt8(int8, set, samples[2], result).at(0);
    INFO(result.summary());
    for (const char* node :
         {"p2o.ConvTranspose.0", "p2o.ConvTranspose.2", "p2o.Relu.11", "p2o.Sigmoid.0"}) {
        INFO(node);
        CHECK(result.simulated.count(node) == 0);
        CHECK(int8.findNode(node).has_value());
    }
    CHECK(result.simulated.empty());
    CHECK(countOps(int8, ops::kQConvTransposeOp) == 2);
    CHECK(countOps(int8, ops::kQLutOp) == 2);
    const std::string out = g.value(g.outputs()[0]).name;
    CHECK(maxLsb(sim, real, set.activations.at(out).channels[0].scale) <= 1.0001);
}
