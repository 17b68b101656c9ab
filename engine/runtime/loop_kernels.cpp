// Loop, Scan and SequenceMap: a body subgraph run once per iteration.

#include "core/error.h"
#include "runtime/subgraph_body.h"

#include <algorithm>
#include <limits>

namespace lb::runtime::detail {

namespace {

int64_t intAttr(const ir::Node& node, const char* name, int64_t fallback) {
    const ir::Attribute* a = node.attribute(name);
    if (!a)
        return fallback;
    if (a->type != ir::AttributeType::Int)
        fail(nodeText(node), ": attribute ", quoted(name), " must be an int");
    return a->i;
}

std::vector<int64_t> intsAttr(const ir::Node& node, const char* name, size_t count) {
    const ir::Attribute* a = node.attribute(name);
    if (!a)
        return std::vector<int64_t>(count, 0);
    if (a->type != ir::AttributeType::Ints || a->ints.size() != count)
        fail(nodeText(node), ": attribute ", quoted(name), " must list ", count, " ints");
    return a->ints;
}

Shape declaredShape(const ir::Value& v) {
    if (!v.shape)
        return {};
    return concreteShape(*v.shape).value_or(Shape{});
}

class LoopKernel final : public ControlFlowKernel {
public:
    LoopKernel(const ir::Graph& graph, const ir::Node& node,
               const std::vector<std::shared_ptr<const Backend>>& backends,
               const SessionOptions& options, const TaskContext& task)
        : m_node(node), m_body(graph, node, "body", 0, backends, options, task) {
        if (node.inputs.size() < 2)
            fail(nodeText(node), ": expected at least 2 inputs (M, cond), got ",
                 node.inputs.size());
        m_carried = node.inputs.size() - 2;
        if (m_body.inputCount() != m_carried + 2)
            fail(nodeText(node), ": the body takes ", m_body.inputCount(), " inputs, expected ",
                 m_carried + 2, " (iteration, condition, ", m_carried, " loop-carried)");
        if (m_body.outputCount() < m_carried + 1 || node.outputs.size() != m_body.outputCount() - 1)
            fail(nodeText(node), ": the body gives ", m_body.outputCount(),
                 " outputs and the node has ", node.outputs.size(),
                 " (expected condition + loop-carried + scan outputs)");
    }

    void runWith(KernelContext& ctx, ExecutionObserver* observer, size_t step,
                 const TaskContext& task) override {
        const Tensor* tripInput = ctx.input(0);
        const Tensor* condInput = ctx.input(1);
        const int64_t trips = tripInput ? scalarInt(*tripInput, m_node, "M (the trip count)")
                                        : std::numeric_limits<int64_t>::max();
        bool cond = condInput ? scalarBool(*condInput, m_node, "cond") : true;
        std::vector<Tensor> state;
        for (size_t k = 0; k < m_carried; ++k)
            state.push_back(*ctx.input(2 + k));
        const size_t scans = m_node.outputs.size() - m_carried;
        std::vector<std::vector<Tensor>> scanned(scans);
        std::vector<const Tensor*> feeds(m_carried + 2);
        for (int64_t i = 0; i < trips && cond; ++i) {
            task.checkCancelled();
            Tensor iteration(DataType::Int64, {});
            iteration.data<int64_t>()[0] = i;
            Tensor condition(DataType::Bool, {});
            condition.data<bool>()[0] = cond;
            feeds[0] = &iteration;
            feeds[1] = &condition;
            for (size_t k = 0; k < m_carried; ++k)
                feeds[2 + k] = &state[k];
            std::vector<Tensor> results = m_body.run(ctx, feeds, observer, step, task);
            cond = scalarBool(results[0], m_node, "the body's condition output");
            for (size_t k = 0; k < m_carried; ++k)
                state[k] = std::move(results[1 + k]);
            for (size_t k = 0; k < scans; ++k)
                scanned[k].push_back(std::move(results[1 + m_carried + k]));
        }
        for (size_t k = 0; k < m_carried; ++k)
            emitOutput(ctx, k, state[k]);
        for (size_t k = 0; k < scans; ++k) {
            const ir::Value& declared = m_body.output(1 + m_carried + k);
            stackInto(ctx, m_carried + k, scanned[k], 0, declared.dtype, declaredShape(declared));
        }
    }

