// The engine worker's quantization jobs: calibration + analysis, and one-tensor re-measures.
#include "app/engine_worker.h"
#include "onnx/importer.h"
#include "quant/calibration_data.h"
#include "quant/fake_quant_transform.h"
#include "quant/qdq_export.h"
#include "quant/quant_analysis.h"

#include <QElapsedTimer>
#include <algorithm>

namespace lb::app {

namespace {

// Weights get a histogram of their values so the view can show them like activations.
void addParamHistograms(const ir::Graph& graph, const quant::EncodingSet& encodings,
                        Histograms& histograms) {
    for (const auto& [name, encoding] : encodings.params) {
        const auto id = graph.findValue(name);
        const Tensor* t = id ? quant::paramTensor(graph, *id) : nullptr;
        if (t && t->dtype() == DataType::Float32)
            histograms[name].observe(t->span<const float>());
    }
}

} // namespace

EngineWorker::JobId EngineWorker::quantizeModel(const QuantizeRequest& request) {
    auto work = [this, request](const Job& job, const TaskContext& task) {
        const std::string path = request.modelPath.toStdString();
        onnx::ImportOptions importOptions;
        importOptions.inputShapes = request.inputShapes;
        task.report(0.0, "import");
        onnx::ImportResult imported = onnx::importModel(path, importOptions);
        std::vector<quant::Sample> samples;
        std::string source;
        auto loadSamples = [&request, &source](const ir::Graph& graph) {
            return request.data == QuantizeRequest::Data::Images
                       ? quant::loadImageFolder(graph, source, request.preprocess)
                       : quant::loadCalibrationSamples(graph, source);
        };
        if (request.data == QuantizeRequest::Data::Random) {
            samples = quant::randomSamples(imported.graph, request.randomSamples, request.seed);
            source = "random (" + std::to_string(request.randomSamples) + " samples, seed " +
                     std::to_string(request.seed) + ")";
        } else {
            source = request.dataPath.toStdString();
            samples = loadSamples(imported.graph);
            bool reimport = false; // the samples fix symbolic dims, as in the CLI
            for (const auto& [name, t] : samples.front())
                if (!importOptions.inputShapes.count(name)) {
                    importOptions.inputShapes[name] = t.shape();
                    reimport = true;
                }
            if (reimport) {
                imported = onnx::importModel(path, importOptions);
                samples = loadSamples(imported.graph);
            }
        }
        auto graph = std::make_shared<const ir::Graph>(std::move(imported.graph));
        task.checkCancelled();

        quant::CalibrationConfig config = request.config;
        config.backend = request.backend;
        // The planner re-simulates the model once per promotion: it gets a share of the bar.
        const double analysisFrom = request.targetSqnrDb ? 0.6 : 0.3;
        const auto observed =
            quant::observeActivations(*graph, samples, config, task.phase(0.05, 0.3));
        auto encodings =
            std::make_shared<quant::EncodingSet>(quant::computeEncodings(*graph, observed, config));
        std::shared_ptr<const quant::MixedPrecisionPlan> plan;
        if (request.targetSqnrDb) {
            quant::MixedPrecisionOptions options;
            options.targetSqnrDb = *request.targetSqnrDb;
            options.maxPromotions = request.maxPromotions;
            options.backend = request.backend;
            options.threads = config.threads;
            plan = std::make_shared<const quant::MixedPrecisionPlan>(quant::planMixedPrecision(
                *graph, *encodings, samples, options, task.phase(0.3, analysisFrom)));
            *encodings = plan->encodings;
        }
        auto histograms = std::make_shared<Histograms>(observed);
        addParamHistograms(*graph, *encodings, *histograms);

        quant::AnalysisOptions analysis;
        analysis.backend = request.backend;
        analysis.threads = config.threads;
        analysis.maxIsolated = request.maxIsolated;
        auto report = std::make_shared<report::QuantReport>(quant::analyzeQuantization(
            *graph, *encodings, samples, analysis, task.phase(analysisFrom, 0.95)));
        report->model = path;
        report->calibrator = quant::calibrationMethodName(config.activations.method);
        report->calibrationData = source;
        report->activationBitwidth = config.activations.bitwidth;
        report->weightBitwidth = config.weightBitwidth;
        report->biasBitwidth = config.biasBitwidth;
        report->perChannel = config.perChannel;
        task.report(0.95, "fp32 reference");
        auto probe =
            std::make_shared<quant::EncodingProbe>(graph, std::move(samples), analysis, task);

        QuantResult result;
        result.encodings = std::move(encodings);
        result.report = std::move(report);
        result.histograms = std::move(histograms);
        result.probe = std::move(probe);
        result.plan = std::move(plan);
        result.randomData = request.data == QuantizeRequest::Data::Random;
        deliver(job, &EngineWorker::quantizeFinished, std::move(result));
    };
    return post(QStringLiteral("quantize"), std::move(work));
}

EngineWorker::JobId EngineWorker::remeasure(std::shared_ptr<quant::EncodingProbe> probe,
                                            std::shared_ptr<const quant::EncodingSet> encodings,
                                            const QString& tensor, bool preview) {
    auto work = [this, probe, encodings, tensor, preview](const Job& job, const TaskContext& task) {
        QElapsedTimer timer;
        timer.start();
        RemeasureResult result;
        result.tensor = tensor;
        result.preview = preview;
        result.probe = probe->measure(*encodings, tensor.toStdString(), task);
        result.elapsedMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        deliver(job, &EngineWorker::remeasured, std::move(result));
    };
    // One tag per tensor: a newer request for the same tensor replaces a queued one (a drag never
    // builds a backlog), while an edit of another tensor (a quick undo) keeps its own job.
    return post(QStringLiteral("remeasure:") + tensor, std::move(work));
}

EngineWorker::JobId EngineWorker::reanalyze(std::shared_ptr<quant::EncodingProbe> probe,
                                            std::shared_ptr<const quant::EncodingSet> encodings) {
    auto work = [this, probe, encodings](const Job& job, const TaskContext& task) {
        QElapsedTimer timer;
        timer.start();
        ReanalysisResult result;
        result.encodings = encodings;
        result.report =
            std::make_shared<const report::QuantReport>(probe->analyze(*encodings, task));
        result.elapsedMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        deliver(job, &EngineWorker::reanalyzed, std::move(result));
    };
    return post(QStringLiteral("reanalyze"), std::move(work));
}

EngineWorker::JobId EngineWorker::exportQdq(const QString& modelPath,
                                            const std::map<std::string, Shape>& inputShapes,
                                            std::shared_ptr<const quant::EncodingSet> encodings,
                                            const QString& outPath) {
    auto work = [this, modelPath, inputShapes, encodings, outPath](const Job& job,
                                                                   const TaskContext& task) {
        onnx::ImportOptions options;
        options.inputShapes = inputShapes;
        task.report(0.0, "import");
        const onnx::ImportResult imported =
            onnx::importModel(modelPath.toStdString(), options, task.phase(0.0, 0.4));
        task.checkCancelled();
        task.report(0.4, "qdq export");
        quant::QdqExportResult qdq;
        quant::saveQdqModel(imported.graph, *encodings, outPath.toStdString(), &qdq);
        QdqExportSummary summary;
        summary.path = outPath;
        summary.quantizeNodes = qdq.quantizeNodes;
        summary.dequantizeNodes = qdq.dequantizeNodes;
        summary.activations = qdq.activations;
        summary.params = qdq.params;
        for (const std::string& note : qdq.notes)
            summary.notes << QString::fromStdString(note);
        for (const std::string& skipped : qdq.skipped)
            summary.skipped << QString::fromStdString(skipped);
        deliver(job, &EngineWorker::qdqExported, std::move(summary));
    };
    return post(QStringLiteral("qdq"), std::move(work));
}

} // namespace lb::app
