#include "runtime/control_flow.h"

#include "core/error.h"
#include "runtime/subgraph_body.h"

#include <algorithm>
#include <cstring>

namespace lb::runtime {

bool isControlFlow(const ir::Node& node) {
    if (!node.domain.empty() && node.domain != "ai.onnx")
        return false;
    return node.opType == "If" || node.opType == "Loop" || node.opType == "Scan" ||
           node.opType == "SequenceMap";
}

namespace detail {

std::string nodeText(const ir::Node& node) {
    return "node " + quoted(node.name) + " (" + node.opType + ")";
}

SubgraphBody::SubgraphBody(const ir::Graph& parent, const ir::Node& node,
                           const std::string& attribute, size_t index,
                           const std::vector<std::shared_ptr<const Backend>>& backends,
                           const SessionOptions& options, const TaskContext& task)
    : m_attribute(attribute), m_index(index) {
    const ir::Attribute* attr = node.attribute(attribute);
    if (!attr || attr->type != ir::AttributeType::Graph || !attr->g)
        fail(nodeText(node), ": attribute ", quoted(attribute), " (a graph) is missing");
    auto graph = std::make_shared<ir::Graph>(*attr->g);
    if (graph->opsetImports.empty())
        graph->opsetImports = parent.opsetImports; // a subgraph has the model's opsets
    if (graph->name.empty())
        graph->name = node.name + "." + attribute;
    // Outer-scope values get the types the enclosing graph knows, so backends can claim what
    // reads them.
    for (ir::ValueId v = 0; v < graph->valueCount(); ++v) {
        ir::Value& value = graph->value(v);
        if (value.producer != ir::kNoNode || graph->isGraphInput(v) || graph->isInitializer(v))
            continue;
        const auto outer = parent.findValue(value.name);
        if (!outer)
            continue;
        const ir::Value& known = parent.value(*outer);
        if (value.dtype == DataType::Undefined) {
            value.dtype = known.dtype;
            value.kind = known.kind;
            value.elementKind = known.elementKind;
        }
        if (!value.shape)
            value.shape = known.shape;
    }
    SessionOptions childOptions = options;
    childOptions.int8.reset(); // an int8 lowering is planned for the model's own graph only
    const TaskContext cancelOnly{task.token, {}}; // the enclosing session reports progress
    m_session = std::make_unique<Session>(graph, backends, childOptions, cancelOnly);
    for (ir::ValueId v : m_session->outerScope()) {
        const std::string& name = m_session->graph().value(v).name;
        const auto outer = parent.findValue(name);
        size_t slot = node.implicitInputs.size();
        for (size_t k = 0; outer && k < node.implicitInputs.size(); ++k)
            if (node.implicitInputs[k] == *outer)
                slot = k;
        if (slot == node.implicitInputs.size())
            fail(nodeText(node), ": subgraph ", quoted(attribute), " reads ", quoted(name),
                 ", which is not one of the node's implicit inputs (an outer-scope value)");
        m_outerSlots.push_back(node.inputs.size() + slot);
    }
}

std::vector<Tensor> SubgraphBody::run(KernelContext& ctx, const std::vector<const Tensor*>& inputs,
                                      ExecutionObserver* observer, size_t step,
                                      const TaskContext& task) {
    std::vector<const Tensor*> outer;
    outer.reserve(m_outerSlots.size());
    for (size_t slot : m_outerSlots)
        outer.push_back(ctx.input(slot));
    ExecutionObserver* inner = observer ? observer->subgraphObserver(step, m_index) : nullptr;
    return m_session->runSubgraph(inputs, outer, inner, task);
}

void emitOutput(KernelContext& ctx, size_t o, const Tensor& value) {
    if (value.kind() != ValueKind::Tensor) {
        ctx.setAlias(o, value);
        return;
    }
    Tensor& out = ctx.output(o, value.dtype(), value.shape());
    if (value.dtype() == DataType::String)
        out.strings() = value.strings();
    else if (value.byteSize())
        std::memcpy(out.rawData(), value.rawData(), value.byteSize());
}

namespace {

// Bytes before, at and after `axis` of a shape.
struct AxisSplit {
    int64_t outer = 1, count = 1, innerBytes = 0;
};

AxisSplit splitAt(const Shape& shape, int64_t axis, size_t elementBytes) {
    AxisSplit a;
    a.innerBytes = static_cast<int64_t>(elementBytes);
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
        if (d < axis)
            a.outer *= shape[d];
        else if (d == axis)
            a.count = shape[d];
        else
            a.innerBytes *= shape[d];
    }
    return a;
}

} // namespace

Tensor sliceAlong(const Tensor& t, int64_t axis, int64_t i) {
    if (t.dtype() == DataType::String || !t.isPlain())
        fail("a scan over a ", dtypeName(t.dtype()), " tensor is not implemented");
    const AxisSplit a = splitAt(t.shape(), axis, dtypeSize(t.dtype()));
    Shape shape = t.shape();
    shape.erase(shape.begin() + axis);
    Tensor out(t.dtype(), shape);
    const auto* src = static_cast<const std::byte*>(t.rawData());
    auto* dst = static_cast<std::byte*>(out.rawData());
    for (int64_t o = 0; o < a.outer; ++o)
        std::memcpy(dst + o * a.innerBytes, src + (o * a.count + i) * a.innerBytes,
                    static_cast<size_t>(a.innerBytes));
    return out;
}

void stackInto(KernelContext& ctx, size_t o, const std::vector<Tensor>& parts, int64_t axis,
               DataType emptyType, const Shape& emptyElement) {
    Shape element = parts.empty() ? emptyElement : parts[0].shape();
    const DataType type = parts.empty() ? emptyType : parts[0].dtype();
    for (const Tensor& p : parts)
        if (p.shape() != element || p.dtype() != type || p.kind() != ValueKind::Tensor)
            fail("scan output ", o, ": iterations gave different shapes (", shapeToString(element),
                 " and ", shapeToString(p.shape()), ")");
    if (type == DataType::String)
        fail("scan output ", o, ": string tensors are not implemented");
    if (axis < 0)
        axis += static_cast<int64_t>(element.size()) + 1;
    if (axis < 0 || axis > static_cast<int64_t>(element.size()))
        fail("scan output ", o, ": axis out of range for rank ", element.size() + 1);
    Shape shape = element;
    shape.insert(shape.begin() + axis, static_cast<int64_t>(parts.size()));
    Tensor& out = ctx.output(o, type, shape);
    const AxisSplit a = splitAt(shape, axis, dtypeSize(type));
    auto* dst = static_cast<std::byte*>(out.rawData());
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto* src = static_cast<const std::byte*>(parts[i].rawData());
        for (int64_t k = 0; k < a.outer; ++k)
            std::memcpy(dst + (k * a.count + static_cast<int64_t>(i)) * a.innerBytes,
                        src + k * a.innerBytes, static_cast<size_t>(a.innerBytes));
    }
}

