#include "quant/analysis_support.h"

#include "passes/graph_pass.h"
#include "profile/local_run.h"
#include "quant/runnable_graph.h"

#include <algorithm>

namespace lb::quant {

std::set<std::string> nodeOutputNames(const ir::Graph& graph) {
    std::set<std::string> names;
    for (ir::NodeId id : graph.nodeIds())
        for (ir::ValueId v : graph.node(id).outputs)
            if (v != ir::kNoValue)
                names.insert(graph.value(v).name);
    return names;
}

std::unique_ptr<runtime::Session>
analysisSession(const ir::Graph& graph, const std::string& backend, int threads,
                const TaskContext& task, const std::set<std::string>& observed, bool optimize) {
    runtime::SessionOptions so;
    so.threads = threads;
    // The analyses capture tensors by name: no backend lowering may fuse one away (the
    // deployment passes below already made the fusions QNN's converter makes).
    so.lower = false;
    if (!optimize) {
        auto runnable = runnableGraph(graph);
        so.keepValues = nodeOutputNames(*runnable);
        return std::make_unique<runtime::Session>(std::move(runnable),
                                                  profile::backendsFor(backend), so, task);
    }
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
    so.keepValues = nodeOutputNames(*optimized);
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
    if (ref.numel() != q.numel() || ref.numel() == 0)
        return;
    const Shape& shape = ref.shape();
    const size_t axis = classAxis(shape);
    const int64_t classes = shape.empty() ? 1 : shape[axis];
    int64_t inner = 1;
    for (size_t d = axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
    const float* a = ref.data<float>();
    const float* b = q.data<float>();
    if (classes == 1) {
        // One channel: a two-way decision per element (sigmoid probability or logit).
        const float threshold =
            std::all_of(a, a + ref.numel(), [](float v) { return v >= 0.0f && v <= 1.0f; }) ? 0.5f
                                                                                            : 0.0f;
        for (int64_t i = 0; i < ref.numel(); ++i)
            agree += (a[i] > threshold) == (b[i] > threshold);
        rows += ref.numel();
        return;
    }
    const int64_t outer = ref.numel() / (classes * inner);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i = 0; i < inner; ++i, ++rows) {
            const int64_t base = o * classes * inner + i;
            int64_t bestA = 0, bestB = 0;
            for (int64_t c = 1; c < classes; ++c) {
                bestA = a[base + c * inner] > a[base + bestA * inner] ? c : bestA;
                bestB = b[base + c * inner] > b[base + bestB * inner] ? c : bestB;
            }
            agree += bestA == bestB;
        }
}

size_t classAxis(const Shape& shape) {
    if (shape.empty())
        return 0;
    return shape.size() >= 4 ? 1 : shape.size() - 1;
}

} // namespace lb::quant
