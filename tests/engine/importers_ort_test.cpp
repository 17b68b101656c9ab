// A real ONNX Runtime profile imported: onnxruntime-node (bench/ort_run.js --profile, in its own
// node process) profiles PaddleOCR's cls; its kernels must map onto cls's nodes, with ops that
// agree with the model's and with our own run's rows of the same nodes, and times that fit inside
// the runs ORT timed. Then `layerbench-cli compare` puts that profile beside our run. A missing
// node or onnxruntime-node fails the test.
#include "cli_in_process.h"
#include "ort_run_util.h"
#include "importers/profile_import.h"
#include "onnx/importer.h"
#include "report/comparison.h"
#include "report/layer_match.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace lb;
namespace fs = std::filesystem;

namespace {

using test::quote;

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";

void node(const std::string& args, const fs::path& dir) {
    test::runOrtScript(args, dir);
}

// ORT names its fused kernels "FusedConv", "FusedGemm".
std::string baseOp(const std::string& op) {
    return op.rfind("Fused", 0) == 0 ? op.substr(5) : op;
}

struct Fixture {
    fs::path dir;
    fs::path profile;
    fs::path ourRun;
};

// One ORT profile of cls (1 warm-up + 5 runs) and one run of ours on the same input, made once.
const Fixture& fixture() {
    static const Fixture f = [] {
        Fixture x;
        x.dir = fs::temp_directory_path() / ("lb_importers_ort_" + std::to_string(::getpid()));
        fs::remove_all(x.dir);
        fs::create_directories(x.dir);
        const fs::path input = x.dir / "x.npy";
        x.profile = x.dir / "cls_ort_profile.json";
        x.ourRun = x.dir / "cls_run.json";
        node("--make-input " + quote(input.string()) + " --shape 1x3x48x192", x.dir);
        node(quote(kCls) + " --input x=" + quote(input.string()) +
                 " --warmup 1 --iterations 5 --json " + quote((x.dir / "ort.json").string()) +
                 " --profile " + quote(x.profile.string()),
             x.dir);
        const test::CliRun run =
            test::runCliInProcess({"run", kCls, "--input", "x=" + input.string(), "--warmup", "1",
                                   "--iterations", "3", "--json", x.ourRun.string()});
        INFO(run.err);
        REQUIRE(run.code == 0);
        return x;
    }();
    return f;
}

} // namespace

