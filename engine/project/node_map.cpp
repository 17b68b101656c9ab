#include "project/node_map.h"

#include "quant/name_check.h"

#include <algorithm>
#include <unordered_set>

namespace lb::project {

namespace {
const std::vector<ir::NodeId> kNoNodes;
const std::vector<size_t> kNoRows;
} // namespace

NodeMap::NodeMap(std::shared_ptr<const ir::Graph> graph,
                 std::shared_ptr<const report::ProfileReport> report)
    : m_graph(std::move(graph)), m_report(std::move(report)) {
    if (!m_report)
        return;
    m_rowNodes.resize(m_report->nodes.size());
    std::unordered_set<std::string> unmatched;
    for (size_t row = 0; row < m_report->nodes.size(); ++row) {
        const report::NodeProfile& profile = m_report->nodes[row];
        if (profile.parent >= 0)
            continue; // a subgraph's row: below, onto its control-flow node
        const std::vector<std::string> own{profile.name};
        const std::vector<std::string>& names = profile.covers.empty() ? own : profile.covers;
        for (const std::string& name : names) {
            const auto id = nodeId(name);
            if (!id) {
                if (unmatched.insert(name).second)
                    m_unmatched.push_back(name);
                continue;
            }
            std::vector<ir::NodeId>& nodes = m_rowNodes[row];
            if (std::find(nodes.begin(), nodes.end(), *id) != nodes.end())
                continue;
            nodes.push_back(*id);
            m_nodeRows[*id].push_back(row);
        }
    }
    // A subgraph's node is not in the graph (its name may even be a top-level node's): its row
    // shows its top-level control-flow node, whose row alone holds that node's time.
    for (size_t row = 0; row < m_report->nodes.size(); ++row) {
        size_t top = row;
        for (int depth = 0; m_report->nodes[top].parent >= 0 && depth < 64; ++depth)
            top = static_cast<size_t>(m_report->nodes[top].parent);
        if (top != row && m_report->nodes[top].parent < 0)
            m_rowNodes[row] = m_rowNodes[top];
    }
}

std::optional<ir::NodeId> NodeMap::nodeId(const std::string& onnxName) const {
    if (!m_graph)
        return std::nullopt;
    return m_graph->findNode(onnxName);
}

std::string NodeMap::nodeName(ir::NodeId id) const {
    if (!m_graph || !m_graph->isAlive(id))
        return {};
    return m_graph->node(id).name;
}

const std::vector<ir::NodeId>& NodeMap::nodesOfRow(size_t row) const {
    return row < m_rowNodes.size() ? m_rowNodes[row] : kNoNodes;
}

const std::vector<size_t>& NodeMap::rowsOfNode(ir::NodeId id) const {
    const auto it = m_nodeRows.find(id);
    return it == m_nodeRows.end() ? kNoRows : it->second;
}

std::vector<ir::NodeId> NodeMap::nodesOfTensor(const std::string& name) const {
    std::vector<ir::NodeId> nodes;
    if (!m_graph)
        return nodes;
    const auto id = m_graph->findValue(name);
    if (!id)
        return nodes;
    const ir::Value& value = m_graph->value(*id);
    if (value.producer != ir::kNoNode && !quant::isParamValue(*m_graph, *id)) {
        nodes.push_back(value.producer);
        return nodes;
    }
    // A node reads a value once per input slot: listed once here.
    for (ir::NodeId consumer : value.consumers)
        if (std::find(nodes.begin(), nodes.end(), consumer) == nodes.end())
            nodes.push_back(consumer);
    return nodes;
}

} // namespace lb::project