    std::vector<Session::Subgraph> subgraphs() const override {
        return {{m_body.attribute(), &m_body.session()}};
    }

private:
    ir::Node m_node;
    SubgraphBody m_body;
    size_t m_carried = 0;
};

// Scan-9 and later; Scan-8 (a batch axis and sequence_lens) runs each batch item through it.
class ScanKernel final : public ControlFlowKernel {
public:
    ScanKernel(const ir::Graph& graph, const ir::Node& node,
               const std::vector<std::shared_ptr<const Backend>>& backends,
               const SessionOptions& options, const TaskContext& task)
        : m_node(node), m_body(graph, node, "body", 0, backends, options, task) {
        const auto opset = graph.opsetImports.find("");
        m_batched = opset != graph.opsetImports.end() && opset->second < 9;
        m_first = m_batched ? 1 : 0;
        const int64_t scanInputs = intAttr(node, "num_scan_inputs", -1);
        if (scanInputs < 1 || static_cast<size_t>(scanInputs) + m_first > node.inputs.size())
            fail(nodeText(node), ": num_scan_inputs must be between 1 and the input count");
        m_scanInputs = static_cast<size_t>(scanInputs);
        m_states = node.inputs.size() - m_first - m_scanInputs;
        if (m_body.inputCount() != m_states + m_scanInputs ||
            m_body.outputCount() != node.outputs.size() || node.outputs.size() < m_states)
            fail(nodeText(node), ": the body takes ", m_body.inputCount(), " inputs and gives ",
                 m_body.outputCount(), " outputs; expected ", m_states + m_scanInputs,
                 " inputs and ", node.outputs.size(), " outputs");
        const size_t scanOutputs = node.outputs.size() - m_states;
        if (m_batched) {
            m_inDirections = intsAttr(node, "directions", m_scanInputs);
            m_inAxes.assign(m_scanInputs, 0);
        } else {
            m_inDirections = intsAttr(node, "scan_input_directions", m_scanInputs);
            m_inAxes = intsAttr(node, "scan_input_axes", m_scanInputs);
        }
        m_outDirections = intsAttr(node, "scan_output_directions", scanOutputs);
        m_outAxes = intsAttr(node, "scan_output_axes", scanOutputs);
    }

    void runWith(KernelContext& ctx, ExecutionObserver* observer, size_t step,
                 const TaskContext& task) override {
        std::vector<Tensor> states, inputs;
        for (size_t k = 0; k < m_states; ++k)
            states.push_back(ctx.in(m_first + k));
        for (size_t j = 0; j < m_scanInputs; ++j)
            inputs.push_back(ctx.in(m_first + m_states + j));
        if (!m_batched) {
            Result r = scan(ctx, states, inputs, -1, observer, step, task);
            emit(ctx, r);
            return;
        }
        // Scan-8: axis 0 is the batch, axis 1 the sequence of every state and scan input.
        const int64_t batch = inputs[0].shape().empty() ? 0 : inputs[0].shape()[0];
        const Tensor* lens = ctx.input(0);
        std::vector<Result> items;
        for (int64_t b = 0; b < batch; ++b) {
            std::vector<Tensor> s, x;
            for (const Tensor& t : states)
                s.push_back(sliceAlong(t, 0, b));
            for (const Tensor& t : inputs)
                x.push_back(sliceAlong(t, 0, b));
            const int64_t length =
                lens ? scalarInt(sliceAlong(*lens, 0, b), m_node, "sequence_lens") : -1;
            items.push_back(scan(ctx, s, x, length, observer, step, task));
        }
        std::vector<Tensor> parts;
        for (size_t k = 0; k < m_states; ++k) {
            parts.clear();
            for (const Result& r : items)
                parts.push_back(r.states[k]);
            const Shape& whole = states[k].shape();
            stackInto(ctx, k, parts, 0, states[k].dtype(),
                      whole.empty() ? Shape{} : Shape(whole.begin() + 1, whole.end()));
        }
        for (size_t k = 0; k < m_outAxes.size(); ++k) {
            parts.clear();
            for (const Result& r : items)
                parts.push_back(stacked(r.scans[k], 0, m_outDirections[k] != 0));
            stackInto(ctx, m_states + k, parts, 0, m_body.output(m_states + k).dtype, {});
        }
    }