TEST_CASE("a real ONNX Runtime profile of cls maps onto cls's nodes with agreeing ops and times",
          "[importers][ort]") {
    const Fixture& f = fixture();
    report::ProfileReport ort = importers::readProfile(f.profile.string());
    CHECK(ort.source == "imported");
    CHECK(ort.target == "ort-cpu");
    REQUIRE(ort.runsMs.size() == 6); // ORT profiles the warm-up run too
    REQUIRE(ort.latencyMs.mean > 0);
    double kernelsMs = 0;
    for (const auto& row : ort.nodes) {
        INFO(row.name);
        CHECK(row.timeMs >= 0);
        CHECK(!row.op.empty());
        kernelsMs += row.timeMs;
    }
    // Kernel times are per run (ORT runs them one after another here): together never more than
    // a run. The median run's timeline holds every kernel once, each inside a run.
    CHECK(kernelsMs > 0);
    CHECK(kernelsMs <= ort.latencyMs.mean);
    CHECK(ort.timeline.size() == ort.nodes.size());
    const double longestUs = ort.latencyMs.max * 1000;
    for (const auto& e : ort.timeline)
        CHECK((e.startUs >= 0 && e.startUs + e.durationUs <= longestUs + 1));

    const onnx::ImportResult model = onnx::importModel(kCls);
    const size_t mapped = importers::mapRowsToGraph(ort, model.graph);
    size_t layoutOnly = 0; // ORT's own layout changes, which no ONNX node stands for
    for (const auto& row : ort.nodes) {
        const auto node = model.graph.findNode(row.covers.front());
        if (!node) {
            INFO(row.name << " (" << row.op << ") maps onto no node of cls");
            CHECK((row.op == "ReorderInput" || row.op == "ReorderOutput" || row.op == "Reshape"));
            ++layoutOnly;
            continue;
        }
        INFO(row.name << " covers " << row.covers.front());
        if (row.name.find("/MatMulAddFusion") != std::string::npos) // MatMul + Add as one Gemm
            CHECK((row.op == "Gemm" && row.covers.size() == 2));
        else
            CHECK(baseOp(row.op) == model.graph.node(*node).opType);
    }
    CHECK(mapped + layoutOnly == ort.nodes.size());
    CHECK(mapped > 50);

    // Our run of the same model: the rows of ours meet ORT's rows through the nodes they cover,
    // and where each side has one row the ops agree.
    std::ifstream ourFile(f.ourRun);
    const report::ProfileReport ours =
        report::profileReportFromJson(nlohmann::json::parse(ourFile));
    const std::vector<report::LayerMatch> groups = report::matchLayers({ours, ort});
    std::vector<std::string> unmatched; // rows of ours no ORT row covers a node of
    size_t agreeing = 0;
    for (const report::LayerMatch& g : groups) {
        if (std::isnan(g.timeMs[0]))
            continue;
        if (std::isnan(g.timeMs[1])) {
            unmatched.push_back(g.label);
            continue;
        }
        CHECK(g.timeMs[1] >= 0);
        if (g.rows[0].size() == 1 && g.rows[1].size() == 1) {
            INFO(g.label);
            const auto& o = ours.nodes[g.rows[0][0]];
            const auto& r = ort.nodes[g.rows[1][0]];
            // MatMul + bias Add: our FusedMatMul, ORT's Gemm (MatMulAddFusion), the same 2 nodes.
            if (o.op == "FusedMatMul" && r.op == "Gemm")
                CHECK(o.covers.size() == 2);
            else
                CHECK(baseOp(r.op) == baseOp(o.op));
            ++agreeing;
        }
    }
    std::string names;
    for (const std::string& u : unmatched)
        names += "\n  " + u;
    INFO("rows of ours without an ORT row:" << names);
    CHECK(unmatched.size() <= 2); // 0 on cls today: every fused kernel of ours has ORT's rows
    CHECK(agreeing > 20);
}

TEST_CASE("compare puts our run of cls beside ONNX Runtime's profile, as tables and as JSON",
          "[importers][ort][cli]") {
    const Fixture& f = fixture();
    const test::CliRun json = test::runCliInProcess(
        {"compare", f.ourRun.string(), f.profile.string(), "--model", kCls, "--json", "-"});
    INFO(json.err);
    REQUIRE(json.code == 0);
    const report::Comparison c = report::comparisonFromJson(nlohmann::json::parse(json.out));
    REQUIRE(c.reports.size() == 2);
    CHECK(c.reports[0].source == "local");
    CHECK(c.reports[1].source == "imported");
    CHECK(c.reports[1].target == "ort-cpu");
    CHECK(c.reports[1].model == kCls);

    const test::CliRun text = test::runCliInProcess(
        {"compare", f.ourRun.string(), f.profile.string(), "--model", kCls, "--top", "5"});
    REQUIRE(text.code == 0);
    INFO(text.out);
    CHECK_THAT(text.out, Catch::Contains("latency p95 ms"));
    CHECK_THAT(text.out, Catch::Contains("ort-cpu"));
    CHECK_THAT(text.out, Catch::Contains("top layers by time"));
    // The five slowest groups, each with a time for both reports or a dash.
    std::istringstream in(text.out);
    std::string line;
    while (std::getline(in, line) && line.rfind("nodes ", 0) != 0) {
    }
    for (int k = 0; k < 5; ++k) {
        REQUIRE(std::getline(in, line));
        CHECK_THAT(line, Catch::Matches(R"(.*\s+(\d+\.\d+|-)\s+(\d+\.\d+|-)  .*)"));
    }

    // import writes the profile as a LayerBench report, and compare reads that the same way.
    const fs::path imported = f.dir / "ort_report.json";
    REQUIRE(test::runCliInProcess(
                {"import", f.profile.string(), "--model", kCls, "--json", imported.string()})
                .code == 0);
    const report::ProfileReport again = importers::readProfile(imported.string());
    CHECK(again == c.reports[1]);
}
