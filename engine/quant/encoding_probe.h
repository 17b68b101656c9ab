#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/encoding_set.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::runtime {
class Session;
}

namespace lb::quant {

// One tensor re-measured under edited encodings.
struct ProbeResult {
    report::TensorQuantStats tensor; // cumulative, isolated and encodingMse filled
    report::ErrorStats outputError;  // all float outputs, whole model quantized
    double top1Agreement = 0;
};

// Re-measures one tensor after an edit to its encoding without repeating the whole analysis:
// the fp32 session, its outputs and the fp32 values of probed tensors are kept across calls, so
// a measurement costs two quantized passes over the samples (the whole model quantized, for the
// tensor's own error and the output error; only that tensor quantized, for its sensitivity).
// Not thread-safe: one owner (the engine worker) calls it.
class EncodingProbe {
public:
    // `graph` is the graph the encodings name (no passes). Runs the fp32 model once per sample.
    EncodingProbe(std::shared_ptr<const ir::Graph> graph, std::vector<Sample> samples,
                  AnalysisOptions options, const TaskContext& task = {});
    ~EncodingProbe();
    EncodingProbe(const EncodingProbe&) = delete;
    EncodingProbe& operator=(const EncodingProbe&) = delete;

    // Throws lb::Error naming the tensor when the encodings do not have it or do not fit it.
    ProbeResult measure(const EncodingSet& encodings, const std::string& tensor,
                        const TaskContext& task = {});

    // The whole analysis (analyzeQuantization) of `encodings` on the probe's graph, samples and
    // options: every tensor's numbers after an import or several edits.
    report::QuantReport analyze(const EncodingSet& encodings, const TaskContext& task = {}) const;

    const ir::Graph& graph() const { return *m_graph; }
    size_t sampleCount() const { return m_samples.size(); }

private:
    // The fp32 values of activation `name`, one per sample (captured on first use).
    const std::vector<Tensor>& referenceOf(const std::string& name, const TaskContext& task);

    std::shared_ptr<const ir::Graph> m_graph;
    std::vector<Sample> m_samples;
    AnalysisOptions m_options;
    std::unique_ptr<runtime::Session> m_fp32;
    std::vector<std::vector<Tensor>> m_outputs; // per sample
    std::map<std::string, std::vector<Tensor>> m_references;
};

} // namespace lb::quant
