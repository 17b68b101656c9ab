#include "widgets/weight_inputs.h"

#include <array>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace lb::widgets {

namespace {
bool isConstantOp(const lb::ir::Node& node) {
    return node.opType == "Constant" && (node.domain.empty() || node.domain == "ai.onnx");
}

struct OpInputs {
    std::string_view op;
    std::initializer_list<const char*> names;
};

// Only the ops whose weight inputs appear in typical vision/NLP models; the rest get "in<n>".
constexpr std::array<OpInputs, 22> kInputNames{{
    {"Conv", {"X", "W", "B"}},
    {"ConvTranspose", {"X", "W", "B"}},
    {"Gemm", {"A", "B", "C"}},
    {"MatMul", {"A", "B"}},
    {"Add", {"A", "B"}},
    {"Sub", {"A", "B"}},
    {"Mul", {"A", "B"}},
    {"Div", {"A", "B"}},
    {"Pow", {"X", "Y"}},
    {"BatchNormalization", {"X", "scale", "B", "mean", "var"}},
    {"InstanceNormalization", {"input", "scale", "B"}},
    {"LayerNormalization", {"X", "Scale", "B"}},
    {"PRelu", {"X", "slope"}},
    {"Clip", {"input", "min", "max"}},
    {"Reshape", {"data", "shape"}},
    {"Resize", {"X", "roi", "scales", "sizes"}},
    {"Pad", {"data", "pads", "value"}},
    {"Slice", {"data", "starts", "ends", "axes", "steps"}},
    {"Gather", {"data", "indices"}},
    {"Unsqueeze", {"data", "axes"}},
    {"Squeeze", {"data", "axes"}},
    {"Expand", {"input", "shape"}},
}};
} // namespace

lb::ir::NodeId foldedConstantConsumer(const lb::ir::Graph& graph, lb::ir::NodeId id) {
    if (!graph.isAlive(id))
        return lb::ir::kNoNode;
    const lb::ir::Node& node = graph.node(id);
    if (!isConstantOp(node) || node.outputs.size() != 1 || node.outputs[0] == lb::ir::kNoValue)
        return lb::ir::kNoNode;
    const lb::ir::Value& out = graph.value(node.outputs[0]);
    // consumers lists a node once per input slot, so one entry means exactly one use.
    if (out.consumers.size() != 1 || graph.isGraphOutput(out.id))
        return lb::ir::kNoNode;
    return out.consumers.front();
}

bool isWeightInput(const lb::ir::Graph& graph, lb::ir::ValueId value) {
    if (value == lb::ir::kNoValue)
        return false;
    if (graph.isInitializer(value))
        return true;
    const lb::ir::NodeId producer = graph.value(value).producer;
    return producer != lb::ir::kNoNode &&
           foldedConstantConsumer(graph, producer) != lb::ir::kNoNode;
}

const lb::Tensor* weightTensor(const lb::ir::Graph& graph, lb::ir::ValueId value) {
    if (value == lb::ir::kNoValue)
        return nullptr;
    if (const lb::Tensor* t = graph.initializer(value))
        return t;
    const lb::ir::NodeId producer = graph.value(value).producer;
    if (producer == lb::ir::kNoNode || !isConstantOp(graph.node(producer)))
        return nullptr;
    const lb::ir::Attribute* a = graph.node(producer).attribute("value");
    if (a == nullptr || a->type != lb::ir::AttributeType::Tensor || a->t.empty())
        return nullptr;
    return &a->t;
}

QString inputLabel(const std::string& opType, size_t slot) {
    for (const OpInputs& entry : kInputNames) {
        if (entry.op != opType)
            continue;
        if (slot < entry.names.size())
            return QString::fromLatin1(*(entry.names.begin() + slot));
        break;
    }
    return QStringLiteral("in%1").arg(slot);
}

} // namespace lb::widgets
