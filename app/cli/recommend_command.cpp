#include "args.h"
#include "command.h"
#include "core/error.h"
#include "recommend_options.h"
#include "report/comparison.h"
#include "report/recommend.h"
#include "report_output.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

struct RecommendArgs {
    std::string comparison;
    report::Constraints constraints;
    std::string jsonPath;
};

report::Comparison readComparison(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        fail(path, ": cannot read");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        fail(path, ": not JSON (", e.what(), ")");
    }
    try {
        return report::comparisonFromJson(json);
    } catch (const Error& e) {
        fail(path, ": ", e.what());
    }
}

int runRecommend(const RecommendArgs& a, CommandIo io) {
    const report::Comparison comparison = readComparison(a.comparison);
    report::Recommendation rec;
    try {
        rec = report::recommend(comparison, a.constraints);
    } catch (const Error& e) {
        fail(a.comparison, ": ", e.what());
    }
    if (!a.jsonPath.empty())
        writeJsonFile(a.jsonPath, report::toJson(rec), io.out);
    if (a.jsonPath != "-")
        printRecommendation(rec, io.out);
    return 0;
}

CommandAction defineRecommend(CLI::App& app) {
    auto a = std::make_shared<RecommendArgs>();
    app.description(
        "Rank the targets of a comparison for a deployment's constraints.\n\n"
        "Reads a comparison (as bench --json writes it, or one profile report), rejects the "
        "targets that break a constraint (latency budget, minimum output SQNR, fallbacks, "
        "threads) and ranks the rest by p50 latency; latencies within 2% are a tie, broken by "
        "the higher SQNR, then the fewer fallbacks. One line per target says why, from the "
        "numbers.");
    app.add_option("COMPARISON", a->comparison, "a comparison JSON file (bench --json)")
        ->required()
        ->type_name("FILE.json");
    addConstraintOptions(app, a->constraints);
    app.add_option("--json", a->jsonPath,
                   "write the ranking as JSON to FILE ('-': stdout, instead of the text)")
        ->type_name("FILE|-");
    app.footer("# the fastest target within 5 ms whose outputs stay within 20 dB of cpu-fp32\n"
               "layerbench-cli recommend cls_targets.json --budget-ms 5 --min-sqnr 20 "
               "--no-fallbacks");
    return [a](CommandIo io) { return runRecommend(*a, io); };
}

} // namespace

const Command& recommendCommand() {
    static const Command command{"recommend", &defineRecommend};
    return command;
}

} // namespace lb::cli
