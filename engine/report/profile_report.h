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
};

struct NodeProfile {
    uint32_t id = 0; // ir::NodeId for local runs; index for imported ones
    std::string name;
    std::string op;
    std::string backend;
    std::string implementation; // the kernel's implementation ("" when unknown)
    double timeMs = 0; // mean over the timed iterations
    double share = 0;  // of the summed node time, 0..1
    int64_t macs = 0;  // -1 unknown
    double gflops = 0; // 2 * MACs / time
};

// One kernel execution in the timeline of a representative iteration (for Chrome trace).
struct TraceEvent {
    uint32_t node = 0; // index into nodes
    double startUs = 0;
    double durationUs = 0;
};

// The one schema for a timed run, whether local, from the device runner, or imported from
// another tool's profile: charts and the CLI read and write exactly this.
struct ProfileReport {
    std::string model;
    std::string source = "local"; // local | device | imported
    std::string device;           // host name or device serial/model
    std::string backend;          // what was asked for: reference | onednn | auto | ...
    int threads = 1;
    int warmup = 0;
    int iterations = 0;
    std::map<std::string, std::string> inputShapes;
    LatencyStats latencyMs;
    double throughputPerS = 0;
    double peakRssMb = 0;
    double sessionCreateMs = 0;
    int64_t plannedBytes = 0;
    int64_t naiveBytes = 0;
    std::vector<double> runsMs; // every timed iteration, in order
    std::vector<NodeProfile> nodes;
    std::vector<TraceEvent> timeline; // the median iteration
};

nlohmann::json toJson(const ProfileReport& report);
// Throws lb::Error naming the missing or mistyped key.
ProfileReport profileReportFromJson(const nlohmann::json& json);
// Chrome trace event format (open in Perfetto or chrome://tracing).
nlohmann::json toChromeTrace(const ProfileReport& report);

LatencyStats latencyStats(std::vector<double> samplesMs);

} // namespace lb::report
