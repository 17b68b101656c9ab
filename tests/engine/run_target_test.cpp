// The one run path (run::LocalTarget): the report it gives, its session cache, and the report's
// JSON round trip against a golden file.
#include "core/error.h"
#include "core/sha256.h"
#include "onnx/exporter.h"
#include "onnx/tensor_io.h"
#include "report/comparison.h"
#include "report/profile_report.h"
#include "run/bench.h"
#include "run/local_target.h"
#include "run/targets.h"
#include "test_models.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

run::RunSpec clsSpec() {
    run::RunSpec spec;
    spec.model = kCls;
    spec.inputShapes = {{"x", {1, 3, 48, 192}}};
    spec.warmup = 0;
    spec.iterations = 2;
    spec.seed = 7;
    return spec;
}

// A report with every field set, as a device or an import could bring it.
report::ProfileReport fullReport() {
    report::ProfileReport r;
    r.model = "models/cls.onnx";
    r.modelSha256 = "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640";
    r.source = "local";
    r.device = "host";
    r.target = "auto";
    r.backend = "auto";
    r.threads = 2;
    r.warmup = 1;
    r.iterations = 3;
    r.inputShapes = {{"x", "1x3x48x192"}};
    r.latencyMs = report::latencyStats({1.5, 1.25, 2.0});
    r.throughputPerS = 1000.0 / r.latencyMs.mean;
    r.peakRssMb = 30.5;
    r.importMs = 12.25;
    r.sessionCreateMs = 40.5;
    r.plannedBytes = 368640;
    r.naiveBytes = 3514176;
    r.runsMs = {1.5, 1.25, 2.0};
    r.precision = "fp32";
    r.accuracy.reference = "cpu-fp32";
    r.accuracy.sqnrDb = 41.25;
    r.accuracy.maxAbsError = 0.0078125;
    r.accuracy.outputs = {{"y", 41.25, 0.0078125, 0.001953125, 6},
                          {"z", std::numeric_limits<double>::infinity(), 0.0, 0.0, 2}};
    report::NodeProfile conv;
    conv.id = 524;
    conv.name = "p2o.Conv.0";
    conv.op = "FusedConv";
    conv.covers = {"p2o.Conv.0", "p2o.BatchNormalization.0", "p2o.Clip.0"};
    conv.backend = "onednn";
    conv.implementation = "brgconv:avx512_core";
    conv.precision = "int8";
    conv.outputShapes = {"1x8x24x96"};
    conv.outputBytes = 18432;
    conv.timeMs = 0.5;
    conv.share = 0.75;
    conv.macs = 497664;
    conv.gflops = 1.990656;
    report::NodeProfile reshape;
    reshape.id = 3;
    reshape.name = "p2o.Reshape.36";
    reshape.op = "Reshape";
    reshape.covers = {"p2o.Reshape.36"};
    reshape.backend = "reference";
    reshape.precision = "fp32";
    reshape.fallback = {"unsupported-op", "op Reshape is not in the oneDNN backend's kernel table"};
    reshape.outputShapes = {"1x200", ""};
    reshape.outputBytes = 800;
    reshape.timeMs = 0.125;
    reshape.share = 0.25;
    reshape.macs = -1;
    r.nodes = {conv, reshape};
    r.timeline = {{0, 0.0, 500.0}, {1, 500.0, 125.0}};
    r.notes = {"inputs: random, seed 7"};
    r.warnings = {"enc.json: tensor 'y' is not in the model"};
    return r;
}

// Version 4: a Loop's row and one row of its body under it.
report::ProfileReport fullReportWithSubgraph() {
    report::ProfileReport r = fullReport();
    report::NodeProfile loop;
    loop.id = 7;
    loop.name = "loop";
    loop.op = "Loop";
    loop.covers = {"loop"};
    loop.backend = "control-flow";
    loop.precision = "fp32";
    loop.outputShapes = {"2"};
    loop.outputBytes = 8;
    loop.timeMs = 0.25;
    loop.macs = -1;
    report::NodeProfile add;
    add.id = 0;
    add.name = "body_add";
    add.op = "Add";
    add.covers = {"body_add"};
    add.backend = "reference";
    add.precision = "fp32";
    add.outputShapes = {"2"};
    add.outputBytes = 8;
    add.timeMs = 0.125;
    add.macs = -1;
    add.parent = 2;
    add.subgraph = "body";
    add.calls = 4;
    r.nodes.push_back(loop);
    r.nodes.push_back(add);
    return r;
}

} // namespace

