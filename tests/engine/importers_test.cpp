// Other tools' profiles read into the one report schema (engine/importers), on the hand-written
// fixtures of tests/engine/import_data (README.md there says where each field comes from), the
// format detection and its errors, rows mapped onto a graph, and rows of several reports matched
// by the nodes they cover (report::matchLayers).
#include "cli_in_process.h"
#include "core/error.h"
#include "importers/profile_import.h"
#include "ir/graph.h"
#include "report/layer_match.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace lb;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kData = LB_IMPORT_DATA_DIR;

std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The error `f` throws, or "" when it throws none.
template <typename F> std::string errorOf(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

const report::NodeProfile& row(const report::ProfileReport& r, const std::string& name) {
    for (const auto& n : r.nodes)
        if (n.name == name)
            return n;
    FAIL("no row " << name);
    throw;
}

std::string scratch(const std::string& name, const std::string& text) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("lb_importers_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string file = (dir / name).string();
    std::ofstream(file, std::ios::binary) << text;
    return file;
}

} // namespace

TEST_CASE("an ONNX Runtime profile: kernels per run, model_run latencies, the median timeline",
          "[importers]") {
    const std::string file = kData + "/ort_profile.json";
    CHECK(importers::detectFormat(file, read(file)) == importers::ProfileFormat::OrtProfile);
    const report::ProfileReport r = importers::readProfile(file);
    CHECK(r.source == "imported");
    CHECK(r.target == "ort-cpu");
    CHECK(r.precision == "fp32");
    CHECK(r.runsMs == std::vector<double>{1.0, 1.4});
    CHECK(r.iterations == 2);
    CHECK(r.latencyMs.mean == Approx(1.2));
    CHECK(r.throughputPerS == Approx(1000.0 / 1.2));
    REQUIRE(r.nodes.size() == 3); // fences skipped
    const auto& conv = row(r, "conv_0");
    CHECK(conv.op == "FusedConv");
    CHECK(conv.backend == "cpu");
    CHECK(conv.covers == std::vector<std::string>{"conv_0"});
    CHECK(conv.timeMs == Approx(0.7));
    CHECK(conv.outputShapes == std::vector<std::string>{"1x16x24x96"});
    CHECK(conv.outputBytes == 147456);
    CHECK(conv.share == Approx(0.7 / 1.1));
    CHECK(row(r, "relu_1.tmp_0_nchwc").timeMs == Approx(0.3));
    CHECK(row(r, "ReorderOutput_token_7").timeMs == Approx(0.1));
    // The median of two runs is the second (1.4 ms): its three kernels, from its start.
    REQUIRE(r.timeline.size() == 3);
    CHECK(r.timeline[0].startUs == Approx(20));
    CHECK(r.timeline[0].durationUs == Approx(800));
    // The report reads back through the schema unchanged.
    CHECK(report::profileReportFromJson(report::toJson(r)) == r);
}

TEST_CASE("a qnn-profile-viewer CSV: executions, op cycles through the accelerator's time",
          "[importers]") {
    const std::string file = kData + "/qnn_profile_viewer.csv";
    CHECK(importers::detectFormat(file, read(file)) == importers::ProfileFormat::QnnCsv);
    const report::ProfileReport r = importers::readProfile(file);
    CHECK(r.target == "qnn-htp");
    CHECK(r.runsMs == std::vector<double>{3.0, 5.0});
    CHECK(r.latencyMs.p50 == Approx(4.0));
    REQUIRE(r.nodes.size() == 3);
    CHECK(row(r, "Input").timeMs == 0);
    CHECK(row(r, "_conv1_Conv").timeMs == Approx(1.5));
    CHECK(row(r, "relu_out, fused").timeMs == Approx(0.5)); // a quoted identifier with a comma
    CHECK(r.warnings.empty());
}

TEST_CASE("a Qualcomm AI Hub profile: all inference times, peak memory, layers off the NPU",
          "[importers]") {
    const std::string file = kData + "/aihub_profile.json";
    CHECK(importers::detectFormat(file, read(file)) == importers::ProfileFormat::AiHubProfile);
    const report::ProfileReport r = importers::readProfile(file);
    CHECK(r.target == "aihub-npu");
    CHECK(r.runsMs == std::vector<double>{1.2, 1.25, 1.3, 1.5});
    CHECK(r.latencyMs.max == Approx(1.5));
    CHECK(r.peakRssMb == Approx(20.0));
    REQUIRE(r.nodes.size() == 4);
    CHECK(row(r, "/conv1/Conv").op == "Conv");
    CHECK(row(r, "/conv1/Conv").timeMs == Approx(0.7));
    CHECK(row(r, "/conv1/Conv").fallback.code.empty());
    const auto& topk = row(r, "/head/TopK");
    CHECK(topk.backend == "cpu");
    CHECK(topk.fallback.code == "compute-unit");
    CHECK(topk.fallback.text == "ran on cpu; 3 of 4 layers ran on npu");
}

