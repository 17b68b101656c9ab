// Quantization trust on text pages (issue #13): the top-1 agreement follows the class axis (a
// one-channel probability map is a decision per pixel, not an argmax over a row of pixels), the
// calibration pages bench/qdq_check.js draws for det are pages det sees text on, and quantize
// measures the other calibrators when the outputs fall below 20 dB, on PaddleOCR det with
// ONNX Runtime's fp32 run as an outside check of our fp32 map.
#include "onnx/importer.h"
#include "shell_test_util.h"
#include "onnx/tensor_io.h"
#include "quant/analysis_support.h"
#include "quant/calibration_alternatives.h"
#include "run/quantize.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace lb;
namespace fs = std::filesystem;

namespace {

using test::quote;

const std::string kDet = std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx";

Tensor tensorOf(const Shape& shape, const std::vector<float>& values) {
    Tensor t(DataType::Float32, shape);
    REQUIRE(static_cast<size_t>(t.numel()) == values.size());
    std::copy(values.begin(), values.end(), t.data<float>());
    return t;
}

double top1(const Tensor& ref, const Tensor& q) {
    int64_t rows = 0, agree = 0;
    quant::addTop1(ref, q, rows, agree);
    REQUIRE(rows > 0);
    return static_cast<double>(agree) / static_cast<double>(rows);
}

// A page from bench/qdq_check.js --make-page (node; missing = failure, not a skip).
Tensor makePage(const fs::path& dir, const std::string& style, int size, int seed) {
    const std::string node = std::getenv("LB_NODE") ? std::getenv("LB_NODE") : "node";
    const fs::path file = dir / (style + std::to_string(seed) + ".npy");
    const std::string cmd = quote(node) + " " + quote(LB_QDQ_CHECK_JS) + " --make-page " +
                            quote(file.string()) + " --shape 1x3x" + std::to_string(size) + "x" +
                            std::to_string(size) + " --seed " + std::to_string(seed) + " --style " +
                            style;
    INFO("command: " << cmd);
    REQUIRE(std::system(cmd.c_str()) == 0);
    return onnx::readNpy(file.string());
}

// Share of det's map above its text threshold (0.3, PaddleOCR's DBPostProcess default).
double textShare(const Tensor& map) {
    int64_t text = 0;
    for (int64_t i = 0; i < map.numel(); ++i)
        text += map.data<float>()[i] > 0.3f;
    return static_cast<double>(text) / static_cast<double>(map.numel());
}

fs::path scratch() {
    fs::path dir = fs::temp_directory_path() / ("lb_det_pages_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

} // namespace

TEST_CASE("quant metrics: top-1 agreement runs over the class axis", "[quant]") {
    SECTION("N x classes and N x T x classes: the last axis") {
        const Tensor ref = tensorOf({2, 3}, {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f});
        CHECK(top1(ref, tensorOf({2, 3}, {0.2f, 0.6f, 0.2f, 0.1f, 0.8f, 0.1f})) == 0.5);
        const Tensor seq = tensorOf({1, 2, 3}, {0, 1, 0, 1, 0, 0});
        CHECK(top1(seq, tensorOf({1, 2, 3}, {0, 1, 0, 0, 0, 1})) == 0.5);
    }
    SECTION("NCHW maps: argmax over the channels of each pixel") {
        // 1x3x1x2: pixel 0 is class 2, pixel 1 class 0. The last axis (W) would compare pixels.
        const Tensor ref = tensorOf({1, 3, 1, 2}, {0.1f, 0.9f, 0.2f, 0.05f, 0.7f, 0.05f});
        CHECK(top1(ref, ref) == 1.0);
        // Pixel 0 still class 2, pixel 1 now class 1.
        CHECK(top1(ref, tensorOf({1, 3, 1, 2}, {0.1f, 0.2f, 0.2f, 0.7f, 0.7f, 0.1f})) == 0.5);
    }
    SECTION("one-channel maps: a two-way decision per element") {
        // Probabilities: the side of 0.5. The saturated 0s and 1s tie along a row, so an argmax
        // over the row (the old rule) saw disagreement where every pixel agrees.
        const Tensor ref = tensorOf({1, 1, 2, 4}, {0, 1, 1, 0, 0, 0, 0, 1});
        const Tensor q = tensorOf({1, 1, 2, 4}, {0.01f, 0.98f, 0.99f, 0.02f, 0, 0.6f, 0, 0.97f});
        CHECK(top1(ref, q) == 7.0 / 8.0);
        // Logits (outside [0, 1]): the side of 0.
        const Tensor logits = tensorOf({1, 1, 1, 4}, {-3, 2, 5, -1});
        CHECK(top1(logits, tensorOf({1, 1, 1, 4}, {-2, -0.5f, 4, -1})) == 0.75);
    }
}

TEST_CASE("quant pages: det sees text on the stroke pages, not on the block pages",
          "[quant][models]") {
    const fs::path dir = scratch();
    onnx::ImportOptions options;
    options.inputShapes["x"] = Shape{1, 3, 320, 320};
    auto graph = std::make_shared<const ir::Graph>(onnx::importModel(kDet, options).graph);
    auto session = quant::analysisSession(*graph, "auto", 1, {});
    const double strokes = textShare(session->run({{"x", makePage(dir, "strokes", 320, 1)}})[0]);
    const double blocks = textShare(session->run({{"x", makePage(dir, "blocks", 320, 1)}})[0]);
    INFO("text share of det's map: strokes " << strokes << ", blocks " << blocks);
    // Measured at 640 (bench/RESULTS.md): 22% on stroke pages, 0.01% on block pages.
    CHECK(strokes > 0.1);
    CHECK(blocks < 0.01);
    fs::remove_all(dir);
}

TEST_CASE("quant pages: below 20 dB quantize measures the other calibrations on det",
          "[quant][models]") {
    const fs::path dir = scratch();
    fs::create_directories(dir / "pages");
    for (int seed = 1; seed <= 2; ++seed) {
        makePage(dir, "strokes", 320, seed);
        const std::string name = "strokes" + std::to_string(seed) + ".npy";
        fs::rename(dir / name, dir / "pages" / name);
    }
    run::QuantizeSpec spec;
    spec.model = kDet;
    spec.inputShapes["x"] = Shape{1, 3, 320, 320};
    spec.data.kind = run::CalibrationData::Kind::Path;
    spec.data.path = (dir / "pages").string();
    spec.maxIsolated = 0;
    spec.measureAlternatives = true;
    const run::QuantizeResult q = run::quantize(spec);
    const double chosen = q.report.outputError.sqnrDb;
    INFO("minmax per-tensor: " << chosen << " dB, top-1 " << q.report.top1Agreement);
    REQUIRE(chosen < quant::kLowOutputSqnrDb);
    // The map is a per-pixel decision: most pixels agree even at this SQNR.
    CHECK(q.report.top1Agreement > 0.9);
    REQUIRE(q.alternatives.size() == 7);
    for (size_t k = 1; k < q.alternatives.size(); ++k)
        CHECK(q.alternatives[k - 1].outputSqnrDb >= q.alternatives[k].outputSqnrDb);
    // Each alternative is the analysis' own number for that setting: re-run the best one.
    const quant::CalibrationAlternative& best = q.alternatives.front();
    run::QuantizeSpec again = spec;
    again.config.activations.method = best.method;
    again.config.perChannel = best.perChannel;
    const run::QuantizeResult r = run::quantize(again);
    INFO("best alternative " << best.flags << ": " << best.outputSqnrDb << " dB, re-run "
                             << r.report.outputError.sqnrDb << " dB");
    CHECK(r.report.outputError.sqnrDb == Approx(best.outputSqnrDb).margin(0.05));
    CHECK(r.report.top1Agreement == Approx(best.top1Agreement).margin(1e-3));
    // The table names the measured settings and says what to do.
    const std::string table = quant::alternativesTable(q.alternatives, chosen, spec.config);
    CHECK(table.find(best.flags) != std::string::npos);
    CHECK(table.find("advice: ") != std::string::npos);
    fs::remove_all(dir);
}