TEST_CASE("profile report: JSON matches the golden file and reads back equal", "[report]") {
    const report::ProfileReport r = fullReportWithSubgraph();
    const nlohmann::json j = report::toJson(r);
    const std::string goldenPath = std::string(LB_GOLDEN_DIR) + "/profile_report_v4.json";
    if (std::getenv("LB_UPDATE_GOLDEN")) // after a deliberate schema change; review the diff
        std::ofstream(goldenPath) << j.dump(2) << '\n';
    std::ifstream golden(goldenPath);
    REQUIRE(golden);
    const nlohmann::json expected = nlohmann::json::parse(golden);
    INFO("written (LB_UPDATE_GOLDEN=1 rewrites the golden file):\n" << j.dump(2));
    CHECK(j == expected);
    CHECK(report::profileReportFromJson(expected) == r);
    CHECK(report::profileReportFromJson(nlohmann::json::parse(j.dump())) == r);
}

TEST_CASE("profile report: the version 3 golden file still reads, without subgraph rows",
          "[report]") {
    std::ifstream golden(std::string(LB_GOLDEN_DIR) + "/profile_report_v3.json");
    REQUIRE(golden);
    CHECK(report::profileReportFromJson(nlohmann::json::parse(golden)) == fullReport());
}

TEST_CASE("profile report: the version 2 golden file still reads, without precision or accuracy",
          "[report]") {
    std::ifstream golden(std::string(LB_GOLDEN_DIR) + "/profile_report_v2.json");
    REQUIRE(golden);
    report::ProfileReport expected = fullReport();
    expected.precision.clear();
    expected.accuracy = {};
    CHECK(report::profileReportFromJson(nlohmann::json::parse(golden)) == expected);
}

TEST_CASE("profile report: accuracy against a reference, with identical and NaN outputs",
          "[report]") {
    const std::vector<float> ref = {1.0f, -2.0f, 3.0f, 4.0f};
    const std::vector<float> near = {1.0f, -2.0f, 3.0f, 4.5f};
    const std::vector<float> broken = {1.0f, std::nanf(""), 3.0f, 4.0f};
    const report::Accuracy same =
        report::compareOutputs("cpu-fp32", {{"y", ref.data(), 4}}, {{"y", ref.data(), 4}});
    CHECK(std::isinf(same.sqnrDb));
    CHECK(same.sqnrDb > 0);
    CHECK(same.maxAbsError == 0.0);
    // signal 1 + 4 + 9 + 16 = 30, noise 0.25: 10 log10(120)
    const report::Accuracy off = report::compareOutputs(
        "cpu-fp32", {{"y", ref.data(), 4}, {"z", ref.data(), 4}},
        {{"z", ref.data(), 4}, {"y", near.data(), 4}});
    CHECK(off.sqnrDb == Approx(10.0 * std::log10(120.0)));
    CHECK(off.maxAbsError == 0.5);
    REQUIRE(off.outputs.size() == 2);
    CHECK(off.outputs[0].meanAbsError == 0.125);
    CHECK(std::isinf(off.outputs[1].sqnrDb));
    const report::Accuracy nan =
        report::compareOutputs("cpu-fp32", {{"y", ref.data(), 4}}, {{"y", broken.data(), 4}});
    CHECK(std::isnan(nan.sqnrDb));
    CHECK(std::isnan(nan.maxAbsError));
    report::ProfileReport r = fullReport();
    r.accuracy = nan;
    const report::ProfileReport back =
        report::profileReportFromJson(nlohmann::json::parse(report::toJson(r).dump()));
    CHECK(std::isnan(back.accuracy.sqnrDb));
    CHECK(back.accuracy.reference == "cpu-fp32");
    CHECK_THROWS_WITH(report::compareOutputs("cpu-fp32", {{"y", ref.data(), 4}},
                                             {{"x", ref.data(), 4}}),
                      Catch::Contains("'y'") && Catch::Contains("missing"));
    CHECK_THROWS_WITH(report::compareOutputs("cpu-fp32", {{"y", ref.data(), 4}},
                                             {{"y", ref.data(), 3}}),
                      Catch::Contains("3 elements"));
}

