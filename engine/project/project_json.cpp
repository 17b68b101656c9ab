#include "project/project_json.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace lb::project {

using nlohmann::json;

namespace {

constexpr const char* kSchema = "layerbench.project";

template <typename T> T need(const json& j, const char* key, const std::string& where) {
    const auto it = j.find(key);
    if (it == j.end())
        fail("project file: ", where, " has no key ", quoted(key));
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        fail("project file: ", where, " key ", quoted(key), " has the wrong type");
    }
}

template <typename T>
T optional(const json& j, const char* key, const std::string& where, T fallback) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        fail("project file: ", where, " key ", quoted(key), " has the wrong type");
    }
}

// The encodings as the file they would be written to holds them: 0.6.1 keeps a stated min/max,
// 1.0.0 derives it, so each set goes in the form it came in.
quant::EncodingsFormat formatOf(const quant::EncodingSet& set) {
    return set.version.rfind("0.", 0) == 0 ? quant::EncodingsFormat::V061
                                           : quant::EncodingsFormat::V100;
}

std::string formatName(quant::EncodingsFormat format) {
    return format == quant::EncodingsFormat::V061 ? "0.6.1" : "1.0.0";
}

json encodingsJson(const EncodingsVersion& v) {
    json j = {{"origin", originName(v.origin)},
              {"source", v.source},
              {"file", v.file},
              {"format", formatName(v.format)}};
    if (v.encodings) {
        j["encodings"] =
            json::parse(quant::writeEncodingsJson(*v.encodings, formatOf(*v.encodings)));
        // The writer states its own version; the set's own ("" for a calibration's) is kept too.
        j["set_version"] = v.encodings->version;
    }
    if (v.report)
        j["report"] = report::toJson(*v.report);
    return j;
}

EncodingsVersion encodingsFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        fail("project file: ", where, " is not a JSON object");
    EncodingsVersion v;
    const std::string origin = need<std::string>(j, "origin", where);
    const auto parsed = originFromName(origin);
    if (!parsed)
        fail("project file: ", where, " has origin ", quoted(origin),
             " (expected calibrated, mixed-precision, edited, imported or recovered)");
    v.origin = *parsed;
    v.source = optional<std::string>(j, "source", where, "");
    v.file = optional<std::string>(j, "file", where, "");
    const std::string format = optional<std::string>(j, "format", where, "1.0.0");
    if (format != "1.0.0" && format != "0.6.1")
        fail("project file: ", where, " has format ", quoted(format),
             " (expected \"1.0.0\" or \"0.6.1\")");
    v.format = format == "0.6.1" ? quant::EncodingsFormat::V061 : quant::EncodingsFormat::V100;
    if (const auto it = j.find("encodings"); it != j.end() && !it->is_null()) {
        quant::EncodingSet set = quant::parseEncodingsJson(it->dump(), "project file: " + where);
        set.version = optional<std::string>(j, "set_version", where, set.version);
        set.issues.clear(); // the reader's notes on a text it wrote itself
        v.encodings = std::make_shared<const quant::EncodingSet>(std::move(set));
    }
    if (const auto it = j.find("report"); it != j.end() && !it->is_null())
        v.report = std::make_shared<const report::QuantReport>(report::quantReportFromJson(*it));
    return v;
}

json versionJson(const ModelVersion& version) {
    json shapes = json::object();
    for (const auto& [name, shape] : version.inputShapes())
        shapes[name] = shape;
    json runs = json::array();
    for (const Run& run : version.runs()) {
        json entry = {{"spec", run::toJson(run.spec)}};
        entry["report"] = run.report ? report::toJson(*run.report) : json(nullptr);
        runs.push_back(std::move(entry));
    }
    json encodings = json::array();
    for (const EncodingsVersion& v : version.encodingsVersions())
        encodings.push_back(encodingsJson(v));
    return {{"label", version.label()},   {"parent", version.parent()}, {"model", version.path()},
            {"sha256", version.sha256()}, {"input_shapes", shapes},     {"runs", runs},
            {"encodings", encodings}};
}

std::shared_ptr<ModelVersion> versionFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        fail("project file: ", where, " is not a JSON object");
    auto version = std::make_shared<ModelVersion>(
        need<std::string>(j, "model", where), optional<std::string>(j, "sha256", where, ""),
        optional<std::map<std::string, Shape>>(j, "input_shapes", where, {}));
    version->setLabel(optional<std::string>(j, "label", where, "original"));
    version->setParent(optional<int>(j, "parent", where, -1));
    const json runs = optional<json>(j, "runs", where, json::array());
    if (!runs.is_array())
        fail("project file: ", where, " key \"runs\" must be a list");
    for (size_t i = 0; i < runs.size(); ++i) {
        const std::string at = where + " run " + std::to_string(i);
        const json& entry = runs[i];
        if (!entry.is_object())
            fail("project file: ", at, " is not a JSON object");
        run::RunSpec spec = run::runSpecFromJson(need<json>(entry, "spec", at));
        const json report = need<json>(entry, "report", at);
        version->addRun(std::move(spec), report.is_null()
                                             ? nullptr
                                             : std::make_shared<const report::ProfileReport>(
                                                   report::profileReportFromJson(report)));
    }
    const json encodings = optional<json>(j, "encodings", where, json::array());
    if (!encodings.is_array())
        fail("project file: ", where, " key \"encodings\" must be a list");
    for (size_t i = 0; i < encodings.size(); ++i)
        version->addEncodings(
            encodingsFromJson(encodings[i], where + " encodings " + std::to_string(i)));
    return version;
}

} // namespace

json toJson(const Project& project) {
    json versions = json::array();
    for (const auto& version : project.versions())
        versions.push_back(versionJson(*version));
    return {{"schema", kSchema},
            {"version", kProjectSchemaVersion},
            {"name", project.name()},
            {"current", project.currentIndex()},
            {"versions", versions}};
}

Project projectFromJson(const json& j) {
    if (!j.is_object())
        fail("project file: expected a JSON object");
    const std::string schema = optional<std::string>(j, "schema", "the file", "");
    if (schema != kSchema)
        fail("project file: key \"schema\" is ", quoted(schema), ", expected \"", kSchema, "\"");
    const int version = need<int>(j, "version", "the file");
    if (version < 1 || version > kProjectSchemaVersion)
        fail("project file: version ", version, " is newer than this LayerBench reads (",
             kProjectSchemaVersion, "); update LayerBench");
    Project project(optional<std::string>(j, "name", "the file", ""));
    const json versions = need<json>(j, "versions", "the file");
    if (!versions.is_array())
        fail("project file: key \"versions\" must be a list");
    for (size_t i = 0; i < versions.size(); ++i)
        project.addVersion(versionFromJson(versions[i], "version " + std::to_string(i)));
    const int current = optional<int>(j, "current", "the file", project.currentIndex());
    if (!project.empty())
        project.setCurrent(current);
    return project;
}

} // namespace lb::project
