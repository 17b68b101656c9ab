#pragma once

#include "ir/graph.h"

#include <memory>

namespace lb::quant {

// The graph the quantization tools run (calibration, simulation, planner): the user's graph with
// its Constant nodes turned into initializers of the same value and the value types and shapes
// ONNX's import-time inference left unknown filled in (passes::completeShapes). No node is fused,
// folded or renamed, so every tensor an encoding names is still there, but the oneDNN backend
// can now claim the Convs (it pre-packs constant weights) and nodes with typed inputs: on
// PP-OCRv4 det the graph as imported ran almost entirely on the reference kernels.
std::shared_ptr<const ir::Graph> runnableGraph(const ir::Graph& graph);

} // namespace lb::quant
