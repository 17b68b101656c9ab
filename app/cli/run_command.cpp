#include "args.h"
#include "backends/registry.h"
#include "command.h"
#include "core/error.h"
#include "profile/local_run.h"
#include "progress_printer.h"
#include "report_output.h"
#include "run/local_target.h"
#include "run/targets.h"
#include "run_inputs.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>

namespace lb::cli {

namespace {

namespace fs = std::filesystem;

struct RunArgs {
    std::string model;
    profile::LocalRunOptions options;
    RunInputOptions inputs; // --shape, --input, --input-list, --seed
    std::string outputsDir;
    std::string jsonPath;
    std::string tracePath;
    std::string encodings; // quantization simulation (fake-quant) with these encodings
    bool int8 = false;     // with encodings: real int8 kernels where exact, simulation elsewhere
    bool noOptimize = false;
    bool noProfileNodes = false;
};

// The checks that need more than one option, after CLI11 parsed each.
void checkArgs(RunArgs& r) {
    if (r.int8 && r.encodings.empty())
        throw UsageError("--int8 needs --encodings FILE.json (the scales the int8 kernels use)");
    if (run::findNamedTarget(r.options.backend)) {
        try {
            run::resolveTarget(r.options.backend, r.int8, !r.encodings.empty());
        } catch (const Error& e) {
            throw UsageError(std::string("--target: ") + e.what());
        }
    } else if (r.int8 && !backends::runsInt8(r.options.backend))
        throw UsageError("--int8 needs int8 kernels, which --backend " + r.options.backend +
                         " has not (use --backend " + backends::int8Targets() + ")");
    r.options.optimize = !r.noOptimize;
    r.options.perNode = !r.noProfileNodes;
}

std::string ms(double v) {
    return msText(v);
}

// Every row that did not run as asked, in run order: the stable code (what a script greps for),
// then every decline's text. Nothing when all ran as asked.
void printFallbacks(const report::ProfileReport& r, std::ostream& out) {
    const int count = fallbackCount(r);
    if (count == 0)
        return;
    out << "\nfallbacks (" << count << ")\n";
    for (const auto& n : r.nodes)
        if (!n.fallback.code.empty())
            out << fallbackLine(n) << '\n';
}

// The rows under row `parent` (a control-flow node's subgraphs), indented by depth, in run order.
void printSubgraphRows(const report::ProfileReport& r, int32_t parent, int depth,
                       std::ostream& out) {
    for (size_t i = 0; i < r.nodes.size(); ++i) {
        const auto& n = r.nodes[i];
        if (n.parent != parent)
            continue;
        std::string name = std::string(static_cast<size_t>(depth) * 2, ' ') + n.subgraph + "/" +
                           n.name;
        if (name.size() > 44)
            name = name.substr(0, 41) + "...";
        out << std::left << std::setw(45) << name << std::setw(14) << n.op << std::setw(10)
            << n.backend << std::right << std::setw(7) << ms(n.timeMs) << "  x" << std::fixed
            << std::setprecision(1) << n.calls << '\n';
        printSubgraphRows(r, static_cast<int32_t>(i), depth + 1, out);
    }
}

void printReport(const report::ProfileReport& r, std::ostream& out) {
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
    std::vector<report::NodeProfile> top;
    for (const auto& n : r.nodes)
        if (n.parent < 0)
            top.push_back(n);
    out << "session    created in " << ms(r.sessionCreateMs) << " ms, " << top.size()
        << " nodes after passes";
    if (top.size() != r.nodes.size())
        out << " (and " << r.nodes.size() - top.size() << " in subgraphs)";
    out << '\n';
    std::map<std::string, int> perBackend;
    for (const auto& n : r.nodes)
        ++perBackend[n.backend + (n.precision.empty() ? "" : " " + n.precision)];
    out << "nodes      ";
    for (const auto& [b, count] : perBackend)
        out << b << " " << count << "  ";
    out << '\n';
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
    if (top.size() != r.nodes.size()) {
        out << "\nsubgraphs (time per run, summed over branches and iterations; x runs per run)\n";
        for (size_t i = 0; i < r.nodes.size(); ++i)
            if (r.nodes[i].parent < 0 &&
                std::any_of(r.nodes.begin(), r.nodes.end(), [&](const auto& c) {
                    return c.parent == static_cast<int32_t>(i);
                })) {
                const auto& n = r.nodes[i];
                out << std::left << std::setw(45) << n.name << std::setw(14) << n.op
                    << std::setw(10) << n.backend << std::right << std::setw(7) << ms(n.timeMs)
                    << '\n';
                printSubgraphRows(r, static_cast<int32_t>(i), 1, out);
            }
    }
    printFallbacks(r, out);
}

int runRun(RunArgs& a, CommandIo io) {
    checkArgs(a);
    run::RunSpec spec;
    spec.model = a.model;
    spec.target = a.options.backend;
    spec.threads = a.options.threads;
    spec.warmup = a.options.warmup;
    spec.iterations = a.options.iterations;
    spec.optimize = a.options.optimize;
    spec.perNode = a.options.perNode;
    applyRunInputs(a.inputs, spec);
    spec.encodings = a.encodings;
    spec.int8 = a.int8;
    spec.outputsDir = a.outputsDir;

    // Importing and building the kernels of a big model and its timed runs take long enough to
    // want a sign.
    ProgressPrinter progress(io.err, io.errIsTerminal);
    TaskContext task;
    task.progress = progress.callback();
    run::LocalTarget target;
    const report::ProfileReport r = target.run(spec, task);
    progress.finish();
    for (const std::string& w : r.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';
    for (const std::string& n : r.notes)
        io.err << "layerbench-cli: " << n << '\n';

    if (!a.jsonPath.empty())
        writeJsonFile(a.jsonPath, report::toJson(r), io.out);
    if (!a.tracePath.empty())
        writeJsonFile(a.tracePath, report::toChromeTrace(r), io.out);
    if (a.jsonPath != "-" && a.tracePath != "-")
        printReport(r, io.out);
    return 0;
}

CommandAction defineRun(CLI::App& app) {
    auto a = std::make_shared<RunArgs>();
    app.description(
        "Run a model locally and profile it layer by layer.\n\n"
        "Imports the model, optimizes it (fusions, constant folding), builds a session on the "
        "chosen backend, runs the warm-up and then the timed iterations, and prints latency "
        "statistics (mean, p50, p95, p99), throughput, memory, the backend of every node (and "
        "why a node fell back) and the slowest layers. Inputs are random (the seed is printed) "
        "unless --input gives them. With --encodings the run simulates quantization, and with "
        "--int8 it runs real int8 kernels where they are exact. --json writes the same "
        "ProfileReport a device run and the GUI use; --trace writes a Chrome trace.");
    app.add_option("MODEL", a->model, "the ONNX model file (a QDQ model from quantize --qdq too)")
        ->required()
        ->type_name("FILE");
    app.add_option("--target,--backend", a->options.backend,
                   runTargetHelp("where to run: a named target or a backend's kernels"))
        ->capture_default_str()
        ->type_name("NAME")
        ->check(runTargetName());
    app.add_option("--threads", a->options.threads, "threads per kernel")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    app.add_option("--warmup", a->options.warmup, "untimed runs before the timed ones")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(0));
    app.add_option("--iterations", a->options.iterations,
                   "timed runs; the latency statistics are over these")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    addRunInputOptions(app, a->inputs);
    app.add_option("--encodings", a->encodings,
                   "simulate quantization with these QNN/AIMET encodings (fake-quant on the "
                   "named tensors), as written by quantize")
        ->type_name("FILE.json");
    app.add_flag("--int8", a->int8,
                 "with --encodings: run real int8 kernels where they are exact, the simulation "
                 "elsewhere; each node's precision says which, and a simulated node says why "
                 "(oneDNN's fast kernels, or with --backend " +
                     backends::groundTruth().name + " the slow ones that define the bytes)");
    app.add_option("--outputs", a->outputsDir,
                   "write every model output of one more run to DIR as OUTPUT_NAME.npy (a "
                   "sequence or optional output as OUTPUT_NAME.pb, an ONNX SequenceProto or "
                   "OptionalProto)")
        ->type_name("DIR");
    app.add_option("--json", a->jsonPath,
                   "write the profile report as JSON to FILE ('-': stdout, instead of the text "
                   "report)")
        ->type_name("FILE|-");
    app.add_option("--trace", a->tracePath,
                   "write a Chrome trace (chrome://tracing, Perfetto) of the timed runs to FILE "
                   "('-': stdout)")
        ->type_name("FILE|-");
    app.add_flag("--no-optimize", a->noOptimize,
                 "run the graph as imported, without LayerBench's passes (fusion, folding)");
    app.add_flag("--no-profile-nodes", a->noProfileNodes,
                 "time whole runs only, without per-node timers (measures the timers' cost)");
    // Not an option of run: says where it belongs instead of "unknown option".
    app.add_option_function<std::string>(
           "--qdq",
           [](const std::string&) {
               throw CLI::ValidationError("--qdq", "belongs to quantize, which writes a QDQ model; "
                                                   "run that model by passing it to run as MODEL");
           })
        ->group("")
        ->trigger_on_parse();
    app.footer("# PaddleOCR's text detector at 640x640 on 2 threads, report as JSON\n"
               "layerbench-cli run det.onnx --shape x=1x3x640x640 --threads 2 --json report.json\n"
               "# a real input, the outputs kept, the ground-truth kernels only\n"
               "layerbench-cli run rec.onnx --input x=line.npy --outputs out/ --backend " +
               backends::groundTruth().name + "\n" +
               "# int8 kernels with the encodings quantize wrote\n"
               "layerbench-cli run det.onnx --shape x=1x3x640x640 --encodings det_enc.json "
               "--int8");
    return [a](CommandIo io) { return runRun(*a, io); };
}

} // namespace

const Command& runCommand() {
    static const Command command{"run", &defineRun};
    return command;
}

} // namespace lb::cli
