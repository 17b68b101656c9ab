// Mixed precision planner: promotion keeps the range, the most sensitive tensor of a hand-built
// model is promoted first and reaches the target, cancellation, and on the PaddleOCR classifier
// (engine and CLI) a target that 8 bit misses is reached with the result loading again.
#include "cli_in_process.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/encodings_json.h"
#include "quant/mixed_precision.h"
#include "quant/name_check.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

using namespace lb;
namespace fs = std::filesystem;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

Tensor randomMatrix(int64_t rows, int64_t cols, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, 0.5f);
    Tensor t(DataType::Float32, {rows, cols});
    for (float& v : t.span<float>())
        v = d(rng);
    return t;
}

// x [4, 8] -> MatMul W1 -> a [4, 8] -> MatMul W2 -> y [4, 4]
ir::Graph twoMatMuls() {
    ir::Graph g;
    auto value = [&](const std::string& name, Shape shape) {
        const ir::ValueId id = g.addValue(name);
        g.value(id).dtype = DataType::Float32;
        g.value(id).shape = symbolicShape(shape);
        return id;
    };
    const ir::ValueId x = value("x", {4, 8}), w1 = value("W1", {8, 8}), a = value("a", {4, 8});
    const ir::ValueId w2 = value("W2", {8, 4}), y = value("y", {4, 4});
    g.setInitializer(w1, randomMatrix(8, 8, 1));
    g.setInitializer(w2, randomMatrix(8, 4, 2));
    g.inputs().push_back(x);
    g.outputs().push_back(y);
    ir::Node m1;
    m1.name = "mm1";
    m1.opType = "MatMul";
    m1.inputs = {x, w1};
    m1.outputs = {a};
    g.addNode(m1);
    ir::Node m2;
    m2.name = "mm2";
    m2.opType = "MatMul";
    m2.inputs = {a, w2};
    m2.outputs = {y};
    g.addNode(m2);
    return g;
}

// The calibrated 8-bit encodings, with `a` given a range 500 times too wide (its step then
// swamps its values: the one tensor that matters).
quant::EncodingSet encodingsWithBadA(const ir::Graph& g, const std::vector<quant::Sample>& s) {
    quant::CalibrationConfig config;
    config.backend = "reference";
    quant::EncodingSet set =
        quant::computeEncodings(g, quant::observeActivations(g, s, config), config);
    REQUIRE(set.activations.count("a"));
    const quant::ChannelParams& a = set.activations.at("a").channels.at(0);
    set.activations["a"] = quant::perTensorEncoding(a.min * 500, a.max * 500, 8, false);
    return set;
}

} // namespace

TEST_CASE("mixed precision: promotion keeps the range with 256 times finer steps") {
    const quant::Encoding act = quant::perTensorEncoding(-0.5, 6.0, 8, false);
    const quant::Encoding p = quant::promoteEncoding(act, 16);
    CHECK(p.bitwidth == 16);
    CHECK(p.channels[0].min == Approx(act.channels[0].min).margin(act.channels[0].scale));
    CHECK(p.channels[0].max == Approx(act.channels[0].max).margin(act.channels[0].scale));
    CHECK(p.channels[0].scale == Approx(act.channels[0].scale * 255.0 / 65535.0).epsilon(0.01));
    const quant::Encoding w = quant::perTensorEncoding(-0.3, 0.2, 8, true);
    const quant::Encoding pw = quant::promoteEncoding(w, 16);
    CHECK(pw.symmetric);
    CHECK(pw.channels[0].offset == -32768);
    CHECK(pw.channels[0].scale == Approx(w.channels[0].scale * 128.0 / 32768.0).epsilon(0.01));
}

TEST_CASE("mixed precision: the most sensitive tensor goes first and reaches the target") {
    const ir::Graph g = twoMatMuls();
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 4, 11);
    const quant::EncodingSet set = encodingsWithBadA(g, samples);
    quant::MixedPrecisionOptions options;
    options.backend = "reference";
    options.targetSqnrDb = 25.0;
    const quant::MixedPrecisionPlan plan = quant::planMixedPrecision(g, set, samples, options);
    REQUIRE(plan.steps.size() >= 2);
    CHECK(plan.reached);
    CHECK(plan.steps[0].outputSqnrDb < 25.0);
    CHECK(plan.steps[1].tensor == "a");
    CHECK(plan.steps[1].kind == "activation");
    CHECK(plan.steps[1].outputSqnrDb > plan.steps[0].outputSqnrDb + 10.0);
    CHECK(plan.steps.back().outputSqnrDb >= 25.0);
    CHECK(plan.steps[0].latencyMs > 0.0);
    CHECK(plan.encodings.activations.at("a").bitwidth == 16);
    CHECK(plan.encodings.activations.at("x") == set.activations.at("x")); // untouched
    // The plan's encodings write and read back as a quantization_overrides file.
    const quant::EncodingSet back = quant::parseEncodingsJson(
        quant::writeEncodingsJson(plan.encodings, quant::EncodingsFormat::V100), "plan.json");
    CHECK(back.activations.at("a").bitwidth == 16);
    const nlohmann::json j = quant::toJson(plan);
    CHECK(j.at("steps").size() == plan.steps.size());
    CHECK(j.at("reached") == true);

    options.maxPromotions = 0;
    const quant::MixedPrecisionPlan none = quant::planMixedPrecision(g, set, samples, options);
    CHECK(none.steps.size() == 1);
    CHECK_FALSE(none.reached);
    CHECK(none.encodings == set);

    TaskContext cancelled;
    cancelled.token.cancel();
    CHECK_THROWS_AS(quant::planMixedPrecision(g, set, samples, options, cancelled), Cancelled);
}

