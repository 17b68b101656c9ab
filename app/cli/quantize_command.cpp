#include "args.h"
#include "command.h"
#include "core/error.h"
#include "preprocess_options.h"
#include "progress_printer.h"
#include "quant/calibration.h"
#include "quant/calibration_alternatives.h"
#include "quant/encodings_json.h"
#include "quant/mixed_precision.h"
#include "quant/qdq_export.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"
#include "run/quantize.h"

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

namespace lb::cli {

namespace {

struct QuantizeArgs {
    std::string model;
    std::vector<std::string> shapes;
    std::string calib;
    PreprocessOptions preprocess;
    quant::CalibrationConfig config;
    std::string calibrator = quant::calibrationMethodName(config.activations.method);
    std::string overrides;
    std::string encodingsPath;
    std::string qdqPath;
    std::string encodingsVersion = "1.0.0";
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
    // Below 20 dB, measure the other calibrators and weight granularities. "auto": only on real
    // calibration data (--calib); on random samples the comparison says as little as the ranges.
    std::string alternatives = "auto";
};

void printIssues(const std::vector<quant::EncodingIssue>& issues, const std::string& file,
                 std::ostream& err) {
    for (const quant::EncodingIssue& i : issues)
        err << "layerbench-cli: warning: " << file << ": " << quant::issueKindName(i.kind) << ": "
            << i.message << '\n';
}

int runQuantize(QuantizeArgs& a, CommandIo io) {
    const quant::EncodingsFormat format =
        a.encodingsVersion == "0.6.1" ? quant::EncodingsFormat::V061 : quant::EncodingsFormat::V100;
    run::QuantizeSpec spec;
    spec.model = a.model;
    for (const std::string& s : a.shapes)
        addShapeOption(spec.inputShapes, s);
    spec.config = a.config;
    spec.config.activations.method = quant::parseCalibrationMethod(a.calibrator);
    if (!a.calib.empty()) {
        spec.data.kind = run::CalibrationData::Kind::Path;
        spec.data.path = a.calib;
        spec.data.preprocess = a.preprocess.spec();
    } else {
        spec.data.kind = run::CalibrationData::Kind::Random;
        spec.data.count = a.randomSamples;
        spec.data.seed = a.seed ? *a.seed : std::random_device{}();
    }
    spec.overrides = a.overrides;
    spec.targetSqnrDb = a.targetSqnr;
    spec.maxPromotions = a.maxPromotions;
    spec.maxIsolated = a.maxIsolated;
    spec.analysisSamples = a.analysisSamples;
    spec.measureAlternatives =
        a.alternatives == "on" || (a.alternatives == "auto" && !a.calib.empty());

    run::QuantizeResult q;
    {
        ProgressPrinter progress(io.err, io.errIsTerminal);
        TaskContext task;
        task.progress = progress.callback();
        q = run::quantize(spec, task);
        progress.finish();
    }
    for (const std::string& w : q.warnings)
        io.err << "layerbench-cli: warning: " << w << '\n';
    if (a.calib.empty()) // after the import: a model that does not load gets its error alone
        io.err << "layerbench-cli: warning: no --calib given: calibrating on " << a.randomSamples
               << " random samples (uniform [0, 1), seed " << spec.data.seed
               << "); the ranges say little about real data\n";
    io.err << "layerbench-cli: calibration took " << q.calibrationSeconds << " s ("
           << q.samples.size() << " samples)\n";
    if (!a.overrides.empty()) {
        printIssues(q.overrideIssues, a.overrides, io.err);
        io.err << "layerbench-cli: " << q.overridesApplied << " encodings from " << a.overrides
               << '\n';
    }
    const ir::Graph& graph = *q.graph;
    quant::EncodingSet& encodings = q.encodings;
    const std::optional<quant::MixedPrecisionPlan>& plan = q.plan;
    encodings.version = format == quant::EncodingsFormat::V061 ? "0.6.1" : "1.0.0";
    quant::writeEncodingsFile(a.encodingsPath, encodings, format);
    if (!a.qdqPath.empty()) {
        quant::QdqExportResult qdq;
        quant::saveQdqModel(graph, encodings, a.qdqPath, &qdq);
        for (const std::string& line : qdq.notes)
            io.err << "layerbench-cli: " << a.qdqPath << ": " << line << '\n';
        for (const std::string& line : qdq.skipped)
            io.err << "layerbench-cli: warning: " << a.qdqPath << ": not exported: " << line
                   << '\n';
        io.err << "layerbench-cli: " << a.qdqPath << ": " << qdq.quantizeNodes
               << " QuantizeLinear, " << qdq.dequantizeNodes << " DequantizeLinear ("
               << qdq.activations << " activations, " << qdq.params << " params)\n";
    }
    if (q.analyzedSamples < q.samples.size())
        io.err << "layerbench-cli: per-layer analysis on the first " << q.analyzedSamples << " of "
               << q.samples.size() << " samples (--analysis-samples N)\n";
    const report::QuantReport& r = q.report;
    const std::string& source = q.calibrationData;
    if (!a.reportPath.empty()) {
        std::ofstream f(a.reportPath);
        nlohmann::json j = report::toJson(r);
        if (plan)
            j["mixed_precision"] = quant::toJson(*plan);
        for (const quant::CalibrationAlternative& alt : q.alternatives)
            j["calibration_alternatives"].push_back(
                {{"calibrator", quant::calibrationMethodName(alt.method)},
                 {"per_channel", alt.perChannel},
                 {"output_sqnr_db", alt.outputSqnrDb},
                 {"top1_agreement", alt.top1Agreement}});
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
    io.out << quant::alternativesTable(q.alternatives, r.outputError.sqnrDb, spec.config);
    if (plan)
        io.out << quant::planTable(*plan);
    return 0;
}

CommandAction defineQuantize(CLI::App& app) {
    auto a = std::make_shared<QuantizeArgs>();
    app.description(
        "Calibrate a model, write QNN/AIMET encodings, report the per-layer error.\n\n"
        "Runs the calibration samples (files, an input_list.txt or a folder of images; random "
        "data when --calib is missing, with a warning) through the model, observes every "
        "activation, computes encodings with the chosen calibrator and bit widths, and writes "
        "them as a quantization_overrides JSON that qnn-onnx-converter and AIMET read (and run "
        "--encodings replays). It then compares the fp32 model with the quantization simulation "
        "tensor by tensor and prints the output SQNR and the worst tensors; --qdq also writes a "
        "QDQ ONNX model and --target-sqnr promotes tensors to 16 bit until the output reaches "
        "that SQNR.");
    app.add_option("MODEL", a->model, "the ONNX model file")->required()->type_name("FILE");
    app.add_option("--encodings", a->encodingsPath,
                   "where to write the encodings (QNN/AIMET quantization_overrides JSON)")
        ->required()
        ->type_name("OUT.json");
    app.add_option("--shape", a->shapes,
                   "fix an input's shape, replacing symbolic dims (repeat for each input); "
                   "calibration samples fix their shapes themselves")
        ->type_name("NAME=DIMS")
        ->allow_extra_args(false)
        ->check(shapeArgument());

    const char* data = "calibration data";
    app.add_option("--calib", a->calib,
                   "calibration samples: an input_list.txt, a folder of .npy/.raw/.pb files or a "
                   "folder of images (see the image preprocessing options)")
        ->type_name("LIST.txt|DIR")
        ->group(data);
    app.add_option("--samples", a->randomSamples, "without --calib: how many random samples")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1))
        ->group(data);
    app.add_option_function<uint64_t>(
           "--seed", [a](uint64_t seed) { a->seed = seed; },
           "without --calib: seed of the random samples, to repeat a calibration exactly")
        ->default_str("a fresh one, printed on stderr")
        ->type_name("N")
        ->check(wholeNumber(0))
        ->group(data);
    a->preprocess.addTo(app, "image preprocessing (--calib with a folder of images)");