TEST_CASE("a file in no known format names the file and lists the formats", "[importers]") {
    const std::string csv = scratch("other.csv", "name,time\nconv,1\n");
    const std::string msg = errorOf([&] { importers::readReports(csv); });
    CHECK_THAT(msg, StartsWith(csv + ": "));
    for (const char* format : {"LayerBench profile report", "ONNX Runtime profile",
                               "qnn-profile-viewer CSV", "Qualcomm AI Hub profile"})
        CHECK_THAT(msg, Contains(format));
    CHECK(msg.find('\n') == std::string::npos);
    const std::string trace =
        scratch("trace.json", R"({"traceEvents": [{"name": "x", "ph": "X"}]})");
    CHECK_THAT(errorOf([&] { importers::readReports(trace); }),
               Contains("a Chrome trace without ONNX Runtime's"));
    const std::string broken = scratch("broken.json", "[{\"cat\": \"Node\",");
    CHECK_THAT(errorOf([&] { importers::readReports(broken); }),
               StartsWith(broken + ": not valid JSON"));
}

TEST_CASE("bad input: one line naming the file and the event, line or key at fault",
          "[importers]") {
    // ORT: a kernel event without dur, and one without op_name.
    CHECK(errorOf([] {
              importers::importOrtProfile(
                  "p.json", R"([{"cat": "Session", "name": "model_run", "ts": 0, "dur": 5},
                               {"cat": "Node", "name": "a_kernel_time", "ts": 1, "args": {"op_name": "Relu"}}])");
          }) == "p.json: event 1 ('a_kernel_time'): no number \"dur\"");
    CHECK(errorOf([] {
              importers::importOrtProfile(
                  "p.json",
                  R"([{"cat": "Node", "name": "a_kernel_time", "ts": 1, "dur": 2, "args": {}}])");
          }) == "p.json: event 0 ('a_kernel_time'): no string \"args\".\"op_name\"");
    CHECK_THAT(errorOf([] {
                   importers::importOrtProfile(
                       "p.json", R"([{"cat": "Session", "name": "model_run", "ts": 0, "dur": 5}])");
               }),
               StartsWith("p.json: no \"cat\": \"Node\" events"));
    // QNN: a time that is not a number (line 3), an unknown unit, a missing column.
    const std::string header = "Msg Timestamp,Message,Time,Unit of Measurement,Timing Source,Event "
                               "Level,Event Identifier\n";
    CHECK(errorOf([&] {
              importers::importQnnCsv("q.csv", header + "0,EXECUTE,10,US,BACKEND,ROOT,NULL\n"
                                                        "0,NODE,abc,US,BACKEND,SUB-EVENT,conv\n");
          }) == "q.csv: line 3: Time 'abc' is not a number");
    CHECK(errorOf([&] {
              importers::importQnnCsv("q.csv", header + "0,NODE,5,MS,BACKEND,SUB-EVENT,conv\n");
          }) == "q.csv: line 2: Unit of Measurement 'MS' is not US, CYCLES, COUNT or BYTES");
    CHECK_THAT(errorOf([] { importers::importQnnCsv("q.csv", "Message,Time,Event Identifier\n"); }),
               StartsWith("q.csv: line 1: no column \"Unit of Measurement\""));
    // AI Hub: a layer without its type, a summary without the inference time.
    CHECK(errorOf([] {
              importers::importAiHubProfile(
                  "h.json", R"({"execution_summary": {"estimated_inference_time": 10},
                              "execution_detail": [{"name": "a", "type": "Relu", "compute_unit": "NPU"},
                                                   {"name": "b", "compute_unit": "NPU"}]})");
          }) == "h.json: execution_detail[1]: no string \"type\"");
    CHECK(errorOf([] {
              importers::importAiHubProfile(
                  "h.json", R"({"execution_summary": {"estimated_inference_time": null},
                              "execution_detail": []})");
          }) == "h.json: execution_summary: no \"estimated_inference_time\"");
}

TEST_CASE("imported rows map onto the graph: fused chains, tensor names, sanitized names",
          "[importers]") {
    // x -> /conv1/Conv -> c -> bn -> b -> relu -> relu_out -> /head/Add (+ relu_out) -> y -> mm
    // (MatMul) -> m -> bias (Add) -> z
    ir::Graph g;
    const auto v = [&](const char* name) { return g.valueId(name); };
    const auto node = [&](const char* name, const char* op, std::vector<ir::ValueId> in,
                          ir::ValueId out) {
        ir::Node n;
        n.name = name;
        n.opType = op;
        n.inputs = std::move(in);
        n.outputs = {out};
        g.addNode(std::move(n));
    };
    g.inputs() = {v("x")};
    node("/conv1/Conv", "Conv", {v("x")}, v("c"));
    node("bn", "BatchNormalization", {v("c")}, v("b"));
    node("relu", "Relu", {v("b")}, v("relu_out"));
    node("/head/Add", "Add", {v("relu_out"), v("relu_out")}, v("y"));
    node("mm", "MatMul", {v("y"), v("w")}, v("m"));
    node("bias", "Add", {v("m"), v("b0")}, v("z"));
    g.outputs() = {v("z")};

    report::ProfileReport r;
    const auto add = [&](const char* name, const char* op) {
        report::NodeProfile n;
        n.name = name;
        n.op = op;
        n.covers = {name};
        r.nodes.push_back(n);
    };
    add("relu_out_nchwc", "FusedConv"); // ORT: named after the fused kernel's output tensor
    add("_head_Add", "");               // QNN: the sanitized node name, no op
    add("ReorderOutput_token_1", "ReorderOutput");
    add("mm/MatMulAddFusion", "Gemm"); // ORT: MatMul + Add fused into one Gemm
    CHECK(importers::mapRowsToGraph(r, g) == 3);
    CHECK(r.nodes[0].covers == std::vector<std::string>{"/conv1/Conv", "bn", "relu"});
    CHECK(r.nodes[1].covers == std::vector<std::string>{"/head/Add"});
    CHECK(r.nodes[1].op == "Add");
    CHECK(r.nodes[2].covers == std::vector<std::string>{"ReorderOutput_token_1"});
    CHECK(r.nodes[3].covers == std::vector<std::string>{"mm", "bias"});
}