    std::vector<Session::Subgraph> subgraphs() const override {
        return {{m_body.attribute(), &m_body.session()}};
    }

private:
    struct Result {
        std::vector<Tensor> states;
        std::vector<std::vector<Tensor>> scans; // per scan output, per iteration
    };

    Result scan(KernelContext& ctx, std::vector<Tensor> states, const std::vector<Tensor>& inputs,
                int64_t length, ExecutionObserver* observer, size_t step, const TaskContext& task) {
        int64_t count = -1;
        std::vector<int64_t> axes(m_scanInputs);
        for (size_t j = 0; j < m_scanInputs; ++j) {
            const int64_t rank = inputs[j].rank();
            axes[j] = m_inAxes[j] < 0 ? m_inAxes[j] + rank : m_inAxes[j];
            if (axes[j] < 0 || axes[j] >= rank)
                fail(nodeText(m_node), ": scan axis ", m_inAxes[j], " is out of range for input ",
                     j, " of shape ", shapeToString(inputs[j].shape()));
            const int64_t n = inputs[j].shape()[axes[j]];
            if (count >= 0 && n != count)
                fail(nodeText(m_node), ": scan inputs have different lengths (", count, " and ", n,
                     ")");
            count = n;
        }
        if (length >= 0)
            count = std::min(count, length);
        Result r;
        r.scans.resize(m_outAxes.size());
        std::vector<Tensor> slices(m_scanInputs);
        std::vector<const Tensor*> feeds(m_states + m_scanInputs);
        for (int64_t t = 0; t < count; ++t) {
            task.checkCancelled();
            for (size_t j = 0; j < m_scanInputs; ++j)
                slices[j] = sliceAlong(inputs[j], axes[j], m_inDirections[j] ? count - 1 - t : t);
            for (size_t k = 0; k < m_states; ++k)
                feeds[k] = &states[k];
            for (size_t j = 0; j < m_scanInputs; ++j)
                feeds[m_states + j] = &slices[j];
            std::vector<Tensor> results = m_body.run(ctx, feeds, observer, step, task);
            for (size_t k = 0; k < m_states; ++k)
                states[k] = std::move(results[k]);
            for (size_t k = 0; k < r.scans.size(); ++k)
                r.scans[k].push_back(std::move(results[m_states + k]));
        }
        r.states = std::move(states);
        return r;
    }

    void emit(KernelContext& ctx, Result& r) {
        for (size_t k = 0; k < m_states; ++k)
            emitOutput(ctx, k, r.states[k]);
        for (size_t k = 0; k < r.scans.size(); ++k) {
            if (m_outDirections[k])
                std::reverse(r.scans[k].begin(), r.scans[k].end());
            const ir::Value& declared = m_body.output(m_states + k);
            stackInto(ctx, m_states + k, r.scans[k], m_outAxes[k], declared.dtype,
                      declaredShape(declared));
        }
    }

    // Scan-8's per-batch scan output: the iterations along axis 0, as one tensor.
    static Tensor stacked(std::vector<Tensor> parts, int64_t axis, bool reverse) {
        if (reverse)
            std::reverse(parts.begin(), parts.end());
        std::vector<Tensor> out(1);
        KernelContext ctx(
            {}, out,
            [](size_t, DataType type, const Shape& shape, size_t) { return Tensor(type, shape); },
            1);
        stackInto(ctx, 0, parts, axis, parts.empty() ? DataType::Float32 : parts[0].dtype(), {});
        return out[0];
    }

