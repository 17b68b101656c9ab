#include "onnx/opset_upgrade.h"

#include "core/error.h"

#include <algorithm>
#include <map>

namespace lb::onnx {

namespace {

constexpr int64_t kMaxTarget = 13;

std::string where(const ir::Node& node) {
    return "node " + quoted(node.name) + " (" + node.opType + "): ";
}

void removeAttribute(ir::Node& node, const std::string& name) {
    std::erase_if(node.attributes, [&](const ir::Attribute& a) { return a.name == name; });
}

// New initializers: an int64 1-D tensor, a float32 scalar.
ir::ValueId addInts(ir::Graph& graph, const ir::Node& node, const std::string& what,
                    const std::vector<int64_t>& values) {
    Tensor t(DataType::Int64, {static_cast<int64_t>(values.size())});
    std::copy(values.begin(), values.end(), t.data<int64_t>());
    const ir::ValueId id = graph.addValue(graph.uniqueValueName(node.name + "_" + what));
    graph.setInitializer(id, std::move(t));
    return id;
}

ir::ValueId addFloatScalar(ir::Graph& graph, const ir::Node& node, const std::string& what,
                           float value) {
    Tensor t(DataType::Float32, {});
    t.data<float>()[0] = value;
    const ir::ValueId id = graph.addValue(graph.uniqueValueName(node.name + "_" + what));
    graph.setInitializer(id, std::move(t));
    return id;
}

// Node inputs with the attribute `name` appended at `slot` (padding omitted slots), the
// attribute removed. Returns false when the node has no such attribute.
bool attributeToInput(ir::Graph& graph, ir::Node& node, const std::string& name, size_t slot) {
    const ir::Attribute* a = node.attribute(name);
    if (!a)
        return false;
    const ir::ValueId v = addInts(graph, node, name, a->ints);
    if (node.inputs.size() <= slot)
        node.inputs.resize(slot + 1, ir::kNoValue);
    node.inputs[slot] = v;
    removeAttribute(node, name);
    return true;
}

void upgradeClip(ir::Graph& graph, ir::Node& node) {
    const ir::Attribute* lo = node.attribute("min");
    const ir::Attribute* hi = node.attribute("max");
    const DataType t = graph.value(node.inputs.at(0)).dtype;
    if ((lo || hi) && t != DataType::Float32 && t != DataType::Undefined)
        fail(where(node), "min/max attributes on a ", dtypeName(t),
             " input (only float32 is carried over)");
    const ir::ValueId loId = lo ? addFloatScalar(graph, node, "min", lo->f) : ir::kNoValue;
    const ir::ValueId hiId = hi ? addFloatScalar(graph, node, "max", hi->f) : ir::kNoValue;
    node.inputs.resize(1);
    if (lo || hi)
        node.inputs.push_back(loId);
    if (hi)
        node.inputs.push_back(hiId);
    removeAttribute(node, "min");
    removeAttribute(node, "max");
}

void upgradeSoftmax(const ir::Graph& graph, ir::Node& node) {
    const ir::Attribute* a = node.attribute("axis");
    int64_t axis = a ? a->i : 1;
    const auto& shape = graph.value(node.inputs.at(0)).shape;
    if (!shape)
        fail(where(node), "input rank unknown; opset 13 changed the axis semantics, so the "
                          "rank is needed to carry the node over");
    const auto rank = static_cast<int64_t>(shape->size());
    if (axis < 0)
        axis += rank;
    if (axis != rank - 1)
        fail(where(node), "axis ", axis, " of a rank-", rank,
             " input: before opset 13 that flattens the inner axes, which opset 13 does not "
             "(only the last axis is carried over)");
    removeAttribute(node, "axis");
    ir::Attribute last;
    last.name = "axis";
    last.type = ir::AttributeType::Int;
    last.i = -1;
    node.attributes.push_back(std::move(last));
}

} // namespace

std::vector<std::string> upgradeOpset(ir::Graph& graph, int64_t target) {
    if (target > kMaxTarget)
        fail("opset upgrade: target ", target, " is above ", kMaxTarget, " (not supported)");
    auto it = graph.opsetImports.find("");
    if (it == graph.opsetImports.end())
        it = graph.opsetImports.find("ai.onnx");
    const int64_t from = it == graph.opsetImports.end() ? 1 : it->second;
    if (from >= target)
        return {};
    if (from < 7)
        fail("opset upgrade: the model imports opset ", from,
             " (broadcast attributes before opset 7 are not carried over)");
    std::map<std::string, int> rewritten;
    for (ir::NodeId id : graph.nodeIds()) {
        ir::Node node = graph.node(id);
        if (!node.domain.empty() && node.domain != "ai.onnx")
            continue;
        if (node.hasSubgraphs())
            fail(where(node), "has subgraphs, which the opset upgrade does not walk");
        const std::string& op = node.opType;
        bool changed = false;
        if (op == "Upsample" || (op == "Resize" && from < 11) || (op == "Pad" && from < 11) ||
            (op == "TopK" && from < 10) || op == "Scatter")
            fail(where(node), "opset ", from, " form is not carried over to opset ", target,
                 " (re-export the model at opset >= 13)");
        if (op == "Clip" && from < 11) {
            upgradeClip(graph, node);
            changed = true;
        } else if (op == "Slice" && from < 10) {
            if (!node.attribute("starts") || !node.attribute("ends"))
                fail(where(node), "expected the attributes starts and ends");
            attributeToInput(graph, node, "starts", 1);
            attributeToInput(graph, node, "ends", 2);
            attributeToInput(graph, node, "axes", 3);
            changed = true;
        } else if ((op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum") && target >= 13) {
            changed = attributeToInput(graph, node, "axes", 1);
        } else if (op == "Split" && target >= 13 && from >= 2) {
            changed = attributeToInput(graph, node, "split", 1);
        } else if ((op == "Softmax" || op == "LogSoftmax" || op == "Hardmax") && target >= 13) {
            upgradeSoftmax(graph, node);
            changed = true;
        }
        if (!changed)
            continue;
        ++rewritten[op];
        // Re-add in place of the old node so the value links follow the new inputs.
        graph.removeNode(id);
        graph.addNode(std::move(node));
    }
    graph.opsetImports.erase("ai.onnx"); // one spelling of the default domain
    graph.opsetImports[""] = target;
    std::vector<std::string> notes;
    for (const auto& [op, n] : rewritten)
        notes.push_back(op + ": " + std::to_string(n) + " node" + (n == 1 ? "" : "s") +
                        " rewritten for opset " + std::to_string(target));
    return notes;
}

} // namespace lb::onnx
