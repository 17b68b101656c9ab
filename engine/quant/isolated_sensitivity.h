#pragma once

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/calibration.h"
#include "quant/encoding_set.h"
#include "quant/quant_analysis.h"
#include "report/quant_report.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lb::quant {

// The part of `graph` that quantizing `tensor` alone can change: the tensor's producer (so the
// FakeQuant goes where applyFakeQuant puts it in the whole graph), every node downstream of the
// tensor, and the Constants they read. `inputs` gets the values those nodes read that come from
// outside it (graph inputs and intermediates the rest of the graph computes: their fp32 values
// stand in), `outputs` the indices of the graph outputs it computes.
struct Suffix {
    std::set<ir::NodeId> nodes;
    std::vector<ir::ValueId> inputs;
    std::vector<size_t> outputs;
};
Suffix suffixOf(const ir::Graph& graph, const std::string& tensor);

// The isolated sensitivity of each of `tensors` (AnalysisOptions::maxIsolated): the error of
// the model outputs with only that tensor quantized, against `fpOutputs` (per sample, the fp32
// outputs in graph order). One fp32 run per sample captures every value a suffix reads from
// outside; then per tensor only its Suffix runs again, in its own optimized session on
// `options.backend`, fed those captures. Outputs outside the suffix are the fp32 ones. The
// numbers are the whole-graph runs' (AnalysisOptions::wholeGraphIsolated) up to float summation
// order. Samples are taken in chunks so the captures stay under about 1.5 GiB. Progress goes
// to `task` per tensor ("sensitivity runs").
std::map<std::string, report::ErrorStats>
isolatedSensitivity(const ir::Graph& graph, const EncodingSet& encodings,
                    const std::vector<std::string>& tensors, const std::vector<Sample>& samples,
                    const std::vector<std::vector<Tensor>>& fpOutputs,
                    const AnalysisOptions& options, const TaskContext& task = {});

} // namespace lb::quant