TEST_CASE("comparison: a list of reports round-trips, a single report reads as a list of one",
          "[report]") {
    report::Comparison c;
    c.reference = "cpu-fp32";
    c.rounds = 3;
    c.reports = {fullReport(), fullReport()};
    c.reports[1].target = "npu-int8";
    c.notes = {"targets alternate between rounds"};
    CHECK(report::comparisonFromJson(nlohmann::json::parse(report::toJson(c).dump())) == c);
    const report::Comparison one = report::comparisonFromJson(report::toJson(fullReport()));
    REQUIRE(one.reports.size() == 1);
    CHECK(one.reports[0] == fullReport());
    nlohmann::json bad = report::toJson(c);
    bad["reports"][1].erase("latency_ms");
    CHECK_THROWS_WITH(report::comparisonFromJson(bad),
                      Catch::Contains("report 1") && Catch::Contains("latency_ms"));
    CHECK_THROWS_WITH(report::comparisonFromJson(nlohmann::json::object()),
                      Catch::Contains("layerbench.comparison"));
}

TEST_CASE("profile report: version 1 files read, newer versions are refused by name", "[report]") {
    nlohmann::json v1 = {{"schema", "layerbench.profile/1"},
                         {"backend", "onednn"},
                         {"latency_ms",
                          {{"mean", 1.0}, {"p50", 1.0}, {"p95", 1.0}, {"p99", 1.0},
                           {"min", 1.0}, {"max", 1.0}}},
                         {"throughput_per_s", 1000.0},
                         {"nodes", {{{"name", "conv"}, {"time_ms", 1.0}}}}};
    const report::ProfileReport r = report::profileReportFromJson(v1);
    CHECK(r.target == "onednn");
    REQUIRE(r.nodes.size() == 1);
    CHECK(r.nodes[0].covers == std::vector<std::string>{"conv"});
    CHECK(r.nodes[0].fallback.code.empty());
    nlohmann::json future = report::toJson(fullReport());
    future["version"] = report::ProfileReport::kSchemaVersion + 1;
    CHECK_THROWS_WITH(report::profileReportFromJson(future), Catch::Contains("newer"));
    nlohmann::json other = report::toJson(fullReport());
    other["schema"] = "something.else";
    CHECK_THROWS_WITH(report::profileReportFromJson(other), Catch::Contains("something.else"));
}

