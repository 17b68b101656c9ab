#include "profile/profiler.h"

#include "core/error.h"
#include "ops/cost.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <string>

namespace lb::profile {

namespace {

using Clock = std::chrono::steady_clock;

double microsBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::micro>(b - a).count();
}

// Per-node wall time around each kernel. Keeps every run's timeline so the median run can be
// exported as a trace; a control-flow node's subgraphs get timers of their own, which sum their
// nodes' times over every branch taken or iteration.
class NodeTimer final : public runtime::ExecutionObserver {
public:
    NodeTimer(size_t steps, bool keepRuns) : m_steps(steps), m_keepRuns(keepRuns) {}

    void onRunStart() override {
        m_runStart = Clock::now();
        ++m_calls;
        if (m_keepRuns)
            m_runs.emplace_back(m_steps);
    }
    void onNodeStart(size_t step, const runtime::PlanStep&) override {
        // A nested subgraph's runs start and end inside this node: keep one start per step.
        if (m_nodeStart.size() <= step)
            m_nodeStart.resize(step + 1);
        m_nodeStart[step] = Clock::now();
    }
    void onNodeEnd(size_t step, const runtime::PlanStep&, const std::vector<Tensor>&) override {
        const auto now = Clock::now();
        const double us = microsBetween(m_nodeStart[step], now);
        if (m_keepRuns)
            m_runs.back()[step] = {microsBetween(m_runStart, m_nodeStart[step]), us};
        else {
            if (m_totalUs.size() <= step)
                m_totalUs.resize(step + 1, 0.0);
            m_totalUs[step] += us;
        }
    }
    ExecutionObserver* subgraphObserver(size_t step, size_t subgraph) override {
        auto& child = m_children[{step, subgraph}];
        if (!child)
            child = std::make_unique<NodeTimer>(0, false);
        return child.get();
    }

    struct Span {
        double startUs = 0;
        double durationUs = 0;
    };
    const std::vector<std::vector<Span>>& runs() const { return m_runs; }
    // A subgraph timer's sums: per step, and how many runs.
    double totalUs(size_t step) const { return step < m_totalUs.size() ? m_totalUs[step] : 0.0; }
    int64_t calls() const { return m_calls; }
    const NodeTimer* child(size_t step, size_t subgraph) const {
        auto it = m_children.find({step, subgraph});
        return it == m_children.end() ? nullptr : it->second.get();
    }

private:
    size_t m_steps;
    bool m_keepRuns;
    int64_t m_calls = 0;
    Clock::time_point m_runStart;
    std::vector<Clock::time_point> m_nodeStart;
    std::vector<std::vector<Span>> m_runs;
    std::vector<double> m_totalUs;
    std::map<std::pair<size_t, size_t>, std::unique_ptr<NodeTimer>> m_children;
};

// The precision a node computes in, from the tensors it moves: 8-bit anywhere makes it an int8
// node (the int8 ops, Quantize and Dequantize), otherwise its first float output's type.
std::string precisionOf(const ir::Graph& g, const ir::Node& n) {
    auto eightBit = [&](ir::ValueId v) {
        if (v == ir::kNoValue)
            return false;
        const DataType t = g.value(v).dtype;
        return t == DataType::UInt8 || t == DataType::Int8;
    };
    if (std::any_of(n.inputs.begin(), n.inputs.end(), eightBit) ||
        std::any_of(n.outputs.begin(), n.outputs.end(), eightBit))
        return "int8";
    for (ir::ValueId v : n.outputs) {
        if (v == ir::kNoValue)
            continue;
        switch (g.value(v).dtype) {
        case DataType::Float32:
            return "fp32";
        case DataType::Float16:
            return "fp16";
        case DataType::BFloat16:
            return "bf16";
        case DataType::Float64:
            return "fp64";
        default:
            break;
        }
    }
    return n.outputs.empty() || n.outputs[0] == ir::kNoValue
               ? std::string()
               : dtypeName(g.value(n.outputs[0]).dtype);
}

// Fills the row's shapes, bytes, precision and the model nodes it covers from the graph.
void describeNode(const ir::Graph& g, const ir::Node& n, report::NodeProfile& p) {
    p.covers = n.fusedFrom.empty() ? std::vector<std::string>{n.name} : n.fusedFrom;
    p.precision = precisionOf(g, n);
    for (ir::ValueId v : n.outputs) {
        if (v == ir::kNoValue)
            continue;
        const ir::Value& value = g.value(v);
        const auto shape = value.shape ? concreteShape(*value.shape) : std::nullopt;
        p.outputShapes.push_back(shape ? shapeToString(*shape) : std::string());
        if (shape && value.dtype != DataType::Undefined)
            p.outputBytes +=
                *elementCount(*value.shape) * static_cast<int64_t>(dtypeSize(value.dtype));
    }
}

// The rows of step `step`'s subgraphs (recursively), each under row `parentRow`.
void addSubgraphRows(const runtime::Session& session, size_t step, int32_t parentRow,
                     const NodeTimer* timer, int timedRuns,
                     std::vector<report::NodeProfile>& rows) {
    const auto subgraphs = session.subgraphs(step);
    for (size_t k = 0; k < subgraphs.size(); ++k) {
        const runtime::Session& child = *subgraphs[k].session;
        const NodeTimer* childTimer = timer ? timer->child(step, k) : nullptr;
        const ir::Graph& g = child.graph();
        const auto& steps = child.steps();
        const size_t first = rows.size();
        for (size_t s = 0; s < steps.size(); ++s) {
            const ir::Node& n = g.node(steps[s].node);
            report::NodeProfile p;
            p.id = steps[s].node;
            p.name = n.name;
            p.op = n.opType;
            p.backend = steps[s].backend;
            p.implementation = child.implementation(s);
            describeNode(g, n, p);
            if (!steps[s].fallbackCode.empty())
                p.fallback = {steps[s].fallbackCode, steps[s].fallbackReason};
            p.timeMs = childTimer ? childTimer->totalUs(s) / 1000.0 / timedRuns : 0.0;
            p.calls = childTimer ? static_cast<double>(childTimer->calls()) / timedRuns : 0.0;
            p.macs = ops::nodeMacs(g, n);
            p.gflops = p.macs > 0 && p.timeMs > 0
                           ? 2.0 * static_cast<double>(p.macs) * p.calls / (p.timeMs * 1e6)
                           : 0.0;
            p.parent = parentRow;
            p.subgraph = subgraphs[k].attribute;
            rows.push_back(std::move(p));
        }
        for (size_t s = 0; s < steps.size(); ++s)
            addSubgraphRows(child, s, static_cast<int32_t>(first + s), childTimer, timedRuns, rows);
    }
}

} // namespace

