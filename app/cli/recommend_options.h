#pragma once

#include "report/recommend.h"

#include <ostream>

namespace CLI {
class App;
} // namespace CLI

namespace lb::cli {

// The constraints bench --recommend and recommend share: --budget-ms, --min-sqnr,
// --no-fallbacks, --max-threads. Stores into `c`, which must outlive the parse.
void addConstraintOptions(CLI::App& app, report::Constraints& c);
// "recommendation (p50 <= 5 ms, SQNR >= 20 dB)", then one line per target.
void printRecommendation(const report::Recommendation& rec, std::ostream& out);

} // namespace lb::cli
