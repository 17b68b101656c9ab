#pragma once

#include "core/shape.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/image_calibration.h"

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace lb::run {

// Where the calibration samples come from.
struct CalibrationData {
    enum class Kind {
        Random, // `count` random samples from `seed` (quant::randomSamples)
        Path,   // an input_list.txt or a folder of .npy/.raw/.pb files; a folder without them is
                // read as images with `preprocess` (quant::loadCalibrationSamples)
        Images, // a folder of images, preprocessed by `preprocess` (quant::loadImageFolder)
    };
    Kind kind = Kind::Random;
    int count = 8;
    uint64_t seed = 1;
    std::string path;
    quant::ImagePreprocess preprocess;
};

// Everything that decides a calibration and its analysis. run::quantize turns it into a
// QuantizeResult; the CLI's `quantize` and the GUI's quantization both build one.
struct QuantizeSpec {
    std::string model; // the model file
    // The model already imported with `inputShapes` (a model version's graph), so it is not
    // imported again; null: quantize imports `model`. Not part of the JSON form.
    std::shared_ptr<const ir::Graph> graph;
    std::map<std::string, Shape> inputShapes; // fixes symbolic dims; samples fix the rest
    CalibrationData data;
    quant::CalibrationConfig config;    // method, bit widths, per-channel, backend, threads
    std::string overrides;              // an encodings file replacing computed encodings by name
    std::optional<double> targetSqnrDb; // mixed precision: promote to 16 bit until reached
    int maxPromotions = -1;             // -1: no limit
    int maxIsolated = -1;               // sensitivity runs; -1: every tensor
    int analysisSamples = 0;            // analyse the first N samples only; 0: all of them
    // Below 20 dB output SQNR, measure the other calibrators and weight granularities
    // (QuantizeResult::alternatives): the CLI with --alternatives, the Quantize panel on real data.
    bool measureAlternatives = false;
};

nlohmann::json toJson(const QuantizeSpec& spec);
// Throws lb::Error naming the key that is missing or has the wrong type.
QuantizeSpec quantizeSpecFromJson(const nlohmann::json& json);

} // namespace lb::run
