#pragma once

#include "report/comparison.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lb::report {

// What the user's deployment allows (issue #12, "Recommend"). Unset: no limit.
struct Constraints {
    std::optional<double> budgetMs;  // p50 latency at most this
    std::optional<double> minSqnrDb; // worst output's SQNR against the reference at least this
    bool noFallbacks = false;        // no row may have fallen back (unsupported op, int8 declined)
    std::optional<int> maxThreads;   // measured with at most this many threads
    // p50 latencies within this fraction of each other are a tie, broken by the higher SQNR, then
    // the fewer fallbacks: machine noise is a few percent, so a 1% lead is no lead.
    double tieFraction = 0.02;
};

// One target's verdict, from its numbers.
struct Verdict {
    std::string target;
    bool fits = false;
    int rank = 0; // 1 = recommended; 0 when it does not fit
    double p50Ms = 0;
    double sqnrDb = 0; // NaN when not measured
    int fallbacks = 0;
    int threads = 0;
    std::vector<std::string> rejections; // "3 fallbacks", "p50 12.4 ms > budget 10 ms", ...
    // One line: "npu-int8: 0.41 ms p50, 2.3x faster than cpu-fp32, SQNR 24.1 dB >= 20: fits"
    // or "gpu-fp16: rejected, 3 fallbacks".
    std::string line;
};

struct Recommendation {
    Constraints constraints;
    std::vector<Verdict> verdicts; // those that fit by rank, then the rejected in report order
    // The constraints in words ("p50 <= 5 ms, SQNR >= 20 dB, no fallbacks"); "none" without.
    std::string constraintsText() const;
    // The best target, or nullptr when none fits.
    const Verdict* best() const;
};

// Ranks the comparison's reports: those that meet every constraint by p50 latency (ties by SQNR,
// then fallbacks), each with one line saying why from the numbers; speed ratios are against the
// comparison's reference target when it was measured, else against the slowest report. Throws
// lb::Error when the comparison has no reports or a report has no latency.
Recommendation recommend(const Comparison& comparison, const Constraints& constraints);

// {"constraints": {...}, "recommended": "npu-int8" or null, "targets": [{"target", "fits",
// "rank", "p50_ms", "sqnr_db", "fallbacks", "threads", "rejections", "line"}]}
nlohmann::json toJson(const Recommendation& recommendation);

} // namespace lb::report
