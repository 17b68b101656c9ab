#include "args.h"
#include "backends/registry.h"
#include "command.h"
#include "core/error.h"
#include "progress_printer.h"
#include "recommend_options.h"
#include "report/recommend.h"
#include "report_output.h"
#include "run/backend_config.h"
#include "run/bench.h"
#include "run/targets.h"
#include "run_inputs.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace lb::cli {

namespace {

constexpr size_t kFallbacksShown = 3;
constexpr size_t kSlowestShown = 5;

struct BenchArgs {
    std::string model;
    std::string targets; // comma-separated
    std::string encodings;
    RunInputOptions inputs;
    int threads = 1;
    int warmup = 3;
    int iterations = 20;
    int rounds = 3;
    std::string reference = "cpu-fp32";
    std::string backendConfig;
    std::string saveBackendConfig;
    std::string jsonPath;
    bool recommend = false;
    report::Constraints constraints;
};

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

// Without --targets or a backend config: every named target built here but the slow reference,
// npu-int8 only with encodings.
std::vector<std::string> defaultTargets(bool hasEncodings) {
    std::vector<std::string> targets;
    for (const std::string& t : run::availableTargetNames())
        if (t != backends::groundTruth().name &&
            (hasEncodings || !run::findNamedTarget(t)->needsEncodings))
            targets.push_back(t);
    return targets;
}

// Names that are neither a target nor a backend are wrong arguments (exit 2); a named target this
// build lacks is the engine's one-line error.
void checkTargetNames(const std::vector<std::string>& targets, bool hasEncodings) {
    const std::vector<std::string> backendNames = backends::targetNames();
    for (const std::string& t : targets) {
        run::TargetRef ref;
        try {
            ref = run::parseTargetRef(t);
        } catch (const Error& e) {
            throw UsageError(std::string("--targets: ") + e.what());
        }
        if (!ref.device.empty())
            continue;
        const run::TargetInfo* named = run::findNamedTarget(ref.target);
        if (!named &&
            std::find(backendNames.begin(), backendNames.end(), ref.target) == backendNames.end())
            throw UsageError("--targets: unknown target '" + t +
                             "'; known: " + run::targetChoices());
        if (named && named->needsEncodings && !hasEncodings)
            throw UsageError("--targets: " + t +
                             " runs int8 and needs --encodings FILE.json (quantize writes one)");
    }
}

std::string dbText(const report::Accuracy& a) {
    if (!a.measured())
        return "-";
    if (std::isnan(a.sqnrDb))
        return "nan";
    if (std::isinf(a.sqnrDb))
        return a.sqnrDb > 0 ? "inf" : "-inf";
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << a.sqnrDb;
    return s.str();
}

std::string errorText(const report::Accuracy& a) {
    if (!a.measured())
        return "-";
    std::ostringstream s;
    s << std::setprecision(3) << a.maxAbsError;
    return s.str();
}

void printComparison(const report::Comparison& c, const BenchArgs& a, std::ostream& out) {
    const report::ProfileReport& first = c.reports.front();
    out << "model      " << a.model;
    for (const auto& [name, shape] : first.inputShapes)
        out << "  " << name << " " << shape;
    out << "\nbench      " << c.rounds << " rounds x " << a.iterations
        << " timed runs per target after " << a.warmup
        << " warm-up, the order rotating between rounds\n";
    out << "reference  " << (c.reference.empty() ? "none" : c.reference) << "\n\n";

    size_t width = 8;
    for (const auto& r : c.reports)
        width = std::max(width, r.target.size() + 2);
    out << std::left << std::setw(static_cast<int>(width)) << "target" << std::right << std::setw(6)
        << "prec" << std::setw(8) << "threads" << std::setw(10) << "mean ms" << std::setw(10)
        << "p50 ms" << std::setw(10) << "p95 ms" << std::setw(10) << "p99 ms" << std::setw(10)
        << "runs/s" << std::setw(10) << "peak MiB" << std::setw(9) << "SQNR dB" << std::setw(10)
        << "max err" << std::setw(11) << "fallbacks" << '\n';
    for (const auto& r : c.reports) {
        std::ostringstream throughput, peak;
        throughput << std::fixed << std::setprecision(1) << r.throughputPerS;
        peak << std::fixed << std::setprecision(1) << r.peakRssMb;
        out << std::left << std::setw(static_cast<int>(width)) << r.target << std::right
            << std::setw(6) << r.precision << std::setw(8) << r.threads << std::setw(10)
            << msText(r.latencyMs.mean) << std::setw(10) << msText(r.latencyMs.p50) << std::setw(10)
            << msText(r.latencyMs.p95) << std::setw(10) << msText(r.latencyMs.p99) << std::setw(10)
            << throughput.str() << std::setw(10) << peak.str() << std::setw(9) << dbText(r.accuracy)
            << std::setw(10) << errorText(r.accuracy) << std::setw(11) << fallbackCount(r) << '\n';
    }

    for (const auto& r : c.reports) {
        out << '\n' << r.target << ": slowest layers\n";
        std::vector<const report::NodeProfile*> top;
        for (const auto& n : r.nodes)
            if (n.parent < 0) // a subgraph's rows are in their control-flow node's time
                top.push_back(&n);
        std::stable_sort(top.begin(), top.end(),
                         [](const auto* x, const auto* y) { return x->timeMs > y->timeMs; });
        for (size_t k = 0; k < top.size() && k < kSlowestShown; ++k) {
            const report::NodeProfile& n = *top[k];
            const std::string name = n.name.size() > 40 ? n.name.substr(0, 37) + "..." : n.name;
            std::ostringstream share;
            share << std::fixed << std::setprecision(1) << n.share * 100 << "%";
            out << "  " << std::left << std::setw(42) << name << std::setw(20) << n.op << std::right
                << std::setw(9) << msText(n.timeMs) << " ms" << std::setw(7) << share.str() << "  "
                << n.backend << (n.precision.empty() ? "" : " " + n.precision) << '\n';
        }
        const int fallbacks = fallbackCount(r);
        if (fallbacks == 0)
            continue;
        out << r.target << ": fallbacks (" << fallbacks << ")\n";
        size_t shown = 0;
        for (const auto& n : r.nodes)
            if (!n.fallback.code.empty() && shown++ < kFallbacksShown)
                out << "  " << fallbackLine(n) << '\n';
        if (static_cast<size_t>(fallbacks) > kFallbacksShown)
            out << "  ... " << fallbacks - static_cast<int>(kFallbacksShown)
                << " more (--json lists every one)\n";
    }
}

int runBench(BenchArgs& a, CommandIo io) {
    run::BenchSpec spec;
    spec.base.model = a.model;
    spec.base.threads = a.threads;
    spec.base.warmup = a.warmup;
    spec.base.iterations = a.iterations;
    applyRunInputs(a.inputs, spec.base);
    spec.encodings = a.encodings;
    spec.rounds = a.rounds;
    spec.reference = a.reference == "none" ? std::string() : a.reference;

    std::optional<run::BackendConfig> config;
    if (!a.backendConfig.empty()) {
        run::BackendConfigRead read = run::readBackendConfig(a.backendConfig);
        for (const std::string& w : read.warnings)
            io.err << "layerbench-cli: warning: " << w << '\n';
        for (const run::ConfiguredTarget& t :
             run::configuredTargets(read.config, a.backendConfig)) {
            spec.targets.push_back(t.target);
            if (t.threads)
                spec.threads[t.target] = *t.threads;
        }
        config = std::move(read.config);
    }
    if (!a.targets.empty()) { // the listed targets; a config still gives their threads
        const std::vector<std::string> listed = splitList(a.targets);
        std::map<std::string, int> threads;
        for (const std::string& t : listed)
            if (auto it = spec.threads.find(t); it != spec.threads.end())
                threads.insert(*it);
        spec.targets = listed;
        spec.threads = threads;
    } else if (spec.targets.empty()) {
        spec.targets = defaultTargets(!a.encodings.empty());
    }
    checkTargetNames(spec.targets, !a.encodings.empty());
    if (!spec.reference.empty())
        checkTargetNames({spec.reference}, !a.encodings.empty());

    // What --save-backend-config writes, made before anything runs: a target without a QNN
    // section fails in a second.
    std::optional<run::BackendConfig> save;
    if (!a.saveBackendConfig.empty()) {
        std::map<std::string, int> threads;
        for (const std::string& t : spec.targets)
            threads[t] = spec.threads.count(t) ? spec.threads.at(t) : a.threads;
        save = config ? *config : run::backendConfigFor(spec.targets, threads);
        const std::vector<run::ConfiguredTarget> mapped =
            run::configuredTargets(*save, a.saveBackendConfig);
        for (size_t k = 0; k < mapped.size(); ++k)
            if (auto it = threads.find(mapped[k].target); it != threads.end())
                save->sections[k].numThreads = it->second;
    }

    // The progress line names the target and round beside a run's own stage ("gpu-fp16 2/3: timed
    // runs"); the engine reports them apart, as the GUI translates the stage ids.
    std::set<std::string, std::less<>> labels = {run::benchStepLabel(spec.reference, 0, 0)};
    for (const std::string& t : spec.targets)
        for (int round = 1; round <= spec.rounds; ++round)
            labels.insert(run::benchStepLabel(t, round, spec.rounds));
    ProgressPrinter progress(io.err, io.errIsTerminal);
    TaskContext task;
    std::string label;
    task.progress = [&, show = progress.callback()](double f, std::string_view stage) {
        if (labels.count(stage)) {
            label = stage;
            show(f, stage);
        } else {
            show(f, label.empty() ? std::string(stage) : label + ": " + std::string(stage));
        }
    };
    const report::Comparison c = run::benchmarkLocal(spec, task);
    progress.finish();
    for (const std::string& n : c.notes)
        io.err << "layerbench-cli: " << n << '\n';
    for (const auto& r : c.reports)
        for (const std::string& w : r.warnings)
            io.err << "layerbench-cli: warning: " << r.target << ": " << w << '\n';

    if (save)
        run::writeBackendConfig(*save, a.saveBackendConfig);
    if (!a.jsonPath.empty())
        writeJsonFile(a.jsonPath, report::toJson(c), io.out);
    if (a.jsonPath == "-")
        return 0;
    printComparison(c, a, io.out);
    if (a.recommend) {
        io.out << '\n';
        printRecommendation(report::recommend(c, a.constraints), io.out);
    }
    return 0;
}

CommandAction defineBench(CLI::App& app) {
    auto a = std::make_shared<BenchArgs>();
    std::string targetsHelp =
        "comma-separated targets to compare, in the order the table lists them (default: every "
        "named target built here but reference; npu-int8 only with --encodings). Named targets:";
    for (const run::TargetInfo& t : run::namedTargets())
        targetsHelp += " " + t.name + (run::isAvailable(t) ? "" : " (not in this build)") + ": " +
                       t.description + ".";
    targetsHelp += " Any name run --target takes works too (" + run::targetChoices() + ").";
    app.description(
        "Compare targets side by side: every target on the same inputs.\n\n"
        "Runs the model on each target (named configurations of this machine's engine: CPU "
        "fp32, mobile CPU, fp16 as a GPU stores it, int8 as an NPU runs it) for a few rounds, the "
        "order rotating between rounds so that machine noise hits every target alike, and "
        "prints per target the latency statistics (mean, p50, p95, p99), throughput, peak "
        "memory, the output SQNR and max error against the reference target's outputs, the "
        "nodes that fell back and the slowest layers. --json writes the comparison (every "
        "target's profile report) that recommend and the GUI read; --recommend ranks the "
        "targets for the constraints given.");
    app.add_option("MODEL", a->model, "the ONNX model file")->required()->type_name("FILE");
    app.add_option("--targets", a->targets, targetsHelp)->type_name("LIST");
    app.add_option("--encodings", a->encodings,
                   "QNN/AIMET encodings for the int8 targets (npu-int8), as quantize writes "
                   "them; the other targets run without")
        ->type_name("FILE.json");
    addRunInputOptions(app, a->inputs);
    app.add_option("--threads", a->threads,
                   "threads per kernel, for every target a backend config does not set")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    app.add_option("--warmup", a->warmup, "untimed runs per target and round")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(0));
    app.add_option("--iterations", a->iterations, "timed runs per target and round")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    app.add_option("--rounds", a->rounds,
                   "rounds; each runs every target once, starting one target later than the last")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    app.add_option("--reference", a->reference,
                   "the target whose outputs the others' are compared with (run once, untimed, "
                   "when not among the targets); 'none' measures no accuracy")
        ->capture_default_str()
        ->type_name("NAME");
    app.add_option("--backend-config", a->backendConfig,
                   "a QNN-style backend_config.json: htp_config -> npu-int8, gpu_config -> "
                   "gpu-fp16, cpu_config -> cpu-fp32 (a section's \"target\" picks another, e.g. "
                   "mobile-cpu), num_threads -> that target's threads; keys it does not map are "
                   "listed as warnings. --targets, when given, picks among them")
        ->type_name("FILE.json");
    app.add_option("--save-backend-config", a->saveBackendConfig,
                   "write the targets and threads this bench used as a backend_config.json (the "
                   "--backend-config file's other keys kept)")
        ->type_name("FILE.json");
    app.add_option("--json", a->jsonPath,
                   "write the comparison as JSON to FILE ('-': stdout, instead of the tables)")
        ->type_name("FILE|-");
    app.add_flag("--recommend", a->recommend,
                 "after the tables, rank the targets for the constraints below (as recommend "
                 "does)");
    addConstraintOptions(app, a->constraints);
    app.footer(
        "# four targets on PaddleOCR's classifier, int8 with the encodings quantize wrote\n"
        "layerbench-cli quantize cls.onnx --shape x=1x3x48x192 --per-channel --encodings enc.json\n"
        "layerbench-cli bench cls.onnx --shape x=1x3x48x192 --targets "
        "cpu-fp32,gpu-fp16,npu-int8 --encodings enc.json --json cls_targets.json\n"
        "# the targets and threads of a QNN backend config, ranked for a 2 ms budget\n"
        "layerbench-cli bench cls.onnx --shape x=1x3x48x192 --backend-config "
        "backend_config.json --encodings enc.json --recommend --budget-ms 2 --min-sqnr 20");
    return [a](CommandIo io) { return runBench(*a, io); };
}

} // namespace

const Command& benchCommand() {
    static const Command command{"bench", &defineBench};
    return command;
}

} // namespace lb::cli
