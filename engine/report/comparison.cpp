#include "report/comparison.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace lb::report {

using nlohmann::json;

json toJson(const Comparison& c) {
    json reports = json::array();
    for (const ProfileReport& r : c.reports)
        reports.push_back(toJson(r));
    return {{"schema", "layerbench.comparison"},
            {"version", Comparison::kSchemaVersion},
            {"reference_target", c.reference},
            {"rounds", c.rounds},
            {"reports", reports},
            {"notes", c.notes}};
}

Comparison comparisonFromJson(const json& j) {
    if (!j.is_object())
        fail("comparison: expected a JSON object");
    Comparison c;
    const auto schema = j.find("schema");
    if (schema != j.end() && schema->is_string() &&
        schema->get<std::string>().rfind("layerbench.profile", 0) == 0) {
        c.reports.push_back(profileReportFromJson(j));
        return c;
    }
    if (schema == j.end() || *schema != "layerbench.comparison")
        fail("comparison: expected \"schema\": \"layerbench.comparison\" or a LayerBench profile "
             "report");
    const int version = j.value("version", 1);
    if (version < 1 || version > Comparison::kSchemaVersion)
        fail("comparison: version ", version, " is newer than this LayerBench reads (",
             Comparison::kSchemaVersion, "); update LayerBench");
    try {
        c.reference = j.value("reference_target", std::string());
        c.rounds = j.value("rounds", 0);
        c.notes = j.value("notes", std::vector<std::string>());
    } catch (const json::exception&) {
        fail("comparison: reference, rounds or notes has the wrong type");
    }
    const auto reports = j.find("reports");
    if (reports == j.end() || !reports->is_array())
        fail("comparison: no \"reports\" array");
    for (size_t i = 0; i < reports->size(); ++i) {
        try {
            c.reports.push_back(profileReportFromJson((*reports)[i]));
        } catch (const Error& e) {
            fail("comparison: report ", i, ": ", e.what());
        }
    }
    return c;
}

} // namespace lb::report
