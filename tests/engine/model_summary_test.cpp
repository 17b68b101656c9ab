#include "onnx/importer.h"
#include "passes/complete_shapes.h"
#include "report/model_summary.h"
#include "test_models.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace lb;

namespace {

// Line-by-line diff of the first differences, readable in a test log.
std::string lineDiff(const std::string& expected, const std::string& actual) {
    std::istringstream e(expected), a(actual);
    std::string le, la, out;
    int line = 0, shown = 0;
    while (shown < 8) {
        const bool he = static_cast<bool>(std::getline(e, le));
        const bool ha = static_cast<bool>(std::getline(a, la));
        if (!he && !ha)
            break;
        ++line;
        if (he && ha && le == la)
            continue;
        out += "line " + std::to_string(line) + ":\n  - " + (he ? le : "(end)") + "\n  + " +
               (ha ? la : "(end)") + "\n";
        ++shown;
    }
    return out;
}

void checkGolden(const std::string& model, const std::string& shape, const std::string& golden) {
    onnx::ImportOptions options;
    options.inputShapes.insert(onnx::parseInputShapeArg(shape));
    const auto start = std::chrono::steady_clock::now();
    auto r = onnx::importModel(std::string(LB_MODELS_DIR) + "/" + model, options);
    // As `info` and the GUI show it: shapes completed through folded Shape/Reshape chains.
    passes::completeShapes(r.graph);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    WARN(model << ": imported " << r.graph.nodeCount() << " nodes in " << ms << " ms");
    const std::string text = report::toText(report::summarize(r.graph, model));
    const std::string goldenPath = std::string(LB_GOLDEN_DIR) + "/" + golden;
    if (std::getenv("LB_UPDATE_GOLDEN")) {
        test::writeFile(goldenPath, text);
        WARN("updated " << goldenPath);
    }
    const std::string expected = test::readFile(goldenPath);
    INFO("golden " << goldenPath << " (regenerate with LB_UPDATE_GOLDEN=1)\n"
                   << lineDiff(expected, text));
    CHECK(text == expected);
}

} // namespace

TEST_CASE("golden summaries of the PaddleOCR models", "[report][models]") {
    checkGolden("ch_ppocr_mobile_v2.0_cls_infer.onnx", "x=1x3x48x192", "cls.txt");
    checkGolden("ch_PP-OCRv4_rec_infer.onnx", "x=1x3x48x320", "rec.txt");
    checkGolden("ch_PP-OCRv4_det_infer.onnx", "x=1x3x640x640", "det.txt");
}

TEST_CASE("summary JSON has the keys and totals match the nodes", "[report][models]") {
    onnx::ImportOptions options;
    options.inputShapes.insert(onnx::parseInputShapeArg("x=1x3x640x640"));
    const auto r =
        onnx::importModel(std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx", options);
    const nlohmann::json j = report::toJson(report::summarize(r.graph, "det.onnx"));
    for (const char* key : {"nodes", "ops", "params", "macs", "inputs", "outputs", "ir_version",
                            "opsets", "producer", "path"})
        CHECK(j.contains(key));
    int64_t macs = 0, params = 0, count = 0;
    std::map<std::string, int64_t> ops;
    for (const auto& n : j["nodes"]) {
        for (const char* key : {"name", "op", "inputs", "outputs", "macs", "params"})
            CHECK(n.contains(key));
        if (n["macs"].get<int64_t>() > 0)
            macs += n["macs"].get<int64_t>();
        params += n["params"].get<int64_t>();
        ++ops[n["op"].get<std::string>()];
        ++count;
    }
    CHECK(count == static_cast<int64_t>(r.graph.nodeCount()));
    CHECK(macs == j["macs"].get<int64_t>());
    CHECK(params == j["params"].get<int64_t>());
    CHECK(j["params"].get<int64_t>() > 1000000);
    CHECK(j["ops"].get<std::map<std::string, int64_t>>() == ops);
    CHECK(j["path"] == "det.onnx");
}

TEST_CASE("params attribute each weight once, to its first consumer", "[report]") {
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 4});
    test::addWeight(g, "w", {4, 4});
    test::addNode(g, "MatMul", {"x", "w"}, {"a"}, {}, {{1, 4}});
    test::addNode(g, "MatMul", {"a", "w"}, {"b"}, {}, {{1, 4}});
    g.outputs().push_back(*g.findValue("b"));
    const auto s = report::summarize(g);
    REQUIRE(s.nodes.size() == 2);
    CHECK(s.nodes[0].params == 16);
    CHECK(s.nodes[1].params == 0);
    CHECK(s.params == 16);
    CHECK(s.paramBytes == 64);
    CHECK(s.macs == 2 * 16);
    REQUIRE(s.inputs.size() == 1);
    CHECK(s.inputs[0].shape == "1x4");
}
