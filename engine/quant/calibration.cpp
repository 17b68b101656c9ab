#include "quant/calibration.h"

#include "core/error.h"
#include "passes/graph_pass.h"
#include "profile/local_run.h"
#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_transform.h"
#include "quant/name_check.h"
#include "quant/per_channel.h"
#include "runtime/session.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace lb::quant {

namespace {

class HistogramCollector : public runtime::ExecutionObserver {
public:
    HistogramCollector(const runtime::Session& session, const ir::Graph& original,
                       std::map<std::string, HistogramObserver>& observed, const TaskContext& task)
        : m_session(session), m_original(original), m_observed(observed), m_task(task) {}

    void onNodeEnd(size_t, const runtime::PlanStep& step,
                   const std::vector<Tensor>& outputs) override {
        m_task.checkCancelled();
        const ir::Graph& graph = m_session.graph();
        const ir::Node& node = graph.node(step.node);
        if (node.opType == "Constant")
            return;
        for (size_t k = 0; k < outputs.size() && k < node.outputs.size(); ++k) {
            if (node.outputs[k] == ir::kNoValue || outputs[k].dtype() != DataType::Float32)
                continue;
            const std::string& name = graph.value(node.outputs[k]).name;
            if (!m_original.findValue(name))
                continue;
            const Tensor plain = m_session.toPlain(step, outputs[k]);
            m_observed[name].observe(plain.span<const float>());
        }
    }

private:
    const runtime::Session& m_session;
    const ir::Graph& m_original;
    std::map<std::string, HistogramObserver>& m_observed;
    const TaskContext& m_task;
};

} // namespace

std::vector<ParamUse> quantizedParams(const ir::Graph& graph) {
    std::vector<ParamUse> uses;
    for (ir::NodeId id : graph.topologicalOrder()) {
        const ir::Node& n = graph.node(id);
        const bool linear = n.opType == "Conv" || n.opType == "ConvTranspose" ||
                            n.opType == "Gemm" || n.opType == "MatMul";
        if (!linear || !n.domain.empty())
            continue;
        if (n.inputs.size() > 1 && n.inputs[1] != ir::kNoValue && paramTensor(graph, n.inputs[1]))
            uses.push_back({n.inputs[1], id, false});
        if (n.opType != "MatMul" && n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue &&
            paramTensor(graph, n.inputs[2]))
            uses.push_back({n.inputs[2], id, true});
    }
    return uses;
}

std::map<std::string, HistogramObserver> observeActivations(const ir::Graph& graph,
                                                            const std::vector<Sample>& samples,
                                                            const CalibrationConfig& config,
                                                            const TaskContext& task) {
    if (samples.empty())
        fail("calibration: no samples");
    runtime::SessionOptions options;
    options.threads = config.threads;
    // Only the activations that survive LayerBench's default passes get encodings
    // (materializedActivations), and the passes keep their names: observing the optimized graph
    // sees exactly those, at close to the fp32 inference cost (the graph as imported runs Conv,
    // BatchNorm and activation apart, each tensor reordered to plain for its observer: 9x fp32 on
    // det 640). Values the passes create are not in `graph` and are skipped.
    // The deployment passes already made the fusions QNN's converter makes; the backends' own
    // lowering would hide more of the tensors that get encodings (a Concat's output normalized in
    // place, a BatchNormalization's before its Relu), so it stays off here.
    options.lower = false;
    auto optimized = std::make_shared<ir::Graph>(graph);
    passes::optimize(*optimized, passes::deploymentPasses(), task);
    // The backends' lowerings fuse no tensor of the deployment graph away (a MatMul's output
    // into FusedMatMul): each is an activation that gets an encoding.
    options.keepValues = nodeOutputNames(*optimized);
    runtime::Session session(optimized, profile::backendsFor(config.backend), options, task);
    std::map<std::string, HistogramObserver> observed;
    HistogramCollector collector(session, graph, observed, task);
    for (size_t s = 0; s < samples.size(); ++s) {
        task.report(static_cast<double>(s) / samples.size(), "calibrating");
        for (const auto& [name, tensor] : samples[s])
            if (tensor.dtype() == DataType::Float32)
                observed[name].observe(tensor.span<const float>());
        session.run(samples[s], &collector, task);
    }
    task.report(1.0, "calibrating");
    return observed;
}