TEST_CASE("local target: a run's report names the model, target and the nodes each row covers",
          "[run]") {
    run::LocalTarget target;
    const report::ProfileReport r = target.run(clsSpec());
    CHECK(r.modelSha256 == sha256File(kCls));
    CHECK(r.target == "auto");
    CHECK(r.source == "local");
    CHECK(r.iterations == 2);
    CHECK(r.runsMs.size() == 2);
    CHECK(r.importMs > 0);
    CHECK(r.sessionCreateMs > 0);
    CHECK(r.inputShapes.at("x") == "1x3x48x192");
    // The backend's own fusions, after partitioning, are listed (cls: conv + hard-swish/relu).
    REQUIRE(r.notes.size() == 2);
    CHECK_THAT(r.notes[0], Catch::StartsWith("onednn lowering: fuse-conv-activation "));
    CHECK(r.notes[1] == "inputs: random, seed 7");
    REQUIRE_FALSE(r.nodes.empty());
    // The passes fused Conv + BatchNormalization + hard-swish: a fused row covers them all.
    size_t coveredTotal = 0;
    bool fused = false;
    for (const report::NodeProfile& n : r.nodes) {
        CHECK_FALSE(n.covers.empty());
        CHECK(n.precision == "fp32");
        coveredTotal += n.covers.size();
        fused = fused || n.covers.size() > 1;
        if (n.backend == "reference") { // auto prefers oneDNN: a reference row fell back
            CHECK(n.fallback.code.rfind("unsupported-", 0) == 0);
            CHECK_THAT(n.fallback.text, Catch::StartsWith("onednn: "));
        }
    }
    CHECK(fused);
    CHECK(coveredTotal > r.nodes.size());
    const auto conv = std::find_if(r.nodes.begin(), r.nodes.end(),
                                   [](const auto& n) { return n.name == "p2o.Conv.0"; });
    REQUIRE(conv != r.nodes.end());
    CHECK(conv->outputShapes == std::vector<std::string>{"1x8x24x96"});
    CHECK(conv->outputBytes == 1 * 8 * 24 * 96 * 4);
    // What the CLI writes and what a device will send read back the same.
    CHECK(report::profileReportFromJson(report::toJson(r)) == r);
}

TEST_CASE("local target: a second run of the same model and settings reuses the session",
          "[run]") {
    run::LocalTarget target;
    const report::ProfileReport first = target.run(clsSpec());
    const report::ProfileReport second = target.run(clsSpec());
    CHECK(target.sessionsBuilt() == 1);
    CHECK(target.sessionsReused() == 1);
    CHECK(second.importMs == 0);
    CHECK(second.sessionCreateMs == 0);
    CHECK(second.notes.back().find("session reused") != std::string::npos);
    CHECK(second.nodes.size() == first.nodes.size());

    // Other threads: a new session (the import is reused, its time not counted again).
    run::RunSpec twoThreads = clsSpec();
    twoThreads.threads = 2;
    const report::ProfileReport third = target.run(twoThreads);
    CHECK(target.sessionsBuilt() == 2);
    CHECK(third.sessionCreateMs > 0);
    CHECK(third.threads == 2);
    // The file was hashed once: its size and modification time did not change.
    CHECK(target.filesHashed() == 1);
    CHECK(third.modelSha256 == first.modelSha256);
}

TEST_CASE("local target: a changed file is a new model version", "[run]") {
    const std::string dir = test::makeTempDir("run_target");
    const std::string path = dir + "/model.onnx";
    std::filesystem::copy_file(kCls, path);
    run::LocalTarget target;
    run::RunSpec spec = clsSpec();
    spec.model = path;
    const report::ProfileReport before = target.run(spec);

    // The same path, other bytes: a two-node model.
    ir::Graph g = test::emptyModel();
    test::addInput(g, "x", {1, 4});
    test::addNode(g, "Relu", {"x"}, {"r"}, {}, {{1, 4}});
    test::addNode(g, "Neg", {"r"}, {"y"}, {}, {{1, 4}});
    g.outputs().push_back(*g.findValue("y"));
    onnx::saveModel(g, path);
    spec.inputShapes.clear();
    const report::ProfileReport after = target.run(spec);
    CHECK(after.modelSha256 != before.modelSha256);
    CHECK(after.modelSha256 == sha256File(path));
    CHECK(after.nodes.size() == 2);
    CHECK(target.sessionsBuilt() == 2);
    CHECK(target.sessionsReused() == 0);
    CHECK(target.filesHashed() == 2);
    // Touched, same bytes: hashed again, same version, the session reused.
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
    const report::ProfileReport touched = target.run(spec);
    CHECK(target.filesHashed() == 3);
    CHECK(touched.modelSha256 == after.modelSha256);
    CHECK(target.sessionsReused() == 1);
    std::filesystem::remove_all(dir);
}

