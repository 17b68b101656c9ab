// The recommendation (report/recommend.h) on hand-built comparisons: each constraint rejects with
// its numbers, the rest rank by p50, ties within 2% go to the higher SQNR, then fewer fallbacks.
#include "core/error.h"
#include "report/recommend.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

using namespace lb;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNotMeasured = -12345; // marker for makeReport: no accuracy

report::ProfileReport makeReport(const std::string& target, double p50, double sqnr,
                                 int fallbacks = 0, int threads = 1) {
    report::ProfileReport r;
    r.target = target;
    r.backend = target;
    r.threads = threads;
    r.runsMs = {p50 * 0.99, p50, p50 * 1.01};
    r.latencyMs = report::latencyStats(r.runsMs);
    r.iterations = 3;
    if (sqnr != kNotMeasured) {
        r.accuracy.reference = "cpu-fp32";
        r.accuracy.sqnrDb = sqnr;
    }
    for (int k = 0; k < fallbacks + 2; ++k) {
        report::NodeProfile n;
        n.name = "n" + std::to_string(k);
        n.op = "Conv";
        if (k < fallbacks)
            n.fallback = {"unsupported-op", "not in the kernel table"};
        r.nodes.push_back(n);
    }
    return r;
}

report::Comparison fourTargets() {
    report::Comparison c;
    c.reference = "cpu-fp32";
    c.reports = {makeReport("cpu-fp32", 0.943, kInf), makeReport("gpu-fp16", 0.80, 61.2, 3),
                 makeReport("npu-int8", 0.41, 24.1), makeReport("reference", 9.5, 130.0)};
    return c;
}

std::vector<std::string> lines(const report::Recommendation& r) {
    std::vector<std::string> out;
    for (const auto& v : r.verdicts)
        out.push_back(v.line);
    return out;
}

} // namespace

TEST_CASE("recommend: without constraints every target fits, fastest first, ratios against the "
          "reference",
          "[report][recommend]") {
    const report::Recommendation r = report::recommend(fourTargets(), {});
    CHECK(r.constraintsText() == "none");
    CHECK(lines(r) ==
          std::vector<std::string>{
              "npu-int8: 0.41 ms p50, 2.3x faster than cpu-fp32, SQNR 24.1 dB: fits",
              "gpu-fp16: 0.80 ms p50, 1.2x faster than cpu-fp32, SQNR 61.2 dB, 3 fallbacks: fits",
              "cpu-fp32: 0.94 ms p50, the reference, SQNR inf dB: fits",
              "reference: 9.50 ms p50, 10.1x slower than cpu-fp32, SQNR 130.0 dB: fits"});
    REQUIRE(r.best());
    CHECK(r.best()->target == "npu-int8");
    CHECK(r.verdicts[0].rank == 1);
    CHECK(r.verdicts[3].rank == 4);
}

TEST_CASE("recommend: the SQNR floor and the fallback ban reject with their numbers",
          "[report][recommend]") {
    report::Constraints c;
    c.minSqnrDb = 30;
    c.noFallbacks = true;
    const report::Recommendation r = report::recommend(fourTargets(), c);
    CHECK(r.constraintsText() == "SQNR >= 30 dB, no fallbacks");
    CHECK(lines(r) == std::vector<std::string>{
                          "cpu-fp32: 0.94 ms p50, the reference, SQNR inf dB >= 30: fits",
                          "reference: 9.50 ms p50, 10.1x slower than cpu-fp32, SQNR 130.0 dB >= "
                          "30: fits",
                          "gpu-fp16: rejected, 3 fallbacks",
                          "npu-int8: rejected, SQNR 24.1 dB < 30"});
    CHECK(r.best()->target == "cpu-fp32");
    CHECK_FALSE(r.verdicts[2].fits);
    CHECK(r.verdicts[2].rank == 0);

    // At 20 dB the int8 target fits and wins; the fp16 one still has its fallbacks.
    c.minSqnrDb = 20;
    const report::Recommendation r20 = report::recommend(fourTargets(), c);
    CHECK(r20.verdicts[0].line ==
          "npu-int8: 0.41 ms p50, 2.3x faster than cpu-fp32, SQNR 24.1 dB >= 20: fits");
}

TEST_CASE("recommend: the latency budget and the thread limit", "[report][recommend]") {
    report::Comparison comparison = fourTargets();
    comparison.reports[2].threads = 4; // npu-int8 measured on 4 threads
    report::Constraints c;
    c.budgetMs = 0.9;
    c.maxThreads = 2;
    const report::Recommendation r = report::recommend(comparison, c);
    CHECK(r.constraintsText() == "p50 <= 0.9 ms, at most 2 threads");
    CHECK(lines(r) ==
          std::vector<std::string>{
              "gpu-fp16: 0.80 ms p50 <= 0.9, 1.2x faster than cpu-fp32, SQNR 61.2 dB, 3 "
              "fallbacks, 1 thread: fits",
              "cpu-fp32: rejected, p50 0.94 ms > budget 0.9 ms",
              "npu-int8: rejected, measured with 4 threads > 2 allowed",
              "reference: rejected, p50 9.50 ms > budget 0.9 ms"});
    // Several reasons are all given.
    c.minSqnrDb = 200;
    const report::Recommendation none = report::recommend(comparison, c);
    CHECK(none.best() == nullptr);
    CHECK(none.verdicts.back().line ==
          "reference: rejected, p50 9.50 ms > budget 0.9 ms, SQNR 130.0 dB < 200");
}

