// Resize built in code, saved as ONNX and run through onnxruntime-node (bench/ort_run.js, its own
// node process) and through our sessions (backend auto = oneDNN with reference fallback, and
// reference alone). One model holds every case as its own branch x_i -> Conv 1x1 -> Resize -> y_i
// (the Conv makes oneDNN's Resize read a blocked tensor): linear in each coordinate mode oneDNN
// claims (half_pixel by sizes and by scales, pytorch_half_pixel), odd sizes,
// upsampling and downsampling, channel counts that are not a multiple of 8 or 16, and the modes
// it declines (the reference's separable path: align_corners, asymmetric, fractional scales,
// cubic, tf_crop_and_resize with extrapolation, nearest). Each output must agree to
// max|ours - ort| / max|ort| <= 1e-5, and each Resize must run where the case says. A missing
// node or onnxruntime-node fails the test.
#include "core/tensor.h"
#include "ort_run_util.h"
#include "ir/graph.h"
#include "onnx/exporter.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "runtime/inputs.h"

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
using test::randomTensor;

struct Case {
    std::string name;
    Shape x, out;
    bool bySizes;
    std::vector<float> scales; // bySizes false: one per axis
    std::string mode, coords;
    const char* backend; // where backend auto must run the Resize
    std::vector<ir::Attribute> attrs = {};
    std::vector<float> roi = {}; // tf_crop_and_resize
};

ir::Attribute stringAttr(const std::string& name, const std::string& v) {
    return ir::stringAttribute(name, v);
}

std::shared_ptr<ir::Graph> buildModel(const std::vector<Case>& cases,
                                      std::map<std::string, Tensor>& feeds) {
    auto g = std::make_shared<ir::Graph>();
    g->name = "resize_cases";
    g->opsetImports[""] = 17; // the newest our importer reads (half_pixel_symmetric is 19's)
    auto value = [&](const std::string& name, DataType type, const Shape& shape) {
        const ir::ValueId v = g->addValue(name);
        g->value(v).dtype = type;
        g->value(v).shape = symbolicShape(shape);
        return v;
    };
    auto constant = [&](const std::string& name, const Tensor& t) {
        const ir::ValueId v = value(name, t.dtype(), t.shape());
        g->setInitializer(v, t);
        return v;
    };
    uint32_t seed = 31;
    for (const Case& c : cases) {
        const ir::ValueId x = value("x_" + c.name, DataType::Float32, c.x);
        g->inputs().push_back(x);
        feeds["x_" + c.name] = randomTensor(c.x, seed++);
        const int64_t ch = c.x[1];
        ir::Node conv;
        conv.name = "conv_" + c.name;
        conv.opType = "Conv";
        conv.inputs = {x, constant("w_" + c.name, randomTensor({ch, ch, 1, 1}, seed++)),
                       constant("b_" + c.name, randomTensor({ch}, seed++))};
        conv.outputs = {value("c_" + c.name, DataType::Float32, c.x)};
        g->addNode(conv);
        ir::Node resize;
        resize.name = "resize_" + c.name;
        resize.opType = "Resize";
        Tensor roi(DataType::Float32, {static_cast<int64_t>(c.roi.size())});
        std::copy(c.roi.begin(), c.roi.end(), roi.data<float>());
        resize.inputs = {conv.outputs[0], constant("roi_" + c.name, roi)};
        if (c.bySizes) {
            Tensor sizes(DataType::Int64, {static_cast<int64_t>(c.out.size())});
            std::copy(c.out.begin(), c.out.end(), sizes.data<int64_t>());
            resize.inputs.push_back(ir::kNoValue);
            resize.inputs.push_back(constant("sizes_" + c.name, sizes));
        } else {
            Tensor scales(DataType::Float32, {static_cast<int64_t>(c.scales.size())});
            std::copy(c.scales.begin(), c.scales.end(), scales.data<float>());
            resize.inputs.push_back(constant("scales_" + c.name, scales));
        }
        resize.attributes = c.attrs;
        resize.attributes.push_back(stringAttr("mode", c.mode));
        resize.attributes.push_back(stringAttr("coordinate_transformation_mode", c.coords));
        resize.outputs = {value("y_" + c.name, DataType::Float32, c.out)};
        g->addNode(resize);
        g->outputs().push_back(resize.outputs[0]);
    }
    return g;
}

