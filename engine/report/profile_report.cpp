#include "report/profile_report.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

namespace lb::report {

using nlohmann::json;

LatencyStats latencyStats(std::vector<double> samples) {
    LatencyStats s;
    s.count = static_cast<int64_t>(samples.size());
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    // Linear interpolation between closest ranks (numpy's default).
    auto pct = [&](double p) {
        const double pos = p / 100.0 * static_cast<double>(samples.size() - 1);
        const auto lo = static_cast<size_t>(std::floor(pos));
        const size_t hi = std::min(lo + 1, samples.size() - 1);
        return samples[lo] + (samples[hi] - samples[lo]) * (pos - static_cast<double>(lo));
    };
    s.mean =
        std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    s.p50 = pct(50);
    s.p95 = pct(95);
    s.p99 = pct(99);
    s.min = samples.front();
    s.max = samples.back();
    return s;
}

namespace {

json statsJson(const LatencyStats& s) {
    return {{"mean", s.mean}, {"p50", s.p50}, {"p95", s.p95},    {"p99", s.p99},
            {"min", s.min},   {"max", s.max}, {"count", s.count}};
}

template <typename T> T need(const json& j, const char* key, const char* where) {
    auto it = j.find(key);
    if (it == j.end())
        fail("profile report: ", where, " has no key ", quoted(key));
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        fail("profile report: ", where, " key ", quoted(key), " has the wrong type");
    }
}

template <typename T> T optional(const json& j, const char* key, T fallback) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        fail("profile report: key ", quoted(key), " has the wrong type");
    }
}

// JSON has no infinity or NaN: identical outputs (+inf dB), a zero reference (-inf) and NaN
// outputs write their SQNR (and NaN errors) as the strings "inf", "-inf" and "nan".
json dbJson(double db) {
    if (std::isnan(db))
        return "nan";
    if (std::isinf(db))
        return db > 0 ? "inf" : "-inf";
    return db;
}

double dbFrom(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end())
        fail("profile report: accuracy has no key ", quoted(key));
    if (it->is_number())
        return it->get<double>();
    if (it->is_string()) {
        const std::string text = it->get<std::string>();
        if (text == "inf")
            return std::numeric_limits<double>::infinity();
        if (text == "-inf")
            return -std::numeric_limits<double>::infinity();
        if (text == "nan")
            return std::numeric_limits<double>::quiet_NaN();
    }
    fail("profile report: accuracy key ", quoted(key), " is not a number, \"inf\", \"-inf\" or \"nan\"");
}

json accuracyJson(const Accuracy& a) {
    if (!a.measured())
        return nullptr;
    json outputs = json::array();
    for (const OutputAccuracy& o : a.outputs)
        outputs.push_back({{"name", o.name},
                           {"sqnr_db", dbJson(o.sqnrDb)},
                           {"max_abs_error", dbJson(o.maxAbsError)},
                           {"mean_abs_error", dbJson(o.meanAbsError)},
                           {"elements", o.elements}});
    return {{"reference_target", a.reference},
            {"sqnr_db", dbJson(a.sqnrDb)},
            {"max_abs_error", dbJson(a.maxAbsError)},
            {"outputs", outputs}};
}

Accuracy accuracyFromJson(const json& j) {
    Accuracy a;
    if (j.is_null())
        return a;
    if (!j.is_object())
        fail("profile report: accuracy is not an object");
    a.reference = need<std::string>(j, "reference_target", "accuracy");
    a.sqnrDb = dbFrom(j, "sqnr_db");
    a.maxAbsError = dbFrom(j, "max_abs_error");
    for (const json& o : optional<json>(j, "outputs", json::array())) {
        OutputAccuracy out;
        out.name = need<std::string>(o, "name", "accuracy output");
        out.sqnrDb = dbFrom(o, "sqnr_db");
        out.maxAbsError = dbFrom(o, "max_abs_error");
        out.meanAbsError = dbFrom(o, "mean_abs_error");
        out.elements = optional<int64_t>(o, "elements", 0);
        a.outputs.push_back(std::move(out));
    }
    return a;
}

} // namespace

