#include "onnx/reinfer.h"

#include "core/error.h"
#include "onnx/exporter.h"
#include "onnx/proto_convert.h"

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <map>
#include <memory>
#include <unordered_map>

namespace lb::onnx {

namespace {

// Copies the type of `info` into `value` where it adds knowledge; true if anything changed.
bool mergeType(ir::Value& value, const ::onnx::TypeProto& type) {
    if (type.has_sequence_type() || type.has_optional_type()) {
        // What a sequence or optional is, once known; its element's shape is not kept.
        const bool optional = type.has_optional_type();
        const ::onnx::TypeProto& inner =
            optional ? type.optional_type().elem_type() : type.sequence_type().elem_type();
        const ValueKind kind = optional ? ValueKind::Optional : ValueKind::Sequence;
        const ValueKind element = optional && inner.has_sequence_type() ? ValueKind::Sequence
                                                                        : ValueKind::Tensor;
        const ::onnx::TypeProto& leaf =
            inner.has_sequence_type() ? inner.sequence_type().elem_type() : inner;
        bool changed = false;
        if (value.kind != kind || value.elementKind != element) {
            value.kind = kind;
            value.elementKind = element;
            value.shape.reset();
            changed = true;
        }
        if (value.dtype == DataType::Undefined && leaf.has_tensor_type() &&
            isValidDataType(leaf.tensor_type().elem_type())) {
            value.dtype = static_cast<DataType>(leaf.tensor_type().elem_type());
            changed = true;
        }
        return changed;
    }
    if (!type.has_tensor_type() || value.kind != ValueKind::Tensor)
        return false;
    bool changed = false;
    const auto& tensorType = type.tensor_type();
    if (value.dtype == DataType::Undefined && isValidDataType(tensorType.elem_type())) {
        value.dtype = static_cast<DataType>(tensorType.elem_type());
        changed = true;
    }
    if (!tensorType.has_shape())
        return changed;
    SymbolicShape inferred;
    for (const auto& d : tensorType.shape().dim())
        inferred.push_back(d.has_dim_value()
                               ? Dim::known(d.dim_value())
                               : Dim::symbol(d.has_dim_param() ? d.dim_param() : std::string()));
    if (!value.shape) {
        value.shape = std::move(inferred);
        return true;
    }
    if (value.shape->size() != inferred.size())
        return changed; // a disagreement: keep what the graph had
    for (size_t d = 0; d < inferred.size(); ++d) {
        Dim& have = (*value.shape)[d];
        if (!have.isKnown() && inferred[d].isKnown()) {
            have = inferred[d];
            changed = true;
        }
    }
    return changed;
}

// What inference learned inside subgraphs (If branches, Loop and Scan bodies), so backends can
// claim their nodes. A subgraph is shared by every copy of its graph: a changed one is a copy.
int mergeSubgraphs(ir::Graph& graph, const ::onnx::GraphProto& proto) {
    std::map<std::string, const ::onnx::NodeProto*> byName;
    for (const auto& n : proto.node())
        byName[n.name()] = &n;
    int changed = 0;
    for (ir::NodeId id : graph.nodeIds()) {
        ir::Node& node = graph.node(id);
        const auto found = byName.find(node.name);
        if (!node.hasSubgraphs() || found == byName.end())
            continue;
        for (ir::Attribute& attr : node.attributes) {
            if (attr.type != ir::AttributeType::Graph || !attr.g)
                continue;
            for (const auto& a : found->second->attribute()) {
                if (a.name() != attr.name || !a.has_g())
                    continue;
                auto copy = std::make_shared<ir::Graph>(*attr.g);
                int learned = 0;
                auto apply = [&](const ::onnx::ValueInfoProto& info) {
                    const auto v = copy->findValue(info.name());
                    if (v && !copy->isInitializer(*v) && copy->value(*v).producer != ir::kNoNode &&
                        mergeType(copy->value(*v), info.type()))
                        ++learned;
                };
                for (const auto& info : a.g().value_info())
                    apply(info);
                for (const auto& info : a.g().output())
                    apply(info);
                learned += mergeSubgraphs(*copy, a.g());
                if (learned) {
                    attr.g = std::move(copy);
                    changed += learned;
                }
            }
        }
    }
    return changed;
}

} // namespace

int reinferShapes(ir::Graph& graph, std::vector<std::string>* warnings) {
    ::onnx::ModelProto model;
    if (!model.ParseFromString(exportModelToBytes(graph)))
        fail("graph ", lb::quoted(graph.name),
             ": cannot re-read its own export for shape inference");
    try {
        ::onnx::ShapeInferenceOptions options(false, 0, true);
        ::onnx::shape_inference::InferShapes(model, ::onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
        if (warnings)
            warnings->push_back("graph " + lb::quoted(graph.name) +
                                ": shape inference stopped: " + e.what());
    }
    int changed = 0;
    auto apply = [&](const ::onnx::ValueInfoProto& info) {
        const auto id = graph.findValue(info.name());
        if (!id || graph.isInitializer(*id))
            return;
        if (mergeType(graph.value(*id), info.type()))
            ++changed;
    };
    for (const auto& info : model.graph().value_info())
        apply(info);
    for (const auto& info : model.graph().output())
        apply(info);
    return changed + mergeSubgraphs(graph, model.graph());
}

} // namespace lb::onnx
