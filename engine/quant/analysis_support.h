#pragma once

// What the quantization analysis, the encoding probe and the mixed precision planner share
// (quant_analysis.cpp, encoding_probe.cpp, mixed_precision.cpp): the session they run a graph in,
// an observer that copies named intermediates, and the output comparison.

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/quant_analysis.h"
#include "runtime/session.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lb::quant {

// The names of every node output: what an analysis session keeps observable through the
// backends' lowerings (SessionOptions::keepValues).
std::set<std::string> nodeOutputNames(const ir::Graph& graph);

// A session for the quantization tools on `graph` with `backend` and `threads`: the graph goes
// through LayerBench's default passes (constants folded, BatchNorm and affine steps folded into
// Conv, activations fused), as `run` and calibration do, so the analysis runs at close to the
// fp32 inference cost (the graph as imported ran Convs apart from their BatchNorm and
// activations, many binary ops on oneDNN's reference path: 60 ms a run on cls against 1.3 ms).
// The passes keep FakeQuant nodes (they fuse nothing across one) and every value named in
// `observed` (so OutputCapture finds it; a value the passes would otherwise fuse away stays a
// node output). `optimize` false: the graph as imported, Constants as initializers and
// shapes completed (quant/runnable_graph.h). The analysis, the encoding probe and the mixed
// precision planner all use it, so a re-measure or a planner step reproduces the analysis' numbers.
std::unique_ptr<runtime::Session> analysisSession(const ir::Graph& graph,
                                                  const std::string& backend, int threads,
                                                  const TaskContext& task,
                                                  const std::set<std::string>& observed = {},
                                                  bool optimize = true);

// Copies the float outputs named in `wanted` (value name -> key) as plain tensors (a plain
// output is a view of the session's arena, reused by later nodes).
class OutputCapture : public runtime::ExecutionObserver {
public:
    OutputCapture(const runtime::Session& session, std::map<std::string, std::string> wanted,
                  const TaskContext& task);
    void onNodeEnd(size_t, const runtime::PlanStep& step,
                   const std::vector<Tensor>& outputs) override;

    std::map<std::string, Tensor> captured; // key -> copy

private:
    const runtime::Session& m_session;
    std::map<std::string, std::string> m_wanted;
    const TaskContext& m_task;
};

// Top-1 agreement of one float output against its reference: the positions whose argmax over
// the class axis (classAxis) matches are added to `agree`, all positions to `rows`. A class axis
// of size 1 (a one-channel map, as a detector's probability map) is a two-way decision per
// element: the same side of 0.5 (values in [0, 1]) or of 0 (logits). (The argmax once ran over
// the last axis whatever the rank: on det's 1x1x640x640 map that is a row of pixels, where the
// saturated 0s and 1s tie and 26% "agreed" for a map with cosine 0.96 to fp32.)
void addTop1(const Tensor& ref, const Tensor& q, int64_t& rows, int64_t& agree);

// The axis the classes lie on: 1 for rank 4 and more (NCHW, ONNX's image layout: a
// segmentation or detection map), the last one otherwise (N x classes, N x T x classes).
size_t classAxis(const Shape& shape);

} // namespace lb::quant
