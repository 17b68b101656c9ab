#include "run/backend_config.h"

#include "core/error.h"
#include "core/file_io.h"
#include "run/targets.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::run {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSuffix = "_config";

// The target each QNN backend stands for here, and the precision it runs.
struct Kind {
    const char* name;
    const char* target;
};
constexpr Kind kKinds[] = {{"htp", "npu-int8"}, {"gpu", "gpu-fp16"}, {"cpu", "cpu-fp32"}};

const Kind* findKind(const std::string& name) {
    for (const Kind& k : kKinds)
        if (name == k.name)
            return &k;
    return nullptr;
}

std::string where(const std::string& source, const std::string& section, const std::string& key) {
    return source + ": " + section + (key.empty() ? "" : "." + key);
}

void wholeNumber(const Json& value, const std::string& at, int min) {
    if (!value.is_number_integer() || value.get<long long>() < min ||
        value.get<long long>() > (1 << 20))
        fail(at, ": expected a whole number >= ", min, ", got ", value.dump());
}

std::string text(const Json& value, const std::string& at) {
    if (!value.is_string())
        fail(at, ": expected a string, got ", value.dump());
    return value.get<std::string>();
}

BackendSection readSection(const std::string& kind, const Json& json, const std::string& source,
                           std::vector<std::string>& warnings) {
    const std::string name = kind + kSuffix;
    if (!json.is_object())
        fail(where(source, name, ""), ": expected an object of settings, got ", json.dump());
    BackendSection s;
    s.kind = kind;
    for (const auto& [key, value] : json.items()) {
        const std::string at = where(source, name, key);
        if (key == "target") {
            s.target = text(value, at);
            if (!findNamedTarget(s.target))
                fail(at, ": unknown target ", lb::quoted(s.target), "; expected one of ",
                     targetChoices());
        } else if (key == "precision_mode") {
            s.precisionMode = text(value, at);
            if (s.precisionMode != "int8" && s.precisionMode != "fp16" && s.precisionMode != "fp32")
                fail(at, ": expected \"int8\", \"fp16\" or \"fp32\", got ", value.dump());
        } else if (key == "num_threads") {
            wholeNumber(value, at, 1);
            s.numThreads = value.get<int>();
        } else if (key == "performance_mode") {
            s.performanceMode = text(value, at);
        } else if (key == "device_id") {
            wholeNumber(value, at, 0);
            s.deviceId = value.get<int>();
        } else {
            s.unknown.push_back({key, value.dump()});
            warnings.push_back(at + ": not a setting LayerBench maps onto a target; kept, "
                                    "written back on save");
        }
    }
    return s;
}

} // namespace

const std::vector<std::string>& backendConfigKinds() {
    static const std::vector<std::string> kinds = [] {
        std::vector<std::string> k;
        for (const Kind& kind : kKinds)
            k.push_back(std::string(kind.name) + kSuffix);
        return k;
    }();
    return kinds;
}

BackendConfigRead backendConfigFromText(const std::string& text, const std::string& source) {
    Json json;
    try {
        json = Json::parse(text, nullptr, true, /*ignore_comments=*/true);
    } catch (const Json::parse_error& e) {
        std::string what = e.what(); // "[json.exception.parse_error.101] parse error at ..."
        if (const size_t p = what.find("] "); p != std::string::npos)
            what = what.substr(p + 2);
        fail(source, ": not JSON: ", what);
    }
    if (!json.is_object())
        fail(source, ": expected an object with htp_config, gpu_config or cpu_config");
    BackendConfigRead r;
    for (const auto& [key, value] : json.items()) {
        const bool section = key.size() > std::string(kSuffix).size() &&
                             key.compare(key.size() - 7, 7, kSuffix) == 0 &&
                             findKind(key.substr(0, key.size() - 7)) != nullptr;
        if (section) {
            r.config.sections.push_back(
                readSection(key.substr(0, key.size() - 7), value, source, r.warnings));
        } else {
            r.config.unknown.push_back({key, value.dump()});
            r.warnings.push_back(source + ": " + key +
                                 ": not a backend section LayerBench maps (htp_config, "
                                 "gpu_config, cpu_config); kept, written back on save");
        }
    }
    return r;
}