TEST_CASE("rows of several reports match through the nodes they cover", "[importers]") {
    const auto report =
        [](std::vector<std::tuple<std::string, std::vector<std::string>, double>> rows) {
            report::ProfileReport r;
            for (auto& [name, covers, ms] : rows) {
                report::NodeProfile n;
                n.name = name;
                n.op = name.substr(0, name.find('_'));
                n.covers = covers;
                n.timeMs = ms;
                r.nodes.push_back(n);
            }
            return r;
        };
    // A fused conv + relu on one side, the two separate rows on the other; a reorder only ORT has.
    const auto fused = report({{"Conv_fused", {"conv", "relu"}, 2.0}, {"Add_1", {"add"}, 0.5}});
    const auto split = report({{"Conv_0", {"conv"}, 1.5},
                               {"Relu_0", {"relu"}, 1.0},
                               {"Add_0", {"add"}, 0.25},
                               {"Reorder_0", {}, 4.0}});
    const std::vector<report::LayerMatch> groups = report::matchLayers({fused, split});
    REQUIRE(groups.size() == 3);
    CHECK(groups[0].label == "Reorder_0"); // the slowest first, in one report only
    CHECK(std::isnan(groups[0].timeMs[0]));
    CHECK(groups[0].timeMs[1] == 4.0);
    CHECK(groups[1].nodes == std::vector<std::string>{"conv", "relu"});
    CHECK(groups[1].label == "conv + relu");
    CHECK(groups[1].timeMs == std::vector<double>{2.0, 2.5});
    CHECK(groups[1].ops == std::vector<std::string>{"Conv", "Conv+Relu"});
    CHECK(groups[1].rows[1] == std::vector<size_t>{0, 1});
    CHECK(groups[2].timeMs == std::vector<double>{0.5, 0.25});
}

TEST_CASE("comparisons, reports and foreign profiles read as one comparison, and compare shows "
          "accuracy where measured",
          "[importers][cli]") {
    report::ProfileReport a, b;
    a.target = a.backend = "cpu-fp32";
    b.target = b.backend = "npu-int8";
    b.precision = "int8";
    b.accuracy.reference = "cpu-fp32";
    b.accuracy.sqnrDb = 31.25;
    b.accuracy.maxAbsError = 0.125;
    for (report::ProfileReport* r : {&a, &b}) {
        r->runsMs = {1.0, 2.0};
        r->latencyMs = report::latencyStats(r->runsMs);
        report::NodeProfile n;
        n.name = "conv";
        n.op = "Conv";
        n.covers = {"conv"};
        n.timeMs = r == &a ? 0.75 : 0.5;
        r->nodes.push_back(n);
    }
    report::Comparison bench;
    bench.reference = "cpu-fp32";
    bench.rounds = 3;
    bench.reports = {a, b};
    const std::string benchFile = scratch("bench.json", report::toJson(bench).dump());
    const std::string aihub = kData + "/aihub_profile.json";

    const report::Comparison all = importers::readComparison({benchFile, aihub});
    REQUIRE(all.reports.size() == 3);
    CHECK(all.reference == "cpu-fp32");
    CHECK(all.rounds == 3);
    CHECK(all.reports[0] == a);
    CHECK(all.reports[1] == b);
    CHECK(all.reports[2].target == "aihub-npu");

    const test::CliRun text = test::runCliInProcess({"compare", benchFile, aihub});
    INFO(text.err);
    REQUIRE(text.code == 0);
    INFO(text.out);
    CHECK_THAT(text.out, Contains("output SQNR dB        -             31.2          -"));
    CHECK_THAT(text.out, Contains("fallbacks             0             0             1"));
    CHECK_THAT(text.out, Contains("\nconv "));
    const test::CliRun bad = test::runCliInProcess({"compare", benchFile, kData + "/README.md"});
    CHECK(bad.code == 1);
    CHECK_THAT(bad.err, Contains(kData + "/README.md: neither JSON nor a CSV"));
}
