// The one quantization path (run::quantize): the CLI's `quantize` gives the same encodings, the
// samples of a calibration folder fix symbolic dims, a bad sample is named, cancellation stops
// it, and the spec round-trips through JSON.
#include "core/error.h"
#include "core/npy.h"
#include "project/open_model.h"
#include "quant/encodings_json.h"
#include "run/quantize.h"
#include "test_models.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <sys/wait.h>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Runs the real layerbench-cli; returns its exit code, stderr folded into `out`.
int runCli(const std::string& args, std::string& out) {
    const std::string cmd = std::string("'") + LB_CLI_PATH + "' " + args + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
        out.append(buf.data(), n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

run::QuantizeSpec clsRandomSpec() {
    run::QuantizeSpec spec;
    spec.model = kCls;
    spec.inputShapes = {{"x", {1, 3, 48, 192}}};
    spec.data.kind = run::CalibrationData::Kind::Random;
    spec.data.count = 4;
    spec.data.seed = 7;
    spec.maxIsolated = 8;
    return spec;
}

// A folder of `count` cls-sized .npy samples (the model's input dims are symbolic).
std::string clsSampleFolder(const std::string& tag, int count) {
    const std::string dir = test::makeTempDir(tag);
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (int i = 0; i < count; ++i) {
        Tensor t(DataType::Float32, {1, 3, 48, 192});
        for (float& v : t.span<float>())
            v = uniform(rng);
        writeNpy(dir + "/sample" + std::to_string(i) + ".npy", t);
    }
    return dir;
}

} // namespace

TEST_CASE("quantize: cls on random samples gives the encodings the CLI writes", "[run][models]") {
    const std::string dir = test::makeTempDir("quantize_cli");
    const run::QuantizeResult q = run::quantize(clsRandomSpec());
    CHECK(!q.reimported);
    CHECK(q.samples.size() == 4);
    CHECK(q.analyzedSamples == 4);
    CHECK(q.calibrationData == "random (4 samples, seed 7)");
    CHECK(q.report.calibrationData == q.calibrationData);
    CHECK(q.report.model == kCls);
    CHECK(q.encodings.activations.size() == 78);
    CHECK(q.encodings.params.size() == 72);
    quant::EncodingSet encodings = q.encodings;
    encodings.version = "1.0.0";
    quant::writeEncodingsFile(dir + "/engine.json", encodings, quant::EncodingsFormat::V100);

    std::string out;
    REQUIRE(runCli("quantize '" + kCls +
                       "' --shape x=1x3x48x192 --samples 4 --seed 7 "
                       "--isolated 8 --encodings '" +
                       dir + "/cli.json' --report '" + dir + "/cli_report.json' --qdq '" + dir +
                       "/cli_qdq.onnx'",
                   out) == 0);
    const std::string engineBytes = readFile(dir + "/engine.json");
    CHECK(!engineBytes.empty());
    CHECK(engineBytes == readFile(dir + "/cli.json"));
    const auto cliReport = nlohmann::json::parse(readFile(dir + "/cli_report.json"));
    CHECK(cliReport == report::toJson(q.report));
    // The GUI's QDQ export of the same encodings (imported again, as for edited encodings).
    const quant::QdqExportResult qdq =
        run::exportQdq(kCls, {{"x", {1, 3, 48, 192}}}, q.encodings, dir + "/engine_qdq.onnx");
    CHECK(qdq.quantizeNodes == 78);
    CHECK(readFile(dir + "/engine_qdq.onnx") == readFile(dir + "/cli_qdq.onnx"));
}

TEST_CASE("quantize: a model version's graph is used as it is, with the same encodings",
          "[run][models]") {
    const run::QuantizeResult imported = run::quantize(clsRandomSpec());
    // The GUI's open: imported with the same shapes, then shapes completed.
    const project::OpenedModel opened = project::openModel(kCls, {{"x", {1, 3, 48, 192}}});
    run::QuantizeSpec spec = clsRandomSpec();
    spec.graph = opened.version.graph();
    REQUIRE(spec.graph);
    const run::QuantizeResult reused = run::quantize(spec);
    CHECK(reused.graph == spec.graph); // not imported again
    CHECK(!reused.reimported);
    CHECK(quant::writeEncodingsJson(reused.encodings, quant::EncodingsFormat::V100) ==
          quant::writeEncodingsJson(imported.encodings, quant::EncodingsFormat::V100));
    // The analysis runs LayerBench's passes on the graph; with the shapes completed a few
    // isolated sensitivities differ in the 6th digit, the pooled output error does not.
    const nlohmann::json a = report::toJson(reused.report);
    const nlohmann::json b = report::toJson(imported.report);
    CHECK(a["output_error"] == b["output_error"]);
    CHECK(a["outputs"] == b["outputs"]);
    CHECK(reused.report.tensors.size() == imported.report.tensors.size());
}

TEST_CASE("quantize: a calibration folder's samples fix symbolic dims", "[run][models]") {
    run::QuantizeSpec spec;
    spec.model = kCls; // x is 1x3x?x? in the file: no --shape
    spec.data.kind = run::CalibrationData::Kind::Path;
    spec.data.path = clsSampleFolder("quantize_fixup", 3);
    spec.maxIsolated = 0;
    spec.analysisSamples = 2;
    const run::QuantizeResult q = run::quantize(spec);
    CHECK(q.reimported);
    REQUIRE(q.inputShapes.count("x"));
    CHECK(q.inputShapes.at("x") == Shape{1, 3, 48, 192});
    // The graph the encodings name is the one imported with the samples' shape.
    const ir::Value& x = q.graph->value(q.graph->inputs().front());
    REQUIRE(x.shape);
    CHECK(concreteShape(*x.shape) == Shape{1, 3, 48, 192});
    CHECK(q.samples.size() == 3);
    CHECK(q.analyzedSamples == 2);
    CHECK(q.calibrationData == spec.data.path);
    CHECK(q.encodings.activations.size() == 78);
}

TEST_CASE("quantize: a bad calibration file is named in one line", "[run][models]") {
    const std::string dir = clsSampleFolder("quantize_bad", 1);
    test::writeFile(dir + "/sample1.npy", "not a numpy file");
    run::QuantizeSpec spec = clsRandomSpec();
    spec.data.kind = run::CalibrationData::Kind::Path;
    spec.data.path = dir;
    try {
        run::quantize(spec);
        FAIL("quantize accepted a broken .npy file");
    } catch (const Error& e) {
        const std::string message = e.what();
        CHECK_THAT(message, Catch::Contains(dir + "/sample1.npy"));
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("quantize: cancellation stops it", "[run][models]") {
    TaskContext task;
    std::vector<std::string> stages;
    bool cancelled = false;
    task.progress = [&](double, std::string_view stage) {
        stages.emplace_back(stage);
        if (stages.size() > 1 && !cancelled) { // once the import has reported
            task.token.cancel();
            cancelled = true;
        }
    };
    CHECK_THROWS_AS(run::quantize(clsRandomSpec(), task), Cancelled);
    REQUIRE(!stages.empty());
    CHECK(stages.front() == "import");
}

TEST_CASE("quantize: a spec round-trips through JSON", "[run]") {
    run::QuantizeSpec spec = clsRandomSpec();
    spec.data.kind = run::CalibrationData::Kind::Images;
    spec.data.path = "pages/";
    spec.data.preprocess.mean = {0.485, 0.456, 0.406};
    spec.data.preprocess.std = {0.229, 0.224, 0.225};
    spec.data.preprocess.height = 48;
    spec.data.preprocess.channelOrder = quant::ImagePreprocess::ChannelOrder::BGR;
    spec.data.preprocess.layout = quant::ImagePreprocess::Layout::NHWC;
    spec.config.activations.method = quant::CalibrationMethod::Percentile;
    spec.config.activations.percentile = 99.9;
    spec.config.perChannel = true;
    spec.config.weightBitwidth = 4;
    spec.config.backend = "reference";
    spec.config.threads = 2;
    spec.targetSqnrDb = 30.0;
    spec.maxPromotions = 3;
    spec.analysisSamples = 16;
    spec.overrides = "fix.json";
    const nlohmann::json j = run::toJson(spec);
    const run::QuantizeSpec back = run::quantizeSpecFromJson(nlohmann::json::parse(j.dump()));
    CHECK(run::toJson(back) == j);
    CHECK(back.data.preprocess.height == 48);
    CHECK(!back.data.preprocess.width);
    CHECK(back.targetSqnrDb == 30.0);

    nlohmann::json noPath = j;
    noPath["calibration"].erase("path");
    CHECK_THROWS_WITH(run::quantizeSpecFromJson(noPath), Catch::Contains("\"calibration.path\""));
    nlohmann::json badKind = j;
    badKind["calibration"]["kind"] = "camera";
    CHECK_THROWS_WITH(run::quantizeSpecFromJson(badKind), Catch::Contains("'camera'"));
}
