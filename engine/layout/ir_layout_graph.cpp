#include "layout/ir_layout_graph.h"

#include <algorithm>

namespace lb::layout {

IrLayoutGraph layoutGraphFromIr(const ir::Graph& graph, const NodeBoxMetrics& metrics) {
    IrLayoutGraph result;
    result.nodes = graph.nodeIds();
    const size_t n = result.nodes.size();
    std::vector<uint32_t> indexOf(graph.nodeCapacity(), UINT32_MAX);
    result.graph.widths.reserve(n);
    result.graph.heights.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const ir::Node& node = graph.node(result.nodes[i]);
        indexOf[node.id] = static_cast<uint32_t>(i);
        const double labelWidth = metrics.charWidth * static_cast<double>(node.opType.size());
        result.graph.widths.push_back(std::max(metrics.minWidth, labelWidth + metrics.padding));
        result.graph.heights.push_back(metrics.height);
    }
    for (size_t i = 0; i < n; ++i) {
        const ir::Node& node = graph.node(result.nodes[i]);
        auto connect = [&](ir::ValueId value) {
            if (value == ir::kNoValue)
                return;
            const ir::NodeId producer = graph.value(value).producer;
            if (producer == ir::kNoNode || !graph.isAlive(producer))
                return;
            result.graph.edges.push_back({indexOf[producer], static_cast<uint32_t>(i)});
            result.edgeValues.push_back(value);
        };
        for (ir::ValueId value : node.inputs)
            connect(value);
        for (ir::ValueId value : node.implicitInputs)
            connect(value);
    }
    return result;
}

} // namespace lb::layout