TEST_CASE("local target: each fallback row says why with a stable code and the decline's text",
          "[run]") {
    // One node per kind of decline of the oneDNN backend, each run by the reference kernels.
    ir::Graph g = test::emptyModel("declines");
    test::addInput(g, "x", {1, 4, 8, 8});
    test::addInput(g, "w", {4, 4, 3, 3}); // weights computed in the graph, not pre-packable
    test::addInput(g, "a", {1, 4});
    test::addInput(g, "b", {3, 4});
    test::addInput(g, "n", {2}, DataType::Int64);
    test::addWeight(g, "wc", {4, 4, 3, 3});
    Tensor scales(DataType::Float32, {4});
    std::copy_n(std::vector<float>{1, 1, 2, 2}.begin(), 4, scales.data<float>());
    g.setInitializer(g.valueId("scales"), scales);
    Tensor shape(DataType::Int64, {2});
    shape.data<int64_t>()[0] = 1;
    shape.data<int64_t>()[1] = -1;
    g.setInitializer(g.valueId("shape"), shape);
    const auto pads = test::intsAttr("pads", {1, 1, 1, 1});
    g.node(test::addNode(g, "Conv", {"x", "wc"}, {"c"}, {pads}, {{1, 4, 8, 8}})).name = "claimed";
    g.node(test::addNode(g, "Conv", {"c", "w"}, {"d"}, {pads}, {{1, 4, 8, 8}})).name = "input";
    g.node(test::addNode(g, "Resize", {"d", "", "scales"}, {"r"},
                         {ir::stringAttribute("mode", "cubic")}, {{1, 4, 16, 16}}))
        .name = "attribute";
    g.node(test::addNode(g, "Reshape", {"r", "shape"}, {"flat"}, {}, {{1, 1024}})).name = "op";
    g.node(test::addNode(g, "Sub", {"a", "b"}, {"diff"}, {}, {{3, 4}})).name = "shape";
    g.node(test::addNode(g, "Add", {"n", "n"}, {"twice"}, {}, {{2}})).name = "dtype";
    g.value(g.valueId("twice")).dtype = DataType::Int64;
    for (const char* out : {"flat", "diff", "twice"})
        g.outputs().push_back(*g.findValue(out));
    const std::string dir = test::makeTempDir("declines");
    onnx::saveModel(g, dir + "/declines.onnx");

    run::LocalTarget target;
    run::RunSpec spec;
    spec.model = dir + "/declines.onnx";
    spec.optimize = false; // the nodes as built, no fusion
    spec.warmup = 0;
    spec.iterations = 1;
    spec.seed = 3;
    const report::ProfileReport r = target.run(spec);
    const std::map<std::string, std::pair<std::string, std::string>> expected = {
        {"claimed", {"", ""}},
        {"input", {"unsupported-input", "onednn: weights W are not a constant initializer"}},
        {"attribute", {"unsupported-attribute", "onednn: mode 'cubic' is not implemented"}},
        {"op",
         {"unsupported-op", "onednn: op Reshape is not in the oneDNN backend's kernel table"}},
        {"shape", {"unsupported-shape", "onednn: shapes 1x4 and 3x4 need broadcasting"}},
        {"dtype", {"unsupported-dtype", "onednn: input 'n' is int64"}},
    };
    REQUIRE(r.nodes.size() == expected.size());
    const nlohmann::json json = report::toJson(r);
    for (size_t k = 0; k < r.nodes.size(); ++k) {
        const report::NodeProfile& n = r.nodes[k];
        INFO("node " << n.name << ": " << n.fallback.code << " / " << n.fallback.text);
        REQUIRE(expected.count(n.name));
        const auto& [code, text] = expected.at(n.name);
        // auto tries XNNPACK after oneDNN, and it broadcasts either input of a Sub.
        CHECK(n.backend ==
              (code.empty() ? "onednn" : n.name == "shape" ? "xnnpack" : "reference"));
        CHECK(n.fallback.code == code);
        CHECK_THAT(n.fallback.text, Catch::StartsWith(text));
        // The JSON a tool reads carries both, and reads back.
        const nlohmann::json& row = json.at("nodes").at(k);
        if (code.empty()) {
            CHECK_FALSE(row.contains("fallback"));
        } else {
            CHECK(row.at("fallback").at("code") == code);
            CHECK(row.at("fallback").at("text") == n.fallback.text);
        }
    }
    CHECK(report::profileReportFromJson(json) == r);
    std::filesystem::remove_all(dir);
}