Accuracy compareOutputs(const std::string& referenceTarget, const std::vector<NamedOutput>& reference,
                        const std::vector<NamedOutput>& outputs) {
    Accuracy a;
    a.reference = referenceTarget;
    a.sqnrDb = std::numeric_limits<double>::infinity();
    for (const NamedOutput& ref : reference) {
        auto it = std::find_if(outputs.begin(), outputs.end(),
                               [&](const NamedOutput& o) { return o.name == ref.name; });
        if (it == outputs.end())
            fail("accuracy: output ", quoted(ref.name), " of the reference run is missing");
        if (it->count != ref.count)
            fail("accuracy: output ", quoted(ref.name), " has ", it->count, " elements, the ",
                 "reference's ", ref.count);
        double signal = 0, noise = 0, maxAbs = 0, sumAbs = 0;
        for (int64_t i = 0; i < ref.count; ++i) {
            const double r = ref.data[i];
            const double d = static_cast<double>(it->data[i]) - r;
            signal += r * r;
            noise += d * d;
            maxAbs = std::max(maxAbs, std::fabs(d));
            sumAbs += std::fabs(d);
        }
        OutputAccuracy o;
        o.name = ref.name;
        o.elements = ref.count;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const bool broken = std::isnan(noise); // a NaN output (or reference)
        o.maxAbsError = broken ? nan : maxAbs;
        o.meanAbsError = broken ? nan : ref.count ? sumAbs / static_cast<double>(ref.count) : 0.0;
        o.sqnrDb = broken        ? nan
                   : noise == 0  ? std::numeric_limits<double>::infinity()
                   : signal == 0 ? -std::numeric_limits<double>::infinity()
                                 : 10.0 * std::log10(signal / noise);
        // NaN is the worst: it wins both.
        if (std::isnan(o.sqnrDb) || o.sqnrDb < a.sqnrDb)
            a.sqnrDb = o.sqnrDb;
        if (std::isnan(o.maxAbsError) || o.maxAbsError > a.maxAbsError)
            a.maxAbsError = o.maxAbsError;
        a.outputs.push_back(std::move(o));
    }
    return a;
}

json toJson(const ProfileReport& r) {
    json nodes = json::array();
    for (const NodeProfile& n : r.nodes) {
        json node = {{"id", n.id},
                     {"name", n.name},
                     {"op", n.op},
                     {"covers", n.covers},
                     {"backend", n.backend},
                     {"impl", n.implementation},
                     {"precision", n.precision},
                     {"output_shapes", n.outputShapes},
                     {"output_bytes", n.outputBytes},
                     {"time_ms", n.timeMs},
                     {"share", n.share},
                     {"macs", n.macs},
                     {"gflops", n.gflops}};
        if (!n.fallback.code.empty())
            node["fallback"] = {{"code", n.fallback.code}, {"text", n.fallback.text}};
        if (n.parent >= 0) {
            node["parent"] = n.parent;
            node["subgraph"] = n.subgraph;
            node["calls"] = n.calls;
        }
        nodes.push_back(std::move(node));
    }
    json timeline = json::array();
    for (const TraceEvent& e : r.timeline)
        timeline.push_back(
            {{"node", e.node}, {"start_us", e.startUs}, {"duration_us", e.durationUs}});
    return {{"schema", "layerbench.profile"},
            {"version", ProfileReport::kSchemaVersion},
            {"model", r.model},
            {"model_sha256", r.modelSha256},
            {"source", r.source},
            {"device", r.device},
            {"target", r.target},
            {"backend", r.backend},
            {"precision", r.precision},
            {"threads", r.threads},
            {"warmup", r.warmup},
            {"iterations", r.iterations},
            {"input_shapes", r.inputShapes},
            {"latency_ms", statsJson(r.latencyMs)},
            {"throughput_per_s", r.throughputPerS},
            {"peak_rss_mb", r.peakRssMb},
            {"import_ms", r.importMs},
            {"session_create_ms", r.sessionCreateMs},
            {"memory", {{"planned_bytes", r.plannedBytes}, {"naive_bytes", r.naiveBytes}}},
            {"runs_ms", r.runsMs},
            {"accuracy", accuracyJson(r.accuracy)},
            {"nodes", nodes},
            {"timeline", timeline},
            {"notes", r.notes},
            {"warnings", r.warnings}};
}

