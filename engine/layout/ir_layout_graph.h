#pragma once

#include "ir/graph.h"
#include "layout/layered_layout.h"

#include <vector>

namespace lb::layout {

// Box size of a node in the graph view at zoom 1: the op type as label.
struct NodeBoxMetrics {
    double charWidth = 7.0;
    double padding = 20.0; // left + right
    double minWidth = 40.0;
    double height = 28.0;
};

// The LayoutGraph the graph view lays out: one node per live ONNX node, one edge per (producer
// node, tensor, consumer input slot). Graph inputs and initializers are not nodes.
struct IrLayoutGraph {
    LayoutGraph graph;
    std::vector<ir::NodeId> nodes;       // layout index -> IR node id
    std::vector<ir::ValueId> edgeValues; // per layout edge: the tensor it carries
};

IrLayoutGraph layoutGraphFromIr(const ir::Graph& graph, const NodeBoxMetrics& metrics = {});

} // namespace lb::layout
