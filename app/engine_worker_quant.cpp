// The engine worker's quantization jobs: calibration + analysis, and one-tensor re-measures.
#include "app/engine_worker.h"
#include "quant/fake_quant_transform.h"
#include "quant/qdq_export.h"
#include "quant/quant_analysis.h"
#include "run/quantize.h"

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
        run::QuantizeSpec spec;
        spec.model = request.modelPath.toStdString();
        spec.inputShapes = request.inputShapes;
        switch (request.data) {
        case QuantizeRequest::Data::Random:
            spec.data.kind = run::CalibrationData::Kind::Random;
            spec.data.count = request.randomSamples;
            spec.data.seed = request.seed;
            break;
        case QuantizeRequest::Data::InputList:
        case QuantizeRequest::Data::Folder:
            spec.data.kind = run::CalibrationData::Kind::Path;
            spec.data.path = request.dataPath.toStdString();
            break;
        case QuantizeRequest::Data::Images:
            spec.data.kind = run::CalibrationData::Kind::Images;
            spec.data.path = request.dataPath.toStdString();
            spec.data.preprocess = request.preprocess;
            break;
        }
        spec.config = request.config;
        spec.config.backend = request.backend;
        spec.targetSqnrDb = request.targetSqnrDb;
        spec.maxPromotions = request.maxPromotions;
        spec.maxIsolated = request.maxIsolated;
        // As the CLI's --alternatives auto: random data says nothing about which calibrator fits.
        spec.measureAlternatives = request.data != QuantizeRequest::Data::Random;
        run::QuantizeResult quantized = run::quantize(spec, task.phase(0.0, 0.95));
        const std::shared_ptr<const ir::Graph> graph = quantized.graph;
        auto encodings = std::make_shared<quant::EncodingSet>(std::move(quantized.encodings));
        std::shared_ptr<const quant::MixedPrecisionPlan> plan;
        if (quantized.plan)
            plan = std::make_shared<const quant::MixedPrecisionPlan>(std::move(*quantized.plan));
        const auto& observed = quantized.observed;
        auto histograms = std::make_shared<Histograms>(observed);
        addParamHistograms(*graph, *encodings, *histograms);

        quant::AnalysisOptions analysis;
        analysis.backend = request.backend;
        analysis.threads = spec.config.threads;
        analysis.maxIsolated = request.maxIsolated;
        auto report = std::make_shared<report::QuantReport>(std::move(quantized.report));
        task.report(0.95, "fp32 reference");
        auto probe = std::make_shared<quant::EncodingProbe>(graph, std::move(quantized.samples),
                                                            analysis, task);

        QuantResult result;
        result.encodings = std::move(encodings);
        result.report = std::move(report);
        result.histograms = std::move(histograms);
        result.probe = std::move(probe);
        result.plan = std::move(plan);
        result.alternatives = std::move(quantized.alternatives);
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
        const quant::QdqExportResult qdq = run::exportQdq(modelPath.toStdString(), inputShapes,
                                                          *encodings, outPath.toStdString(), task);
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