ProfileReport profileReportFromJson(const json& j) {
    if (!j.is_object())
        fail("profile report: expected a JSON object");
    // Version 1 wrote "schema": "layerbench.profile/1" and no version; later versions say theirs.
    const std::string schema = optional<std::string>(j, "schema", "layerbench.profile");
    if (schema != "layerbench.profile" && schema != "layerbench.profile/1")
        fail("profile report: schema ", quoted(schema), " is not a LayerBench profile report");
    const int version = optional<int>(j, "version", 1);
    if (version < 1 || version > ProfileReport::kSchemaVersion)
        fail("profile report: version ", version, " is newer than this LayerBench reads (",
             ProfileReport::kSchemaVersion, "); update LayerBench");
    ProfileReport r;
    r.model = optional<std::string>(j, "model", "");
    r.modelSha256 = optional<std::string>(j, "model_sha256", "");
    r.source = optional<std::string>(j, "source", "imported");
    r.device = optional<std::string>(j, "device", "");
    r.backend = need<std::string>(j, "backend", "report");
    r.target = optional<std::string>(j, "target", r.backend);
    r.threads = optional<int>(j, "threads", 1);
    r.warmup = optional<int>(j, "warmup", 0);
    r.iterations = optional<int>(j, "iterations", 0);
    r.inputShapes = optional<std::map<std::string, std::string>>(j, "input_shapes", {});
    const json lat = need<json>(j, "latency_ms", "report");
    r.latencyMs.mean = need<double>(lat, "mean", "latency_ms");
    r.latencyMs.p50 = need<double>(lat, "p50", "latency_ms");
    r.latencyMs.p95 = need<double>(lat, "p95", "latency_ms");
    r.latencyMs.p99 = need<double>(lat, "p99", "latency_ms");
    r.latencyMs.min = need<double>(lat, "min", "latency_ms");
    r.latencyMs.max = need<double>(lat, "max", "latency_ms");
    r.latencyMs.count = optional<int64_t>(lat, "count", 0);
    r.throughputPerS = need<double>(j, "throughput_per_s", "report");
    r.peakRssMb = optional<double>(j, "peak_rss_mb", 0.0);
    r.importMs = optional<double>(j, "import_ms", 0.0);
    r.sessionCreateMs = optional<double>(j, "session_create_ms", 0.0);
    if (auto m = j.find("memory"); m != j.end() && m->is_object()) {
        r.plannedBytes = optional<int64_t>(*m, "planned_bytes", 0);
        r.naiveBytes = optional<int64_t>(*m, "naive_bytes", 0);
    }
    r.runsMs = optional<std::vector<double>>(j, "runs_ms", {});
    r.precision = optional<std::string>(j, "precision", "");
    if (auto a = j.find("accuracy"); a != j.end())
        r.accuracy = accuracyFromJson(*a);
    for (const json& n : need<json>(j, "nodes", "report")) {
        NodeProfile p;
        p.id = optional<uint32_t>(n, "id", static_cast<uint32_t>(r.nodes.size()));
        p.name = need<std::string>(n, "name", "node");
        p.op = optional<std::string>(n, "op", "");
        p.covers = optional<std::vector<std::string>>(n, "covers", {p.name});
        p.backend = optional<std::string>(n, "backend", r.backend);
        p.implementation = optional<std::string>(n, "impl", "");
        p.precision = optional<std::string>(n, "precision", "");
        if (auto f = n.find("fallback"); f != n.end() && f->is_object()) {
            p.fallback.code = need<std::string>(*f, "code", "fallback");
            p.fallback.text = optional<std::string>(*f, "text", "");
        }
        p.outputShapes = optional<std::vector<std::string>>(n, "output_shapes", {});
        p.outputBytes = optional<int64_t>(n, "output_bytes", 0);
        p.timeMs = need<double>(n, "time_ms", "node");
        p.share = optional<double>(n, "share", 0.0);
        p.macs = optional<int64_t>(n, "macs", -1);
        p.gflops = optional<double>(n, "gflops", 0.0);
        p.parent = optional<int32_t>(n, "parent", -1);
        p.subgraph = optional<std::string>(n, "subgraph", "");
        p.calls = optional<double>(n, "calls", 0.0);
        r.nodes.push_back(std::move(p));
    }
    for (size_t i = 0; i < r.nodes.size(); ++i)
        if (r.nodes[i].parent >= static_cast<int32_t>(r.nodes.size()) ||
            r.nodes[i].parent == static_cast<int32_t>(i))
            fail("profile report: node ", i, " names parent row ", r.nodes[i].parent,
                 ", which is not another row");
    if (auto t = j.find("timeline"); t != j.end() && t->is_array())
        for (const json& e : *t)
            r.timeline.push_back({need<uint32_t>(e, "node", "timeline event"),
                                  need<double>(e, "start_us", "timeline event"),
                                  need<double>(e, "duration_us", "timeline event")});
    r.notes = optional<std::vector<std::string>>(j, "notes", {});
    r.warnings = optional<std::vector<std::string>>(j, "warnings", {});
    return r;
}

json toChromeTrace(const ProfileReport& r) {
    json events = json::array();
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"args", {{"name", "LayerBench " + r.backend + " (" + r.model + ")"}}}});
    for (const TraceEvent& e : r.timeline) {
        if (e.node >= r.nodes.size())
            continue;
        const NodeProfile& n = r.nodes[e.node];
        events.push_back({{"name", n.name},
                          {"cat", n.op},
                          {"ph", "X"},
                          {"ts", e.startUs},
                          {"dur", e.durationUs},
                          {"pid", 1},
                          {"tid", 1},
                          {"args",
                           {{"op", n.op},
                            {"backend", n.backend},
                            {"precision", n.precision},
                            {"covers", n.covers},
                            {"macs", n.macs}}}});
    }
    return {{"traceEvents", events}, {"displayTimeUnit", "ms"}};
}

} // namespace lb::report
