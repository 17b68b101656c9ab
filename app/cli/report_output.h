#pragma once

#include "report/profile_report.h"

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>

namespace lb::cli {

// Writes JSON to `path`, or to `out` when the path is "-". Throws lb::Error naming the path.
void writeJsonFile(const std::string& path, const nlohmann::json& json, std::ostream& out);
// Milliseconds as the text reports show them: 3 decimals under 10, 2 above.
std::string msText(double ms);
// One row that did not run as asked: "node (op): code — text".
std::string fallbackLine(const report::NodeProfile& node);
// How many rows fell back.
int fallbackCount(const report::ProfileReport& report);

} // namespace lb::cli
