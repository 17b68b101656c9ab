#include "args.h"
#include "command.h"
#include "core/error.h"
#include "onnx/importer.h"
#include "onnx/qdq_export.h"
#include "preprocess_options.h"
#include "quant/calibration.h"
#include "quant/calibration_data.h"
#include "quant/encodings_json.h"
#include "quant/mixed_precision.h"
#include "quant/name_check.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

namespace lb::cli {

namespace {

struct QuantizeArgs {
    std::string model;
    onnx::ImportOptions import;
    std::string calib;
    PreprocessOptions preprocess;
    quant::CalibrationConfig config;
    std::string overrides;
    std::string encodingsPath;
    std::string qdqPath;
    quant::EncodingsFormat format = quant::EncodingsFormat::V100;
    std::string reportPath;
    int randomSamples = 8;
    std::optional<uint64_t> seed;
    int maxIsolated = 256;
    // The per-layer analysis (fp32 against the simulation, tensor by tensor on the unfused graph)
    // runs on the first N calibration samples: on 100 det samples at 640x640 it took minutes.
    int analysisSamples = 16;
    int worst = 15;
    std::optional<double> targetSqnr; // mixed precision planner
    int maxPromotions = -1;
};

int parseBitwidth(const std::string& option, const std::string& value) {
    const int bw = parseNumber<int>(option, value);
    if (bw != 4 && bw != 8 && bw != 16 && bw != 32)
        throw UsageError(option + " takes 4, 8, 16 or 32, got '" + value + "'");
    return bw;
}

QuantizeArgs parseArgs(const std::vector<std::string>& args) {
    QuantizeArgs q;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size())
                throw UsageError(a + " needs a value");
            return args[++i];
        };
        if (q.preprocess.parse(args, i))
            continue;
        if (a == "--shape") {
            addShapeOption(q.import.inputShapes, value());
        } else if (a == "--calib") {
            q.calib = value();
        } else if (a == "--calibrator") {
            try {
                q.config.activations.method = quant::parseCalibrationMethod(value());
            } catch (const Error& e) {
                throw UsageError(e.what());
            }
        } else if (a == "--percentile") {
            q.config.activations.percentile = parseNumber<double>(a, value());
            if (!(q.config.activations.percentile > 50 && q.config.activations.percentile <= 100))
                throw UsageError("--percentile takes a value in (50, 100]");
        } else if (a == "--per-channel") {
            q.config.perChannel = true;
        } else if (a == "--act-bw") {
            q.config.activations.bitwidth = parseBitwidth(a, value());
        } else if (a == "--weight-bw") {
            q.config.weightBitwidth = parseBitwidth(a, value());
        } else if (a == "--bias-bw") {
            q.config.biasBitwidth = parseBitwidth(a, value());
        } else if (a == "--overrides") {
            q.overrides = value();
        } else if (a == "--encodings") {
            q.encodingsPath = value();
        } else if (a == "--encodings-version") {
            const std::string v = value();
            if (v != "0.6.1" && v != "1.0.0")
                throw UsageError("--encodings-version takes 0.6.1 or 1.0.0, got '" + v + "'");
            q.format = v == "0.6.1" ? quant::EncodingsFormat::V061 : quant::EncodingsFormat::V100;
        } else if (a == "--report") {
            q.reportPath = value();
        } else if (a == "--backend") {
            q.config.backend = value();
        } else if (a == "--threads") {
            q.config.threads = std::max(1, parseNumber<int>(a, value()));
        } else if (a == "--samples") {
            q.randomSamples = std::max(1, parseNumber<int>(a, value()));
        } else if (a == "--seed") {
            q.seed = parseNumber<uint64_t>(a, value());
        } else if (a == "--analysis-samples") {
            q.analysisSamples = std::max(1, parseNumber<int>(a, value()));
        } else if (a == "--isolated") {
            q.maxIsolated = parseNumber<int>(a, value());
        } else if (a == "--target-sqnr") {
            q.targetSqnr = parseNumber<double>(a, value());
        } else if (a == "--max-promotions") {
            q.maxPromotions = parseNumber<int>(a, value(), 0);
        } else if (a == "--worst") {
            q.worst = std::max(1, parseNumber<int>(a, value()));
        } else if (a == "--qdq") {
            q.qdqPath = value();
        } else if (a == "--int8") {
            throw UsageError(a + " belongs to run: quantize writes the encodings, then "
                                 "'run MODEL --encodings FILE.json --int8' runs the int8 kernels");
        } else if (!a.empty() && a[0] == '-') {
            throw UsageError("unknown option '" + a + "'");
        } else if (q.model.empty()) {
            q.model = a;
        } else {
            throw UsageError("more than one model given ('" + q.model + "', '" + a + "')");
        }
    }
    if (q.model.empty())
        throw UsageError("no model given");
    if (q.encodingsPath.empty())
        throw UsageError("--encodings OUT.json is required");
    return q;
}