    const char* calibration = "calibration";
    app.add_option("--calibrator", a->calibrator,
                   "how an activation's range is chosen from what it saw: minmax (the full "
                   "range), percentile (clip the tails, see --percentile), mse (least squared "
                   "error) or entropy (KL divergence, as TensorRT)")
        ->capture_default_str()
        ->type_name("NAME")
        ->check(oneOf({"minmax", "percentile", "mse", "entropy"}))
        ->group(calibration);
    app.add_option("--percentile", a->config.activations.percentile,
                   "with --calibrator percentile: the share of values (in %) kept inside the "
                   "range on each side")
        ->capture_default_str()
        ->type_name("P")
        ->check(decimalNumber(50.0, 100.0))
        ->group(calibration);
    app.add_flag("--per-channel", a->config.perChannel,
                 "one weight encoding per output channel instead of one per tensor")
        ->group(calibration);
    const auto bitwidth = oneOf({"4", "8", "16", "32"});
    app.add_option("--act-bw", a->config.activations.bitwidth, "activation bit width")
        ->capture_default_str()
        ->type_name("BITS")
        ->check(bitwidth)
        ->group(calibration);
    app.add_option("--weight-bw", a->config.weightBitwidth, "weight bit width (symmetric)")
        ->capture_default_str()
        ->type_name("BITS")
        ->check(bitwidth)
        ->group(calibration);
    app.add_option("--bias-bw", a->config.biasBitwidth, "bias bit width")
        ->capture_default_str()
        ->type_name("BITS")
        ->check(bitwidth)
        ->group(calibration);
    app.add_option("--overrides", a->overrides,
                   "encodings that replace the computed ones tensor by tensor (hand-fixed "
                   "ranges; names are checked against the model)")
        ->type_name("IN.json")
        ->group(calibration);
    app.add_option_function<double>(
           "--target-sqnr", [a](double db) { a->targetSqnr = db; },
           "mixed precision: promote the most sensitive tensors to 16 bit until the "
           "output SQNR reaches this many dB")
        ->type_name("DB")
        ->check(decimalNumber())
        ->group(calibration);
    app.add_option("--max-promotions", a->maxPromotions,
                   "with --target-sqnr: promote at most N tensors")
        ->default_str("no limit")
        ->type_name("N")
        ->check(wholeNumber(0))
        ->group(calibration);

