#pragma once

#include "report/profile_report.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace lb::report {

// A comparison is a list of reports (DESIGN.md, "Targets, devices and comparisons"): what
// `layerbench-cli bench` writes, `compare` reads and the Compare view and the recommendation
// take. Reports of any source (local, device, imported) sit side by side; rows of different
// reports match by the ONNX node names they cover. JSON "schema" "layerbench.comparison".
struct Comparison {
    static constexpr int kSchemaVersion = 1;

    std::string reference; // the target the reports' accuracy is measured against; "" none
    int rounds = 0;        // bench rounds (targets alternate between rounds); 0 when assembled
    std::vector<ProfileReport> reports;
    std::vector<std::string> notes;
    bool operator==(const Comparison&) const = default;
};

nlohmann::json toJson(const Comparison& comparison);
// Reads a comparison, or a single profile report as a comparison of one. Throws lb::Error naming
// the report (by index) and the key at fault.
Comparison comparisonFromJson(const nlohmann::json& json);

} // namespace lb::report
