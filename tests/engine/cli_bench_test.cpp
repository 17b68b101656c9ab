// layerbench-cli bench and recommend, in process, on real runs: PaddleOCR's classifier on
// cpu-fp32, gpu-fp16 and npu-int8 (encodings made by quantize), a conformance model whose
// Reshapes fall back on oneDNN, the seed's backend_config.json, and the error cases.
#include "cli_in_process.h"
#include "report/comparison.h"
#include "report/recommend.h"
#include "run/backend_config.h"
#include "run/targets.h"
#include "test_models.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace lb;

namespace {

const std::string kCls = std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx";
// Reshape -> Transpose -> Reshape: oneDNN has no Reshape, so two rows fall back.
const std::string kPixelShuffle =
    std::string(LB_ONNX_TESTDATA_DIR) + "/pytorch-converted/test_PixelShuffle/model.onnx";
const std::string kSeedConfig = std::string(LB_BACKEND_CONFIG_DIR) + "/seed_backend_config.json";

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::string ms(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(v < 10 ? 3 : 2) << v;
    return s.str();
}

report::Comparison readComparison(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return report::comparisonFromJson(nlohmann::json::parse(in));
}

// cls encodings as the README's commands make them (once per test process).
const std::string& clsEncodings() {
    static const std::string path = [] {
        const std::string p = test::makeTempDir("cli_bench_enc") + "/cls_enc.json";
        const test::CliRun q =
            test::runCliInProcess({"quantize", kCls, "--shape", "x=1x3x48x192", "--per-channel",
                                   "--samples", "1", "--seed", "3", "--encodings", p});
        INFO(q.err);
        REQUIRE(q.code == 0);
        return p;
    }();
    return path;
}

test::CliRun bench(std::vector<std::string> args) {
    args.insert(args.begin(), "bench");
    return test::runCliInProcess(args);
}

std::vector<std::string> clsArgs() {
    return {kCls,       "--shape", "x=1x3x48x192", "--warmup", "0", "--iterations", "2",
            "--rounds", "2",       "--seed",       "7"};
}

} // namespace

