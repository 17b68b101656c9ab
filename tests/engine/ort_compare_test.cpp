// Our engine against ONNX Runtime on the PaddleOCR models: the same fixed-seed input goes through
// onnxruntime-node (bench/ort_run.js, in its own node process) and through our sessions
// (backend auto = oneDNN with reference fallback, and reference alone); every output must agree
// to max|ours - ort| / max|ort| <= tolerance. A missing node or onnxruntime-node fails the test.
#include "core/tensor.h"
#include "ort_run_util.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "runtime/inputs.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace lb;
namespace fs = std::filesystem;

namespace {

using test::quote;

struct Case {
    const char* file;
    Shape shape;
    double tolerance;
};

fs::path scratchDir(const std::string& name) {
    fs::path dir =
        fs::temp_directory_path() / ("lb_ort_compare_" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// Values in [-1, 1], the range the recognizer's normalisation ((x / 255 - 0.5) / 0.5) produces: a
// light page with dark word-like blocks in rows, plus noise. The detector does not read these
// solid blocks as text (its map stays ~0: 0.01% of pixels above 0.3 at 640, bench/RESULTS.md);
// bench/qdq_check.js --make-page --style strokes draws pages it does.
Tensor fixedInput(const Shape& shape, uint32_t seed) {
    Tensor t(DataType::Float32, shape);
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> noise(-0.1f, 0.1f);
    const int64_t channels = shape[1], h = shape[2], w = shape[3];
    std::vector<float> plane(static_cast<size_t>(h * w), 0.8f);
    const int64_t glyph = 8; // px; rows of 16 px high words, as in a scanned page at ~100 dpi
    for (int64_t row = glyph; row + 2 * glyph < h; row += 4 * glyph)
        for (int64_t x = glyph; x + glyph < w;) {
            const int64_t word = glyph * (2 + static_cast<int64_t>(gen() % 6));
            for (int64_t y = row; y < row + 2 * glyph; ++y)
                for (int64_t k = x; k < std::min(w - 1, x + word); k += 1)
                    if ((k / (glyph / 2 + 1)) % 3 != 2) // gaps between glyphs
                        plane[static_cast<size_t>(y * w + k)] = -0.7f;
            x += word + 2 * glyph;
        }
    float* data = t.data<float>();
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t i = 0; i < h * w; ++i)
            data[c * h * w + i] =
                std::clamp(plane[static_cast<size_t>(i)] + noise(gen), -1.0f, 1.0f);
    return t;
}

void checkAgainstOrt(const Case& c) {
    const std::string model = std::string(LB_MODELS_DIR) + "/" + c.file;
    std::ostringstream tag;
    tag << fs::path(c.file).stem().string();
    for (int64_t d : c.shape)
        tag << '_' << d;
    const fs::path dir = scratchDir(tag.str());
    const Tensor input = fixedInput(c.shape, 20261124);
    const fs::path inputFile = dir / "x.npy";
    onnx::writeNpy(inputFile.string(), input);
    const std::map<std::string, Tensor> ort =
        test::runOrtOnFiles(model, {{"x", inputFile.string()}}, dir);
    REQUIRE(!ort.empty());

    onnx::ImportOptions importOptions;
    importOptions.inputShapes["x"] = c.shape;
    const onnx::ImportResult imported = onnx::importModel(model, importOptions);

    struct Config {
        const char* backend;
        bool optimize;
    };
    for (const Config cfg :
         {Config{"auto", true}, Config{"reference", true}, Config{"reference", false}}) {
        profile::LocalRunOptions options;
        options.backend = cfg.backend;
        options.optimize = cfg.optimize;
        options.threads = 2;
        profile::PreparedModel prepared = profile::prepare(imported.graph, options);
        const std::vector<Tensor> outputs = prepared.session->run({{"x", input}});
        const std::vector<std::string> names = prepared.session->outputNames();
        REQUIRE(outputs.size() == ort.size());
        for (size_t k = 0; k < outputs.size(); ++k) {
            const std::string key = runtime::safeFileName(names[k]);
            INFO(c.file << " " << shapeToString(c.shape) << " backend " << cfg.backend
                        << (cfg.optimize ? "" : " --no-optimize") << " output " << names[k]);
            REQUIRE(ort.count(key) == 1);
            const Tensor& ref = ort.at(key);
            REQUIRE(outputs[k].shape() == ref.shape());
            REQUIRE(outputs[k].dtype() == ref.dtype());
            const test::MaxDiff d = test::maxDiff(outputs[k], ref);
            INFO("max |ours - ort| " << d.maxAbs << " at element " << d.worst << " (ours "
                                     << outputs[k].valueAsDouble(d.worst) << ", ort "
                                     << ref.valueAsDouble(d.worst) << "), max |ort| " << d.maxRef
                                     << ", relative " << d.relative());
            // One line per comparison in the test log, so the margin is visible when it passes.
            std::cout << "ort_compare: " << c.file << " " << shapeToString(c.shape) << " "
                      << cfg.backend << (cfg.optimize ? "" : " --no-optimize") << " " << names[k]
                      << ": max|ours-ort|/max|ort| = " << d.relative() << " (max|ort| " << d.maxRef
                      << ")\n";
            CHECK(d.maxRef > 0); // an all-zero reference would make the check vacuous
            CHECK(d.relative() <= c.tolerance);
        }
    }
    fs::remove_all(dir);
}

} // namespace

TEST_CASE("direction classifier agrees with ONNX Runtime", "[ort][models]") {
    checkAgainstOrt({"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}, 1e-4});
}

TEST_CASE("recognizer agrees with ONNX Runtime", "[ort][models]") {
    checkAgainstOrt({"ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}, 1e-4});
}

TEST_CASE("detector at 320x320 agrees with ONNX Runtime", "[ort][models]") {
    checkAgainstOrt({"ch_PP-OCRv4_det_infer.onnx", {1, 3, 320, 320}, 1e-4});
}

TEST_CASE("detector at 640x640 agrees with ONNX Runtime", "[ort][models]") {
    checkAgainstOrt({"ch_PP-OCRv4_det_infer.onnx", {1, 3, 640, 640}, 1e-4});
}
