#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lb::run {

// A QNN-style backend settings file (`backend_config.json`, issue #12): one section per QNN
// backend, `htp_config`, `gpu_config`, `cpu_config`, with keys such as `num_threads`,
// `precision_mode`, `performance_mode`, `device_id`. Each section maps onto a named target
// (htp -> npu-int8, gpu -> gpu-fp16, cpu -> cpu-fp32; LayerBench's own key "target" picks
// another, e.g. mobile-cpu). Keys LayerBench does not map are kept, in the file's order, and
// written back on save, so a file shared with QNN tools survives a round trip.

// A key LayerBench does not map, with its value as JSON text.
struct UnknownKey {
    std::string key;
    std::string json;
    bool operator==(const UnknownKey&) const = default;
};

struct BackendSection {
    std::string kind;                // htp | gpu | cpu (the file's key without "_config")
    std::string target;              // "target": a named target instead of the kind's
    std::string precisionMode;       // "precision_mode": int8 | fp16 | fp32; "" = the kind's
    std::optional<int> numThreads;   // "num_threads"
    std::string performanceMode;     // "performance_mode": kept for device runs
    std::optional<int> deviceId;     // "device_id": kept for device runs
    std::vector<UnknownKey> unknown; // in the file's order
    bool operator==(const BackendSection&) const = default;
};

struct BackendConfig {
    std::vector<BackendSection> sections; // in the file's order
    std::vector<UnknownKey> unknown;      // top-level keys other than the sections
    bool operator==(const BackendConfig&) const = default;
};

struct BackendConfigRead {
    BackendConfig config;
    // "FILE: htp_config.vtcm_mb: not a setting LayerBench maps onto a target; kept, written back
    // on save": one per unknown key.
    std::vector<std::string> warnings;
};

// The section kinds and the JSON keys LayerBench reads, for help texts.
const std::vector<std::string>& backendConfigKinds();

// Reads the JSON text (// and /* */ comments allowed, as in the QNN docs' examples); `source`
// names the file in errors and warnings. Throws lb::Error naming the source and the key at fault
// ("backend_config.json: cpu_config.num_threads: expected a whole number >= 1, got \"4\"").
BackendConfigRead backendConfigFromText(const std::string& text, const std::string& source);
BackendConfigRead readBackendConfig(const std::string& path);
// The file's JSON: each section's known keys, then its unknown ones as they were read.
std::string backendConfigText(const BackendConfig& config);
void writeBackendConfig(const BackendConfig& config, const std::string& path);

// What a section runs here.
struct ConfiguredTarget {
    std::string section;        // "htp_config"
    std::string target;         // a named target: "npu-int8"
    std::optional<int> threads; // num_threads, when the section gives it
    bool operator==(const ConfiguredTarget&) const = default;
};
// The sections' targets in the file's order. Throws lb::Error naming the source and the section
// when its precision_mode does not fit its target, or two sections name the same target.
std::vector<ConfiguredTarget> configuredTargets(const BackendConfig& config,
                                                const std::string& source);
// The file for these named targets (threads per target where given): what a save writes for a
// benchmark's settings. Throws lb::Error for a target that is not a named one.
BackendConfig backendConfigFor(const std::vector<std::string>& targets,
                               const std::map<std::string, int>& threads);

} // namespace lb::run