BackendConfigRead readBackendConfig(const std::string& path) {
    return backendConfigFromText(readFileBytes(path, ": cannot read the backend config"), path);
}

std::string backendConfigText(const BackendConfig& config) {
    Json json = Json::object();
    for (const BackendSection& s : config.sections) {
        Json section = Json::object();
        if (!s.target.empty())
            section["target"] = s.target;
        if (s.deviceId)
            section["device_id"] = *s.deviceId;
        if (!s.performanceMode.empty())
            section["performance_mode"] = s.performanceMode;
        if (!s.precisionMode.empty())
            section["precision_mode"] = s.precisionMode;
        if (s.numThreads)
            section["num_threads"] = *s.numThreads;
        for (const UnknownKey& u : s.unknown)
            section[u.key] = Json::parse(u.json);
        json[s.kind + kSuffix] = std::move(section);
    }
    for (const UnknownKey& u : config.unknown)
        json[u.key] = Json::parse(u.json);
    return json.dump(2) + "\n";
}

void writeBackendConfig(const BackendConfig& config, const std::string& path) {
    std::ofstream out(path, std::ios::binary);
    if (!out)
        fail(path, ": cannot write the backend config");
    out << backendConfigText(config);
    if (!out)
        fail(path, ": write failed");
}

std::vector<ConfiguredTarget> configuredTargets(const BackendConfig& config,
                                                const std::string& source) {
    std::vector<ConfiguredTarget> targets;
    for (const BackendSection& s : config.sections) {
        const std::string section = s.kind + kSuffix;
        const Kind* kind = findKind(s.kind);
        if (!kind)
            fail(source, ": ", lb::quoted(section), " is not a backend section");
        const std::string target = s.target.empty() ? kind->target : s.target;
        const TargetInfo* info = findNamedTarget(target);
        if (!info)
            fail(where(source, section, "target"), ": unknown target ", lb::quoted(target));
        if (!s.precisionMode.empty() && s.precisionMode != info->precision)
            fail(where(source, section, "precision_mode"), ": ", lb::quoted(s.precisionMode),
                 " does not fit ", target, ", which runs ", info->precision,
                 " (set \"target\" to a target that runs ", s.precisionMode, ")");
        for (const ConfiguredTarget& t : targets)
            if (t.target == target)
                fail(source, ": ", t.section, " and ", section, " both run ", target);
        targets.push_back({section, target, s.numThreads});
    }
    if (targets.empty())
        fail(source, ": no backend section (htp_config, gpu_config, cpu_config)");
    return targets;
}

BackendConfig backendConfigFor(const std::vector<std::string>& targets,
                               const std::map<std::string, int>& threads) {
    BackendConfig config;
    for (const std::string& name : targets) {
        const TargetInfo* info = findNamedTarget(name);
        if (!info)
            fail("backend config: ", lb::quoted(name), " is not a named target (", targetChoices(),
                 ")");
        // The QNN backend that runs this precision: int8 on the HTP, fp16 on the GPU, fp32 on
        // the CPU.
        const char* kind = info->precision == "int8"   ? "htp"
                           : info->precision == "fp16" ? "gpu"
                                                       : "cpu";
        for (const BackendSection& s : config.sections)
            if (s.kind == kind)
                fail("backend config: ", lb::quoted(name), " and ",
                     lb::quoted(s.target.empty() ? findKind(kind)->target : s.target),
                     " would both be its ", kind, kSuffix, "; one target per section");
        BackendSection s;
        s.kind = kind;
        if (name != findKind(kind)->target)
            s.target = name;
        s.precisionMode = info->precision;
        if (auto it = threads.find(name); it != threads.end())
            s.numThreads = it->second;
        config.sections.push_back(std::move(s));
    }
    return config;
}

} // namespace lb::run
