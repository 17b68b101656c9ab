#pragma once

#include "core/shape.h"
#include "quant/calibration.h"
#include "quant/calibration_alternatives.h"
#include "quant/encoding_probe.h"
#include "quant/encoding_set.h"
#include "quant/histogram_observer.h"
#include "quant/image_calibration.h"
#include "quant/mixed_precision.h"
#include "report/quant_report.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lb::app {

// What the Quantize panel asks the engine worker to do: calibrate, (plan mixed precision,) then
// analyse.
struct QuantizeRequest {
    enum class Data { Random, InputList, Folder, Images };
    QString modelPath;
    std::map<std::string, Shape> inputShapes;
    Data data = Data::Random;
    QString dataPath; // input_list.txt, a folder of .npy files or a folder of images
    quant::ImagePreprocess preprocess; // Data::Images only
    int randomSamples = 8;             // Data::Random only
    uint64_t seed = 1;
    quant::CalibrationConfig config;
    std::string backend = "auto";
    int maxIsolated = -1; // sensitivity runs; -1: every tensor
    // Mixed precision (quant::planMixedPrecision): promote tensors to 16 bit until the output
    // SQNR reaches this many dB; nullopt: no planning.
    std::optional<double> targetSqnrDb;
    int maxPromotions = -1; // -1: no limit
};

using Histograms = std::map<std::string, quant::HistogramObserver>;

// A finished calibration + analysis. The probe belongs to the engine worker: the GUI only hands
// it back with re-measure requests and never calls it.
struct QuantResult {
    std::shared_ptr<const quant::EncodingSet> encodings;
    std::shared_ptr<const report::QuantReport> report;
    // Activations as observed during calibration, weights from their values.
    std::shared_ptr<const Histograms> histograms;
    std::shared_ptr<quant::EncodingProbe> probe;
    // The mixed-precision plan when one was asked for (its encodings are `encodings`).
    std::shared_ptr<const quant::MixedPrecisionPlan> plan;
    // Below quant::kLowOutputSqnrDb with real calibration data (and no plan): the other
    // calibrators and weight granularities measured on the same samples, best first.
    std::vector<quant::CalibrationAlternative> alternatives;
    bool randomData = false;
};

// A QDQ model written by the engine worker (quant::saveQdqModel).
struct QdqExportSummary {
    QString path;
    int quantizeNodes = 0;
    int dequantizeNodes = 0;
    int activations = 0;
    int params = 0;
    QStringList notes;
    QStringList skipped; // encodings not exported, one line each naming the tensor
};

// One tensor re-measured after an encoding edit.
struct RemeasureResult {
    QString tensor;
    quant::ProbeResult probe;
    double elapsedMs = 0;
    bool preview = false; // a drag in progress, not a committed edit
};

// The whole model analysed again under other encodings (an import, or several edits at once).
struct ReanalysisResult {
    std::shared_ptr<const report::QuantReport> report;
    std::shared_ptr<const quant::EncodingSet> encodings; // the ones measured
    double elapsedMs = 0;
};

} // namespace lb::app

Q_DECLARE_METATYPE(lb::app::QuantResult)
Q_DECLARE_METATYPE(lb::app::QdqExportSummary)
Q_DECLARE_METATYPE(lb::app::ReanalysisResult)
Q_DECLARE_METATYPE(lb::app::RemeasureResult)
