#include "args.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "onnx/tensor_io.h"
#include "profile/local_run.h"
#include "quant/encodings_json.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_ops.h"
#include "quant/int8_transform.h"
#include "quant/name_check.h"
#include "runtime/inputs.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <random>

namespace lb::cli {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
    std::string model;
    profile::LocalRunOptions options;
    onnx::ImportOptions import;
    std::map<std::string, std::string> inputFiles;
    std::string inputList;
    std::string outputsDir;
    std::string jsonPath;
    std::string tracePath;
    std::optional<uint64_t> seed;
    std::string encodings; // quantization simulation (fake-quant) with these encodings
    bool int8 = false;     // with encodings: real int8 kernels where exact, simulation elsewhere
};

RunArgs parseArgs(const std::vector<std::string>& args) {
    RunArgs r;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size())
                throw UsageError(a + " needs a value");
            return args[++i];
        };
        if (a == "--backend") {
            r.options.backend = value();
            if (r.options.backend != "auto" && r.options.backend != "reference" &&
                r.options.backend != "onednn")
                throw UsageError("--backend takes reference, onednn or auto, got '" +
                                 r.options.backend + "'");
        } else if (a == "--threads") {
            r.options.threads = parseNumber<int>(a, value(), 1);
        } else if (a == "--warmup") {
            r.options.warmup = parseNumber<int>(a, value(), 0);
        } else if (a == "--iterations") {
            r.options.iterations = parseNumber<int>(a, value(), 1);
        } else if (a == "--shape") {
            addShapeOption(r.import.inputShapes, value());
        } else if (a == "--input") {
            const std::string v = value();
            const auto eq = v.find('=');
            if (eq == std::string::npos) {
                if (fs::path(v).extension() == ".txt")
                    r.inputList = v; // a QNN-style input_list.txt
                else
                    throw UsageError(
                        "--input takes NAME=FILE (.npy, .raw, .pb) or an input_list.txt");
            } else {
                r.inputFiles[v.substr(0, eq)] = v.substr(eq + 1);
            }
        } else if (a == "--input-list") {
            r.inputList = value();
        } else if (a == "--outputs") {
            r.outputsDir = value();
        } else if (a == "--json") {
            r.jsonPath = value();
        } else if (a == "--trace") {
            r.tracePath = value();
        } else if (a == "--seed") {
            const std::string v = value();
            uint64_t s = 0;
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
            if (ec != std::errc() || end != v.data() + v.size())
                throw UsageError("--seed takes a whole number, got '" + v + "'");
            r.seed = s;
        } else if (a == "--encodings") {
            r.encodings = value();
        } else if (a == "--int8") {
            r.int8 = true;
        } else if (a == "--qdq") {
            throw UsageError(a + " belongs to quantize, which writes a QDQ model; run that model "
                                 "by passing it to run as MODEL");
        } else if (a == "--no-optimize") {
            r.options.optimize = false;
        } else if (a == "--no-profile-nodes") {
            r.options.perNode = false; // whole-run timing only (measures the observer's cost)
        } else if (!a.empty() && a[0] == '-') {
            throw UsageError("unknown option '" + a + "'");
        } else if (r.model.empty()) {
            r.model = a;
        } else {
            throw UsageError("more than one model given ('" + r.model + "', '" + a + "')");
        }
    }
    if (r.model.empty())
        throw UsageError("no model given");
    if (r.int8 && r.encodings.empty())
        throw UsageError("--int8 needs --encodings FILE.json (the scales the int8 kernels use)");
    if (r.int8 && r.options.backend == "reference")
        throw UsageError("--int8 runs on the onednn backend (use --backend auto or onednn)");
    if (!r.inputList.empty() && !r.inputFiles.empty())
        throw UsageError("give either --input NAME=FILE or an input list, not both");
    return r;
}

