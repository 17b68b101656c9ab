// Calibration from a folder of images: decoding (PNG, BMP written here with stb_image_write),
// bilinear resize, scale/mean/std, channel order and layout, the JSON spec, errors naming the
// file, and `quantize --calib DIR` on the PaddleOCR classifier.
#include "cli_in_process.h"
#include "core/error.h"
#include "quant/calibration_data.h"
#include "quant/encodings_json.h"
#include "quant/image_calibration.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stb_image_write.h>

using namespace lb;
namespace fs = std::filesystem;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

fs::path freshDir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("lb_quant_image_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// A 4x6 RGB image whose pixel (y, x, c) is 10 * y + 2 * x + 100 * c.
std::vector<unsigned char> testPixels() {
    std::vector<unsigned char> p(4 * 6 * 3);
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 6; ++x)
            for (int c = 0; c < 3; ++c)
                p[(y * 6 + x) * 3 + c] = static_cast<unsigned char>(10 * y + 2 * x + 100 * c);
    return p;
}

float pixel(int y, int x, int c) {
    return static_cast<float>(10 * y + 2 * x + 100 * c);
}

ir::Graph imageGraph(SymbolicShape shape) {
    ir::Graph g;
    const ir::ValueId in = g.addValue("x");
    g.value(in).dtype = DataType::Float32;
    g.value(in).shape = std::move(shape);
    g.inputs().push_back(in);
    return g;
}

} // namespace

TEST_CASE("image calibration: PNG decoded into NCHW with scale, mean and std") {
    const fs::path dir = freshDir("nchw");
    const auto p = testPixels();
    REQUIRE(stbi_write_png((dir / "a.png").string().c_str(), 6, 4, 3, p.data(), 6 * 3));
    quant::ImagePreprocess spec;
    spec.mean = {0.5, 0.25, 0.0};
    spec.std = {0.5, 2.0, 1.0};
    const ir::Graph g = imageGraph(symbolicShape({1, 3, 4, 6}));
    const std::vector<quant::Sample> samples = quant::loadImageFolder(g, dir.string(), spec);
    REQUIRE(samples.size() == 1);
    const Tensor& t = samples[0].at("x");
    REQUIRE(t.shape() == Shape{1, 3, 4, 6});
    for (int c = 0; c < 3; ++c)
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 6; ++x) {
                const float expected =
                    static_cast<float>((pixel(y, x, c) / 255.0 - spec.mean[c]) / spec.std[c]);
                CHECK(t.data<float>()[(c * 4 + y) * 6 + x] == Approx(expected).margin(1e-6));
            }
}

TEST_CASE("image calibration: BMP, BGR order, NHWC layout, bilinear 2x downscale") {
    const fs::path dir = freshDir("nhwc");
    const auto p = testPixels();
    REQUIRE(stbi_write_bmp((dir / "b.bmp").string().c_str(), 6, 4, 3, p.data()));
    quant::ImagePreprocess spec;
    spec.scale = 1.0;
    spec.channelOrder = quant::ImagePreprocess::ChannelOrder::BGR;
    spec.height = 2;
    spec.width = 3;
    // Layout from the shape: the channel dim is last.
    const ir::Graph g =
        imageGraph({Dim::symbol("N"), Dim::symbol("H"), Dim::symbol("W"), Dim::known(3)});
    const Tensor t = quant::loadImageFolder(g, dir.string(), spec).at(0).at("x");
    REQUIRE(t.shape() == Shape{1, 2, 3, 3});
    for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x)
            for (int c = 0; c < 3; ++c) {
                // Half-pixel centers: output (y, x) averages the 2x2 block at (2y, 2x).
                const int src = 2 - c;
                const float expected =
                    (pixel(2 * y, 2 * x, src) + pixel(2 * y + 1, 2 * x, src) +
                     pixel(2 * y, 2 * x + 1, src) + pixel(2 * y + 1, 2 * x + 1, src)) /
                    4.0f;
                CHECK(t.data<float>()[(y * 3 + x) * 3 + c] == Approx(expected).margin(1e-4));
            }
}

TEST_CASE("image calibration: size from the spec when the model's is dynamic, else an error") {
    const fs::path dir = freshDir("dynamic");
    const auto p = testPixels();
    REQUIRE(stbi_write_png((dir / "a.png").string().c_str(), 6, 4, 3, p.data(), 6 * 3));
    const ir::Graph g =
        imageGraph({Dim::symbol("N"), Dim::known(3), Dim::symbol("H"), Dim::symbol("W")});
    try {
        quant::loadImageFolder(g, dir.string(), {});
        FAIL("a dynamic H without resize must be refused");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("resize") != std::string::npos);
        CHECK(std::string(e.what()).find("'x'") != std::string::npos);
    }
    const quant::ImagePreprocess spec =
        quant::parsePreprocessJson(R"({"resize": [32, 64], "layout": "nchw"})", "spec.json");
    CHECK(quant::loadImageFolder(g, dir.string(), spec).at(0).at("x").shape() ==
          Shape{1, 3, 32, 64});
}

