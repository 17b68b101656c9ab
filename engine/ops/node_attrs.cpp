#include "ops/node_attrs.h"

namespace lb::ops {

NodeAttrs::NodeAttrs(const ir::Graph& graph, const ir::Node& node) : m_node(node) {
    const auto& imports = graph.opsetImports;
    if (auto it = imports.find(""); it != imports.end())
        m_opset = it->second;
    else if (auto it2 = imports.find("ai.onnx"); it2 != imports.end())
        m_opset = it2->second;
}

NodeAttrs::NodeAttrs(const ir::Node& node) : m_node(node) {}

std::string NodeAttrs::where() const {
    return "node " + quoted(m_node.name) + " (" + m_node.opType + "): ";
}

bool NodeAttrs::has(const std::string& name) const {
    return m_node.attribute(name) != nullptr;
}

const ir::Attribute* NodeAttrs::find(const std::string& name, ir::AttributeType type) const {
    const ir::Attribute* a = m_node.attribute(name);
    if (a && a->type != type)
        fail("attribute '", name, "' should be of type ", ir::attributeTypeName(type), ", got ",
             ir::attributeTypeName(a->type));
    return a;
}

int64_t NodeAttrs::getInt(const std::string& name, int64_t fallback) const {
    const ir::Attribute* a = find(name, ir::AttributeType::Int);
    return a ? a->i : fallback;
}

float NodeAttrs::getFloat(const std::string& name, float fallback) const {
    const ir::Attribute* a = find(name, ir::AttributeType::Float);
    return a ? a->f : fallback;
}

std::string NodeAttrs::getString(const std::string& name, const std::string& fallback) const {
    const ir::Attribute* a = find(name, ir::AttributeType::String);
    return a ? a->s : fallback;
}

std::vector<int64_t> NodeAttrs::getInts(const std::string& name,
                                        std::vector<int64_t> fallback) const {
    const ir::Attribute* a = find(name, ir::AttributeType::Ints);
    return a ? a->ints : fallback;
}

std::vector<float> NodeAttrs::getFloats(const std::string& name,
                                        std::vector<float> fallback) const {
    const ir::Attribute* a = find(name, ir::AttributeType::Floats);
    return a ? a->floats : fallback;
}

const Tensor* NodeAttrs::getTensor(const std::string& name) const {
    const ir::Attribute* a = find(name, ir::AttributeType::Tensor);
    return a ? &a->t : nullptr;
}

void NodeAttrs::expectInputs(size_t min, size_t max) const {
    const size_t n = m_node.inputs.size();
    if (n < min || n > max)
        fail("expected ", min, min == max ? "" : " to ", min == max ? "" : std::to_string(max),
             " inputs, got ", n);
    for (size_t i = 0; i < min; ++i)
        if (m_node.inputs[i] == ir::kNoValue)
            fail("required input ", i, " is missing");
}

} // namespace lb::ops
