#include "ir/graph.h"

#include "core/error.h"

#include <algorithm>
#include <queue>

namespace lb::ir {

const Attribute* Node::attribute(const std::string& attrName) const {
    for (const Attribute& a : attributes)
        if (a.name == attrName)
            return &a;
    return nullptr;
}

bool Node::hasSubgraphs() const {
    return std::any_of(attributes.begin(), attributes.end(), [](const Attribute& a) {
        return a.type == AttributeType::Graph || a.type == AttributeType::Graphs;
    });
}

ValueId Graph::addValue(const std::string& valueName) {
    const auto [it, inserted] =
        m_valueByName.try_emplace(valueName, static_cast<ValueId>(m_values.size()));
    if (!inserted)
        fail("value ", quoted(valueName), " is defined twice");
    Value v;
    v.id = it->second;
    v.name = valueName;
    m_values.push_back(std::move(v));
    return it->second;
}

ValueId Graph::valueId(const std::string& valueName) {
    // One hash lookup for both cases: import calls this for every input and output of every node.
    const auto [it, inserted] =
        m_valueByName.try_emplace(valueName, static_cast<ValueId>(m_values.size()));
    if (inserted) {
        Value v;
        v.id = it->second;
        v.name = valueName;
        m_values.push_back(std::move(v));
    }
    return it->second;
}

std::optional<ValueId> Graph::findValue(const std::string& valueName) const {
    auto it = m_valueByName.find(valueName);
    if (it == m_valueByName.end())
        return std::nullopt;
    return it->second;
}

NodeId Graph::addNode(Node node) {
    const NodeId id = static_cast<NodeId>(m_nodes.size());
    node.id = id;
    for (ValueId out : node.outputs) {
        if (out == kNoValue)
            continue;
        Value& v = m_values.at(out);
        if (v.producer != kNoNode)
            fail("node ", quoted(node.name), " (", node.opType, "): output ", quoted(v.name),
                 " is already produced by node ", quoted(m_nodes[v.producer].name));
        if (isInitializer(out))
            fail("node ", quoted(node.name), " (", node.opType, "): output ", quoted(v.name),
                 " is also an initializer");
    }
    for (ValueId out : node.outputs)
        if (out != kNoValue)
            m_values[out].producer = id;
    for (ValueId in : node.inputs)
        if (in != kNoValue)
            m_values.at(in).consumers.push_back(id);
    for (ValueId in : node.implicitInputs)
        m_values.at(in).consumers.push_back(id);
    if (!node.name.empty())
        m_nodeByName.emplace(node.name, id);
    m_nodes.push_back(std::move(node));
    m_alive.push_back(true);
    ++m_liveNodes;
    return id;
}

void Graph::removeNode(NodeId id) {
    if (!isAlive(id))
        return;
    Node& n = m_nodes[id];
    auto dropConsumer = [&](ValueId in) {
        if (in == kNoValue)
            return;
        auto& cs = m_values[in].consumers;
        auto it = std::find(cs.begin(), cs.end(), id);
        if (it != cs.end())
            cs.erase(it);
    };
    for (ValueId in : n.inputs)
        dropConsumer(in);
    for (ValueId in : n.implicitInputs)
        dropConsumer(in);
    for (ValueId out : n.outputs)
        if (out != kNoValue && m_values[out].producer == id)
            m_values[out].producer = kNoNode;
    auto it = m_nodeByName.find(n.name);
    if (it != m_nodeByName.end() && it->second == id)
        m_nodeByName.erase(it);
    m_alive[id] = false;
    --m_liveNodes;
}

void Graph::replaceInput(NodeId id, size_t slot, ValueId value) {
    Node& n = m_nodes.at(id);
    ValueId old = n.inputs.at(slot);
    if (old == value)
        return;
    if (old != kNoValue) {
        auto& cs = m_values[old].consumers;
        auto it = std::find(cs.begin(), cs.end(), id);
        if (it != cs.end())
            cs.erase(it);
    }
    n.inputs[slot] = value;
    if (value != kNoValue)
        m_values.at(value).consumers.push_back(id);
}

std::string Graph::uniqueValueName(const std::string& base) const {
    if (!m_valueByName.count(base))
        return base;
    for (size_t k = 1;; ++k) {
        std::string candidate = base + "_" + std::to_string(k);
        if (!m_valueByName.count(candidate))
            return candidate;
    }
}

std::string Graph::uniqueNodeName(const std::string& base) const {
    if (!m_nodeByName.count(base))
        return base;
    for (size_t k = 1;; ++k) {
        std::string candidate = base + "_" + std::to_string(k);
        if (!m_nodeByName.count(candidate))
            return candidate;
    }
}

std::vector<NodeId> Graph::nodeIds() const {
    std::vector<NodeId> ids;
    ids.reserve(m_liveNodes);
    for (NodeId i = 0; i < m_nodes.size(); ++i)
        if (m_alive[i])
            ids.push_back(i);
    return ids;
}

std::optional<NodeId> Graph::findNode(const std::string& nodeName) const {
    auto it = m_nodeByName.find(nodeName);
    if (it == m_nodeByName.end())
        return std::nullopt;
    return it->second;
}

void Graph::setInitializer(ValueId id, Tensor tensor) {
    Value& v = m_values.at(id);
    v.dtype = tensor.dtype();
    v.shape = symbolicShape(tensor.shape());
    m_initializers[id] = std::move(tensor);
}

void Graph::removeInitializer(ValueId id) { m_initializers.erase(id); }

const Tensor* Graph::initializer(ValueId id) const {
    auto it = m_initializers.find(id);
    return it == m_initializers.end() ? nullptr : &it->second;
}

bool Graph::isGraphInput(ValueId id) const {
    return std::find(m_inputs.begin(), m_inputs.end(), id) != m_inputs.end();
}

bool Graph::isGraphOutput(ValueId id) const {
    return std::find(m_outputs.begin(), m_outputs.end(), id) != m_outputs.end();
}

std::vector<NodeId> Graph::topologicalOrder() const {
    // Kahn's algorithm with a min-heap on node id so the order is deterministic and keeps the
    // file's order where dependencies allow.
    std::vector<uint32_t> pending(m_nodes.size(), 0);
    auto forEachInput = [&](const Node& n, auto&& fn) {
        for (ValueId in : n.inputs)
            if (in != kNoValue)
                fn(in);
        for (ValueId in : n.implicitInputs)
            fn(in);
    };
    std::priority_queue<NodeId, std::vector<NodeId>, std::greater<>> ready;
    for (NodeId id = 0; id < m_nodes.size(); ++id) {
        if (!m_alive[id])
            continue;
        forEachInput(m_nodes[id], [&](ValueId in) {
            NodeId p = m_values[in].producer;
            if (p != kNoNode && p != id && m_alive[p])
                ++pending[id];
            else if (p == id)
                ++pending[id]; // a node that reads its own output can never run
        });
        if (pending[id] == 0)
            ready.push(id);
    }
    std::vector<NodeId> order;
    order.reserve(m_liveNodes);
    while (!ready.empty()) {
        NodeId id = ready.top();
        ready.pop();
        order.push_back(id);
        for (ValueId out : m_nodes[id].outputs) {
            if (out == kNoValue)
                continue;
            for (NodeId c : m_values[out].consumers)
                if (m_alive[c] && c != id && --pending[c] == 0)
                    ready.push(c);
        }
    }
    if (order.size() == m_liveNodes)
        return order;

    // Name one cycle: walk backwards from a blocked node through blocked producers.
    NodeId start = kNoNode;
    for (NodeId id = 0; id < m_nodes.size() && start == kNoNode; ++id)
        if (m_alive[id] && pending[id] > 0)
            start = id;
    std::vector<int> seenAt(m_nodes.size(), -1);
    std::vector<NodeId> path;
    NodeId cur = start;
    while (cur != kNoNode && seenAt[cur] < 0) {
        seenAt[cur] = static_cast<int>(path.size());
        path.push_back(cur);
        NodeId next = kNoNode;
        forEachInput(m_nodes[cur], [&](ValueId in) {
            NodeId p = m_values[in].producer;
            if (next == kNoNode && p != kNoNode && m_alive[p] && pending[p] > 0)
                next = p;
        });
        cur = next;
    }
    std::string cycle;
    if (cur != kNoNode) {
        std::vector<NodeId> loop(path.begin() + seenAt[cur], path.end());
        std::reverse(loop.begin(), loop.end());
        loop.push_back(loop.front());
        for (size_t k = 0; k < loop.size() && k < 12; ++k)
            cycle += (k ? " -> " : "") + quoted(m_nodes[loop[k]].name);
        if (loop.size() > 12)
            cycle += " -> ...";
    } else {
        cycle = quoted(m_nodes[start].name);
    }
    fail("graph ", quoted(name), " has a cycle: ", cycle);
}

} // namespace lb::ir