TEST_CASE("recommend: a tie on latency goes to the higher SQNR, then to fewer fallbacks",
          "[report][recommend]") {
    report::Comparison c;
    c.reference = "cpu-fp32";
    // gpu-fp16 is 1% faster than onednn-int8 but less accurate: within 2% that is a tie.
    c.reports = {makeReport("cpu-fp32", 2.0, kInf), makeReport("gpu-fp16", 0.990, 40.0),
                 makeReport("onednn", 1.000, 55.0)};
    report::Recommendation r = report::recommend(c, {});
    CHECK(lines(r) == std::vector<std::string>{
                          "onednn: 1.00 ms p50, 2.0x faster than cpu-fp32, SQNR 55.0 dB; tied "
                          "with gpu-fp16 on latency (within 2%), higher SQNR: fits",
                          "gpu-fp16: 0.99 ms p50, 2.0x faster than cpu-fp32, SQNR 40.0 dB; tied "
                          "with onednn on latency (within 2%), onednn has higher SQNR: fits",
                          "cpu-fp32: 2.00 ms p50, the reference, SQNR inf dB: fits"});

    // Equal SQNR: the fewer fallbacks win the tie.
    c.reports[1] = makeReport("gpu-fp16", 0.990, 55.0, 2);
    r = report::recommend(c, {});
    CHECK(r.verdicts[0].target == "onednn");
    CHECK(r.verdicts[0].line.find("fewer fallbacks") != std::string::npos);
    CHECK(r.verdicts[1].line.find("onednn has fewer fallbacks") != std::string::npos);

    // Equal in everything: the faster p50 stays first.
    c.reports[1] = makeReport("gpu-fp16", 0.990, 55.0);
    r = report::recommend(c, {});
    CHECK(r.verdicts[0].target == "gpu-fp16");
    CHECK(r.verdicts[1].line.find("slower p50") != std::string::npos);

    // Beyond the tie fraction the faster target wins whatever its SQNR.
    c.reports[1] = makeReport("gpu-fp16", 0.95, 40.0);
    r = report::recommend(c, {});
    CHECK(r.verdicts[0].target == "gpu-fp16");
    CHECK(r.verdicts[0].line.find("tied") == std::string::npos);
    // A wider tie fraction makes it a tie again.
    report::Constraints wide;
    wide.tieFraction = 0.10;
    CHECK(report::recommend(c, wide).verdicts[0].target == "onednn");
}

TEST_CASE("recommend: unmeasured accuracy, NaN outputs, no reference, bad comparisons",
          "[report][recommend]") {
    report::Comparison c;
    c.reports = {makeReport("a", 1.0, kNotMeasured), makeReport("b", 2.0, kNotMeasured),
                 makeReport("c", 0.5, std::nan(""))};
    // Without a measured reference the ratios are against the slowest; NaN outputs never fit.
    report::Recommendation r = report::recommend(c, {});
    CHECK(lines(r) == std::vector<std::string>{"a: 1.00 ms p50, 2.0x faster than b: fits",
                                               "b: 2.00 ms p50, the slowest: fits",
                                               "c: rejected, NaN outputs against cpu-fp32"});
    report::Constraints floor;
    floor.minSqnrDb = 10;
    r = report::recommend(c, floor);
    CHECK(r.best() == nullptr);
    CHECK(r.verdicts[0].line == "a: rejected, SQNR not measured (no reference run)");

    const nlohmann::json j = report::toJson(report::recommend(fourTargets(), floor));
    CHECK(j.at("recommended") == "npu-int8");
    CHECK(j.at("constraints").at("min_sqnr_db") == 10.0);
    CHECK(j.at("targets").size() == 4);
    CHECK(j.at("targets")[2].at("sqnr_db") == "inf");
    CHECK(report::toJson(r).at("recommended").is_null());

    CHECK_THROWS_WITH(report::recommend(report::Comparison{}, {}), Catch::Contains("no reports"));
    report::Comparison empty;
    empty.reports = {report::ProfileReport{}};
    empty.reports[0].target = "cpu-fp32";
    CHECK_THROWS_WITH(report::recommend(empty, {}),
                      Catch::Contains("'cpu-fp32'") && Catch::Contains("no latency"));
}
