#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/encoding_set.h"
#include "quant/histogram_observer.h"

#include <map>
#include <string>
#include <vector>

namespace lb::quant {

// One calibration setting the user did not choose, measured on the same samples.
struct CalibrationAlternative {
    CalibrationMethod method = CalibrationMethod::MinMax;
    bool perChannel = false;
    double outputSqnrDb = 0;  // all float outputs pooled, as QuantReport::outputError
    double top1Agreement = 0; // as QuantReport::top1Agreement (addTop1)
    std::string flags; // the quantize options that select it: "--calibrator mse --per-channel"
};

// Below this output SQNR quantize names the causes and measures the alternatives.
constexpr double kLowOutputSqnrDb = 20.0;

// When the chosen setting leaves the outputs below kLowOutputSqnrDb, which of the others does
// better: every calibrator with per-tensor and per-channel weights, the encodings recomputed
// from the activations calibration already observed (`observed`: no second calibration), the
// user's `overrides` applied on top as in the chosen setting, the whole model simulated on
// `samples` against one fp32 run. Costs one fp32 and seven quantized passes over the samples
// (on det 640 with 4 samples, about 10 s of CPU: a fifth of quantize's own analysis). Best
// first; progress and cancellation via `task`.
std::vector<CalibrationAlternative>
measureAlternatives(const ir::Graph& graph,
                    const std::map<std::string, HistogramObserver>& observed,
                    const CalibrationConfig& chosen, const EncodingSet& overrides,
                    const std::vector<Sample>& samples, const TaskContext& task = {});

// The lines quantize prints under its table: each alternative's output SQNR and top-1 against
// `chosenSqnrDb`, and what to do when none reaches kLowOutputSqnrDb (--target-sqnr, which
// keeps the most sensitive tensors at 16 bit).
std::string alternativesTable(const std::vector<CalibrationAlternative>& alternatives,
                              double chosenSqnrDb, const CalibrationConfig& chosen);

} // namespace lb::quant