TEST_CASE("local target: bad specs fail with one line naming the problem", "[run]") {
    run::LocalTarget target;
    run::RunSpec spec = clsSpec();
    spec.model = "no/such/model.onnx";
    CHECK_THROWS_WITH(target.run(spec), Catch::Contains("no/such/model.onnx"));
    spec = clsSpec();
    spec.int8 = true;
    CHECK_THROWS_WITH(target.run(spec), Catch::Contains("encodings"));
    spec = clsSpec();
    spec.target = "no-such-backend";
    CHECK_THROWS_WITH(target.run(spec), Catch::Contains("no-such-backend"));
}

TEST_CASE("run spec: JSON round trip, and a clear error for a bad one", "[run]") {
    run::RunSpec spec = clsSpec();
    spec.inputFiles = {{"x", "x.npy"}};
    spec.encodings = "enc.json";
    spec.int8 = true;
    spec.outputsDir = "out";
    CHECK(run::runSpecFromJson(run::toJson(spec)) == spec);
    run::RunSpec noSeed = clsSpec();
    noSeed.seed.reset();
    CHECK(run::runSpecFromJson(run::toJson(noSeed)) == noSeed);
    nlohmann::json bad = run::toJson(spec);
    bad["threads"] = "two";
    CHECK_THROWS_WITH(run::runSpecFromJson(bad), Catch::Contains("threads"));
    bad = run::toJson(spec);
    bad.erase("model");
    CHECK_THROWS_WITH(run::runSpecFromJson(bad), Catch::Contains("model"));
}

TEST_CASE("targets: named targets resolve to a backend and a precision, bad ones say why",
          "[run]") {
    const run::ResolvedTarget cpu = run::resolveTarget("cpu-fp32", false, false);
    CHECK(cpu.backend == "onednn");
    CHECK(cpu.precision == "fp32");
    CHECK_FALSE(cpu.int8);
    const run::ResolvedTarget gpu = run::resolveTarget("gpu-fp16", false, false);
    CHECK(gpu.roundFp16);
    CHECK(gpu.precision == "fp16");
    const run::ResolvedTarget npu = run::resolveTarget("npu-int8", false, true);
    CHECK(npu.int8);
    CHECK(npu.precision == "int8");
    CHECK_THROWS_WITH(run::resolveTarget("npu-int8", false, false),
                      Catch::Contains("npu-int8") && Catch::Contains("encodings"));
    CHECK_THROWS_WITH(run::resolveTarget("gpu-fp16", true, true),
                      Catch::Contains("gpu-fp16") && Catch::Contains("fp16"));
    CHECK_THROWS_WITH(run::resolveTarget("tpu", false, false),
                      Catch::Contains("'tpu'") && Catch::Contains("cpu-fp32"));
    // A backend's name still works, as before named targets.
    CHECK(run::resolveTarget("onednn", true, true).int8);
    // Every named target whose backend is built in is listed, in the comparison order.
    const std::vector<std::string> names = run::availableTargetNames();
    REQUIRE(names.size() >= 4);
    CHECK(names.front() == "cpu-fp32");
    for (const run::TargetInfo& t : run::namedTargets())
        CHECK((run::isAvailable(t) == (std::find(names.begin(), names.end(), t.name) != names.end())));
}

TEST_CASE("targets: device targets parse as device:SERIAL/TARGET", "[run]") {
    CHECK(run::parseTargetRef("cpu-fp32") == run::TargetRef{"", "cpu-fp32"});
    const run::TargetRef device = run::parseTargetRef("device:emulator-5554/npu-int8");
    CHECK(device.device == "emulator-5554");
    CHECK(device.target == "npu-int8");
    CHECK(run::toString(device) == "device:emulator-5554/npu-int8");
    for (const char* bad : {"device:", "device:abc", "device:/npu-int8", "device:abc/"})
        CHECK_THROWS_WITH(run::parseTargetRef(bad), Catch::Contains("device:SERIAL/TARGET"));
}

