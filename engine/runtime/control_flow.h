#pragma once

// The kernels of the nodes a session runs itself (isControlFlow): If, Loop, Scan, SequenceMap.
// Internal to the runtime: a session creates them and calls runWith.

#include "runtime/session.h"

#include <memory>
#include <vector>

namespace lb::runtime::detail {

// A control-flow node's kernel. Its subgraphs are sessions built once (same backends and options
// as the session that holds the node). In the KernelContext it runs with, the node's implicit
// inputs (its subgraphs' outer-scope values) follow its inputs.
class ControlFlowKernel : public Kernel {
public:
    void run(KernelContext& ctx) override { runWith(ctx, nullptr, 0, {}); }
    // `observer` and `step` are the enclosing run's, for ExecutionObserver::subgraphObserver.
    virtual void runWith(KernelContext& ctx, ExecutionObserver* observer, size_t step,
                         const TaskContext& task) = 0;
    virtual std::vector<Session::Subgraph> subgraphs() const = 0;
};

// Throws lb::Error when the node is malformed (a missing subgraph, an outer-scope name the node
// does not list as an implicit input) or a subgraph cannot run.
std::unique_ptr<ControlFlowKernel>
makeControlFlowKernel(const ir::Graph& graph, const ir::Node& node,
                      const std::vector<std::shared_ptr<const Backend>>& backends,
                      const SessionOptions& options, const TaskContext& task);

} // namespace lb::runtime::detail
