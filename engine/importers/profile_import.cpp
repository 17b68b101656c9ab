#include "importers/profile_import.h"

#include "core/error.h"
#include "core/file_io.h"
#include "importers/import_util.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::importers {

namespace detail {

report::ProfileReport importedReport(const std::string& file, const std::string& target) {
    report::ProfileReport r;
    r.source = "imported";
    r.model = file;
    r.target = target;
    r.backend = target;
    r.threads = 1;
    return r;
}

void finishReport(report::ProfileReport& r) {
    r.latencyMs = report::latencyStats(r.runsMs);
    r.iterations = static_cast<int>(r.runsMs.size());
    r.throughputPerS = r.latencyMs.mean > 0 ? 1000.0 / r.latencyMs.mean : 0.0;
    double total = 0;
    for (const report::NodeProfile& n : r.nodes)
        total += n.timeMs;
    for (report::NodeProfile& n : r.nodes)
        n.share = total > 0 ? n.timeMs / total : 0.0;
}


} // namespace detail

const std::vector<FormatInfo>& profileFormats() {
    static const std::vector<FormatInfo> formats = {
        {ProfileFormat::LayerBench, "layerbench",
         "LayerBench profile report or comparison (JSON with \"schema\": \"layerbench.profile\" or "
         "\"layerbench.comparison\")"},
        {ProfileFormat::OrtProfile, "ort-profile",
         "ONNX Runtime profile (JSON trace events with \"cat\": \"Node\" / \"Session\", written "
         "with "
         "enable_profiling)"},
        {ProfileFormat::QnnCsv, "qnn-csv",
         "qnn-profile-viewer CSV (header with Message, Time, Unit of Measurement, Event Level, "
         "Event Identifier)"},
        {ProfileFormat::AiHubProfile, "aihub-profile",
         "Qualcomm AI Hub profile (JSON with \"execution_summary\" and \"execution_detail\")"},
    };
    return formats;
}

const FormatInfo& formatInfo(ProfileFormat format) {
    for (const FormatInfo& f : profileFormats())
        if (f.format == format)
            return f;
    fail("profile import: unknown format ", static_cast<int>(format));
}

std::string formatList() {
    std::string list;
    for (const FormatInfo& f : profileFormats())
        list += (list.empty() ? "" : "; ") + std::string(f.description);
    return list;
}

namespace {

size_t firstContent(const std::string& text) {
    size_t at = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; // a UTF-8 byte order mark
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])))
        ++at;
    return at;
}

bool isOrtEvent(const nlohmann::json& e) {
    if (!e.is_object())
        return false;
    const auto cat = e.find("cat");
    return cat != e.end() && (*cat == "Node" || *cat == "Session");
}

} // namespace

ProfileFormat detectFormat(const std::string& file, const std::string& text) {
    const size_t at = firstContent(text);
    const auto none = [&](const std::string& why) -> ProfileFormat {
        fail(file, ": ", why, "; LayerBench reads: ", formatList());
    };
    if (at == text.size())
        return none("the file is empty");
    if (text[at] == '{' || text[at] == '[') {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& e) {
            fail(file, ": not valid JSON (", e.what(), ")");
        }
        if (j.is_object()) {
            if (auto s = j.find("schema"); s != j.end() && s->is_string() &&
                                           s->get<std::string>().rfind("layerbench.", 0) == 0)
                return ProfileFormat::LayerBench;
            if (j.contains("execution_summary"))
                return ProfileFormat::AiHubProfile;
            if (auto events = j.find("traceEvents"); events != j.end() && events->is_array()) {
                for (const auto& e : *events)
                    if (isOrtEvent(e))
                        return ProfileFormat::OrtProfile;
                return none("a Chrome trace without ONNX Runtime's \"Node\" or \"Session\" events "
                            "(a LayerBench --trace? compare its --json report instead)");
            }
        } else {
            for (const auto& e : j)
                if (isOrtEvent(e))
                    return ProfileFormat::OrtProfile;
        }
        return none("JSON in none of the known shapes");
    }
    const std::string firstLine = text.substr(at, text.find('\n', at) - at);
    if (firstLine.find("Event Identifier") != std::string::npos &&
        firstLine.find("Message") != std::string::npos)
        return ProfileFormat::QnnCsv;
    return none("neither JSON nor a CSV with qnn-profile-viewer's header");
}

report::Comparison readReports(const std::string& file) {
    const std::string text = readFileBytes(file, ": cannot open");
    report::Comparison c;
    switch (detectFormat(file, text)) {
    case ProfileFormat::LayerBench:
        try {
            return report::comparisonFromJson(nlohmann::json::parse(text));
        } catch (const Error& e) {
            fail(file, ": ", e.what());
        }
    case ProfileFormat::OrtProfile:
        c.reports.push_back(importOrtProfile(file, text));
        break;
    case ProfileFormat::QnnCsv:
        c.reports.push_back(importQnnCsv(file, text));
        break;
    case ProfileFormat::AiHubProfile:
        c.reports.push_back(importAiHubProfile(file, text));
        break;
    }
    return c;
}

report::Comparison readComparison(const std::vector<std::string>& files, const ir::Graph* model,
                                  const std::string& modelPath) {
    report::Comparison all;
    for (const std::string& file : files) {
        report::Comparison c = readReports(file);
        if (all.reference.empty())
            all.reference = c.reference;
        all.rounds = std::max(all.rounds, c.rounds);
        for (report::ProfileReport& r : c.reports) {
            if (model && r.source == "imported") {
                const size_t mapped = mapRowsToGraph(r, *model);
                r.model = modelPath;
                r.notes.push_back(std::to_string(mapped) + " of " + std::to_string(r.nodes.size()) +
                                  " rows map onto nodes of " + modelPath);
            }
            all.reports.push_back(std::move(r));
        }
        all.notes.insert(all.notes.end(), c.notes.begin(), c.notes.end());
    }
    return all;
}

report::ProfileReport readProfile(const std::string& file) {
    report::Comparison c = readReports(file);
    if (c.reports.size() != 1)
        fail(file, ": a comparison of ", c.reports.size(), " reports, expected one profile");
    return std::move(c.reports.front());
}

} // namespace lb::importers