int64_t scalarInt(const Tensor& t, const ir::Node& node, const char* what) {
    if (t.kind() != ValueKind::Tensor || t.numel() != 1 ||
        (t.dtype() != DataType::Int64 && t.dtype() != DataType::Int32))
        fail(nodeText(node), ": ", what, " must be one int64 value, got ", dtypeName(t.dtype()),
             " ", shapeToString(t.shape()));
    return t.dtype() == DataType::Int64 ? t.data<int64_t>()[0] : t.data<int32_t>()[0];
}

bool scalarBool(const Tensor& t, const ir::Node& node, const char* what) {
    if (t.kind() != ValueKind::Tensor || t.numel() != 1 || t.dtype() != DataType::Bool)
        fail(nodeText(node), ": ", what, " must be one bool value, got ", dtypeName(t.dtype()), " ",
             shapeToString(t.shape()));
    return t.data<bool>()[0];
}

namespace {

class IfKernel final : public ControlFlowKernel {
public:
    IfKernel(const ir::Graph& graph, const ir::Node& node,
             const std::vector<std::shared_ptr<const Backend>>& backends,
             const SessionOptions& options, const TaskContext& task)
        : m_node(node), m_then(graph, node, "then_branch", 0, backends, options, task),
          m_else(graph, node, "else_branch", 1, backends, options, task) {
        if (node.inputs.size() != 1 || node.inputs[0] == ir::kNoValue)
            fail(nodeText(node), ": expected 1 input (the condition), got ", node.inputs.size());
        for (const SubgraphBody* b : {&m_then, &m_else})
            if (b->outputCount() != node.outputs.size())
                fail(nodeText(node), ": ", b->attribute(), " has ", b->outputCount(),
                     " outputs, the node ", node.outputs.size());
    }

    void runWith(KernelContext& ctx, ExecutionObserver* observer, size_t step,
                 const TaskContext& task) override {
        SubgraphBody& branch = scalarBool(ctx.in(0), m_node, "the condition") ? m_then : m_else;
        const std::vector<Tensor> results = branch.run(ctx, {}, observer, step, task);
        for (size_t o = 0; o < results.size(); ++o)
            emitOutput(ctx, o, results[o]);
    }

    std::vector<Session::Subgraph> subgraphs() const override {
        return {{m_then.attribute(), &m_then.session()}, {m_else.attribute(), &m_else.session()}};
    }

private:
    ir::Node m_node;
    SubgraphBody m_then, m_else;
};

} // namespace

std::unique_ptr<ControlFlowKernel> makeIf(const ir::Graph& graph, const ir::Node& node,
                                          const std::vector<std::shared_ptr<const Backend>>& b,
                                          const SessionOptions& options, const TaskContext& task) {
    return std::make_unique<IfKernel>(graph, node, b, options, task);
}

std::unique_ptr<ControlFlowKernel>
makeControlFlowKernel(const ir::Graph& graph, const ir::Node& node,
                      const std::vector<std::shared_ptr<const Backend>>& backends,
                      const SessionOptions& options, const TaskContext& task) {
    if (node.opType == "If")
        return makeIf(graph, node, backends, options, task);
    if (node.opType == "Loop")
        return makeLoop(graph, node, backends, options, task);
    if (node.opType == "Scan")
        return makeScan(graph, node, backends, options, task);
    if (node.opType == "SequenceMap")
        return makeSequenceMap(graph, node, backends, options, task);
    fail(nodeText(node), ": not a control-flow op");
}

} // namespace detail

} // namespace lb::runtime