    ir::Node m_node;
    SubgraphBody m_body;
    bool m_batched = false;
    size_t m_first = 0, m_states = 0, m_scanInputs = 0;
    std::vector<int64_t> m_inDirections, m_inAxes, m_outDirections, m_outAxes;
};

class SequenceMapKernel final : public ControlFlowKernel {
public:
    SequenceMapKernel(const ir::Graph& graph, const ir::Node& node,
                      const std::vector<std::shared_ptr<const Backend>>& backends,
                      const SessionOptions& options, const TaskContext& task)
        : m_node(node), m_body(graph, node, "body", 0, backends, options, task) {
        if (node.inputs.empty() || m_body.inputCount() != node.inputs.size() ||
            m_body.outputCount() != node.outputs.size())
            fail(nodeText(node), ": the body takes ", m_body.inputCount(), " inputs and gives ",
                 m_body.outputCount(), " outputs; the node has ", node.inputs.size(), " and ",
                 node.outputs.size());
    }

    void runWith(KernelContext& ctx, ExecutionObserver* observer, size_t step,
                 const TaskContext& task) override {
        const size_t inputs = m_node.inputs.size();
        if (!ctx.in(0).isSequence())
            fail(nodeText(m_node), ": input 0 must be a sequence");
        const size_t count = ctx.in(0).items().size();
        for (size_t j = 1; j < inputs; ++j)
            if (ctx.in(j).isSequence() && ctx.in(j).items().size() != count)
                fail(nodeText(m_node), ": sequence input ", j, " has ", ctx.in(j).items().size(),
                     " elements, input 0 has ", count);
        std::vector<std::vector<Tensor>> outputs(m_node.outputs.size());
        std::vector<const Tensor*> feeds(inputs);
        for (size_t i = 0; i < count; ++i) {
            task.checkCancelled();
            for (size_t j = 0; j < inputs; ++j)
                feeds[j] = ctx.in(j).isSequence() ? &ctx.in(j).items()[i] : &ctx.in(j);
            std::vector<Tensor> results = m_body.run(ctx, feeds, observer, step, task);
            for (size_t o = 0; o < results.size(); ++o) // owned: it outlives this node
                outputs[o].push_back(results[o].clone());
        }
        for (size_t o = 0; o < outputs.size(); ++o) {
            DataType type = m_body.output(o).dtype;
            if (!outputs[o].empty())
                type = outputs[o][0].dtype();
            ctx.setAlias(o, Tensor::sequence(type, std::move(outputs[o])));
        }
    }

    std::vector<Session::Subgraph> subgraphs() const override {
        return {{m_body.attribute(), &m_body.session()}};
    }

private:
    ir::Node m_node;
    SubgraphBody m_body;
};

} // namespace

std::unique_ptr<ControlFlowKernel> makeLoop(const ir::Graph& graph, const ir::Node& node,
                                            const std::vector<std::shared_ptr<const Backend>>& b,
                                            const SessionOptions& options,
                                            const TaskContext& task) {
    return std::make_unique<LoopKernel>(graph, node, b, options, task);
}

std::unique_ptr<ControlFlowKernel> makeScan(const ir::Graph& graph, const ir::Node& node,
                                            const std::vector<std::shared_ptr<const Backend>>& b,
                                            const SessionOptions& options,
                                            const TaskContext& task) {
    return std::make_unique<ScanKernel>(graph, node, b, options, task);
}

std::unique_ptr<ControlFlowKernel>
makeSequenceMap(const ir::Graph& graph, const ir::Node& node,
                const std::vector<std::shared_ptr<const Backend>>& b, const SessionOptions& options,
                const TaskContext& task) {
    return std::make_unique<SequenceMapKernel>(graph, node, b, options, task);
}

} // namespace lb::runtime::detail
