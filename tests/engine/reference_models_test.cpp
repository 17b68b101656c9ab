#include "backends/reference/reference_backend.h"
#include "onnx/importer.h"
#include "runtime/session.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace lb;

namespace {

std::shared_ptr<ir::Graph> load(const std::string& file, const Shape& shape) {
    onnx::ImportOptions options;
    options.inputShapes["x"] = shape;
    auto result = onnx::importModel(std::string(LB_MODELS_DIR) + "/" + file, options);
    return std::make_shared<ir::Graph>(std::move(result.graph));
}

Tensor ramp(const Shape& shape) {
    Tensor t(DataType::Float32, shape);
    for (int64_t i = 0; i < t.numel(); ++i)
        t.data<float>()[i] = static_cast<float>((i % 255) / 127.5 - 1.0);
    return t;
}

} // namespace

TEST_CASE("the reference backend claims every node of the three PaddleOCR models", "[models]") {
    backends::reference::ReferenceBackend backend;
    const std::pair<const char*, Shape> models[] = {
        {"ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}},
        {"ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}},
        {"ch_PP-OCRv4_det_infer.onnx", {1, 3, 96, 96}}};
    for (const auto& [file, shape] : models) {
        auto graph = load(file, shape);
        for (ir::NodeId id : graph->nodeIds()) {
            INFO(file << " node " << graph->node(id).name << " (" << graph->node(id).opType << ")");
            const runtime::Claim claim = backend.capability(*graph, graph->node(id));
            INFO(claim.code() << ": " << claim.text());
            CHECK(claim);
        }
    }
}

TEST_CASE("PaddleOCR models run on the reference backend with sane outputs", "[models]") {
    auto backend = std::make_shared<backends::reference::ReferenceBackend>();
    SECTION("direction classifier: two class probabilities summing to 1") {
        runtime::Session session(load("ch_ppocr_mobile_v2.0_cls_infer.onnx", {1, 3, 48, 192}),
                                 {backend}, {2});
        auto out = session.run({{"x", ramp({1, 3, 48, 192})}});
        REQUIRE(out.size() == 1);
        REQUIRE(out[0].shape() == Shape{1, 2});
        CHECK(out[0].data<float>()[0] + out[0].data<float>()[1] == Approx(1.0f).margin(1e-5));
    }
    SECTION("recognizer: per-step distributions over the character set sum to 1") {
        runtime::Session session(load("ch_PP-OCRv4_rec_infer.onnx", {1, 3, 48, 320}), {backend},
                                 {2});
        auto out = session.run({{"x", ramp({1, 3, 48, 320})}});
        REQUIRE(out.size() == 1);
        REQUIRE(out[0].rank() == 3);
        const int64_t classes = out[0].shape()[2];
        for (int64_t t = 0; t < out[0].shape()[1]; ++t) {
            double sum = 0.0;
            for (int64_t c = 0; c < classes; ++c)
                sum += out[0].data<float>()[t * classes + c];
            CHECK(sum == Approx(1.0).margin(1e-4));
        }
    }
    SECTION("detector: a probability map the size of the input") {
        runtime::Session session(load("ch_PP-OCRv4_det_infer.onnx", {1, 3, 96, 96}), {backend},
                                 {2});
        auto out = session.run({{"x", ramp({1, 3, 96, 96})}});
        REQUIRE(out.size() == 1);
        CHECK(out[0].shape() == Shape{1, 1, 96, 96});
        for (float v : out[0].span<float>())
            REQUIRE((v >= 0.0f && v <= 1.0f));
    }
}