    const char* output = "output";
    app.add_option("--encodings-version", a->encodingsVersion,
                   "the encodings file format: 0.6.1 (AIMET's dictionaries) or 1.0.0 (lists "
                   "with name, bw, dtype, enc_type, is_sym, scale, offset)")
        ->capture_default_str()
        ->type_name("VERSION")
        ->check(oneOf({"0.6.1", "1.0.0"}))
        ->group(output);
    app.add_option("--qdq", a->qdqPath,
                   "also write the model with QuantizeLinear/DequantizeLinear pairs (runs in "
                   "ONNX Runtime, and in run as MODEL)")
        ->type_name("OUT.onnx")
        ->group(output);
    app.add_option("--report", a->reportPath,
                   "write the quantization report (per-tensor error, settings, mixed precision "
                   "steps) as JSON")
        ->type_name("FILE.json")
        ->group(output);
    app.add_option("--worst", a->worst, "how many of the worst tensors the table lists")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1))
        ->group(output);

    const char* analysis = "analysis";
    app.add_option("--analysis-samples", a->analysisSamples,
                   "compare fp32 and quantized runs on the first N calibration samples only")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1))
        ->group(analysis);
    app.add_option("--isolated", a->maxIsolated,
                   "sensitivity runs: quantize one tensor at a time for at most N tensors and "
                   "measure its own effect on the output (0: none)")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(0))
        ->group(analysis);
    app.add_option("--alternatives", a->alternatives,
                   "below 20 dB output SQNR, also measure the other calibrators and weight "
                   "granularities and advise the best (auto: with --calib only)")
        ->capture_default_str()
        ->type_name("auto|on|off")
        ->check(CLI::IsMember({"auto", "on", "off"}))
        ->group(analysis);
    app.add_option("--backend", a->config.backend,
                   targetHelp("kernels for calibration and analysis"))
        ->capture_default_str()
        ->type_name("NAME")
        ->check(targetName())
        ->group(analysis);
    app.add_option("--threads", a->config.threads, "threads per kernel")
        ->capture_default_str()
        ->type_name("N")
        ->check(wholeNumber(1))
        ->group(analysis);
    // Not an option of quantize: says where it belongs instead of "unknown option".
    app.add_flag_callback("--int8",
                          [] {
                              throw CLI::ValidationError(
                                  "--int8",
                                  "belongs to run: quantize writes the encodings, then "
                                  "'run MODEL --encodings FILE.json --int8' runs the int8 "
                                  "kernels");
                          })
        ->group("")
        ->trigger_on_parse();
    app.footer(
        "# PaddleOCR's detector on a folder of page images, per-channel weights\n"
        "layerbench-cli quantize det.onnx --shape x=1x3x640x640 --calib pages/ \\\n"
        "    --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --per-channel \\\n"
        "    --encodings det_enc.json --report det_quant.json\n"
        "# the recognizer from a QNN input list, a QDQ model too, 16 bit where needed\n"
        "layerbench-cli quantize rec.onnx --calib input_list.txt --encodings rec_enc.json \\\n"
        "    --qdq rec_qdq.onnx --target-sqnr 30");
    return [a](CommandIo io) { return runQuantize(*a, io); };
}

} // namespace

const Command& quantizeCommand() {
    static const Command command{"quantize", &defineQuantize};
    return command;
}

} // namespace lb::cli