TEST_CASE("image calibration: a broken image is one line naming the file") {
    const fs::path dir = freshDir("broken");
    const auto p = testPixels();
    REQUIRE(stbi_write_png((dir / "a.png").string().c_str(), 6, 4, 3, p.data(), 6 * 3));
    std::ofstream(dir / "b.jpg") << "not a jpeg";
    const ir::Graph g = imageGraph(symbolicShape({1, 3, 4, 6}));
    try {
        quant::loadCalibrationSamples(g, dir.string(), {});
        FAIL("a broken image must be reported");
    } catch (const Error& e) {
        const std::string m = e.what();
        CHECK(m.find((dir / "b.jpg").string()) != std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
    }
    fs::remove(dir / "b.jpg");
    fs::remove(dir / "a.png");
    CHECK_THROWS_WITH(quant::loadCalibrationSamples(g, dir.string(), {}),
                      Catch::Contains("no .npy files or images"));
}

TEST_CASE("image calibration: the JSON spec") {
    const quant::ImagePreprocess s = quant::parsePreprocessJson(
        R"({"resize": [640, 320], "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
            "channel_order": "BGR", "layout": "NHWC", "scale": 0.00392})",
        "det.json");
    CHECK(*s.height == 640);
    CHECK(*s.width == 320);
    CHECK(s.mean == std::vector<double>{0.485, 0.456, 0.406});
    CHECK(s.std.size() == 3);
    CHECK(s.channelOrder == quant::ImagePreprocess::ChannelOrder::BGR);
    CHECK(*s.layout == quant::ImagePreprocess::Layout::NHWC);
    CHECK(s.scale == Approx(0.00392));
    CHECK_THROWS_WITH(quant::parsePreprocessJson(R"({"size": [1, 2]})", "s.json"),
                      Catch::Contains("s.json") && Catch::Contains("unknown key \"size\""));
    CHECK_THROWS_WITH(quant::parsePreprocessJson(R"({"channel_order": "RGBA"})", "s.json"),
                      Catch::Contains("RGBA"));
    CHECK_THROWS_WITH(quant::parsePreprocessJson(R"({"std": [0.5, 0]})", "s.json"),
                      Catch::Contains("std"));
    // Two means for a three-channel input.
    const ir::Graph g = imageGraph(symbolicShape({1, 3, 4, 6}));
    quant::ImagePreprocess two;
    two.mean = {0.1, 0.2};
    CHECK_THROWS_WITH(quant::resolvePreprocess(two, g.value(g.inputs()[0])),
                      Catch::Contains("mean has 2 values"));
}

TEST_CASE("image calibration: quantize --calib DIR on the classifier", "[models]") {
    const fs::path dir = freshDir("cli");
    fs::create_directories(dir / "images");
    // Three 40x100 images (resized to 48x192), each holding a 0 and a 255 pixel.
    for (int k = 0; k < 3; ++k) {
        std::vector<unsigned char> p(40 * 100 * 3);
        for (size_t i = 0; i < p.size(); ++i)
            p[i] = static_cast<unsigned char>((i * (7 + k)) % 256);
        p[0] = 0;
        p[1] = 255;
        const fs::path f = dir / "images" / ("img" + std::to_string(k) + ".png");
        REQUIRE(stbi_write_png(f.string().c_str(), 100, 40, 3, p.data(), 100 * 3));
        REQUIRE(fs::file_size(f) < 20000);
    }
    std::ofstream(dir / "spec.json") << R"({"mean": [0.5, 0.5, 0.5], "std": 0.5})";
    const std::string enc = (dir / "enc.json").string();
    const test::CliRun r = test::runCliInProcess(
        {"quantize", kCls, "--shape", "x=1x3x48x192", "--calib", (dir / "images").string(),
         "--preprocess", (dir / "spec.json").string(), "--encodings", enc, "--isolated", "0",
         "--channel-order", "BGR"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("random") == std::string::npos);
    CHECK(r.out.find("images") != std::string::npos);
    const quant::EncodingSet set = quant::readEncodingsFile(enc);
    // Pixels 0..255 map to [-1, 1]; the input's encoding covers exactly that (nudged for 0).
    const quant::ChannelParams& x = set.activations.at("x").channels.at(0);
    CHECK(x.min == Approx(-1.0).margin(0.01));
    CHECK(x.max == Approx(1.0).margin(0.01));
}
