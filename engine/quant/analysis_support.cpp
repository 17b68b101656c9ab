#include "quant/analysis_support.h"

#include "passes/graph_pass.h"
#include "profile/local_run.h"
#include "quant/runnable_graph.h"

#include <algorithm>

namespace lb::quant {

std::unique_ptr<runtime::Session>
analysisSession(const ir::Graph& graph, const std::string& backend, int threads,
                const TaskContext& task, const std::set<std::string>& observed, bool optimize) {
    runtime::SessionOptions so;
    so.threads = threads;
    if (!optimize)
        return std::make_unique<runtime::Session>(runnableGraph(graph),
                                                  profile::backendsFor(backend), so, task);
    auto optimized = std::make_shared<ir::Graph>(graph);
    // Passes keep graph outputs: the observed values are outputs while the passes run.
    const size_t outputs = optimized->outputs().size();
    for (const std::string& name : observed) {
        const auto id = optimized->findValue(name);
        if (id && optimized->value(*id).producer != ir::kNoNode && !optimized->isGraphOutput(*id))
            optimized->outputs().push_back(*id);
    }
    passes::optimize(*optimized, passes::deploymentPasses(), task);
    optimized->outputs().resize(outputs);
    return std::make_unique<runtime::Session>(std::move(optimized), profile::backendsFor(backend),
                                              so, task);
}

OutputCapture::OutputCapture(const runtime::Session& session,
                             std::map<std::string, std::string> wanted, const TaskContext& task)
    : m_session(session), m_wanted(std::move(wanted)), m_task(task) {}

void OutputCapture::onNodeEnd(size_t, const runtime::PlanStep& step,
                              const std::vector<Tensor>& outputs) {
    m_task.checkCancelled();
    const ir::Node& node = m_session.graph().node(step.node);
    for (size_t k = 0; k < outputs.size() && k < node.outputs.size(); ++k) {
        if (node.outputs[k] == ir::kNoValue || outputs[k].dtype() != DataType::Float32)
            continue;
        auto it = m_wanted.find(m_session.graph().value(node.outputs[k]).name);
        if (it != m_wanted.end())
            captured[it->second] = m_session.toPlain(step, outputs[k]).clone();
    }
}

void addTop1(const Tensor& ref, const Tensor& q, int64_t& rows, int64_t& agree) {
    const int64_t last = ref.rank() ? ref.shape().back() : 1;
    if (last <= 0 || ref.numel() != q.numel())
        return;
    for (int64_t r = 0; r < ref.numel() / last; ++r, ++rows) {
        const float* a = ref.data<float>() + r * last;
        const float* b = q.data<float>() + r * last;
        agree += std::max_element(a, a + last) - a == std::max_element(b, b + last) - b;
    }
}

} // namespace lb::quant
