#include "onnx/exporter.h"

#include "core/error.h"
#include "onnx/proto_convert.h"

#include <fstream>

namespace lb::onnx {

namespace detail {

namespace {

constexpr int64_t kDefaultIrVersion = 8;

void setType(const ir::Value& value, ::onnx::ValueInfoProto* info) {
    info->set_name(value.name);
    ::onnx::TypeProto* type = info->mutable_type();
    if (value.kind == ValueKind::Optional) {
        type = type->mutable_optional_type()->mutable_elem_type();
        if (value.elementKind == ValueKind::Sequence)
            type = type->mutable_sequence_type()->mutable_elem_type();
    } else if (value.kind == ValueKind::Sequence) {
        type = type->mutable_sequence_type()->mutable_elem_type();
    } else if (value.dtype == DataType::Undefined && !value.shape) {
        info->clear_type();
        return; // unknown type: leave it for shape inference
    }
    auto* tensorType = type->mutable_tensor_type();
    tensorType->set_elem_type(static_cast<int32_t>(value.dtype));
    if (!value.shape)
        return;
    auto* shape = tensorType->mutable_shape();
    for (const Dim& d : *value.shape) {
        auto* dim = shape->add_dim();
        if (d.isKnown())
            dim->set_dim_value(d.value);
        else if (!d.param.empty())
            dim->set_dim_param(d.param);
    }
}

void attributeToProto(const ir::Attribute& attr, ::onnx::AttributeProto* a) {
    using P = ::onnx::AttributeProto;
    a->set_name(attr.name);
    switch (attr.type) {
    case ir::AttributeType::Float:
        a->set_type(P::FLOAT);
        a->set_f(attr.f);
        break;
    case ir::AttributeType::Int:
        a->set_type(P::INT);
        a->set_i(attr.i);
        break;
    case ir::AttributeType::String:
        a->set_type(P::STRING);
        a->set_s(attr.s);
        break;
    case ir::AttributeType::Tensor:
        a->set_type(P::TENSOR);
        tensorToProto(attr.t, "", a->mutable_t());
        break;
    case ir::AttributeType::Graph:
        a->set_type(P::GRAPH);
        if (attr.g)
            graphToProto(*attr.g, a->mutable_g());
        break;
    case ir::AttributeType::Floats:
        a->set_type(P::FLOATS);
        for (float f : attr.floats)
            a->add_floats(f);
        break;
    case ir::AttributeType::Ints:
        a->set_type(P::INTS);
        for (int64_t i : attr.ints)
            a->add_ints(i);
        break;
    case ir::AttributeType::Strings:
        a->set_type(P::STRINGS);
        for (const auto& s : attr.strings)
            a->add_strings(s);
        break;
    case ir::AttributeType::Tensors:
        a->set_type(P::TENSORS);
        for (const auto& t : attr.tensors)
            tensorToProto(t, "", a->add_tensors());
        break;
    case ir::AttributeType::Graphs:
        a->set_type(P::GRAPHS);
        for (const auto& g : attr.graphs)
            graphToProto(*g, a->add_graphs());
        break;
    case ir::AttributeType::Undefined:
        break;
    }
}

} // namespace

void graphToProto(const ir::Graph& graph, ::onnx::GraphProto* proto) {
    proto->set_name(graph.name);
    if (!graph.docString.empty())
        proto->set_doc_string(graph.docString);
    auto nameOf = [&](ir::ValueId id) {
        return id == ir::kNoValue ? std::string() : graph.value(id).name;
    };
    for (ir::ValueId id : graph.inputs())
        setType(graph.value(id), proto->add_input());
    for (ir::ValueId id : graph.outputs())
        setType(graph.value(id), proto->add_output());
    for (const auto& [id, tensor] : graph.initializers())
        tensorToProto(tensor, graph.value(id).name, proto->add_initializer());
    // Dependency order where there is one; a graph with a cycle is still written (in insertion
    // order) so a broken model can be saved and inspected elsewhere.
    std::vector<ir::NodeId> order;
    try {
        order = graph.topologicalOrder();
    } catch (const Error&) {
        order = graph.nodeIds();
    }
    for (ir::NodeId nid : order) {
        const ir::Node& node = graph.node(nid);
        auto* n = proto->add_node();
        n->set_name(node.name);
        n->set_op_type(node.opType);
        if (!node.domain.empty())
            n->set_domain(node.domain);
        if (!node.docString.empty())
            n->set_doc_string(node.docString);
        for (ir::ValueId in : node.inputs)
            n->add_input(nameOf(in));
        for (ir::ValueId out : node.outputs)
            n->add_output(nameOf(out));
        for (const auto& attr : node.attributes)
            attributeToProto(attr, n->add_attribute());
    }
    // Intermediate values whose type is known, so a re-import starts from the same shapes.
    for (ir::ValueId id = 0; id < graph.valueCount(); ++id) {
        const ir::Value& v = graph.value(id);
        if (v.producer == ir::kNoNode || graph.isGraphOutput(id) || !graph.isAlive(v.producer))
            continue;
        if (v.dtype == DataType::Undefined && !v.shape)
            continue;
        setType(v, proto->add_value_info());
    }
}

} // namespace detail

std::string exportModelToBytes(const ir::Graph& graph) {
    ::onnx::ModelProto model;
    model.set_ir_version(graph.irVersion > 0 ? graph.irVersion : detail::kDefaultIrVersion);
    model.set_producer_name(graph.producerName.empty() ? "LayerBench" : graph.producerName);
    model.set_producer_version(graph.producerVersion.empty() ? LB_VERSION : graph.producerVersion);
    bool hasDefault = false;
    for (const auto& [domain, version] : graph.opsetImports) {
        auto* opset = model.add_opset_import();
        opset->set_domain(domain);
        opset->set_version(version);
        hasDefault = hasDefault || domain.empty();
    }
    if (!hasDefault) {
        auto* opset = model.add_opset_import();
        opset->set_domain("");
        opset->set_version(17);
    }
    for (const auto& [key, value] : graph.metadata) {
        auto* kv = model.add_metadata_props();
        kv->set_key(key);
        kv->set_value(value);
    }
    detail::graphToProto(graph, model.mutable_graph());
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        fail("graph ", lb::quoted(graph.name), ": cannot serialise to ONNX (larger than 2 GB?)");
    return bytes;
}

void saveModel(const ir::Graph& graph, const std::string& path) {
    const std::string bytes = exportModelToBytes(graph);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        fail(path, ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        fail(path, ": write failed");
}

} // namespace lb::onnx
