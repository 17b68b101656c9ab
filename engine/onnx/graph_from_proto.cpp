#include "core/error.h"
#include "onnx/proto_convert.h"

#include <memory>

namespace lb::onnx::detail {

namespace {

void applyType(ir::Value& value, const ::onnx::TypeProto& type) {
    if (type.has_sequence_type() || type.has_optional_type()) {
        const bool optional = type.has_optional_type();
        const ::onnx::TypeProto& inner =
            optional ? type.optional_type().elem_type() : type.sequence_type().elem_type();
        ir::Value element;
        applyType(element, inner);
        value.kind = optional ? ValueKind::Optional : ValueKind::Sequence;
        value.elementKind = optional ? element.kind : ValueKind::Tensor;
        value.shape.reset();
        value.dtype = element.dtype; // the elements' shapes may differ: none is kept
        return;
    }
    if (!type.has_tensor_type())
        return;
    const auto& tensorType = type.tensor_type();
    if (isValidDataType(tensorType.elem_type()))
        value.dtype = static_cast<DataType>(tensorType.elem_type());
    if (!tensorType.has_shape())
        return;
    SymbolicShape shape;
    for (const auto& d : tensorType.shape().dim()) {
        if (d.has_dim_value())
            shape.push_back(Dim::known(d.dim_value()));
        else
            shape.push_back(Dim::symbol(d.has_dim_param() ? d.dim_param() : std::string()));
    }
    value.shape = std::move(shape);
}

void applyValueInfo(ir::Graph& graph, const ::onnx::ValueInfoProto& info) {
    const ir::ValueId id = graph.valueId(info.name());
    if (graph.isInitializer(id))
        return; // the tensor's own dtype/shape win
    applyType(graph.value(id), info.type());
}

ir::Attribute attributeFromProto(const ::onnx::AttributeProto& a, const SourceInfo& source,
                                 const std::string& nodeName) {
    ir::Attribute attr;
    attr.name = a.name();
    const std::string what = "node " + lb::quoted(nodeName) + " attribute " + lb::quoted(a.name());
    auto subgraph = [&](const ::onnx::GraphProto& g) {
        auto graph = std::make_shared<ir::Graph>();
        graphFromProto(g, *graph, source);
        return graph;
    };
    using P = ::onnx::AttributeProto;
    switch (a.type()) {
    case P::FLOAT:
        attr.type = ir::AttributeType::Float;
        attr.f = a.f();
        break;
    case P::INT:
        attr.type = ir::AttributeType::Int;
        attr.i = a.i();
        break;
    case P::STRING:
        attr.type = ir::AttributeType::String;
        attr.s = a.s();
        break;
    case P::TENSOR:
        attr.type = ir::AttributeType::Tensor;
        attr.t = tensorFromProto(a.t(), source, what);
        break;
    case P::GRAPH:
        attr.type = ir::AttributeType::Graph;
        attr.g = subgraph(a.g());
        break;
    case P::FLOATS:
        attr.type = ir::AttributeType::Floats;
        attr.floats.assign(a.floats().begin(), a.floats().end());
        break;
    case P::INTS:
        attr.type = ir::AttributeType::Ints;
        attr.ints.assign(a.ints().begin(), a.ints().end());
        break;
    case P::STRINGS:
        attr.type = ir::AttributeType::Strings;
        attr.strings.assign(a.strings().begin(), a.strings().end());
        break;
    case P::TENSORS:
        attr.type = ir::AttributeType::Tensors;
        for (const auto& t : a.tensors())
            attr.tensors.push_back(tensorFromProto(t, source, what));
        break;
    case P::GRAPHS:
        attr.type = ir::AttributeType::Graphs;
        for (const auto& g : a.graphs())
            attr.graphs.push_back(subgraph(g));
        break;
    default:
        break; // sparse tensors and type protos are kept as Undefined
    }
    return attr;
}

} // namespace

void graphFromProto(const ::onnx::GraphProto& proto, ir::Graph& graph, const SourceInfo& source) {
    graph.name = proto.name();
    graph.docString = proto.doc_string();
    for (const auto& t : proto.initializer())
        graph.setInitializer(graph.valueId(t.name()),
                             tensorFromProto(t, source, "initializer " + lb::quoted(t.name())));
    for (const auto& info : proto.input()) {
        applyValueInfo(graph, info);
        graph.inputs().push_back(graph.valueId(info.name()));
    }
    for (const auto& n : proto.node()) {
        ir::Node node;
        node.name = n.name();
        node.opType = n.op_type();
        node.domain = n.domain() == "ai.onnx" ? std::string() : n.domain();
        node.docString = n.doc_string();
        node.inputs.reserve(static_cast<size_t>(n.input_size()));
        node.outputs.reserve(static_cast<size_t>(n.output_size()));
        for (const auto& in : n.input())
            node.inputs.push_back(in.empty() ? ir::kNoValue : graph.valueId(in));
        for (const auto& out : n.output())
            node.outputs.push_back(out.empty() ? ir::kNoValue : graph.valueId(out));
        std::set<std::string> outer;
        for (const auto& a : n.attribute()) {
            node.attributes.push_back(attributeFromProto(a, source, n.name()));
            if (a.has_g())
                collectOuterScopeNames(a.g(), outer);
            for (const auto& g : a.graphs())
                collectOuterScopeNames(g, outer);
        }
        for (const auto& name : outer)
            node.implicitInputs.push_back(graph.valueId(name));
        try {
            graph.addNode(std::move(node));
        } catch (const Error& e) {
            fail(source.displayName, ": ", e.what());
        }
    }
    for (const auto& info : proto.output()) {
        applyValueInfo(graph, info);
        graph.outputs().push_back(graph.valueId(info.name()));
    }
    for (const auto& info : proto.value_info())
        applyValueInfo(graph, info);
}

} // namespace lb::onnx::detail