const std::vector<Case>& cases() {
    static const std::vector<Case> list = {
        // oneDNN's resampling_linear
        {"deeplab_head",
         {1, 21, 16, 16},
         {1, 21, 256, 256},
         true,
         {},
         "linear",
         "half_pixel",
         "onednn"},
        {"aspp_pool_broadcast",
         {1, 40, 1, 1},
         {1, 40, 16, 16},
         true,
         {},
         "linear",
         "half_pixel",
         "onednn"},
        {"odd_up", {2, 5, 5, 7}, {2, 5, 13, 11}, true, {}, "linear", "half_pixel", "onednn"},
        {"odd_down", {1, 20, 9, 10}, {1, 20, 4, 3}, true, {}, "linear", "half_pixel", "onednn"},
        {"scales_up_down",
         {1, 12, 7, 8},
         {1, 12, 14, 4},
         false,
         {1, 1, 2, 0.5f},
         "linear",
         "half_pixel",
         "onednn"},
        {"pytorch_x3",
         {1, 17, 4, 5},
         {1, 17, 12, 15},
         false,
         {1, 1, 3, 3},
         "linear",
         "pytorch_half_pixel",
         "onednn"},
        // declined by oneDNN: the reference's separable path
        {"align_corners",
         {1, 7, 5, 6},
         {1, 7, 11, 9},
         true,
         {},
         "linear",
         "align_corners",
         "reference"},
        {"asymmetric",
         {1, 6, 5, 3},
         {1, 6, 10, 6},
         false,
         {1, 1, 2, 2},
         "linear",
         "asymmetric",
         "reference"},
        {"fractional_scale",
         {1, 3, 5, 5},
         {1, 3, 7, 8},
         false,
         {1, 1, 1.5f, 1.7f},
         "linear",
         "half_pixel",
         "reference"},
        {"pytorch_to_one",
         {1, 4, 5, 4},
         {1, 4, 1, 8},
         true,
         {},
         "linear",
         "pytorch_half_pixel",
         "reference"},
        {"cubic_up", {1, 5, 6, 7}, {1, 5, 13, 10}, true, {}, "cubic", "half_pixel", "reference"},
        {"cubic_down_exclude",
         {1, 5, 11, 9},
         {1, 5, 5, 4},
         true,
         {},
         "cubic",
         "half_pixel",
         "reference",
         {ir::intAttribute("exclude_outside", 1)}},
        {"crop_and_resize",
         {1, 3, 6, 5},
         {1, 3, 7, 9},
         true,
         {},
         "linear",
         "tf_crop_and_resize",
         "reference",
         {ir::floatAttribute("extrapolation_value", 7.0f)},
         {0, 0, -0.2f, 0.1f, 1, 1, 0.9f, 1.3f}},
        {"nearest_fractional",
         {1, 6, 4, 5},
         {1, 6, 9, 7},
         true,
         {},
         "nearest",
         "asymmetric",
         "reference",
         {ir::stringAttribute("nearest_mode", "round_prefer_ceil")}},
    };
    return list;
}

} // namespace

TEST_CASE("Resize in every claimed and declined mode agrees with ONNX Runtime", "[ort][resize]") {
    const fs::path dir =
        fs::temp_directory_path() / ("lb_ort_resize_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::map<std::string, Tensor> feeds;
    const std::string model = (dir / "resize.onnx").string();
    onnx::saveModel(*buildModel(cases(), feeds), model);

    const std::map<std::string, Tensor> ort = test::runOrt(model, feeds, dir);

    const onnx::ImportResult imported = onnx::importModel(model, {});
    for (const char* backend : {"auto", "reference"}) {
        profile::LocalRunOptions options;
        options.backend = backend;
        options.threads = 1;
        profile::PreparedModel prepared = profile::prepare(imported.graph, options);
        // Each Resize runs where its case says (auto), on the reference backend (reference).
        std::map<std::string, std::string> ranOn;
        for (const runtime::PlanStep& step : prepared.session->steps())
            ranOn[prepared.graph->node(step.node).name] = step.backend;
        for (const Case& c : cases()) {
            INFO(c.name << " backend " << backend << " fallback: " << [&] {
                for (const runtime::PlanStep& step : prepared.session->steps())
                    if (prepared.graph->node(step.node).name == "resize_" + c.name)
                        return step.fallbackReason;
                return std::string("(no step)");
            }());
            CHECK(ranOn["resize_" + c.name] ==
                  (std::string(backend) == "auto" ? c.backend : "reference"));
        }
        const std::vector<Tensor> outputs = prepared.session->run(feeds);
        const std::vector<std::string> names = prepared.session->outputNames();
        REQUIRE(outputs.size() == names.size());
        for (size_t k = 0; k < outputs.size(); ++k) {
            INFO("backend " << backend << " output " << names[k]);
            const auto file = ort.find(runtime::safeFileName(names[k]));
            REQUIRE(file != ort.end());
            REQUIRE(outputs[k].shape() == file->second.shape());
            const test::MaxDiff d = test::maxDiff(outputs[k], file->second);
            const double maxAbs = d.maxAbs, maxRef = d.maxRef;
            std::cout << "ort_resize: " << names[k] << " " << backend
                      << ": max|ours-ort|/max|ort| = " << maxAbs / maxRef << "\n";
            CHECK(maxRef > 0.05); // an all-zero reference would make the check vacuous
            CHECK(maxAbs / maxRef <= 1e-5);
        }
    }
    fs::remove_all(dir);
}
