#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/encoding_set.h"
#include "report/quant_report.h"

#include <span>
#include <string>
#include <vector>

namespace lb::quant {

// Accumulates fp32-vs-quantized error over many tensors/samples.
class ErrorAccumulator {
public:
    void add(std::span<const float> reference, std::span<const float> quantized);
    report::ErrorStats stats() const;
    bool empty() const { return m_count == 0; }

private:
    double m_signal = 0, m_noise = 0, m_dot = 0, m_quantSq = 0, m_maxAbs = 0;
    int64_t m_count = 0;
};

struct AnalysisOptions {
    std::string backend = "auto";
    int threads = 1;
    // Isolated (sensitivity) runs: one session per tensor with only that tensor quantized. -1 runs
    // every tensor; otherwise the `maxIsolated` tensors with the lowest cumulative SQNR.
    int maxIsolated = -1;
    // When not empty, only these tensors get an isolated run (maxIsolated still caps them).
    std::vector<std::string> isolatedOnly;
    // Run the graphs through the default passes first (analysisSession). false runs them as
    // imported: 20-40x slower, with the same numbers up to float summation order; kept to check
    // that claim (quant_analysis_speed_test).
    bool optimize = true;
    // Isolated runs the slow way: per tensor, the whole graph with that tensor quantized in a
    // session of its own (minutes on det 640). The default shares the fp32 run and runs only
    // the part after the tensor again (quant/isolated_sensitivity.h); this path is kept to check
    // that the two agree (quant_analysis_paths_test).
    bool wholeGraphIsolated = false;
};

// Runs the fp32 graph and its fake-quantized copy (applyFakeQuant) on every sample and fills a
// QuantReport: per tensor the cumulative error (the tensor in the fully quantized model against
// fp32; params compare their own values), the isolated sensitivity (model outputs with only
// that tensor quantized), the quantize -> dequantize MSE of the fp32 tensor alone; per output
// SQNR and top-1 agreement (argmax over the class axis, quant::addTop1). Intermediates are captured
// by an observer (Session::toPlain) and compared sample by sample, so memory holds one sample's
// tensors. `graph` is the graph the encodings name (no passes). Progress and cancellation via
// `task`.
report::QuantReport analyzeQuantization(const ir::Graph& graph, const EncodingSet& encodings,
                                        const std::vector<Sample>& samples,
                                        const AnalysisOptions& options,
                                        const TaskContext& task = {});

} // namespace lb::quant