void printIssues(const std::vector<quant::EncodingIssue>& issues, const std::string& file,
                 std::ostream& err) {
    for (const quant::EncodingIssue& i : issues)
        err << "layerbench-cli: warning: " << file << ": " << quant::issueKindName(i.kind) << ": "
            << i.message << '\n';
}

int runQuantize(const std::vector<std::string>& args, CommandIo io) {
    QuantizeArgs a = parseArgs(args);
    onnx::ImportResult imported = onnx::importModel(a.model, a.import);
    for (const std::string& w : imported.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';

    std::vector<quant::Sample> samples;
    std::string source;
    if (!a.calib.empty()) {
        const quant::ImagePreprocess images = a.preprocess.spec();
        samples = quant::loadCalibrationSamples(imported.graph, a.calib, images);
        bool reimport = false; // the samples fix symbolic dims, as in `run`
        for (const auto& [name, t] : samples.front())
            if (!a.import.inputShapes.count(name)) {
                a.import.inputShapes[name] = t.shape();
                reimport = true;
            }
        if (reimport) {
            imported = onnx::importModel(a.model, a.import);
            samples = quant::loadCalibrationSamples(imported.graph, a.calib, images);
        }
        source = a.calib;
    } else {
        const uint64_t seed = a.seed ? *a.seed : std::random_device{}();
        io.err << "layerbench-cli: warning: no --calib given: calibrating on " << a.randomSamples
               << " random samples (uniform [0, 1), seed " << seed
               << "); the ranges say little about real data\n";
        samples = quant::randomSamples(imported.graph, a.randomSamples, seed);
        source = "random (" + std::to_string(a.randomSamples) + " samples, seed " +
                 std::to_string(seed) + ")";
    }
    TaskContext task;
    int lastPercent = -1;
    task.progress = [&](double f, std::string_view stage) {
        const int p = static_cast<int>(f * 100);
        if (p / 10 != lastPercent / 10) {
            io.err << "layerbench-cli: " << stage << " " << p << "%\n";
            lastPercent = p;
        }
    };
    const auto calibStart = std::chrono::steady_clock::now();
    const auto observed = quant::observeActivations(imported.graph, samples, a.config, task);
    io.err << "layerbench-cli: calibration took "
           << std::chrono::duration<double>(std::chrono::steady_clock::now() - calibStart).count()
           << " s (" << samples.size() << " samples)\n";
    quant::EncodingSet encodings = quant::computeEncodings(imported.graph, observed, a.config);
    if (!a.overrides.empty()) {
        quant::EncodingSet overrides = quant::readEncodingsFile(a.overrides);
        printIssues(overrides.issues, a.overrides, io.err);
        printIssues(quant::checkNames(overrides, imported.graph), a.overrides, io.err);
        const int n = quant::applyOverrides(encodings, overrides);
        io.err << "layerbench-cli: " << n << " encodings from " << a.overrides << '\n';
    }
    std::optional<quant::MixedPrecisionPlan> plan;
    if (a.targetSqnr) {
        quant::MixedPrecisionOptions mp;
        mp.targetSqnrDb = *a.targetSqnr;
        mp.maxPromotions = a.maxPromotions;
        mp.backend = a.config.backend;
        mp.threads = a.config.threads;
        lastPercent = -1;
        plan = quant::planMixedPrecision(imported.graph, encodings, samples, mp, task);
        encodings = plan->encodings;
    }
    encodings.version = a.format == quant::EncodingsFormat::V061 ? "0.6.1" : "1.0.0";
    quant::writeEncodingsFile(a.encodingsPath, encodings, a.format);
    if (!a.qdqPath.empty()) {
        onnx::QdqExportResult qdq;
        onnx::saveQdqModel(imported.graph, encodings, a.qdqPath, &qdq);
        for (const std::string& line : qdq.notes)
            io.err << "layerbench-cli: " << a.qdqPath << ": " << line << '\n';
        for (const std::string& line : qdq.skipped)
            io.err << "layerbench-cli: warning: " << a.qdqPath << ": not exported: " << line
                   << '\n';
        io.err << "layerbench-cli: " << a.qdqPath << ": " << qdq.quantizeNodes
               << " QuantizeLinear, " << qdq.dequantizeNodes << " DequantizeLinear ("
               << qdq.activations << " activations, " << qdq.params << " params)\n";
    }

    quant::AnalysisOptions analysis;
    analysis.backend = a.config.backend;
    analysis.threads = a.config.threads;
    analysis.maxIsolated = a.maxIsolated;
    lastPercent = -1;
    std::vector<quant::Sample> analyzed = samples;
    if (analyzed.size() > static_cast<size_t>(a.analysisSamples)) {
        analyzed.resize(a.analysisSamples);
        io.err << "layerbench-cli: per-layer analysis on the first " << a.analysisSamples << " of "
               << samples.size() << " samples (--analysis-samples N)\n";
    }
    report::QuantReport r =
        quant::analyzeQuantization(imported.graph, encodings, analyzed, analysis, task);
    r.model = a.model;
    r.calibrator = quant::calibrationMethodName(a.config.activations.method);
    r.calibrationData = source;
    r.activationBitwidth = a.config.activations.bitwidth;
    r.weightBitwidth = a.config.weightBitwidth;
    r.biasBitwidth = a.config.biasBitwidth;
    r.perChannel = a.config.perChannel;
    if (!a.reportPath.empty()) {
        std::ofstream f(a.reportPath);
        nlohmann::json j = report::toJson(r);
        if (plan)
            j["mixed_precision"] = quant::toJson(*plan);
        f << j.dump(2) << '\n';
        if (!f)
            fail(a.reportPath, ": cannot write");
    }
    io.out << "model      " << a.model << "\nencodings  " << a.encodingsPath << " ("
           << encodings.activations.size() << " activations, " << encodings.params.size()
           << " params; " << r.calibrator << ", act " << r.activationBitwidth << " bit, weights "
           << r.weightBitwidth << " bit" << (r.perChannel ? " per-channel" : "") << ")\n"
           << "calib data " << source << '\n';
    for (const std::string& note : r.notes)
        io.out << "note       " << note << '\n';
    io.out << report::quantReportTable(r, static_cast<size_t>(a.worst));
    if (plan)
        io.out << quant::planTable(*plan);
    return 0;
}

} // namespace

const Command& quantizeCommand() {
    static const Command command{
        "quantize", "calibrate a model, write QNN/AIMET encodings, report per-layer error",
        "quantize MODEL --encodings OUT.json [--shape NAME=DIMS]... [--calib input_list.txt|DIR] "
        "[--samples N] [--seed N] [--preprocess SPEC.json] [--resize HxW] [--mean A,B,C] "
        "[--std A,B,C] [--scale S] [--channel-order RGB|BGR] [--layout NCHW|NHWC] "
        "[--calibrator minmax|percentile|mse|entropy] [--percentile P] "
        "[--per-channel] [--act-bw 8] [--weight-bw 8] [--bias-bw 32] [--overrides IN.json] "
        "[--encodings-version 0.6.1|1.0.0] [--qdq OUT.onnx] [--report FILE.json] [--isolated N] "
        "[--analysis-samples N] [--worst N] "
        "[--target-sqnr DB [--max-promotions N]] "
        "[--backend reference|onednn|auto] [--threads N]",
        &runQuantize};
    return command;
}

} // namespace lb::cli
