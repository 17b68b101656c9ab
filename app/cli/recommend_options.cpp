#include "recommend_options.h"

#include "args.h"

#include <CLI/CLI.hpp>

namespace lb::cli {

void addConstraintOptions(CLI::App& app, report::Constraints& c) {
    report::Constraints* p = &c;
    app.add_option_function<double>(
           "--budget-ms", [p](double v) { p->budgetMs = v; },
           "latency budget: a target whose p50 is above it is rejected")
        ->type_name("MS")
        ->check(decimalNumber(0.0));
    app.add_option_function<double>(
           "--min-sqnr", [p](double v) { p->minSqnrDb = v; },
           "minimum output SQNR against the reference (the worst output's); below it, or not "
           "measured, a target is rejected")
        ->type_name("DB")
        ->check(decimalNumber());
    app.add_flag("--no-fallbacks", p->noFallbacks,
                 "reject a target where any node fell back (an op its backend lacks, int8 "
                 "declined)");
    app.add_option_function<int>(
           "--max-threads", [p](int v) { p->maxThreads = v; },
           "reject a target measured with more threads than the deployment has")
        ->type_name("N")
        ->check(wholeNumber(1));
}

void printRecommendation(const report::Recommendation& rec, std::ostream& out) {
    out << "recommendation (" << rec.constraintsText() << ")\n";
    for (const report::Verdict& v : rec.verdicts)
        out << (v.fits ? std::to_string(v.rank) + ". " : "-  ") << v.line << '\n';
    const report::Verdict* best = rec.best();
    out << (best ? "recommended: " + best->target : std::string("no target fits")) << '\n';
}

} // namespace lb::cli
