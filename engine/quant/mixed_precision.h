#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/encoding_set.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace lb::quant {

struct MixedPrecisionOptions {
    double targetSqnrDb = 30.0; // output SQNR (all float outputs pooled) to reach
    int maxPromotions = -1;     // -1: until the target is reached or no candidate is left
    int promotedBitwidth = 16;
    bool activations = true; // which kinds may be promoted
    bool weights = true;
    std::string backend = "auto";
    int threads = 1;
};

struct PromotionStep {
    int step = 0;              // 0: the starting point, nothing promoted
    std::string tensor;        // promoted at this step ("" for step 0)
    std::string kind;          // activation | weight
    double isolatedSqnrDb = 0; // the tensor's sensitivity (output SQNR with only it quantized)
    double outputSqnrDb = 0;   // measured on the samples with every promotion so far
    double top1Agreement = 0;  // argmax over the class axis, as in QuantReport
    double latencyMs = 0;      // median per-sample run time of that simulation graph
};

struct MixedPrecisionPlan {
    double targetSqnrDb = 0;
    bool reached = false;
    std::vector<PromotionStep> steps; // step 0 first
    EncodingSet encodings;            // the input encodings with every promotion applied
    std::string latencyNote;          // what the latency column measures
};

// The same range with more levels: every channel's min/max re-encoded at `bitwidth` (symmetric
// stays symmetric), so a promotion changes the rounding step, not the calibrated clipping.
Encoding promoteEncoding(const Encoding& encoding, int bitwidth);

// Greedy mixed precision: rank the quantized activations and weights by isolated sensitivity
// (analyzeQuantization: output SQNR with only that tensor quantized, lowest first), then promote
// them one at a time to `promotedBitwidth` until the measured output SQNR reaches the target.
// After each promotion the biases fed by a promoted input or weight are re-derived (QNN's
// scale = s_in * s_w), the whole model is re-simulated on every sample and the output SQNR,
// top-1 agreement and median latency are recorded. Latency is that of the quantization
// simulation (fp32 kernels plus FakeQuant nodes) on `backend`; it does not model int16 kernels.
// Progress and cancellation via `task`.
MixedPrecisionPlan planMixedPrecision(const ir::Graph& graph, const EncodingSet& encodings,
                                      const std::vector<Sample>& samples,
                                      const MixedPrecisionOptions& options,
                                      const TaskContext& task = {});

nlohmann::json toJson(const MixedPrecisionPlan& plan);
// One line per step: step, tensor, kind, isolated SQNR, output SQNR, top-1, latency.
std::string planTable(const MixedPrecisionPlan& plan);

} // namespace lb::quant
