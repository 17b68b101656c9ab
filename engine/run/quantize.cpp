#include "run/quantize.h"

#include "core/error.h"
#include "onnx/importer.h"
#include "quant/calibration_data.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"
#include "quant/quant_analysis.h"

#include <chrono>

namespace lb::run {

namespace {

std::vector<quant::Sample> loadSamples(const ir::Graph& graph, const CalibrationData& data) {
    std::vector<quant::Sample> samples =
        data.kind == CalibrationData::Kind::Images
            ? quant::loadImageFolder(graph, data.path, data.preprocess)
            : quant::loadCalibrationSamples(graph, data.path, data.preprocess);
    if (samples.empty())
        fail(data.path, ": no calibration sample found");
    return samples;
}

} // namespace

QuantizeResult quantize(const QuantizeSpec& spec, const TaskContext& task) {
    QuantizeResult result;
    result.inputShapes = spec.inputShapes;
    onnx::ImportOptions import;
    import.inputShapes = spec.inputShapes;
    auto importModel = [&] {
        task.report(0.0, "import");
        onnx::ImportResult imported = onnx::importModel(spec.model, import, task.phase(0.0, 0.05));
        return std::make_pair(std::make_shared<const ir::Graph>(std::move(imported.graph)),
                              std::move(imported.warnings));
    };
    if (spec.graph) {
        result.graph = spec.graph;
    } else {
        std::tie(result.graph, result.warnings) = importModel();
    }
    task.checkCancelled();

    const CalibrationData& data = spec.data;
    if (data.kind == CalibrationData::Kind::Random) {
        result.samples = quant::randomSamples(*result.graph, data.count, data.seed);
        result.calibrationData = "random (" + std::to_string(data.count) + " samples, seed " +
                                 std::to_string(data.seed) + ")";
    } else {
        result.samples = loadSamples(*result.graph, data);
        result.calibrationData = data.path;
        // The samples fix the dims the spec left symbolic, as in `run`: import again with them.
        for (const auto& [name, t] : result.samples.front())
            if (!import.inputShapes.count(name)) {
                import.inputShapes[name] = t.shape();
                result.reimported = true;
            }
        if (result.reimported) {
            result.inputShapes = import.inputShapes;
            result.graph = importModel().first;
            task.checkCancelled();
            result.samples = loadSamples(*result.graph, data);
        }
    }
    task.checkCancelled();

    const quant::CalibrationConfig& config = spec.config;
    // The planner re-simulates the model once per promotion: it gets a share of the bar.
    const double analysisFrom = spec.targetSqnrDb ? 0.63 : 0.32;
    const auto calibStart = std::chrono::steady_clock::now();
    result.observed =
        quant::observeActivations(*result.graph, result.samples, config, task.phase(0.05, 0.32));
    result.calibrationSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - calibStart).count();
    result.encodings = quant::computeEncodings(*result.graph, result.observed, config);
    quant::EncodingSet overrides;
    if (!spec.overrides.empty()) {
        overrides = quant::readEncodingsFile(spec.overrides);
        result.overrideIssues = overrides.issues;
        for (quant::EncodingIssue& issue : quant::checkNames(overrides, *result.graph))
            result.overrideIssues.push_back(std::move(issue));
        result.overridesApplied = quant::applyOverrides(result.encodings, overrides);
    }
    task.checkCancelled();

    if (spec.targetSqnrDb) {
        quant::MixedPrecisionOptions options;
        options.targetSqnrDb = *spec.targetSqnrDb;
        options.maxPromotions = spec.maxPromotions;
        options.backend = config.backend;
        options.threads = config.threads;
        result.plan = quant::planMixedPrecision(*result.graph, result.encodings, result.samples,
                                                options, task.phase(0.32, analysisFrom));
        result.encodings = result.plan->encodings;
    }
    task.checkCancelled();

    quant::AnalysisOptions analysis;
    analysis.backend = config.backend;
    analysis.threads = config.threads;
    analysis.maxIsolated = spec.maxIsolated;
    result.analyzedSamples = result.samples.size();
    if (spec.analysisSamples > 0 &&
        result.analyzedSamples > static_cast<size_t>(spec.analysisSamples))
        result.analyzedSamples = static_cast<size_t>(spec.analysisSamples);
    const std::vector<quant::Sample> analyzed(
        result.samples.begin(),
        result.samples.begin() + static_cast<std::ptrdiff_t>(result.analyzedSamples));
    result.report = quant::analyzeQuantization(*result.graph, result.encodings, analyzed, analysis,
                                               task.phase(analysisFrom, 0.92));
    report::QuantReport& r = result.report;
    // Below the usability line, say which other calibration does better, measured. Not after a
    // mixed precision plan: the user already chose to spend 16 bit where it helps.
    if (spec.measureAlternatives && !spec.targetSqnrDb &&
        r.outputError.sqnrDb < quant::kLowOutputSqnrDb)
        result.alternatives = quant::measureAlternatives(
            *result.graph, result.observed, config, overrides, analyzed, task.phase(0.92, 1.0));
    r.model = spec.model;
    r.calibrator = quant::calibrationMethodName(config.activations.method);
    r.calibrationData = result.calibrationData;
    r.activationBitwidth = config.activations.bitwidth;
    r.weightBitwidth = config.weightBitwidth;
    r.biasBitwidth = config.biasBitwidth;
    r.perChannel = config.perChannel;
    return result;
}

quant::QdqExportResult exportQdq(const std::string& model,
                                 const std::map<std::string, Shape>& inputShapes,
                                 const quant::EncodingSet& encodings, const std::string& outPath,
                                 const TaskContext& task) {
    onnx::ImportOptions options;
    options.inputShapes = inputShapes;
    task.report(0.0, "import");
    const onnx::ImportResult imported = onnx::importModel(model, options, task.phase(0.0, 0.4));
    task.checkCancelled();
    task.report(0.4, "qdq export");
    quant::QdqExportResult qdq;
    quant::saveQdqModel(imported.graph, encodings, outPath, &qdq);
    return qdq;
}

} // namespace lb::run