TEST_CASE("mixed precision: cls reaches a target 8 bit misses (engine and CLI)", "[models]") {
    onnx::ImportOptions import;
    import.inputShapes["x"] = {1, 3, 48, 192};
    const ir::Graph g = onnx::importModel(kCls, import).graph;
    const std::vector<quant::Sample> samples = quant::randomSamples(g, 3, 5);
    quant::CalibrationConfig config;
    const quant::EncodingSet set =
        quant::computeEncodings(g, quant::observeActivations(g, samples, config), config);
    quant::MixedPrecisionOptions options;
    options.maxPromotions = 0;
    const double base =
        quant::planMixedPrecision(g, set, samples, options).steps.at(0).outputSqnrDb;
    INFO("8-bit output SQNR " << base);
    REQUIRE(std::isfinite(base));

    // The CLI on the same samples (--samples 3 --seed 5 gives randomSamples(g, 3, 5)).
    const fs::path dir = fs::temp_directory_path() / "lb_quant_mixed_precision";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string enc = (dir / "enc.json").string(), rep = (dir / "rep.json").string();
    const double target = base + 6.0;
    const test::CliRun r = test::runCliInProcess(
        {"quantize", kCls, "--shape", "x=1x3x48x192", "--samples", "3", "--seed", "5",
         "--encodings", enc, "--report", rep, "--isolated", "0", "--target-sqnr",
         std::to_string(target), "--max-promotions", "40"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("mixed precision: target output SQNR") != std::string::npos);
    std::ifstream f(rep);
    const nlohmann::json j = nlohmann::json::parse(f);
    const nlohmann::json& mp = j.at("mixed_precision");
    INFO(mp.dump(1));
    CHECK(mp.at("reached") == true);
    const nlohmann::json& steps = mp.at("steps");
    REQUIRE(steps.size() >= 2);
    CHECK(steps[0].at("output_sqnr_db").get<double>() == Approx(base).margin(0.01));
    CHECK(steps.back().at("output_sqnr_db").get<double>() >= target);
    // Monotonic-ish: cls's output is 2 softmax values per sample, so single promotions move the
    // measured SQNR by a few dB either way (error cancellation); none may fall 3 dB below 8 bit.
    for (const nlohmann::json& s : steps)
        CHECK(s.at("output_sqnr_db").get<double>() > base - 3.0);
    // The written encodings load again, match the graph and hold the promoted tensors at 16 bit.
    const quant::EncodingSet written = quant::readEncodingsFile(enc);
    CHECK(quant::checkNames(written, g).empty());
    size_t promoted = 0;
    for (size_t k = 1; k < steps.size(); ++k) {
        const std::string name = steps[k].at("tensor");
        const auto& section =
            steps[k].at("kind") == "activation" ? written.activations : written.params;
        promoted += section.at(name).bitwidth == 16;
    }
    CHECK(promoted == steps.size() - 1);
    // The final output SQNR the report's analysis measured agrees with the last step.
    CHECK(j.at("output_error").at("sqnr_db").get<double>() ==
          Approx(steps.back().at("output_sqnr_db").get<double>()).margin(0.01));
}

// Below 20 dB the CLI measures the other calibrations only where they mean something: on real
// calibration data by default, on random samples when asked (det on random inputs: its map is
// ~0 everywhere, so the output SQNR is far below 20 dB).
TEST_CASE("quantize --alternatives: auto skips random data, on measures all seven", "[models]") {
    const std::string det = std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx";
    const fs::path dir = fs::temp_directory_path() / "lb_quant_alternatives";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string enc = (dir / "enc.json").string(), rep = (dir / "rep.json").string();
    const auto quantize = [&](const std::string& mode) {
        return test::runCliInProcess({"quantize", det, "--shape", "x=1x3x64x64", "--samples", "2",
                                      "--seed", "3", "--isolated", "0", "--encodings", enc,
                                      "--report", rep, "--alternatives", mode});
    };
    const auto reported = [&] {
        std::ifstream f(rep);
        const nlohmann::json j = nlohmann::json::parse(f);
        INFO(j.at("output_error").dump());
        CHECK(j.at("output_error").at("sqnr_db").get<double>() < 20.0);
        return j.contains("calibration_alternatives") ? j["calibration_alternatives"].size()
                                                      : size_t{0};
    };
    test::CliRun r = quantize("auto");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("advice:") == std::string::npos);
    CHECK(reported() == 0);
    r = quantize("on");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("advice:") != std::string::npos);
    CHECK(reported() == 7);
    r = quantize("sometimes");
    CHECK(r.code != 0);
    CHECK(r.err.find("--alternatives") != std::string::npos);
    fs::remove_all(dir);
}
