#pragma once

#include "core/progress.h"
#include "core/shape.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/calibration_alternatives.h"
#include "quant/encoding_set.h"
#include "quant/mixed_precision.h"
#include "quant/qdq_export.h"
#include "report/quant_report.h"
#include "run/quantize_spec.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::run {

// A finished calibration and its analysis.
struct QuantizeResult {
    // The graph the encodings name (as imported, without LayerBench's passes) and the input
    // shapes it was imported with, the samples' own included.
    std::shared_ptr<const ir::Graph> graph;
    std::map<std::string, Shape> inputShapes;
    bool reimported = false; // the samples fixed symbolic dims: the model was imported again
    std::vector<quant::Sample> samples; // every calibration sample
    std::string calibrationData;        // "random (8 samples, seed 1)" or the path
    std::map<std::string, quant::HistogramObserver> observed; // activations as calibrated
    double calibrationSeconds = 0.0;
    // The overrides file's issues (reader's, then names the graph lacks) and how many
    // encodings it replaced.
    std::vector<quant::EncodingIssue> overrideIssues;
    int overridesApplied = 0;
    quant::EncodingSet encodings; // after overrides and the plan
    std::optional<quant::MixedPrecisionPlan> plan;
    size_t analyzedSamples = 0; // the first N of `samples`
    report::QuantReport report;
    // With spec.measureAlternatives, when the outputs are below quant::kLowOutputSqnrDb and no
    // plan was asked for: the other calibrators and weight granularities measured on the
    // analysed samples, best first.
    std::vector<quant::CalibrationAlternative> alternatives;
    std::vector<std::string> warnings; // the import's
};

// Import (unless the spec holds a graph) -> samples -> re-import when the samples fix symbolic
// dims -> observe activations -> encodings -> overrides -> mixed-precision plan -> analysis ->
// (below 20 dB, on request) the other calibration settings measured, each once. Progress phases
// "import", then calibration's, planning's and analysis' own; cancellable between them and inside
// each. Throws lb::Error naming the model, the calibration file or the tensor at fault.
QuantizeResult quantize(const QuantizeSpec& spec, const TaskContext& task = {});

// Writes `model` (imported with `inputShapes`, the graph encodings name) with `encodings` as
// QuantizeLinear/DequantizeLinear pairs to `outPath`: for encodings that come without a
// QuantizeResult's graph (edited, imported). Progress "import", then "qdq export".
quant::QdqExportResult exportQdq(const std::string& model,
                                 const std::map<std::string, Shape>& inputShapes,
                                 const quant::EncodingSet& encodings, const std::string& outPath,
                                 const TaskContext& task = {});

} // namespace lb::run
