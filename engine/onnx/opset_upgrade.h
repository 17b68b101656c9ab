#pragma once

#include "ir/graph.h"

#include <string>
#include <vector>

namespace lb::onnx {

// Raises the default-domain opset of `graph` to `target` (at most 13, the opset QDQ export
// needs for per-axis QuantizeLinear/DequantizeLinear), rewriting the nodes whose meaning changed
// on the way: Clip (< 11) min/max attributes -> inputs; Slice (< 10) starts/ends/axes ->
// inputs; Squeeze/Unsqueeze/ReduceSum (< 13) axes and Split (< 13) split -> inputs;
// Softmax/LogSoftmax/Hardmax (< 13) only where the axis is the last one (the 2-D coercion then
// means the same). Throws lb::Error naming the node for an op it cannot carry over (Pad < 11,
// Resize < 11, Upsample, TopK < 10, Softmax on an inner axis) and for subgraphs, which it does
// not walk. Returns one line per rewritten node kind ("Clip: 18 nodes"); nothing when the graph
// already imports `target` or more.
std::vector<std::string> upgradeOpset(ir::Graph& graph, int64_t target);

} // namespace lb::onnx
