// Qualcomm AI Hub's profile JSON (qai_hub ProfileJob.download_profile(), as its client builds the
// dict from the job's ProfileDetail and as AI Hub's docs describe it):
//   "execution_summary": {"estimated_inference_time": us, "estimated_inference_peak_memory":
//       bytes, "first_load_time": us, "warm_load_time": us, "all_inference_times": [us, ...],
//       ...}                                          (values may be null when not measured)
//   "execution_detail": [{"name": "/conv1/Conv", "type": "Conv", "compute_unit": "NPU" | "GPU" |
//       "CPU", "execution_time": us, "execution_cycles": n}, ...]
// Older clients write no execution_time per layer; those rows keep 0 ms and a warning says so.
#include "core/error.h"
#include "importers/import_util.h"
#include "importers/profile_import.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace lb::importers {

using nlohmann::json;

namespace {

// A number, or null / missing (-1).
double optionalNumber(const json& j, const char* key, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return -1;
    if (!it->is_number())
        fail(where, ": \"", key, "\" is not a number");
    return it->get<double>();
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

} // namespace

report::ProfileReport importAiHubProfile(const std::string& file, const std::string& text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        fail(file, ": not valid JSON (", e.what(), ")");
    }
    if (!doc.is_object())
        fail(file, ": expected an AI Hub profile object");
    const auto summary = doc.find("execution_summary");
    if (summary == doc.end() || !summary->is_object())
        fail(file, ": no \"execution_summary\" object");
    const auto detail = doc.find("execution_detail");
    if (detail == doc.end() || !detail->is_array())
        fail(file, ": no \"execution_detail\" array");

    const std::string where = file + ": execution_summary";
    const double estimatedUs = optionalNumber(*summary, "estimated_inference_time", where);
    if (estimatedUs < 0)
        fail(where, ": no \"estimated_inference_time\"");
    std::vector<double> runsMs;
    if (auto all = summary->find("all_inference_times"); all != summary->end() && !all->is_null()) {
        if (!all->is_array())
            fail(where, ": \"all_inference_times\" is not an array");
        for (size_t i = 0; i < all->size(); ++i) {
            if (!(*all)[i].is_number())
                fail(where, ": \"all_inference_times\"[", i, "] is not a number");
            runsMs.push_back((*all)[i].get<double>() / 1000.0);
        }
    }
    if (runsMs.empty())
        runsMs.push_back(estimatedUs / 1000.0);

    std::vector<report::NodeProfile> rows;
    std::map<std::string, int> perUnit;
    bool timed = true;
    for (size_t i = 0; i < detail->size(); ++i) {
        const json& layer = (*detail)[i];
        const std::string at = file + ": execution_detail[" + std::to_string(i) + "]";
        if (!layer.is_object())
            fail(at, ": expected an object");
        const auto str = [&](const char* key) {
            const auto it = layer.find(key);
            if (it == layer.end() || !it->is_string())
                fail(at, ": no string \"", key, "\"");
            return it->get<std::string>();
        };
        report::NodeProfile n;
        n.id = static_cast<uint32_t>(i);
        n.name = str("name");
        n.op = str("type");
        n.covers = {n.name};
        n.backend = lower(str("compute_unit"));
        n.macs = -1;
        const double us = optionalNumber(layer, "execution_time", at);
        if (us < 0)
            timed = false;
        n.timeMs = std::max(us, 0.0) / 1000.0;
        ++perUnit[n.backend];
        rows.push_back(std::move(n));
    }
    // The unit most layers ran on is the target's; layers elsewhere fell back (AI Hub runs what
    // the NPU cannot on the CPU or GPU).
    std::string main;
    int most = 0;
    for (const auto& [unit, count] : perUnit)
        if (count > most || (count == most && unit == "npu")) {
            main = unit;
            most = count;
        }
    report::ProfileReport r =
        detail::importedReport(file, main.empty() ? "aihub" : "aihub-" + main);
    r.backend = "aihub";
    r.runsMs = std::move(runsMs);
    const double peak = optionalNumber(*summary, "estimated_inference_peak_memory", where);
    if (peak >= 0)
        r.peakRssMb = peak / 1048576.0;
    for (report::NodeProfile& n : rows) {
        if (n.backend != main)
            n.fallback = {"compute-unit", "ran on " + n.backend + "; " + std::to_string(most) +
                                              " of " + std::to_string(rows.size()) +
                                              " layers ran on " + main};
        r.nodes.push_back(std::move(n));
    }
    std::string units;
    for (const auto& [unit, count] : perUnit)
        units += (units.empty() ? "" : ", ") + unit + " " + std::to_string(count);
    r.notes.push_back(
        "imported from a Qualcomm AI Hub profile: " + std::to_string(r.nodes.size()) + " layers (" +
        units + "), latency " +
        (r.runsMs.size() > 1 ? "over all_inference_times" : "the estimated_inference_time") +
        (peak >= 0 ? ", peak memory the estimated_inference_peak_memory" : ""));
    if (!timed && !rows.empty())
        r.warnings.push_back(file + ": layers without \"execution_time\" keep 0 ms");
    detail::finishReport(r);
    return r;
}

} // namespace lb::importers
