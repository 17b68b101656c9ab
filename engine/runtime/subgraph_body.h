#pragma once

// What the control-flow kernels share (runtime-internal): a subgraph built as a session, and the
// tensor copies in and out of it.

#include "runtime/control_flow.h"

#include <string>
#include <vector>

namespace lb::runtime::detail {

// One subgraph attribute of a control-flow node, as a session.
class SubgraphBody {
public:
    // Copies the subgraph, types its outer-scope values from `parent` and builds its session.
    SubgraphBody(const ir::Graph& parent, const ir::Node& node, const std::string& attribute,
                 size_t index, const std::vector<std::shared_ptr<const Backend>>& backends,
                 const SessionOptions& options, const TaskContext& task);

    // One run with these inputs; the outer-scope values come from ctx (after the node's inputs).
    std::vector<Tensor> run(KernelContext& ctx, const std::vector<const Tensor*>& inputs,
                            ExecutionObserver* observer, size_t step, const TaskContext& task);
    size_t inputCount() const { return m_session->graph().inputs().size(); }
    size_t outputCount() const { return m_session->graph().outputs().size(); }
    const ir::Value& output(size_t i) const {
        return m_session->graph().value(m_session->graph().outputs().at(i));
    }
    const std::string& attribute() const { return m_attribute; }
    const Session& session() const { return *m_session; }

private:
    std::string m_attribute;
    size_t m_index = 0; // among the node's subgraphs, for subgraphObserver
    std::unique_ptr<Session> m_session;
    std::vector<size_t> m_outerSlots; // per outerScope() entry: its ctx input index
};

// "node 'name' (Op)"
std::string nodeText(const ir::Node& node);
// Writes a subgraph's result to output `o`: tensors are copied into the output buffer (a result
// may share storage with a value that dies after this node), sequences and optionals passed on.
void emitOutput(KernelContext& ctx, size_t o, const Tensor& value);
// A plain copy of `t` along `axis`: index `i` (rank - 1 dims).
Tensor sliceAlong(const Tensor& t, int64_t axis, int64_t i);
// Stacks equal-shaped tensors along a new `axis` into output `o`; when `parts` is empty the
// output is {0} + elementShape with that axis inserted.
void stackInto(KernelContext& ctx, size_t o, const std::vector<Tensor>& parts, int64_t axis,
               DataType emptyType, const Shape& emptyElement);
int64_t scalarInt(const Tensor& t, const ir::Node& node, const char* what);
bool scalarBool(const Tensor& t, const ir::Node& node, const char* what);

std::unique_ptr<ControlFlowKernel> makeIf(const ir::Graph&, const ir::Node&,
                                          const std::vector<std::shared_ptr<const Backend>>&,
                                          const SessionOptions&, const TaskContext&);
std::unique_ptr<ControlFlowKernel> makeLoop(const ir::Graph&, const ir::Node&,
                                            const std::vector<std::shared_ptr<const Backend>>&,
                                            const SessionOptions&, const TaskContext&);
std::unique_ptr<ControlFlowKernel> makeScan(const ir::Graph&, const ir::Node&,
                                            const std::vector<std::shared_ptr<const Backend>>&,
                                            const SessionOptions&, const TaskContext&);
std::unique_ptr<ControlFlowKernel>
makeSequenceMap(const ir::Graph&, const ir::Node&,
                const std::vector<std::shared_ptr<const Backend>>&, const SessionOptions&,
                const TaskContext&);

} // namespace lb::runtime::detail
