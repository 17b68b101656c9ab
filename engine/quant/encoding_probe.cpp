#include "quant/encoding_probe.h"

#include "core/error.h"
#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"
#include "quant/int8_transform.h"
#include "quant/name_check.h"
#include "runtime/session.h"

#include <algorithm>
#include <set>

namespace lb::quant {

namespace {

std::unique_ptr<runtime::Session> makeSession(const ir::Graph& graph,
                                              const AnalysisOptions& options,
                                              const TaskContext& task,
                                              const std::set<std::string>& observed = {}) {
    return analysisSession(graph, options.backend, options.threads, task, observed);
}

bool computes(const runtime::Session& session, const std::string& name) {
    const auto id = session.graph().findValue(name);
    return id && session.graph().value(*id).producer != ir::kNoNode;
}

void compareOutputs(const std::vector<Tensor>& ref, const std::vector<Tensor>& q,
                    ErrorAccumulator& error, int64_t& rows, int64_t& agree) {
    for (size_t k = 0; k < ref.size() && k < q.size(); ++k) {
        if (ref[k].dtype() != DataType::Float32 || q[k].dtype() != DataType::Float32)
            continue;
        error.add(ref[k].span<const float>(), q[k].span<const float>());
        addTop1(ref[k], q[k], rows, agree);
    }
}

} // namespace

EncodingProbe::EncodingProbe(std::shared_ptr<const ir::Graph> graph, std::vector<Sample> samples,
                             AnalysisOptions options, const TaskContext& task)
    : m_graph(std::move(graph)), m_samples(std::move(samples)), m_options(std::move(options)) {
    if (m_samples.empty())
        fail("encoding probe: no samples");
    // Every activation calibration can encode stays observable; referenceOf builds a session of
    // its own for any other tensor an imported file names.
    m_fp32 = makeSession(*m_graph, m_options, task, materializedActivations(*m_graph));
    for (const Sample& sample : m_samples)
        m_outputs.push_back(m_fp32->run(sample, nullptr, task));
}

EncodingProbe::~EncodingProbe() = default;

report::QuantReport EncodingProbe::analyze(const EncodingSet& encodings,
                                           const TaskContext& task) const {
    return analyzeQuantization(*m_graph, encodings, m_samples, m_options, task);
}

const std::vector<Tensor>& EncodingProbe::referenceOf(const std::string& name,
                                                      const TaskContext& task) {
    auto it = m_references.find(name);
    if (it != m_references.end())
        return it->second;
    std::unique_ptr<runtime::Session> own;
    runtime::Session* session = m_fp32.get();
    if (!computes(*session, name) && m_graph->findValue(name) &&
        m_graph->value(*m_graph->findValue(name)).producer != ir::kNoNode) {
        own = makeSession(*m_graph, m_options, task, {name});
        session = own.get();
    }
    std::vector<Tensor> values;
    for (const Sample& sample : m_samples) {
        auto input = sample.find(name);
        if (input != sample.end()) {
            values.push_back(input->second);
            continue;
        }
        OutputCapture capture(*session, {{name, name}}, task);
        session->run(sample, &capture, task);
        values.push_back(std::move(capture.captured[name]));
    }
    return m_references[name] = std::move(values);
}

ProbeResult EncodingProbe::measure(const EncodingSet& encodings, const std::string& tensor,
                                   const TaskContext& task) {
    const auto id = m_graph->findValue(tensor);
    const bool inActivations = encodings.activations.count(tensor) > 0;
    if (!id || (!inActivations && !encodings.params.count(tensor)))
        fail("encoding probe: tensor ", quoted(tensor), " is not in the graph and the encodings");
    const Encoding& encoding =
        inActivations ? encodings.activations.at(tensor) : encodings.params.at(tensor);
    const bool param = isParamValue(*m_graph, *id);
    validateEncoding(encoding, tensor);

    ProbeResult result;
    report::TensorQuantStats& t = result.tensor;
    t.tensor = tensor;
    t.kind = param ? "weight" : "activation";
    t.bitwidth = encoding.bitwidth;
    t.channels = static_cast<int>(encoding.channels.size());
    const ir::Value& value = m_graph->value(*id);
    if (!param && value.producer != ir::kNoNode) {
        t.node = m_graph->node(value.producer).name;
        t.op = m_graph->node(value.producer).opType;
    } else if (param && !value.consumers.empty()) {
        t.node = m_graph->node(value.consumers.front()).name;
        t.op = m_graph->node(value.consumers.front()).opType;
    }

    // The whole model quantized: the tensor's own error and the output error.
    auto full = std::make_shared<ir::Graph>(*m_graph);
    const FakeQuantResult fq = applyFakeQuant(*full, encodings);
    task.report(0.1, "re-measuring");
    const auto quantName = fq.quantizedValue.find(tensor);
    const std::string captured = quantName != fq.quantizedValue.end() ? quantName->second : tensor;
    auto fullSession = makeSession(*full, m_options, task, {captured});
    ErrorAccumulator own, outputs;
    double mseSum = 0;
    int64_t rows = 0, agree = 0;
    const std::vector<Tensor>* reference = param ? nullptr : &referenceOf(tensor, task);
    for (size_t s = 0; s < m_samples.size(); ++s) {
        task.report(0.2 + 0.4 * s / m_samples.size(), "re-measuring");
        OutputCapture capture(*fullSession, {{captured, captured}}, task);
        const std::vector<Tensor> out =
            fullSession->run(m_samples[s], param ? nullptr : &capture, task);
        compareOutputs(m_outputs[s], out, outputs, rows, agree);
        if (reference) {
            const Tensor& r = (*reference)[s];
            mseSum += quantizationMse(r.span<const float>(), r.shape(), encoding, tensor);
            const Tensor& c = capture.captured[captured];
            if (c.numel() == r.numel())
                own.add(r.span<const float>(), c.span<const float>());
        }
    }
    if (param) {
        const Tensor* w = paramTensor(*m_graph, *id);
        const Tensor* wq = full->initializer(*full->findValue(tensor));
        if (w && wq) {
            own.add(w->span<const float>(), wq->span<const float>());
            t.encodingMse = own.stats().mse;
        }
    } else {
        t.encodingMse = mseSum / static_cast<double>(m_samples.size());
    }
    if (!own.empty())
        t.cumulative = own.stats();
    result.outputError = outputs.stats();
    result.top1Agreement = rows ? static_cast<double>(agree) / rows : 0.0;

    // Only this tensor quantized: its sensitivity.
    auto one = std::make_shared<ir::Graph>(*m_graph);
    const std::set<std::string> only{tensor};
    applyFakeQuant(*one, encodings, &only);
    auto oneSession = makeSession(*one, m_options, task);
    ErrorAccumulator isolated;
    int64_t unusedRows = 0, unusedAgree = 0;
    for (size_t s = 0; s < m_samples.size(); ++s) {
        task.report(0.6 + 0.4 * s / m_samples.size(), "re-measuring");
        compareOutputs(m_outputs[s], oneSession->run(m_samples[s], nullptr, task), isolated,
                       unusedRows, unusedAgree);
    }
    t.isolated = isolated.stats();
    task.report(1.0, "re-measuring");
    return result;
}

} // namespace lb::quant