bool resetPeakRss() {
    // Linux 4.0+: writing 5 to clear_refs resets VmHWM to the current RSS.
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

double peakRssMb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0; // kB
    return 0.0;
}

report::ProfileReport profileSession(runtime::Session& session,
                                     const std::map<std::string, Tensor>& inputs,
                                     const ProfileOptions& options, const TaskContext& task) {
    if (options.iterations < 1)
        fail("profile: iterations must be at least 1, got ", options.iterations);
    if (options.warmup < 0)
        fail("profile: warm-up must not be negative, got ", options.warmup);
    const int total = options.warmup + options.iterations;
    // The run's own high-water mark, not the process's (the GUI has lived long before this run).
    resetPeakRss();
    for (int i = 0; i < options.warmup; ++i) {
        task.report(static_cast<double>(i) / total, "warm-up");
        session.run(inputs, nullptr, task);
    }
    const auto& steps = session.steps();
    NodeTimer timer(steps.size(), true);
    report::ProfileReport r;
    r.threads = session.options().threads;
    r.warmup = options.warmup;
    r.iterations = options.iterations;
    for (int i = 0; i < options.iterations; ++i) {
        task.report(static_cast<double>(options.warmup + i) / total, "timed runs");
        const auto start = Clock::now();
        session.run(inputs, options.perNode ? &timer : nullptr, task);
        r.runsMs.push_back(microsBetween(start, Clock::now()) / 1000.0);
    }
    task.report(1.0, "timed runs");
    r.latencyMs = report::latencyStats(r.runsMs);
    r.throughputPerS = r.latencyMs.mean > 0 ? 1000.0 / r.latencyMs.mean : 0.0;
    r.peakRssMb = peakRssMb();
    r.plannedBytes = session.memoryStats().plannedBytes;
    r.naiveBytes = session.memoryStats().naiveBytes;
    for (const auto& [name, t] : inputs)
        r.inputShapes[name] = shapeToString(t.shape());

    if (!options.perNode)
        return r;
    const ir::Graph& g = session.graph();
    double sum = 0;
    r.nodes.resize(steps.size());
    for (size_t s = 0; s < steps.size(); ++s) {
        const ir::Node& n = g.node(steps[s].node);
        report::NodeProfile& p = r.nodes[s];
        p.id = steps[s].node;
        p.name = n.name;
        p.op = n.opType;
        p.backend = steps[s].backend;
        p.implementation = session.implementation(s);
        describeNode(g, n, p);
        if (!steps[s].fallbackCode.empty())
            p.fallback = {steps[s].fallbackCode, steps[s].fallbackReason};
        double us = 0;
        for (const auto& run : timer.runs())
            us += run[s].durationUs;
        p.timeMs = us / 1000.0 / static_cast<double>(timer.runs().size());
        p.macs = ops::nodeMacs(g, n);
        p.gflops =
            p.macs > 0 && p.timeMs > 0 ? 2.0 * static_cast<double>(p.macs) / (p.timeMs * 1e6) : 0.0;
        sum += p.timeMs;
    }
    for (size_t s = 0; s < steps.size(); ++s)
        addSubgraphRows(session, s, static_cast<int32_t>(s), &timer, options.iterations, r.nodes);
    for (auto& p : r.nodes)
        p.share = sum > 0 ? p.timeMs / sum : 0.0;

    // Timeline of the run whose latency is the median.
    std::vector<size_t> order(r.runsMs.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::nth_element(order.begin(), order.begin() + static_cast<long>(order.size() / 2),
                     order.end(), [&](size_t a, size_t b) { return r.runsMs[a] < r.runsMs[b]; });
    const auto& median = timer.runs()[order[order.size() / 2]];
    for (size_t s = 0; s < median.size(); ++s)
        r.timeline.push_back({static_cast<uint32_t>(s), median[s].startUs, median[s].durationUs});
    return r;
}

} // namespace lb::profile
