#pragma once

#include "core/dtype.h"
#include "core/shape.h"
#include "core/tensor.h"
#include "ir/attribute.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lb::ir {

using NodeId = uint32_t;
using ValueId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
// An omitted optional input/output ("" in ONNX).
inline constexpr ValueId kNoValue = std::numeric_limits<ValueId>::max();

// A tensor flowing through the graph: graph input, initializer, or node output.
struct Value {
    ValueId id = kNoValue;
    std::string name;
    DataType dtype = DataType::Undefined;
    std::optional<SymbolicShape> shape; // nullopt: rank unknown
    // A sequence or an optional: dtype is then the innermost tensors' element type and shape
    // theirs (when known); elementKind says what an optional holds (Tensor or Sequence).
    ValueKind kind = ValueKind::Tensor;
    ValueKind elementKind = ValueKind::Tensor;
    NodeId producer = kNoNode;
    std::vector<NodeId> consumers; // a node appears once per input slot that reads this value
};

struct Node {
    NodeId id = kNoNode;
    std::string name; // unique in the graph after import (empty ONNX names are given one)
    std::string opType;
    std::string domain; // "" is the default ONNX domain
    std::vector<ValueId> inputs;
    std::vector<ValueId> outputs;
    std::vector<Attribute> attributes;
    // Outer-scope values read by this node's subgraphs (If/Loop/Scan bodies).
    std::vector<ValueId> implicitInputs;
    std::string docString;
    // Names of the original nodes a graph pass merged into this one (empty for file nodes), so
    // results on an optimized graph map back onto the graph the user sees.
    std::vector<std::string> fusedFrom;

    const Attribute* attribute(const std::string& attrName) const;
    bool hasSubgraphs() const;
};

// The model's graph. Node and value ids are stable: removing a node leaves a hole, so ids held
// by views, reports and the GUI stay valid across passes.
class Graph {
public:
    // Model-level metadata carried through import/export.
    std::string name;
    std::string docString;
    int64_t irVersion = 0;
    std::map<std::string, int64_t> opsetImports; // domain ("" = ai.onnx) -> version
    std::string producerName;
    std::string producerVersion;
    std::vector<std::pair<std::string, std::string>> metadata;

    ValueId addValue(const std::string& valueName);
    // Returns the value with this name, creating it when missing.
    ValueId valueId(const std::string& valueName);
    std::optional<ValueId> findValue(const std::string& valueName) const;
    Value& value(ValueId id) { return m_values.at(id); }
    const Value& value(ValueId id) const { return m_values.at(id); }
    size_t valueCount() const { return m_values.size(); }

    // Adds a node; its inputs/outputs must be existing value ids (or kNoValue). Wires producer and
    // consumer links. Throws lb::Error if an output already has a producer.
    NodeId addNode(Node node);
    void removeNode(NodeId id);
    // Points input `slot` of a node at another value, keeping consumer lists right.
    void replaceInput(NodeId id, size_t slot, ValueId value);
    // A value name not used yet: `base`, else `base_1`, `base_2`, ...
    std::string uniqueValueName(const std::string& base) const;
    // A node name not used yet, likewise.
    std::string uniqueNodeName(const std::string& base) const;
    bool isAlive(NodeId id) const { return id < m_nodes.size() && m_alive[id]; }
    Node& node(NodeId id) { return m_nodes.at(id); }
    const Node& node(NodeId id) const { return m_nodes.at(id); }
    // Upper bound of node ids (including removed ones).
    size_t nodeCapacity() const { return m_nodes.size(); }
    size_t nodeCount() const { return m_liveNodes; }
    // Live node ids in insertion order.
    std::vector<NodeId> nodeIds() const;
    std::optional<NodeId> findNode(const std::string& nodeName) const;

    std::vector<ValueId>& inputs() { return m_inputs; }
    const std::vector<ValueId>& inputs() const { return m_inputs; }
    std::vector<ValueId>& outputs() { return m_outputs; }
    const std::vector<ValueId>& outputs() const { return m_outputs; }

    void setInitializer(ValueId id, Tensor tensor);
    void removeInitializer(ValueId id);
    bool isInitializer(ValueId id) const { return m_initializers.count(id) != 0; }
    const Tensor* initializer(ValueId id) const;
    const std::map<ValueId, Tensor>& initializers() const { return m_initializers; }
    bool isGraphInput(ValueId id) const;
    bool isGraphOutput(ValueId id) const;

    // Nodes in dependency order (stable: ties keep insertion order). Throws lb::Error naming the
    // nodes of a cycle.
    std::vector<NodeId> topologicalOrder() const;

private:
    std::vector<Node> m_nodes;
    std::vector<bool> m_alive;
    size_t m_liveNodes = 0;
    std::vector<Value> m_values;
    std::unordered_map<std::string, ValueId> m_valueByName;
    std::unordered_map<std::string, NodeId> m_nodeByName;
    std::vector<ValueId> m_inputs;
    std::vector<ValueId> m_outputs;
    std::map<ValueId, Tensor> m_initializers;
};

} // namespace lb::ir
