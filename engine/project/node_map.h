#pragma once

#include "ir/graph.h"
#include "report/profile_report.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lb::project {

// The one map between what the views show: the model's ONNX nodes by name, their ir node ids in
// the graph the user sees (a model version's, as imported), and the rows of a profile report.
// A row names the ONNX nodes it covers (report::NodeProfile::covers: a fused kernel several, a
// QNN op or an ORT kernel one or more), so every report, local, device or imported, lands on the
// graph the same way, by name. Built by the engine once per report; views only read it.
class NodeMap {
public:
    NodeMap() = default;
    // `graph` alone (names and tensors), or with `report`'s rows mapped onto it.
    explicit NodeMap(std::shared_ptr<const ir::Graph> graph,
                     std::shared_ptr<const report::ProfileReport> report = nullptr);

    const ir::Graph* graph() const { return m_graph.get(); }
    const report::ProfileReport* report() const { return m_report.get(); }

    // ONNX node name <-> ir node id.
    std::optional<ir::NodeId> nodeId(const std::string& onnxName) const;
    std::string nodeName(ir::NodeId id) const; // "" for an id the graph does not have

    // Report rows <-> graph nodes. A row's nodes come in the order its `covers` lists them (a
    // row of an older report that lists none stands for the node of its own name); a node folded
    // away by the passes is covered by no row. A subgraph's row (parent >= 0) has the nodes of
    // its top-level control-flow row, and rowsOfNode lists top-level rows only.
    size_t rowCount() const { return m_rowNodes.size(); }
    const std::vector<ir::NodeId>& nodesOfRow(size_t row) const;
    const std::vector<size_t>& rowsOfNode(ir::NodeId id) const;
    // Names the report's rows cover that the graph has no node of (a report of another version
    // of the model), in the order first met.
    const std::vector<std::string>& unmatchedNames() const { return m_unmatched; }

    // The nodes that show tensor `name` on the graph: its producer, or for a param (an
    // initializer or a Constant's output, quant::isParamValue) the nodes that read it, each once.
    // Empty when the graph has no such tensor.
    std::vector<ir::NodeId> nodesOfTensor(const std::string& name) const;

private:
    std::shared_ptr<const ir::Graph> m_graph;
    std::shared_ptr<const report::ProfileReport> m_report;
    std::vector<std::vector<ir::NodeId>> m_rowNodes;
    std::unordered_map<ir::NodeId, std::vector<size_t>> m_nodeRows;
    std::vector<std::string> m_unmatched;
};

} // namespace lb::project