void writeJson(const std::string& path, const nlohmann::json& j, std::ostream& out) {
    if (path == "-") {
        out << j.dump(2) << '\n';
        return;
    }
    std::ofstream f(path);
    if (!f)
        fail(path, ": cannot write");
    f << j.dump(2) << '\n';
    if (!f)
        fail(path, ": write failed");
}

std::string ms(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(v < 10 ? 3 : 2) << v;
    return s.str();
}

void printReport(const report::ProfileReport& r, const profile::PreparedModel& prepared,
                 std::ostream& out) {
    out << "model      " << r.model << "\nbackend    " << r.backend << " (" << r.threads
        << " thread" << (r.threads == 1 ? "" : "s") << ")\n";
    out << "latency    mean " << ms(r.latencyMs.mean) << " ms  p50 " << ms(r.latencyMs.p50)
        << "  p95 " << ms(r.latencyMs.p95) << "  p99 " << ms(r.latencyMs.p99) << "  min "
        << ms(r.latencyMs.min) << "  max " << ms(r.latencyMs.max) << "  (" << r.iterations
        << " runs after " << r.warmup << " warm-up)\n";
    out << "throughput " << std::fixed << std::setprecision(1) << r.throughputPerS << " /s\n";
    out << "memory     activations " << std::setprecision(2) << r.plannedBytes / 1048576.0
        << " MiB planned (" << r.naiveBytes / 1048576.0 << " MiB without reuse), peak RSS "
        << r.peakRssMb << " MiB\n";
    out << "session    created in " << ms(r.sessionCreateMs) << " ms, "
        << prepared.graph->nodeCount() << " nodes after passes\n";
    std::map<std::string, int> perBackend;
    for (const auto& n : r.nodes)
        ++perBackend[n.backend];
    out << "nodes      ";
    for (const auto& [b, count] : perBackend)
        out << b << " " << count << "  ";
    out << '\n';
    int shown = 0;
    for (const auto& step : prepared.session->steps())
        if (!step.fallbackReason.empty() && shown++ < 10)
            out << "fallback   " << prepared.graph->node(step.node).name << " ("
                << prepared.graph->node(step.node).opType << ") -> " << step.backend << ": "
                << step.fallbackReason << '\n';
    std::vector<report::NodeProfile> top = r.nodes;
    std::sort(top.begin(), top.end(),
              [](const auto& a, const auto& b) { return a.timeMs > b.timeMs; });
    out << "\ntop layers                                   op            backend   time ms  share  "
           "GFLOP/s\n";
    for (size_t k = 0; k < top.size() && k < 10; ++k) {
        const auto& n = top[k];
        std::string name = n.name.size() > 44 ? n.name.substr(0, 41) + "..." : n.name;
        out << std::left << std::setw(45) << name << std::setw(14) << n.op << std::setw(10)
            << n.backend << std::right << std::setw(7) << ms(n.timeMs) << std::setw(6) << std::fixed
            << std::setprecision(1) << n.share * 100 << "%" << std::setw(9) << std::setprecision(1)
            << n.gflops << '\n';
    }
}

