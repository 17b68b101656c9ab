#pragma once

// What the quantization analysis, the encoding probe and the mixed precision planner share
// (quant_analysis.cpp, encoding_probe.cpp, mixed_precision.cpp): the session they run a graph in,
// an observer that copies named intermediates, and the output comparison.

#include "core/progress.h"
#include "ir/graph.h"
#include "quant/quant_analysis.h"
#include "runtime/session.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lb::quant {

// A session on the runnable copy of `graph` (quant/runnable_graph.h: Constants as initializers,
// shapes completed) with `backend` and `threads`: all three run graphs the same way, so a
// re-measure or a planner step reproduces the analysis' numbers.
std::unique_ptr<runtime::Session> analysisSession(const ir::Graph& graph,
                                                  const std::string& backend, int threads,
                                                  const TaskContext& task);

// Copies the float outputs named in `wanted` (value name -> key) as plain tensors (a plain
// output is a view of the session's arena, reused by later nodes).
class OutputCapture : public runtime::ExecutionObserver {
public:
    OutputCapture(const runtime::Session& session, std::map<std::string, std::string> wanted,
                  const TaskContext& task);
    void onNodeEnd(size_t, const runtime::PlanStep& step,
                   const std::vector<Tensor>& outputs) override;

    std::map<std::string, Tensor> captured; // key -> copy

private:
    const runtime::Session& m_session;
    std::map<std::string, std::string> m_wanted;
    const TaskContext& m_task;
};

// Top-1 agreement of one float output against its reference: the rows (last axis) whose argmax
// matches are added to `agree`, all rows to `rows`.
void addTop1(const Tensor& ref, const Tensor& q, int64_t& rows, int64_t& agree);

} // namespace lb::quant
