#include "profile/profiler.h"

#include "core/error.h"
#include "ops/cost.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <numeric>
#include <string>

namespace lb::profile {

namespace {

using Clock = std::chrono::steady_clock;

double microsBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::micro>(b - a).count();
}

// Per-node wall time around each kernel. Keeps every run's timeline so the median run can be
// exported as a trace.
class NodeTimer final : public runtime::ExecutionObserver {
public:
    explicit NodeTimer(size_t steps) : m_steps(steps) {}

    void onRunStart() override {
        m_runStart = Clock::now();
        m_runs.emplace_back(m_steps);
    }
    void onNodeStart(size_t, const runtime::PlanStep&) override { m_nodeStart = Clock::now(); }
    void onNodeEnd(size_t step, const runtime::PlanStep&, const std::vector<Tensor>&) override {
        const auto now = Clock::now();
        m_runs.back()[step] = {microsBetween(m_runStart, m_nodeStart),
                               microsBetween(m_nodeStart, now)};
    }

    struct Span {
        double startUs = 0;
        double durationUs = 0;
    };
    const std::vector<std::vector<Span>>& runs() const { return m_runs; }

private:
    size_t m_steps;
    Clock::time_point m_runStart;
    Clock::time_point m_nodeStart;
    std::vector<std::vector<Span>> m_runs;
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
            p.outputBytes += *elementCount(*value.shape) *
                             static_cast<int64_t>(dtypeSize(value.dtype));
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
    NodeTimer timer(steps.size());
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