std::optional<Encoding> fixedOutputEncoding(const ir::Graph& graph, ir::ValueId value,
                                            const CalibrationOptions& options) {
    const ir::NodeId producer = graph.value(value).producer;
    if (producer == ir::kNoNode || options.symmetric)
        return std::nullopt;
    const std::string& op = graph.node(producer).opType;
    if (op != "Softmax" && op != "Sigmoid")
        return std::nullopt;
    // scale 2^-bw, offset 0: [0, 1 - 2^-bw], ORT's quantizer's uint8 Softmax output (1/256, zero
    // point 0) at any bitwidth.
    Encoding e;
    e.bitwidth = options.bitwidth;
    e.channels.push_back(
        paramsFromScaleOffset(std::ldexp(1.0, -options.bitwidth), 0, options.bitwidth));
    return e;
}

EncodingSet computeEncodings(const ir::Graph& graph,
                             const std::map<std::string, HistogramObserver>& observed,
                             const CalibrationConfig& config) {
    EncodingSet set;
    set.version = "1.0.0";
    set.activationBitwidth = config.activations.bitwidth;
    set.paramBitwidth = config.weightBitwidth;
    set.biasBitwidth = config.biasBitwidth;
    const std::set<std::string> materialized = materializedActivations(graph);
    for (const auto& [name, observer] : observed) {
        const auto id = graph.findValue(name);
        if (!id || isParamValue(graph, *id) || observer.empty() || !materialized.count(name))
            continue;
        if (auto fixed = fixedOutputEncoding(graph, *id, config.activations))
            set.activations[name] = *fixed;
        else
            set.activations[name] = calibrate(observer, config.activations, name);
    }
    const std::vector<ParamUse> uses = quantizedParams(graph);
    for (const ParamUse& use : uses) {
        if (use.bias)
            continue;
        const std::string& name = graph.value(use.value).name;
        const Tensor& w = *paramTensor(graph, use.value);
        const int axis = weightChannelAxis(graph, use.value);
        if (config.perChannel && axis >= 0) {
            set.params[name] = perChannelWeightEncoding(w, axis, config.weightBitwidth, true, name);
        } else {
            const auto [lo, hi] = std::minmax_element(w.data<float>(), w.data<float>() + w.numel());
            set.params[name] = perTensorEncoding(w.numel() ? *lo : 0.0, w.numel() ? *hi : 0.0,
                                                 config.weightBitwidth, true);
        }
    }
    for (const ParamUse& use : uses) {
        if (!use.bias)
            continue;
        const ir::Node& n = graph.node(use.node);
        const std::string& name = graph.value(use.value).name;
        const auto in = set.activations.find(graph.value(n.inputs[0]).name);
        const auto w = set.params.find(graph.value(n.inputs[1]).name);
        if (in == set.activations.end() || w == set.params.end())
            continue;
        Encoding b =
            biasEncoding(in->second, w->second, paramTensor(graph, use.value)->numel(), name);
        if (config.biasBitwidth != 32) // QNN's default; other widths keep scale = s_in * s_w
            for (ChannelParams& c : b.channels)
                c = paramsFromScaleOffset(c.scale, -(int64_t{1} << (config.biasBitwidth - 1)),
                                          config.biasBitwidth);
        b.bitwidth = config.biasBitwidth;
        set.params[name] = b;
    }
    return set;
}

int applyOverrides(EncodingSet& encodings, const EncodingSet& overrides) {
    int changed = 0;
    for (const auto& [name, e] : overrides.activations) {
        encodings.params.erase(name);
        encodings.activations[name] = e;
        ++changed;
    }
    for (const auto& [name, e] : overrides.params) {
        encodings.activations.erase(name);
        encodings.params[name] = e;
        ++changed;
    }
    return changed;
}

CalibrationMethod parseCalibrationMethod(const std::string& name) {
    if (name == "minmax")
        return CalibrationMethod::MinMax;
    if (name == "percentile")
        return CalibrationMethod::Percentile;
    if (name == "mse")
        return CalibrationMethod::Mse;
    if (name == "entropy")
        return CalibrationMethod::Entropy;
    fail("unknown calibrator '", name, "' (expected minmax, percentile, mse or entropy)");
}

std::string calibrationMethodName(CalibrationMethod method) {
    switch (method) {
    case CalibrationMethod::MinMax:
        return "minmax";
    case CalibrationMethod::Percentile:
        return "percentile";
    case CalibrationMethod::Mse:
        return "mse";
    case CalibrationMethod::Entropy:
        return "entropy";
    }
    return "";
}

} // namespace lb::quant
