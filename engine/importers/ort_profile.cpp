// ONNX Runtime's profiler output (SessionOptions.enable_profiling; onnxruntime-node's
// enableProfiling), as its profiling docs and a profile written by onnxruntime-node 1.x show it: a
// JSON array of Chrome trace events ("ph": "X", "ts" and "dur" in microseconds), or the same under
// "traceEvents".
//   "cat": "Session"  "name": "model_loading_uri" | "session_initialization" | "model_run" (one per
//                     Run, its dur the run's latency) | "SequentialExecutor::Execute"
//   "cat": "Node"     "name": "<node>_kernel_time" (also "<node>_fence_before/_after", skipped),
//                     "args": {"op_name", "provider" ("CPUExecutionProvider"), "output_size",
//                     "output_type_shape": [{"float": [1, 16, 24, 96]}], ...}
// Node names are ORT's after its graph optimizations: mostly the model's, but a fused NCHWc
// convolution is named after its output tensor ("relu_0.tmp_0_nchwc") and layout changes are
// ORT's own ("ReorderOutput_token_223"); mapRowsToGraph maps those back onto the model.
#include "core/error.h"
#include "importers/import_util.h"
#include "importers/profile_import.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace lb::importers {

using nlohmann::json;

namespace {

constexpr const char* kKernelSuffix = "_kernel_time";

struct Row {
    report::NodeProfile node;
    double totalUs = 0;
    int count = 0;
};

std::string shortProvider(std::string provider) {
    const std::string suffix = "ExecutionProvider";
    if (provider.size() > suffix.size() &&
        provider.compare(provider.size() - suffix.size(), suffix.size(), suffix) == 0)
        provider.resize(provider.size() - suffix.size());
    std::transform(provider.begin(), provider.end(), provider.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return provider;
}

std::string precisionOf(const std::string& ortType) {
    if (ortType == "float")
        return "fp32";
    if (ortType == "float16")
        return "fp16";
    if (ortType == "int8" || ortType == "uint8")
        return "int8";
    return ortType;
}

// [{"float": [1, 16, 24, 96]}] -> "1x16x24x96" per output, and the first output's precision.
void readOutputs(const json& shapes, report::NodeProfile& node) {
    if (!shapes.is_array())
        return;
    for (const json& out : shapes) {
        if (!out.is_object() || out.empty())
            continue;
        // Not a structured binding of *out.items().begin(): its key lives in a temporary proxy
        // (AddressSanitizer: stack-use-after-scope).
        const std::string type = out.begin().key();
        const json& dims = out.begin().value();
        std::string shape;
        if (dims.is_array())
            for (const json& d : dims)
                shape += (shape.empty() ? "" : "x") + (d.is_number() ? d.dump() : std::string("?"));
        node.outputShapes.push_back(shape);
        if (node.precision.empty())
            node.precision = precisionOf(type);
    }
}

double number(const json& e, const char* key, const std::string& where) {
    const auto it = e.find(key);
    if (it == e.end() || !it->is_number())
        fail(where, ": no number \"", key, "\"");
    return it->get<double>();
}

std::string text(const json& args, const char* key, const std::string& where) {
    const auto it = args.find(key);
    if (it == args.end() || !it->is_string())
        fail(where, ": no string \"args\".\"", key, "\"");
    return it->get<std::string>();
}

int64_t integerText(const json& args, const char* key) {
    const auto it = args.find(key);
    if (it == args.end())
        return 0;
    if (it->is_number_integer())
        return it->get<int64_t>();
    if (it->is_string())
        try {
            return std::stoll(it->get<std::string>());
        } catch (const std::exception&) {
        }
    return 0;
}

} // namespace

report::ProfileReport importOrtProfile(const std::string& file, const std::string& content) {
    json doc;
    try {
        doc = json::parse(content);
    } catch (const json::parse_error& e) {
        fail(file, ": not valid JSON (", e.what(), ")");
    }
    const json* events = &doc;
    if (doc.is_object()) {
        const auto it = doc.find("traceEvents");
        if (it == doc.end())
            fail(file,
                 ": expected ONNX Runtime's array of trace events or a \"traceEvents\" array");
        events = &*it;
    }
    if (!events->is_array())
        fail(file, ": expected ONNX Runtime's array of trace events");

    std::vector<Row> rows;
    std::map<std::string, size_t> rowOf;
    struct Run {
        double ts = 0, dur = 0;
    };
    std::vector<Run> runs;
    std::map<std::string, int> providers;
    for (size_t i = 0; i < events->size(); ++i) {
        const json& e = (*events)[i];
        const std::string where = file + ": event " + std::to_string(i);
        if (!e.is_object())
            fail(where, ": expected an object");
        const auto cat = e.find("cat");
        if (cat == e.end() || !cat->is_string())
            continue; // metadata ("ph": "M") and other tools' events carry no category
        const auto nameIt = e.find("name");
        if (nameIt == e.end() || !nameIt->is_string())
            fail(where, " (cat ", cat->dump(), "): no string \"name\"");
        const std::string name = nameIt->get<std::string>();
        if (*cat == "Session") {
            if (name == "model_run")
                runs.push_back({number(e, "ts", where + " (model_run)"),
                                number(e, "dur", where + " (model_run)")});
            continue;
        }
        if (*cat != "Node" || name.size() <= std::string(kKernelSuffix).size() ||
            name.compare(name.size() - std::string(kKernelSuffix).size(), std::string::npos,
                         kKernelSuffix) != 0)
            continue; // fences around the kernel, other categories
        const std::string where2 = where + " (" + quoted(name) + ")";
        const auto args = e.find("args");
        if (args == e.end() || !args->is_object())
            fail(where2, ": no \"args\" object");
        const double dur = number(e, "dur", where2);
        if (dur < 0)
            fail(where2, ": negative \"dur\" ", dur);
        const std::string node = name.substr(0, name.size() - std::string(kKernelSuffix).size());
        auto [it, added] = rowOf.try_emplace(node, rows.size());
        if (added) {
            Row row;
            row.node.id = static_cast<uint32_t>(rows.size());
            row.node.name = node;
            row.node.op = text(*args, "op_name", where2);
            row.node.covers = {node};
            const auto provider = args->find("provider");
            row.node.backend = provider != args->end() && provider->is_string()
                                   ? shortProvider(provider->get<std::string>())
                                   : "";
            ++providers[row.node.backend];
            row.node.outputBytes = integerText(*args, "output_size");
            if (auto shapes = args->find("output_type_shape"); shapes != args->end())
                readOutputs(*shapes, row.node);
            row.node.macs = -1;
            rows.push_back(std::move(row));
        }
        rows[it->second].totalUs += dur;
        ++rows[it->second].count;
    }
    if (rows.empty())
        fail(file,
             ": no \"cat\": \"Node\" events named <node>_kernel_time (was the profile written "
             "with ONNX Runtime's enable_profiling?)");

    // Target "ort-cpu" as bench/ort_run.js calls its runs; several providers join with "+".
    std::string target = "ort";
    for (const auto& [p, count] : providers)
        target += (target == "ort" ? "-" : "+") + (p.empty() ? std::string("unknown") : p);
    report::ProfileReport r = detail::importedReport(file, target);
    r.backend = "onnxruntime";
    for (const Run& run : runs)
        r.runsMs.push_back(run.dur / 1000.0);
    // Each kernel runs once per model_run; without model_run events, per kernel occurrence.
    for (Row& row : rows) {
        const double n = runs.empty() ? row.count : static_cast<double>(runs.size());
        row.node.timeMs = row.totalUs / n / 1000.0;
        r.nodes.push_back(std::move(row.node));
    }
    r.precision = r.nodes.front().precision;
    // The timeline of the median run: the kernels that started inside it.
    if (!runs.empty()) {
        std::vector<size_t> order(runs.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return runs[a].dur < runs[b].dur; });
        const Run median = runs[order[order.size() / 2]];
        for (const json& e : *events) {
            if (!e.is_object() || e.value("cat", json()) != "Node")
                continue;
            const std::string name = e.value("name", std::string());
            const auto it =
                name.size() > std::string(kKernelSuffix).size()
                    ? rowOf.find(name.substr(0, name.size() - std::string(kKernelSuffix).size()))
                    : rowOf.end();
            const double ts = e.value("ts", -1.0);
            if (it == rowOf.end() || ts < median.ts || ts > median.ts + median.dur)
                continue;
            r.timeline.push_back(
                {static_cast<uint32_t>(it->second), ts - median.ts, e.value("dur", 0.0)});
        }
    } else {
        r.warnings.push_back(file + ": no \"model_run\" events; the latency is unknown");
    }
    r.notes.push_back("imported from an ONNX Runtime profile: " + std::to_string(r.nodes.size()) +
                      " kernels over " + std::to_string(runs.size()) +
                      " runs (ORT profiles every run, warm-up runs included)");
    detail::finishReport(r);
    return r;
}

} // namespace lb::importers