int runRun(const std::vector<std::string>& args, CommandIo io) {
    RunArgs a = parseArgs(args);
    auto importStart = std::chrono::steady_clock::now();
    onnx::ImportResult imported = onnx::importModel(a.model, a.import);
    for (const std::string& w : imported.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';

    std::map<std::string, Tensor> inputs;
    quant::Int8Result int8Result;
    if (!a.inputList.empty())
        inputs = runtime::loadInputList(imported.graph, a.inputList).front();
    else if (!a.inputFiles.empty())
        inputs = runtime::loadInputFiles(imported.graph, a.inputFiles);
    // Inputs given by file fix the model's symbolic dims: infer shapes again with them so every
    // activation has a static size for the memory plan.
    bool reimport = false;
    for (const auto& [name, t] : inputs)
        if (!a.import.inputShapes.count(name)) {
            a.import.inputShapes[name] = t.shape();
            reimport = true;
        }
    if (reimport) {
        importStart = std::chrono::steady_clock::now();
        imported = onnx::importModel(a.model, a.import);
    }
    // Reading the file is part of what ONNX Runtime calls session creation; report it beside ours.
    const double importMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - importStart)
            .count();
    if (inputs.empty()) {
        const uint64_t seed = a.seed ? *a.seed : std::random_device{}();
        io.err << "layerbench-cli: inputs: random, seed " << seed << " (repeat with --seed " << seed
               << ")\n";
        inputs = runtime::randomInputs(imported.graph, seed);
    }

    if (!a.encodings.empty()) { // fake-quant on the user's tensor names, before any pass
        const quant::EncodingSet set = quant::readEncodingsFile(a.encodings);
        for (const auto& issues : {set.issues, quant::checkNames(set, imported.graph)})
            for (const quant::EncodingIssue& i : issues)
                io.err << "layerbench-cli: warning: " << a.encodings << ": " << i.message << '\n';
        quant::Int8Result int8;
        if (a.int8) {
            int8 = quant::applyInt8(imported.graph, set);
            a.options.optimize = false; // applyInt8 ran the passes before choosing int8 nodes
        } else {
            int8.simulation = quant::applyFakeQuant(imported.graph, set);
        }
        const quant::FakeQuantResult& fq = int8.simulation;
        for (const std::string& s : fq.skipped)
            io.err << "layerbench-cli: warning: " << a.encodings << ": " << s << '\n';
        io.err << "layerbench-cli: simulating quantization: " << fq.activations << " activations, "
               << fq.params << " params\n";
        if (a.int8)
            io.err << "layerbench-cli: int8: " << int8.summary() << '\n';
        int8Result = std::move(int8);
    }
    profile::PreparedModel prepared = profile::prepare(imported.graph, a.options);
    report::ProfileReport r = profile::profileLocal(prepared, a.model, inputs, a.options);
    if (a.int8) // per node: real int8 kernels vs the simulation, and why
        for (report::NodeProfile& n : r.nodes) {
            const ir::Node& node = prepared.graph->node(n.id);
            n.backend += quant::isInt8Op(node) ? "-int8" : " (simulated)";
        }

    if (!a.outputsDir.empty()) {
        fs::create_directories(a.outputsDir);
        const std::vector<Tensor> outputs = prepared.session->run(inputs);
        const std::vector<std::string> names = prepared.session->outputNames();
        for (size_t k = 0; k < outputs.size(); ++k)
            onnx::writeNpy(
                (fs::path(a.outputsDir) / (runtime::safeFileName(names[k]) + ".npy")).string(),
                outputs[k]);
    }
    if (!a.jsonPath.empty()) {
        nlohmann::json j = report::toJson(r);
        j["import_ms"] = importMs;
        if (a.int8) {
            j["int8_summary"] = int8Result.summary();
            for (auto& node : j["nodes"])
                if (auto it = int8Result.simulated.find(node.value("name", ""));
                    it != int8Result.simulated.end())
                    node["simulated_reason"] = it->second;
        }
        writeJson(a.jsonPath, j, io.out);
    }
    if (!a.tracePath.empty())
        writeJson(a.tracePath, report::toChromeTrace(r), io.out);
    if (a.jsonPath != "-" && a.tracePath != "-")
        printReport(r, prepared, io.out);
    return 0;
}

} // namespace

const Command& runCommand() {
    static const Command command{
        "run", "run a model locally and profile it layer by layer",
        "run MODEL [--backend reference|onednn|auto] [--threads N] [--warmup N] [--iterations N] "
        "[--shape NAME=DIMS]... [--input NAME=FILE.npy|.raw|.pb]... [--input-list input_list.txt] "
        "[--seed N] [--encodings FILE.json [--int8]] "
        "[--outputs DIR] [--json FILE|-] [--trace FILE] [--no-optimize] [--no-profile-nodes]",
        &runRun};
    return command;
}

} // namespace lb::cli
