#pragma once

#include "core/progress.h"
#include "core/tensor.h"
#include "ir/graph.h"
#include "runtime/backend.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace lb::runtime {

class ExecutionObserver;

struct SessionOptions {
    SessionOptions() = default;
    SessionOptions(int threadCount) : threads(threadCount) {} // NOLINT: {threads} reads well
    int threads = 1;
    // Let each backend rewrite the nodes it was assigned (Backend::lower) before its kernels
    // are built. Off: the graph runs node for node as given.
    bool lower = true;
    // An int8 run: the lowering each backend applies to its nodes after its fusions (needs
    // `lower`). The session calls it while it is built, never after.
    std::shared_ptr<Int8Lowering> int8;
    // fp16 storage: every float tensor is rounded to the nearest fp16 value where a node writes
    // it and where the run takes it in (graph inputs), so the outputs carry the error an fp16
    // device's tensors give while the kernels compute in fp32. The rounding is timed with the
    // node that writes the tensor, and the float initializers are rounded once, after the
    // backends' lowerings (a folded batch norm is rounded as folded).
    bool roundFp16 = false;
    // Values the caller observes by name (calibration, the quantization analyses): the backends'
    // lowerings keep them computed as separate tensors (LoweringContext::keep).
    std::set<std::string> keepValues;
};

// One backend's lowering: what it rewrote, and how often.
struct LoweringReport {
    std::string backend;
    std::vector<LoweringCount> rewrites;
};

// The ops whose subgraphs the session runs itself (If, Loop, Scan, SequenceMap): each subgraph is
// a session of its own with the same backends, built once, run per branch or iteration.
bool isControlFlow(const ir::Node& node);
// The "backend" of a control-flow step in plans and reports.
inline constexpr const char* kControlFlowBackend = "control-flow";

// One planned step: a node, the backend that runs it, and its kernel.
struct PlanStep {
    ir::NodeId node = ir::kNoNode;
    std::string backend;
    // When a preferred backend declined this node: the first decline's code (Decline, e.g.
    // "unsupported-op") and every decline as "backend: text", joined by "; ". "" if none did.
    std::string fallbackCode;
    std::string fallbackReason;
};

struct MemoryPlanStats {
    int64_t plannedBytes = 0;  // arena size after buffer reuse
    int64_t naiveBytes = 0;    // one buffer per intermediate tensor
    int64_t dynamicValues = 0; // intermediates whose size was unknown at planning time
    int64_t inPlaceValues = 0; // intermediates placed inside the output of the node that reads
                               // them last (Kernel::inputOffsetsInOutput: Concat inputs)
};

// Session = plan + executor. Created once per graph and set of options: nodes are assigned to
// the first backend (in the given order of preference) that claims them, each backend lowers
// the nodes it got (Backend::lower: its own fusions), kernels are created
// (weights pre-packed), activation memory is planned; then run() may be called many times.
class Session {
public:
    // Throws lb::Error listing every node no backend claims (name, op and each decline), or
    // naming the node whose kernel a backend that claimed it could not create (an invalid node
    // is an error, not a fallback to the next backend).
    Session(std::shared_ptr<const ir::Graph> graph,
            std::vector<std::shared_ptr<const Backend>> backends,
            const SessionOptions& options = {}, const TaskContext& task = {});
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Runs the graph. Inputs by graph input name; returns the graph outputs in graph order.
    // Throws lb::Error naming the input (missing, wrong dtype or shape) or the failing node.
    std::vector<Tensor> run(const std::map<std::string, Tensor>& inputs,
                            ExecutionObserver* observer = nullptr, const TaskContext& task = {});
    // A subgraph's run: its inputs in graph order (none may be omitted; dtypes are checked, shapes
    // not: a loop's state may change shape) and one value per outerScope() entry.
    std::vector<Tensor> runSubgraph(const std::vector<const Tensor*>& inputs,
                                    const std::vector<const Tensor*>& outer,
                                    ExecutionObserver* observer, const TaskContext& task);
    // Values the graph reads but neither defines nor takes as input: a subgraph's outer-scope
    // names, resolved from the graph that holds it.
    const std::vector<ir::ValueId>& outerScope() const { return m_outerScope; }
    // The sessions of step `step`'s subgraphs (a control-flow node's), in attribute order.
    struct Subgraph {
        std::string attribute; // then_branch, else_branch, body
        const Session* session = nullptr;
    };
    std::vector<Subgraph> subgraphs(size_t step) const;

    // The graph that runs: the given one after each backend's lowering.
    const ir::Graph& graph() const { return *m_graph; }
    std::shared_ptr<const ir::Graph> sharedGraph() const { return m_graph; }
    // Per backend that rewrote something (in order of preference).
    const std::vector<LoweringReport>& lowerings() const { return m_lowerings; }
    // Float initializers rounded to fp16 (SessionOptions::roundFp16).
    size_t roundedWeights() const { return m_roundedWeights; }
    const std::vector<PlanStep>& steps() const { return m_steps; }
    // The implementation step `step`'s kernel reports (Kernel::implementation()).
    std::string implementation(size_t step) const;
    const MemoryPlanStats& memoryStats() const { return m_memoryStats; }
    const SessionOptions& options() const { return m_options; }
    std::vector<std::string> outputNames() const;
    // A plain copy of an output an observer saw at `step` (which may be in the backend's
    // private layout).
    Tensor toPlain(const PlanStep& step, const Tensor& tensor) const;

private:
    struct Impl;
    std::vector<Tensor> execute(std::vector<Tensor>& values, ExecutionObserver* observer,
                                const TaskContext& task);
    std::shared_ptr<const ir::Graph> m_graph;
    std::vector<ir::ValueId> m_outerScope;
    std::vector<PlanStep> m_steps;
    std::vector<LoweringReport> m_lowerings;
    size_t m_roundedWeights = 0;
    MemoryPlanStats m_memoryStats;
    SessionOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

// Called by the executor around every kernel; used for per-node timing and for capturing
// intermediate tensors (quantization analysis).
class ExecutionObserver {
public:
    virtual ~ExecutionObserver() = default;
    virtual void onRunStart() {}
    virtual void onNodeStart(size_t step, const PlanStep& planStep) {
        (void)step;
        (void)planStep;
    }
    virtual void onNodeEnd(size_t step, const PlanStep& planStep,
                           const std::vector<Tensor>& outputs) {
        (void)step;
        (void)planStep;
        (void)outputs;
    }
    virtual void onRunEnd() {}
    // The observer of subgraph `subgraph`'s runs inside step `step` (an If branch, a Loop or Scan
    // body, once per iteration); nullptr leaves them unobserved.
    virtual ExecutionObserver* subgraphObserver(size_t step, size_t subgraph) {
        (void)step;
        (void)subgraph;
        return nullptr;
    }
};

} // namespace lb::runtime