TEST_CASE("local target: gpu-fp16 rounds every tensor to fp16, its outputs are fp16 values "
          "close to fp32's", "[run]") {
    run::LocalTarget target;
    run::RunSpec spec = clsSpec();
    spec.seed = 11;
    spec.iterations = 1;
    spec.warmup = 0;
    const auto dir = std::filesystem::temp_directory_path() / "lb_fp16_target_test";
    std::filesystem::remove_all(dir);
    spec.outputsDir = (dir / "fp32").string();
    spec.target = "cpu-fp32";
    const report::ProfileReport fp32 = target.run(spec);
    spec.outputsDir = (dir / "fp16").string();
    spec.target = "gpu-fp16";
    const report::ProfileReport fp16 = target.run(spec);
    CHECK(fp32.precision == "fp32");
    CHECK(fp16.precision == "fp16");
    CHECK(fp16.target == "gpu-fp16");
    for (const report::NodeProfile& n : fp16.nodes)
        CHECK(n.precision != "fp32");
    // cls keeps its weights in Constant nodes, which the passes fold into initializers: the
    // session rounds them after the passes and the backends' fusions.
    const auto note = std::find_if(fp16.notes.begin(), fp16.notes.end(), [](const std::string& n) {
        return n.find("fp16 storage: ") == 0;
    });
    REQUIRE(note != fp16.notes.end());
    CHECK(std::stoi(note->substr(std::string("fp16 storage: ").size())) > 50);
    const Tensor a = onnx::readTensorFile((dir / "fp32" / "softmax_0.tmp_0.npy").string());
    const Tensor b = onnx::readTensorFile((dir / "fp16" / "softmax_0.tmp_0.npy").string());
    REQUIRE(a.numel() == b.numel());
    bool differs = false;
    for (int64_t i = 0; i < b.numel(); ++i) {
        const float v = b.data<float>()[i];
        CHECK(halfToFloat(floatToHalf(v)) == v); // every output value is an fp16 value
        differs = differs || v != a.data<float>()[i];
    }
    CHECK(differs);
    const report::Accuracy acc = report::compareOutputs(
        "cpu-fp32", {{"y", a.data<float>(), a.numel()}}, {{"y", b.data<float>(), b.numel()}});
    INFO("gpu-fp16 vs cpu-fp32 SQNR " << acc.sqnrDb << " dB");
    CHECK(acc.sqnrDb > 30.0);
    CHECK(acc.sqnrDb < 200.0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("bench: every target on the same inputs, rounds alternating, accuracy against cpu-fp32",
          "[run][bench]") {
    run::BenchSpec spec;
    spec.base = clsSpec();
    spec.base.iterations = 3;
    spec.base.warmup = 1;
    spec.targets = {"gpu-fp16", "cpu-fp32", "reference"};
    spec.rounds = 2;
    std::vector<std::string> stages;
    TaskContext task;
    task.progress = [&](double, std::string_view stage) { stages.emplace_back(stage); };
    const report::Comparison c = run::benchmarkLocal(spec, task);
    CHECK(c.reference == "cpu-fp32");
    CHECK(c.rounds == 2);
    REQUIRE(c.reports.size() == 3);
    for (size_t k = 0; k < 3; ++k) {
        const report::ProfileReport& r = c.reports[k];
        CHECK(r.target == spec.targets[k]);
        CHECK(r.runsMs.size() == 6); // 2 rounds x 3
        CHECK(r.iterations == 6);
        CHECK(r.latencyMs.count == 6);
        CHECK(r.accuracy.reference == "cpu-fp32");
        CHECK_FALSE(r.nodes.empty());
    }
    // The rounds rotate: round 1 starts with the first target, round 2 with the second.
    REQUIRE(stages.size() >= 6);
    CHECK(std::find(stages.begin(), stages.end(), "gpu-fp16 1/2") <
          std::find(stages.begin(), stages.end(), "cpu-fp32 1/2"));
    CHECK(std::find(stages.begin(), stages.end(), "cpu-fp32 2/2") <
          std::find(stages.begin(), stages.end(), "gpu-fp16 2/2"));
    const report::Accuracy& fp16 = c.reports[0].accuracy;
    const report::Accuracy& fp32 = c.reports[1].accuracy;
    const report::Accuracy& ref = c.reports[2].accuracy;
    CHECK(std::isinf(fp32.sqnrDb)); // the reference against itself
    INFO("gpu-fp16 " << fp16.sqnrDb << " dB, reference " << ref.sqnrDb << " dB");
    CHECK(fp16.sqnrDb > 30.0);
    CHECK(fp16.sqnrDb < 120.0);
    CHECK(ref.sqnrDb > fp16.sqnrDb); // fp32 kernels differ from oneDNN by rounding only
    CHECK(c.reports[0].precision == "fp16");
    // It reads back as it was written.
    CHECK(report::comparisonFromJson(nlohmann::json::parse(report::toJson(c).dump())).reports.size() == 3);
}

TEST_CASE("bench: bad targets fail before anything runs, naming the target", "[run][bench]") {
    run::BenchSpec spec;
    spec.base = clsSpec();
    spec.targets = {"cpu-fp32", "npu-int8"};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec),
                      Catch::Contains("'npu-int8'") && Catch::Contains("encodings"));
    spec.targets = {"cpu-fp32", "device:emulator-5554/npu-int8"};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec), Catch::Contains("device:emulator-5554/npu-int8"));
    spec.targets = {"cpu-fp32", "cpu-fp32"};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec), Catch::Contains("twice"));
    spec.targets = {};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec), Catch::Contains("no targets"));
}

