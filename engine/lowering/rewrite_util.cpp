#include "lowering/rewrite_util.h"

#include <algorithm>

namespace lb::lowering {

const ir::Node* producerOf(const ir::Graph& g, ir::ValueId v) {
    if (v == ir::kNoValue)
        return nullptr;
    ir::NodeId p = g.value(v).producer;
    return p != ir::kNoNode && g.isAlive(p) ? &g.node(p) : nullptr;
}

const ir::Node* soleConsumer(const ir::Graph& g, ir::ValueId v) {
    if (v == ir::kNoValue || g.isGraphOutput(v))
        return nullptr;
    const auto& cs = g.value(v).consumers;
    if (cs.size() != 1 || !g.isAlive(cs[0]))
        return nullptr;
    return &g.node(cs[0]);
}

const Tensor* constantInput(const ir::Graph& g, const ir::Node& n, size_t slot) {
    if (slot >= n.inputs.size() || n.inputs[slot] == ir::kNoValue)
        return nullptr;
    return g.initializer(n.inputs[slot]);
}

std::optional<float> scalarConstant(const ir::Graph& g, ir::ValueId v) {
    if (v == ir::kNoValue)
        return std::nullopt;
    const Tensor* t = g.initializer(v);
    if (!t || t->numel() != 1 || t->dtype() != DataType::Float32)
        return std::nullopt;
    return t->data<float>()[0];
}

bool isOp(const ir::Node* n, const char* op) {
    return n && n->opType == op && (n->domain.empty() || n->domain == "ai.onnx");
}

int64_t intAttr(const ir::Node& n, const char* name, int64_t fallback) {
    const ir::Attribute* a = n.attribute(name);
    return a ? a->i : fallback;
}

float floatAttr(const ir::Node& n, const char* name, float fallback) {
    const ir::Attribute* a = n.attribute(name);
    return a ? a->f : fallback;
}

std::vector<int64_t> intsAttr(const ir::Node& n, const char* name) {
    const ir::Attribute* a = n.attribute(name);
    return a ? a->ints : std::vector<int64_t>{};
}

ir::ValueId addInitializer(ir::Graph& g, const std::string& base, Tensor tensor) {
    ir::ValueId v = g.addValue(g.uniqueValueName(base));
    g.setInitializer(v, std::move(tensor));
    return v;
}

ir::NodeId replaceNodes(ir::Graph& g, const std::vector<ir::NodeId>& old, ir::Node replacement) {
    std::vector<std::string> names;
    for (ir::NodeId id : old) {
        const ir::Node& n = g.node(id);
        if (n.fusedFrom.empty())
            names.push_back(n.name);
        else
            names.insert(names.end(), n.fusedFrom.begin(), n.fusedFrom.end());
    }
    replacement.outputs = g.node(old.back()).outputs;
    for (ir::NodeId id : old)
        g.removeNode(id);
    replacement.name = g.uniqueNodeName(replacement.name);
    replacement.fusedFrom = std::move(names);
    return g.addNode(std::move(replacement));
}

int removeDeadNodes(ir::Graph& g) {
    int removed = 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (ir::NodeId id : g.nodeIds()) {
            const ir::Node& n = g.node(id);
            bool used = false;
            for (ir::ValueId out : n.outputs)
                if (out != ir::kNoValue &&
                    (g.isGraphOutput(out) || !g.value(out).consumers.empty()))
                    used = true;
            if (!used) {
                g.removeNode(id);
                ++removed;
                changed = true;
            }
        }
    }
    std::vector<ir::ValueId> unused;
    for (const auto& [v, t] : g.initializers())
        if (g.value(v).consumers.empty() && !g.isGraphOutput(v) && !g.isGraphInput(v))
            unused.push_back(v);
    for (ir::ValueId v : unused)
        g.removeInitializer(v);
    return removed;
}

} // namespace lb::lowering