TEST_CASE("cli bench: cls on three targets, one table row per target as the JSON has it",
          "[cli][bench][models]") {
    const std::string dir = test::makeTempDir("cli_bench_cls");
    const std::string json = dir + "/cls.json";
    std::vector<std::string> args = clsArgs();
    for (const char* a : {"--targets", "gpu-fp16,cpu-fp32,npu-int8", "--encodings"})
        args.push_back(a);
    args.push_back(clsEncodings());
    args.push_back("--json");
    args.push_back(json);
    const test::CliRun r = bench(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    INFO(r.out);

    const report::Comparison c = readComparison(json);
    CHECK(c.reference == "cpu-fp32");
    CHECK(c.rounds == 2);
    REQUIRE(c.reports.size() == 3);
    CHECK(c.reports[0].target == "gpu-fp16");
    CHECK(c.reports[1].target == "cpu-fp32");
    CHECK(c.reports[2].target == "npu-int8");
    CHECK(c.reports[2].precision == "int8");

    // The table: a header, then the reports' numbers in their order.
    const std::vector<std::string> out = lines(r.out);
    const auto header = std::find_if(out.begin(), out.end(), [](const std::string& l) {
        return l.rfind("target", 0) == 0 && l.find("p50 ms") != std::string::npos;
    });
    REQUIRE(header != out.end());
    REQUIRE(out.end() - header > 3);
    CHECK(words(*header) == std::vector<std::string>{"target", "prec", "threads", "mean", "ms",
                                                     "p50", "ms", "p95", "ms", "p99", "ms",
                                                     "runs/s", "peak", "MiB", "SQNR", "dB", "max",
                                                     "err", "fallbacks"});
    for (size_t k = 0; k < 3; ++k) {
        const report::ProfileReport& rep = c.reports[k];
        const std::vector<std::string> row = words(*(header + 1 + static_cast<long>(k)));
        REQUIRE(row.size() == 12);
        CHECK(row[0] == rep.target);
        CHECK(row[1] == rep.precision);
        CHECK(row[2] == "1");
        CHECK(row[3] == ms(rep.latencyMs.mean));
        CHECK(row[4] == ms(rep.latencyMs.p50));
        CHECK(row[5] == ms(rep.latencyMs.p95));
        CHECK(row[6] == ms(rep.latencyMs.p99));
        CHECK(std::stod(row[7]) == Approx(rep.throughputPerS).epsilon(0.01));
        CHECK(std::stod(row[8]) == Approx(rep.peakRssMb).margin(0.051));
        const auto fallbacks = std::count_if(rep.nodes.begin(), rep.nodes.end(), [](const auto& n) {
            return !n.fallback.code.empty();
        });
        CHECK(row[11] == std::to_string(fallbacks));
    }
    // Accuracy against cpu-fp32's outputs: itself exact, fp16 close, int8 further.
    const std::vector<std::string> fp16 = words(*(header + 1));
    const std::vector<std::string> fp32 = words(*(header + 2));
    const std::vector<std::string> int8 = words(*(header + 3));
    CHECK(fp32[9] == "inf");
    CHECK(fp32[10] == "0");
    CHECK(std::stod(fp16[9]) == Approx(c.reports[0].accuracy.sqnrDb).margin(0.051));
    CHECK(std::stod(fp16[9]) > 30);
    CHECK(std::stod(int8[9]) == Approx(c.reports[2].accuracy.sqnrDb).margin(0.051));
    CHECK(std::stod(int8[9]) > 5);
    CHECK(std::stod(int8[9]) < std::stod(fp16[9]));

    // Per target the slowest layers, as the report has them.
    for (const report::ProfileReport& rep : c.reports) {
        const auto at = std::find(out.begin(), out.end(), rep.target + ": slowest layers");
        REQUIRE(at != out.end());
        const auto slowest =
            std::max_element(rep.nodes.begin(), rep.nodes.end(),
                             [](const auto& a, const auto& b) { return a.timeMs < b.timeMs; });
        const std::vector<std::string> first = words(*(at + 1));
        CHECK(first[0] ==
              (slowest->name.size() > 40 ? slowest->name.substr(0, 37) + "..." : slowest->name));
        CHECK(first[1] == slowest->op);
    }
    CHECK_THAT(r.err, Catch::Contains("2 rounds of 2 timed runs per target"));
}

TEST_CASE("cli bench: fallbacks listed per target, --recommend rejects them with --no-fallbacks",
          "[cli][bench]") {
    const test::CliRun r =
        bench({kPixelShuffle, "--targets", "cpu-fp32,reference", "--iterations", "1", "--warmup",
               "0", "--rounds", "1", "--recommend", "--no-fallbacks"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    INFO(r.out);
    const std::vector<std::string> out = lines(r.out);
    const auto at = std::find(out.begin(), out.end(), "cpu-fp32: fallbacks (2)");
    REQUIRE(at != out.end());
    CHECK(*(at + 1) == "  Reshape_1 (Reshape): unsupported-op \u2014 onednn: op Reshape is not in "
                       "the oneDNN backend's kernel table");
    CHECK_THAT(*(at + 2), Catch::StartsWith("  Reshape_4 (Reshape): unsupported-op \u2014 "));
    CHECK(std::find(out.begin(), out.end(), "reference: fallbacks (0)") == out.end());
    const auto rec = std::find(out.begin(), out.end(), "recommendation (no fallbacks)");
    REQUIRE(rec != out.end());
    REQUIRE(out.end() - rec == 4);
    CHECK_THAT(*(rec + 1), Catch::StartsWith("1. reference: ") && Catch::EndsWith(": fits"));
    CHECK_THAT(*(rec + 1), Catch::Contains("cpu-fp32, SQNR ")); // "2.1x slower than cpu-fp32"
    CHECK(*(rec + 2) == "-  cpu-fp32: rejected, 2 fallbacks");
    CHECK(*(rec + 3) == "recommended: reference");
}

TEST_CASE("cli bench: the seed's backend_config.json gives the targets and threads, and saves "
          "back with its unknown keys",
          "[cli][bench][models][backend-config]") {
    const std::string dir = test::makeTempDir("cli_bench_config");
    const std::string json = dir + "/cls.json";
    const std::string saved = dir + "/saved_config.json";
    std::vector<std::string> args = clsArgs();
    for (const char* a : {"--iterations", "1", "--rounds", "1", "--backend-config",
                                 kSeedConfig.c_str(), "--encodings", clsEncodings().c_str(),
                                 "--json", json.c_str(), "--save-backend-config", saved.c_str()})
        args.push_back(a);
    const test::CliRun r = bench(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    // The unknown keys, one warning each, naming the file and the key.
    for (const char* key :
         {"htp_config.vtcm_mb", "htp_config.enable_dma", "gpu_config.enable_transform_optimization",
          "cpu_config.enable_fast_math"})
        CHECK_THAT(r.err, Catch::Contains("layerbench-cli: warning: " + kSeedConfig + ": " + key +
                                          ": not a setting LayerBench maps"));
    const report::Comparison c = readComparison(json);
    REQUIRE(c.reports.size() == 3);
    CHECK(c.reports[0].target == "npu-int8");
    CHECK(c.reports[1].target == "gpu-fp16");
    CHECK(c.reports[2].target == "cpu-fp32");
    CHECK(c.reports[0].threads == 1); // --threads' default
    CHECK(c.reports[2].threads == 4); // cpu_config.num_threads
    // The file saved back: the seed's, unknown keys included, with the threads each target ran.
    run::BackendConfig expected = run::readBackendConfig(kSeedConfig).config;
    expected.sections[0].numThreads = 1;
    expected.sections[1].numThreads = 1;
    CHECK(run::readBackendConfig(saved).config == expected);

    // --targets picks among the config's targets; their threads still come from it.
    args = clsArgs();
    for (const char* a :
         {"--iterations", "1", "--rounds", "1", "--backend-config", kSeedConfig.c_str(),
          "--targets", "cpu-fp32,gpu-fp16", "--json", json.c_str()})
        args.push_back(a);
    const test::CliRun picked = bench(args);
    INFO(picked.err);
    REQUIRE(picked.code == 0);
    const report::Comparison p = readComparison(json);
    REQUIRE(p.reports.size() == 2);
    CHECK(p.reports[0].threads == 4);
    CHECK(p.reports[1].threads == 1);
}

TEST_CASE("cli bench --json - writes only the comparison, recommend reads it",
          "[cli][bench][models]") {
    std::vector<std::string> args = clsArgs();
    for (const char* a : {"--targets", "cpu-fp32,gpu-fp16", "--json", "-"})
        args.push_back(a);
    const test::CliRun r = bench(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out); // nothing else on stdout
    CHECK(report::toJson(report::comparisonFromJson(j)) == j);
    const std::string path = test::makeTempDir("cli_recommend") + "/c.json";
    std::ofstream(path) << r.out;

    const test::CliRun text = test::runCliInProcess({"recommend", path, "--min-sqnr", "30"});
    INFO(text.err);
    REQUIRE(text.code == 0);
    const report::Recommendation expected = report::recommend(report::comparisonFromJson(j), [] {
        report::Constraints c;
        c.minSqnrDb = 30;
        return c;
    }());
    std::vector<std::string> want = {"recommendation (SQNR >= 30 dB)"};
    for (const auto& v : expected.verdicts)
        want.push_back(std::to_string(v.rank) + ". " + v.line);
    want.push_back("recommended: " + expected.verdicts.front().target);
    CHECK(lines(text.out) == want);
    CHECK_THAT(want[1] + want[2], Catch::Contains("cpu-fp32: ") && Catch::Contains("gpu-fp16: "));

    const test::CliRun js = test::runCliInProcess({"recommend", path, "--json", "-"});
    REQUIRE(js.code == 0);
    CHECK(nlohmann::json::parse(js.out).at("targets").size() == 2);
}

TEST_CASE("cli bench: wrong targets and files fail in one line", "[cli][bench]") {
    const auto firstLine = [](const test::CliRun& r) { return lines(r.err).at(0); };
    test::CliRun r = bench({kPixelShuffle, "--targets", "cpu-fp32,tpu-int4"});
    CHECK(r.code == 2);
    CHECK_THAT(firstLine(r), Catch::StartsWith("layerbench-cli: error: --targets: unknown target "
                                               "'tpu-int4'; known: auto, cpu-fp32"));
    r = bench({kPixelShuffle, "--targets", "cpu-fp32,npu-int8"});
    CHECK(r.code == 2);
    CHECK(firstLine(r) == "layerbench-cli: error: --targets: npu-int8 runs int8 and needs "
                          "--encodings FILE.json (quantize writes one)");
    r = bench({kPixelShuffle, "--targets", "cpu-fp32,cpu-fp32"});
    CHECK(r.code == 1);
    CHECK(r.err == "layerbench-cli: error: bench: target 'cpu-fp32' is named twice\n");
    r = bench({kPixelShuffle, "--targets", "cpu-fp32,device:R58M1/npu-int8"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("'device:R58M1/npu-int8'") &&
                          Catch::Contains("device targets need a connected device"));
    CHECK(lines(r.err).size() == 1);
    r = bench({"/nonexistent/model.onnx", "--targets", "cpu-fp32"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent/model.onnx"));
    r = bench({kPixelShuffle, "--backend-config", "/nonexistent/backend_config.json"});
    CHECK(r.code == 1);
    CHECK(r.err == "layerbench-cli: error: '/nonexistent/backend_config.json': cannot read the "
                   "backend config\n");
    r = bench({kPixelShuffle, "--targets", "cpu-fp32,reference", "--save-backend-config",
               test::makeTempDir("cli_bench_save") + "/x.json"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Catch::Contains("one target per section"));

    // mobile-cpu is XNNPACK's: a build without it says so in one line, one with it runs it.
    const run::TargetInfo* mobile = run::findNamedTarget("mobile-cpu");
    REQUIRE(mobile);
    r = bench(
        {kPixelShuffle, "--targets", "cpu-fp32,mobile-cpu", "--iterations", "1", "--rounds", "1"});
    INFO(r.err);
    if (run::isAvailable(*mobile)) {
        CHECK(r.code == 0);
        CHECK_THAT(r.out, Catch::Contains("mobile-cpu: slowest layers"));
    } else {
        CHECK(r.code == 1);
        CHECK(r.err == "layerbench-cli: error: bench: target 'mobile-cpu' needs the 'xnnpack' "
                       "backend, which this build does not have\n");
    }
}

TEST_CASE("cli bench: without --targets, every named target built here but reference, npu-int8 "
          "only with encodings",
          "[cli][bench]") {
    const test::CliRun r = bench(
        {kPixelShuffle, "--iterations", "1", "--warmup", "0", "--rounds", "1", "--json", "-"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::vector<std::string> targets;
    for (const auto& rep : report::comparisonFromJson(nlohmann::json::parse(r.out)).reports)
        targets.push_back(rep.target);
    std::vector<std::string> expected;
    for (const std::string& t : run::availableTargetNames())
        if (t != "reference" && t != "npu-int8")
            expected.push_back(t);
    CHECK(targets == expected);
    CHECK(targets.front() == "cpu-fp32");
    CHECK(std::find(targets.begin(), targets.end(), "gpu-fp16") != targets.end());
}
