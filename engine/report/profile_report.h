#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lb::report {

struct LatencyStats {
    double mean = 0, p50 = 0, p95 = 0, p99 = 0, min = 0, max = 0;
    int64_t count = 0;
    bool operator==(const LatencyStats&) const = default;
};

// Why a row did not run as the spec asked. The code is stable (tools and charts group by it); the
// text is for people.
struct Fallback {
    // "" none | the first decline's runtime::Decline code: unsupported-op | unsupported-dtype |
    // unsupported-attribute | unsupported-shape | unsupported-input | int8-declined (the int8
    // transform left the node simulated) | compute-unit (an imported layer ran on another unit
    // than most, e.g. on the CPU in an AI Hub NPU profile)
    std::string code;
    std::string text;
    bool operator==(const Fallback&) const = default;
};

// One row of a report: one kernel as it ran (after fusions), mapped back to the ONNX nodes it
// covers.
struct NodeProfile {
    uint32_t id = 0; // ir::NodeId in the optimized graph for local runs; index for imported ones
    std::string name;
    std::string op;
    std::vector<std::string> covers; // the model's own node names this row stands for
    std::string backend;
    std::string implementation; // the kernel's implementation ("" when unknown)
    std::string precision;      // fp32 | fp16 | int8 | ... ("" when unknown)
    Fallback fallback;
    std::vector<std::string> outputShapes; // "1x3x48x192", one per output ("" when dynamic)
    int64_t outputBytes = 0;               // all outputs; 0 when unknown
    double timeMs = 0; // mean over the timed iterations
    double share = 0;  // of the summed node time, 0..1
    int64_t macs = 0;  // -1 unknown
    double gflops = 0; // 2 * MACs / time
    // A node of a control-flow node's subgraph (an If branch, a Loop or Scan body): the index of
    // that node's row in `nodes` (-1: a node of the model's graph), the subgraph attribute, and
    // how often the subgraph ran per run (timeMs sums them; the parent's time includes it).
    // Such rows follow the model's own, and shares and totals count only the model's own rows.
    int32_t parent = -1;
    std::string subgraph;
    double calls = 0;
    bool operator==(const NodeProfile&) const = default;
};

// One kernel execution in the timeline of a representative iteration (for Chrome trace).
struct TraceEvent {
    uint32_t node = 0; // index into nodes
    double startUs = 0;
    double durationUs = 0;
    bool operator==(const TraceEvent&) const = default;
};

// One output compared with the same output of a reference run on the same inputs.
struct OutputAccuracy {
    std::string name;
    double sqnrDb = 0;      // 10 log10(sum ref^2 / sum (out - ref)^2); +inf when identical
    double maxAbsError = 0;
    double meanAbsError = 0;
    int64_t elements = 0;
    bool operator==(const OutputAccuracy&) const = default;
};

// How far a run's outputs are from a reference run's (a comparison's cpu-fp32). Unmeasured
// when `reference` is empty.
struct Accuracy {
    std::string reference; // the reference's target ("cpu-fp32")
    double sqnrDb = 0;     // the worst output's
    double maxAbsError = 0; // over all outputs
    std::vector<OutputAccuracy> outputs;
    bool measured() const { return !reference.empty(); }
    bool operator==(const Accuracy&) const = default;
};

// The one schema for a timed run, whether local, from the device runner, or imported from
// another tool's profile: charts and the CLI read and write exactly this. JSON "schema"
// "layerbench.profile", "version" kSchemaVersion; version 1 files (no version key) still read.
// Version 4 added subgraph rows (NodeProfile::parent).
struct ProfileReport {
    static constexpr int kSchemaVersion = 4;

    std::string model;
    std::string modelSha256;      // of the model file's bytes ("" when unknown)
    std::string source = "local"; // local | device | imported
    std::string device;           // host name or device serial/model
    std::string target;           // the target the spec named (a backend or a named target)
    std::string backend;          // what was asked for: reference | onednn | auto | ...
    std::string precision;        // fp32 | fp16 | int8 (the target's; "" when unknown)
    int threads = 1;
    int warmup = 0;
    int iterations = 0;
    std::map<std::string, std::string> inputShapes;
    LatencyStats latencyMs;
    double throughputPerS = 0;
    double peakRssMb = 0;
    double importMs = 0;        // reading and checking the model file
    double sessionCreateMs = 0; // passes + partition + kernels + memory plan
    int64_t plannedBytes = 0;
    int64_t naiveBytes = 0;
    std::vector<double> runsMs; // every timed iteration, in order
    Accuracy accuracy;          // against a reference run, when a comparison measured it
    std::vector<NodeProfile> nodes;
    std::vector<TraceEvent> timeline; // the median iteration
    std::vector<std::string> notes;    // what the run did besides the asked (e.g. int8 summary)
    std::vector<std::string> warnings; // what the user should know (encodings naming no tensor)
    bool operator==(const ProfileReport&) const = default;
};

nlohmann::json toJson(const ProfileReport& report);
// Throws lb::Error naming the missing or mistyped key.
ProfileReport profileReportFromJson(const nlohmann::json& json);
// Chrome trace event format (open in Perfetto or chrome://tracing).
nlohmann::json toChromeTrace(const ProfileReport& report);

LatencyStats latencyStats(std::vector<double> samplesMs);

// How `outputs` differ from `reference` (same names, same element counts), as a report's
// accuracy. Throws lb::Error naming an output that is missing or has another size.
struct NamedOutput {
    std::string name;
    const float* data = nullptr;
    int64_t count = 0;
};
Accuracy compareOutputs(const std::string& referenceTarget, const std::vector<NamedOutput>& reference,
                        const std::vector<NamedOutput>& outputs);

} // namespace lb::report
