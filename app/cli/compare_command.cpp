#include "args.h"
#include "command.h"
#include "importers/profile_import.h"
#include "report_output.h"
#include "onnx/importer.h"
#include "report/comparison.h"
#include "report/layer_match.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace lb::cli {

namespace {

struct CompareArgs {
    std::vector<std::string> files;
    std::string model;
    std::string jsonPath;
    int top = 15;
};

constexpr int kNameWidth = 22;   // the first table's row names
constexpr int kColumnWidth = 14; // one report's column
constexpr int kLayerWidth = 48;  // the layer table's node names

std::string fixed(double v, int digits) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

std::string ms(double v) {
    return fixed(v, v < 10 ? 3 : 2);
}

std::string clip(const std::string& s, size_t width) {
    return s.size() <= width ? s : s.substr(0, width - 3) + "...";
}

// Each report's column title: its target, numbered where two share one.
std::vector<std::string> columnTitles(const std::vector<report::ProfileReport>& reports) {
    std::vector<std::string> titles;
    for (size_t i = 0; i < reports.size(); ++i) {
        const std::string& t = reports[i].target.empty() ? reports[i].backend : reports[i].target;
        const auto same = std::count_if(reports.begin(), reports.end(), [&](const auto& r) {
            return (r.target.empty() ? r.backend : r.target) == t;
        });
        titles.push_back(clip(same > 1 ? t + "#" + std::to_string(i + 1) : t, kColumnWidth - 1));
    }
    return titles;
}

void printRow(std::ostream& out, const std::string& name, const std::vector<std::string>& cells) {
    out << std::left << std::setw(kNameWidth) << name;
    for (const std::string& c : cells)
        out << std::left << std::setw(kColumnWidth) << c;
    out << '\n';
}

std::string dbText(double db) {
    if (std::isnan(db))
        return "nan";
    if (std::isinf(db))
        return db > 0 ? "inf (exact)" : "-inf";
    return fixed(db, 1);
}

void printSummary(const report::Comparison& c, const std::vector<std::string>& titles,
                  std::ostream& out) {
    const auto& rs = c.reports;
    const auto column = [&](auto cell) {
        std::vector<std::string> cells;
        for (const report::ProfileReport& r : rs)
            cells.push_back(cell(r));
        return cells;
    };
    printRow(out, "", titles);
    printRow(out, "source", column([](const auto& r) { return r.source; }));
    printRow(out, "precision",
             column([](const auto& r) { return r.precision.empty() ? "-" : r.precision; }));
    printRow(out, "threads", column([](const auto& r) {
                 return r.source == "imported" ? std::string("-") : std::to_string(r.threads);
             }));
    printRow(out, "runs", column([](const auto& r) { return std::to_string(r.runsMs.size()); }));
    const auto latency = [&](const char* name, double report::LatencyStats::*field) {
        printRow(out, name, column([&](const auto& r) {
                     return r.runsMs.empty() && r.latencyMs.count == 0 ? std::string("-")
                                                                       : ms(r.latencyMs.*field);
                 }));
    };
    latency("latency mean ms", &report::LatencyStats::mean);
    latency("latency p50 ms", &report::LatencyStats::p50);
    latency("latency p95 ms", &report::LatencyStats::p95);
    latency("latency p99 ms", &report::LatencyStats::p99);
    printRow(out, "throughput /s", column([](const auto& r) {
                 return r.throughputPerS > 0 ? fixed(r.throughputPerS, 1) : std::string("-");
             }));
    printRow(out, "peak memory MiB", column([](const auto& r) {
                 return r.peakRssMb > 0 ? fixed(r.peakRssMb, 1) : std::string("-");
             }));
    if (std::any_of(rs.begin(), rs.end(), [](const auto& r) { return r.accuracy.measured(); })) {
        printRow(out, "output SQNR dB", column([](const auto& r) {
                     return r.accuracy.measured() ? dbText(r.accuracy.sqnrDb) : std::string("-");
                 }));
        printRow(out, "max abs error", column([](const auto& r) {
                     if (!r.accuracy.measured())
                         return std::string("-");
                     std::ostringstream s;
                     s << std::setprecision(3) << r.accuracy.maxAbsError;
                     return s.str();
                 }));
        printRow(out, "accuracy against", column([](const auto& r) {
                     return r.accuracy.measured() ? r.accuracy.reference : std::string("-");
                 }));
    }
    printRow(out, "fallbacks", column([](const auto& r) {
                 return std::to_string(
                     std::count_if(r.nodes.begin(), r.nodes.end(),
                                   [](const auto& n) { return !n.fallback.code.empty(); }));
             }));
    printRow(out, "layers", column([](const auto& r) { // top-level: subgraph rows are in theirs
                 return std::to_string(std::count_if(r.nodes.begin(), r.nodes.end(),
                                                     [](const auto& n) { return n.parent < 0; }));
             }));
}

void printLayers(const report::Comparison& c, const std::vector<std::string>& titles, int top,
                 std::ostream& out) {
    const std::vector<report::LayerMatch> groups = report::matchLayers(c.reports);
    const size_t n = c.reports.size();
    const auto inAll = std::count_if(groups.begin(), groups.end(), [](const auto& g) {
        return std::none_of(g.timeMs.begin(), g.timeMs.end(),
                            [](double t) { return std::isnan(t); });
    });
    out << "\ntop layers by time (rows matched by the ONNX nodes they cover; ms per run)\n";
    out << std::left << std::setw(kLayerWidth) << "nodes";
    for (const std::string& t : titles)
        out << std::right << std::setw(kColumnWidth) << t;
    out << "  ops\n";
    for (size_t k = 0; k < groups.size() && k < static_cast<size_t>(top); ++k) {
        const report::LayerMatch& g = groups[k];
        out << std::left << std::setw(kLayerWidth) << clip(g.label, kLayerWidth - 1);
        std::vector<std::string> ops;
        for (size_t r = 0; r < n; ++r) {
            out << std::right << std::setw(kColumnWidth)
                << (std::isnan(g.timeMs[r]) ? std::string("-") : ms(g.timeMs[r]));
            if (!g.ops[r].empty() && std::find(ops.begin(), ops.end(), g.ops[r]) == ops.end())
                ops.push_back(g.ops[r]);
        }
        std::string opText;
        for (const std::string& o : ops)
            opText += (opText.empty() ? "" : " | ") + o;
        out << "  " << opText << '\n';
    }
    out << groups.size() << " layer groups, " << inAll << " in every report";
    // What each report spends in groups no other report covers (ORT's layout changes, QNN's
    // converts): the part of its time a per-layer comparison cannot attribute.
    if (n > 1) {
        out << "; time in layers only one report has:";
        for (size_t r = 0; r < n; ++r) {
            double own = 0;
            for (const auto& g : groups) {
                const auto present = std::count_if(g.timeMs.begin(), g.timeMs.end(),
                                                   [](double t) { return !std::isnan(t); });
                if (present == 1 && !std::isnan(g.timeMs[r]))
                    own += g.timeMs[r];
            }
            out << ' ' << titles[r] << ' ' << ms(own) << " ms" << (r + 1 < n ? "," : "");
        }
    }
    out << '\n';
}

int runCompare(const CompareArgs& a, CommandIo io) {
    std::optional<onnx::ImportResult> model;
    if (!a.model.empty()) {
        onnx::ImportOptions options;
        options.inferShapes = false; // node and tensor names are all the mapping reads
        model = onnx::importModel(a.model, options);
    }
    const report::Comparison c =
        importers::readComparison(a.files, model ? &model->graph : nullptr, a.model);
    for (const report::ProfileReport& r : c.reports)
        for (const std::string& w : r.warnings)
            io.err << "layerbench-cli: warning: " << w << '\n';
    if (!a.jsonPath.empty())
        writeJsonFile(a.jsonPath, report::toJson(c), io.out);
    if (a.jsonPath == "-")
        return 0;
    const std::vector<std::string> titles = columnTitles(c.reports);
    for (size_t i = 0; i < c.reports.size(); ++i) {
        const report::ProfileReport& r = c.reports[i];
        io.out << titles[i] << ": " << (r.model.empty() ? "-" : r.model)
               << (r.device.empty() ? "" : " on " + r.device) << '\n';
    }
    io.out << '\n';
    printSummary(c, titles, io.out);
    printLayers(c, titles, a.top, io.out);
    return 0;
}

CommandAction defineCompare(CLI::App& app) {
    auto a = std::make_shared<CompareArgs>();
    app.description(
        "Put saved reports side by side: latency, throughput, memory, accuracy and layers.\n\n"
        "Reads LayerBench profile reports (run --json), comparisons (bench --json) and other "
        "tools' profiles, each detected from its content: ONNX Runtime's profiler JSON, "
        "qnn-profile-viewer CSV and Qualcomm AI Hub profile JSON. Prints one column per report "
        "(latency mean, p50, p95, p99, throughput, peak memory, precision, output SQNR and max "
        "error where measured, fallbacks) and the slowest layers, matched across reports by the "
        "ONNX nodes each row covers, so a fused kernel meets the separate rows of another target. "
        "--model maps imported rows that are named after tensors or sanitized names back onto "
        "the model's nodes.");
    app.add_option("REPORT", a->files,
                   "saved reports and profiles, one or more (LayerBench JSON, ONNX Runtime "
                   "profile, qnn-profile-viewer CSV, AI Hub profile)")
        ->required()
        ->type_name("FILE...")
        ->check(CLI::ExistingFile);
    app.add_option("--model", a->model,
                   "the ONNX model the profiles ran, to map imported rows onto its node names")
        ->type_name("MODEL.onnx")
        ->check(CLI::ExistingFile);
    app.add_option("--top", a->top, "layer groups shown, slowest first")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1));
    app.add_option("--json", a->jsonPath,
                   "write the reports as one comparison JSON (layerbench.comparison) to FILE "
                   "('-': stdout, instead of the tables)")
        ->type_name("FILE|-");
    app.footer("# a LayerBench run beside ONNX Runtime's own profile of the same model\n"
               "layerbench-cli compare cls_run.json cls_ort_profile.json --model cls.onnx\n"
               "# a bench comparison and an AI Hub profile, as one comparison file\n"
               "layerbench-cli compare bench.json aihub_profile.json --json all.json");
    return [a](CommandIo io) { return runCompare(*a, io); };
}

} // namespace

const Command& compareCommand() {
    static const Command command{"compare", &defineCompare};
    return command;
}

} // namespace lb::cli
