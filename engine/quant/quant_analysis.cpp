#include "quant/quant_analysis.h"

#include "core/error.h"
#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"
#include "quant/isolated_sensitivity.h"
#include "quant/name_check.h"
#include "runtime/session.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

namespace lb::quant {

void ErrorAccumulator::add(std::span<const float> reference, std::span<const float> quantized) {
    if (reference.size() != quantized.size())
        fail("error metrics: ", reference.size(), " reference values but ", quantized.size(),
             " quantized ones");
    for (size_t i = 0; i < reference.size(); ++i) {
        const double r = reference[i], q = quantized[i], d = r - q;
        m_signal += r * r;
        m_noise += d * d;
        m_dot += r * q;
        m_quantSq += q * q;
        m_maxAbs = std::max(m_maxAbs, std::abs(d));
    }
    m_count += static_cast<int64_t>(reference.size());
}

report::ErrorStats ErrorAccumulator::stats() const {
    report::ErrorStats s;
    s.count = m_count;
    if (m_count == 0)
        return s;
    s.mse = m_noise / static_cast<double>(m_count);
    s.maxAbsError = m_maxAbs;
    s.sqnrDb = m_noise == 0    ? std::numeric_limits<double>::infinity()
               : m_signal == 0 ? -std::numeric_limits<double>::infinity()
                               : 10.0 * std::log10(m_signal / m_noise);
    const double norms = std::sqrt(m_signal) * std::sqrt(m_quantSq);
    s.cosine = norms == 0 ? (m_signal == m_quantSq ? 1.0 : 0.0) : m_dot / norms;
    return s;
}

namespace {

std::unique_ptr<runtime::Session>
makeSession(const ir::Graph& graph, const AnalysisOptions& options, const TaskContext& task,
            const std::map<std::string, std::string>& wanted = {}) {
    std::set<std::string> observed;
    for (const auto& [name, key] : wanted)
        observed.insert(name);
    return analysisSession(graph, options.backend, options.threads, task, observed,
                           options.optimize);
}

struct OutputAccumulator {
    ErrorAccumulator error;
    int64_t rows = 0, agree = 0;
};

void compareOutputs(const std::vector<Tensor>& ref, const std::vector<Tensor>& q,
                    std::vector<OutputAccumulator>& perOutput, ErrorAccumulator& pooled) {
    for (size_t k = 0; k < ref.size() && k < q.size(); ++k) {
        if (ref[k].dtype() != DataType::Float32 || q[k].dtype() != DataType::Float32)
            continue;
        perOutput[k].error.add(ref[k].span<const float>(), q[k].span<const float>());
        pooled.add(ref[k].span<const float>(), q[k].span<const float>());
        addTop1(ref[k], q[k], perOutput[k].rows, perOutput[k].agree);
    }
}

report::TensorQuantStats describe(const ir::Graph& graph, const std::string& name,
                                  const Encoding& e, bool param) {
    report::TensorQuantStats t;
    t.tensor = name;
    t.bitwidth = e.bitwidth;
    t.channels = static_cast<int>(e.channels.size());
    const ir::Value& v = graph.value(*graph.findValue(name));
    t.kind = param ? "weight" : "activation";
    if (param) {
        for (ir::NodeId c : v.consumers) {
            const ir::Node& n = graph.node(c);
            t.node = n.name;
            t.op = n.opType;
            if (n.inputs.size() > 2 && n.inputs[2] == v.id && n.opType != "MatMul")
                t.kind = "bias";
            break;
        }
    } else if (v.producer != ir::kNoNode) {
        t.node = graph.node(v.producer).name;
        t.op = graph.node(v.producer).opType;
    } else {
        t.op = "input";
    }
    return t;
}

} // namespace

report::QuantReport analyzeQuantization(const ir::Graph& graph, const EncodingSet& encodings,
                                        const std::vector<Sample>& samples,
                                        const AnalysisOptions& options, const TaskContext& task) {
    if (samples.empty())
        fail("quantization analysis: no samples");
    report::QuantReport r;
    r.samples = static_cast<int>(samples.size());
    r.backend = options.backend;

    // The tensors the simulation quantizes, in graph order where possible.
    ir::Graph quantGraph = graph;
    const FakeQuantResult fq = applyFakeQuant(quantGraph, encodings);
    r.notes = fq.skipped;
    std::map<std::string, const Encoding*> encodingOf;
    std::map<std::string, bool> isParam;
    for (const auto& [name, e] : encodings.activations)
        if (fq.quantizedValue.count(name))
            encodingOf[name] = &e, isParam[name] = isParamValue(graph, *graph.findValue(name));
    for (const auto& [name, e] : encodings.params)
        if (fq.quantizedValue.count(name))
            encodingOf[name] = &e, isParam[name] = true;
    std::vector<std::string> order;
    for (ir::ValueId in : graph.inputs())
        if (encodingOf.count(graph.value(in).name))
            order.push_back(graph.value(in).name);
    for (ir::NodeId id : graph.topologicalOrder()) {
        for (ir::ValueId in : graph.node(id).inputs)
            if (in != ir::kNoValue && isParam.count(graph.value(in).name) &&
                isParam[graph.value(in).name] &&
                std::find(order.begin(), order.end(), graph.value(in).name) == order.end())
                order.push_back(graph.value(in).name);
        for (ir::ValueId out : graph.node(id).outputs)
            if (out != ir::kNoValue && encodingOf.count(graph.value(out).name) &&
                !isParam[graph.value(out).name])
                order.push_back(graph.value(out).name);
    }

    std::map<std::string, std::string> fpWanted, qWanted;
    for (const auto& name : order)
        if (!isParam[name]) {
            fpWanted[name] = name;
            qWanted[fq.quantizedValue.at(name)] = name;
        }
    auto fpSession = makeSession(graph, options, task, fpWanted);
    auto qSession = makeSession(quantGraph, options, task, qWanted);

    std::map<std::string, ErrorAccumulator> cumulative;
    std::map<std::string, double> encodingMseSum;
    std::vector<OutputAccumulator> perOutput(graph.outputs().size());
    ErrorAccumulator pooled;
    std::vector<std::vector<Tensor>> fpOutputs;
    const double steps = static_cast<double>(samples.size()) * 2.0;
    for (size_t s = 0; s < samples.size(); ++s) {
        task.report(s / steps, "comparing fp32 and quantized runs");
        OutputCapture fp(*fpSession, fpWanted, task), q(*qSession, qWanted, task);
        std::vector<Tensor> ref = fpSession->run(samples[s], &fp, task);
        for (const auto& [name, tensor] : samples[s])
            if (fpWanted.count(name))
                fp.captured[name] = tensor;
        const std::vector<Tensor> out = qSession->run(samples[s], &q, task);
        for (const auto& [name, t] : fp.captured) {
            encodingMseSum[name] +=
                quantizationMse(t.span<const float>(), t.shape(), *encodingOf.at(name), name);
            auto it = q.captured.find(name);
            if (it != q.captured.end())
                cumulative[name].add(t.span<const float>(), it->second.span<const float>());
        }
        compareOutputs(ref, out, perOutput, pooled);
        fpOutputs.push_back(std::move(ref));
    }

    std::map<std::string, report::TensorQuantStats> stats;
    for (const std::string& name : order) {
        report::TensorQuantStats t = describe(graph, name, *encodingOf.at(name), isParam[name]);
        if (isParam[name]) {
            const Tensor* w = paramTensor(graph, *graph.findValue(name));
            const Tensor* wq = quantGraph.initializer(*quantGraph.findValue(name));
            if (w && wq) {
                ErrorAccumulator acc;
                acc.add(w->span<const float>(), wq->span<const float>());
                t.cumulative = acc.stats();
                t.encodingMse = t.cumulative->mse;
            }
        } else {
            t.encodingMse = encodingMseSum[name] / static_cast<double>(samples.size());
            if (!cumulative[name].empty())
                t.cumulative = cumulative[name].stats();
        }
        stats[name] = t;
    }

    // Isolated sensitivity, lowest cumulative SQNR first when capped.
    std::vector<std::string> isolated;
    for (const std::string& name : order)
        if (options.isolatedOnly.empty() ||
            std::find(options.isolatedOnly.begin(), options.isolatedOnly.end(), name) !=
                options.isolatedOnly.end())
            isolated.push_back(name);
    auto sqnr = [&](const std::string& n) {
        return stats[n].cumulative ? stats[n].cumulative->sqnrDb
                                   : std::numeric_limits<double>::infinity();
    };
    std::stable_sort(isolated.begin(), isolated.end(),
                     [&](const auto& a, const auto& b) { return sqnr(a) < sqnr(b); });
    if (options.maxIsolated >= 0 && isolated.size() > static_cast<size_t>(options.maxIsolated)) {
        r.isolatedSkipped = static_cast<int>(isolated.size()) - options.maxIsolated;
        isolated.resize(options.maxIsolated);
    }
    if (!options.wholeGraphIsolated) {
        for (auto& [name, error] : isolatedSensitivity(graph, encodings, isolated, samples,
                                                       fpOutputs, options, task.phase(0.5, 1.0)))
            stats[name].isolated = error;
        r.isolatedRuns = static_cast<int>(isolated.size());
    }
    for (size_t k = 0; options.wholeGraphIsolated && k < isolated.size(); ++k) {
        task.report(0.5 + 0.5 * k / std::max<double>(1, isolated.size()), "sensitivity runs");
        task.checkCancelled();
        ir::Graph one = graph;
        const std::set<std::string> only{isolated[k]};
        applyFakeQuant(one, encodings, &only);
        auto session = makeSession(one, options, task);
        std::vector<OutputAccumulator> unused(graph.outputs().size());
        ErrorAccumulator acc;
        for (size_t s = 0; s < samples.size(); ++s)
            compareOutputs(fpOutputs[s], session->run(samples[s], nullptr, task), unused, acc);
        stats[isolated[k]].isolated = acc.stats();
        ++r.isolatedRuns;
    }
    task.report(1.0, "sensitivity runs");

    for (const std::string& name : order)
        r.tensors.push_back(stats[name]);
    int64_t rows = 0, agree = 0;
    for (size_t k = 0; k < perOutput.size(); ++k) {
        if (perOutput[k].error.empty())
            continue;
        report::OutputQuantStats o;
        o.name = graph.value(graph.outputs()[k]).name;
        o.error = perOutput[k].error.stats();
        o.rows = perOutput[k].rows;
        o.top1Agreement = o.rows ? static_cast<double>(perOutput[k].agree) / o.rows : 0.0;
        rows += perOutput[k].rows;
        agree += perOutput[k].agree;
        r.outputs.push_back(o);
    }
    r.outputError = pooled.stats();
    r.top1Agreement = rows ? static_cast<double>(agree) / rows : 0.0;
    return r;
}

} // namespace lb::quant
