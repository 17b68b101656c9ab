#include "ir/attribute.h"

#include "ir/graph.h"

#include <sstream>

namespace lb::ir {

namespace {

Attribute typed(std::string name, AttributeType type) {
    Attribute a;
    a.name = std::move(name);
    a.type = type;
    return a;
}

} // namespace

Attribute intAttribute(std::string name, int64_t v) {
    Attribute a = typed(std::move(name), AttributeType::Int);
    a.i = v;
    return a;
}

Attribute floatAttribute(std::string name, float v) {
    Attribute a = typed(std::move(name), AttributeType::Float);
    a.f = v;
    return a;
}

Attribute stringAttribute(std::string name, std::string v) {
    Attribute a = typed(std::move(name), AttributeType::String);
    a.s = std::move(v);
    return a;
}

Attribute intsAttribute(std::string name, std::vector<int64_t> v) {
    Attribute a = typed(std::move(name), AttributeType::Ints);
    a.ints = std::move(v);
    return a;
}

Attribute floatsAttribute(std::string name, std::vector<float> v) {
    Attribute a = typed(std::move(name), AttributeType::Floats);
    a.floats = std::move(v);
    return a;
}

std::string attributeTypeName(AttributeType type) {
    switch (type) {
    case AttributeType::Undefined:
        return "undefined";
    case AttributeType::Float:
        return "float";
    case AttributeType::Int:
        return "int";
    case AttributeType::String:
        return "string";
    case AttributeType::Tensor:
        return "tensor";
    case AttributeType::Graph:
        return "graph";
    case AttributeType::Floats:
        return "floats";
    case AttributeType::Ints:
        return "ints";
    case AttributeType::Strings:
        return "strings";
    case AttributeType::Tensors:
        return "tensors";
    case AttributeType::Graphs:
        return "graphs";
    }
    return "unknown";
}

namespace {
template <typename T, typename F>
std::string listToString(const std::vector<T>& items, size_t maxElements, F&& format) {
    std::ostringstream out;
    out << '[';
    for (size_t k = 0; k < items.size() && k < maxElements; ++k) {
        if (k)
            out << ", ";
        format(out, items[k]);
    }
    if (items.size() > maxElements)
        out << ", ... (" << items.size() << " values)";
    out << ']';
    return out.str();
}

std::string tensorToString(const Tensor& t) {
    return "<tensor " + dtypeName(t.dtype()) + " " + shapeToString(t.shape()) + ">";
}
} // namespace

std::string attributeValueToString(const Attribute& attr, size_t maxElements) {
    std::ostringstream out;
    switch (attr.type) {
    case AttributeType::Float:
        out << attr.f;
        break;
    case AttributeType::Int:
        out << attr.i;
        break;
    case AttributeType::String:
        out << '"' << attr.s << '"';
        break;
    case AttributeType::Tensor:
        if (attr.t.numel() == 1 && attr.t.dtype() != DataType::String)
            out << tensorToString(attr.t) << " = " << attr.t.valueAsDouble(0);
        else
            out << tensorToString(attr.t);
        break;
    case AttributeType::Graph:
        out << "<graph " << (attr.g ? attr.g->name : std::string()) << ", "
            << (attr.g ? attr.g->nodeCount() : 0) << " nodes>";
        break;
    case AttributeType::Floats:
        out << listToString(attr.floats, maxElements, [](auto& o, float v) { o << v; });
        break;
    case AttributeType::Ints:
        out << listToString(attr.ints, maxElements, [](auto& o, int64_t v) { o << v; });
        break;
    case AttributeType::Strings:
        out << listToString(attr.strings, maxElements,
                            [](auto& o, const std::string& v) { o << '"' << v << '"'; });
        break;
    case AttributeType::Tensors:
        out << listToString(attr.tensors, maxElements,
                            [](auto& o, const Tensor& v) { o << tensorToString(v); });
        break;
    case AttributeType::Graphs:
        out << listToString(attr.graphs, maxElements, [](auto& o, const std::shared_ptr<Graph>& g) {
            o << "<graph " << (g ? g->name : std::string()) << ">";
        });
        break;
    case AttributeType::Undefined:
        out << "?";
        break;
    }
    return out.str();
}

} // namespace lb::ir