TEST_CASE("bench: threads per target, as a backend config gives them, the progress labels",
          "[run][bench]") {
    run::BenchSpec spec;
    spec.base = clsSpec();
    spec.base.iterations = 1;
    spec.rounds = 1;
    spec.targets = {"cpu-fp32", "gpu-fp16"};
    spec.threads = {{"gpu-fp16", 2}};
    std::vector<std::string> stages;
    TaskContext task;
    task.progress = [&](double, std::string_view stage) { stages.emplace_back(stage); };
    const report::Comparison c = run::benchmarkLocal(spec, task);
    // Each run starts with its label; the run's own stages follow under their usual ids.
    const auto label =
        std::find(stages.begin(), stages.end(), run::benchStepLabel("gpu-fp16", 1, 1));
    REQUIRE(label != stages.end());
    CHECK(*label == "gpu-fp16 1/1");
    CHECK(std::find(label, stages.end(), "timed runs") != stages.end());
    CHECK(run::benchStepLabel("cpu-fp32", 0, 3) == "cpu-fp32");
    REQUIRE(c.reports.size() == 2);
    CHECK(c.reports[0].threads == 1); // base.threads
    CHECK(c.reports[1].threads == 2);
    spec.threads = {{"npu-int8", 2}};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec),
                      "bench: threads given for 'npu-int8', which is not among the targets");
    spec.threads = {{"cpu-fp32", 0}};
    CHECK_THROWS_WITH(run::benchmarkLocal(spec), Catch::Contains("at least 1"));
    // Input files are said to be files, not random.
    spec.threads.clear();
    const std::string input = test::makeTempDir("bench_inputs") + "/x.npy";
    Tensor x(DataType::Float32, {1, 3, 48, 192});
    std::fill(x.data<float>(), x.data<float>() + x.numel(), 0.5f);
    onnx::writeNpy(input, x);
    spec.base.inputFiles = {{"x", input}};
    const report::Comparison files = run::benchmarkLocal(spec);
    CHECK_THAT(files.notes.front(), Catch::StartsWith("inputs: from files"));
}
