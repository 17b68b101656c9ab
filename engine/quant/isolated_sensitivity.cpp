#include "quant/isolated_sensitivity.h"

#include "core/error.h"
#include "quant/analysis_support.h"
#include "quant/fake_quant_transform.h"

#include <algorithm>
#include <memory>

namespace lb::quant {

namespace {

// The suffix as a graph of its own: the other nodes removed, the values it reads from outside
// as graph inputs (typed from sample 0's captures where the import left them open), the graph
// outputs it computes as outputs.
ir::Graph suffixGraph(const ir::Graph& graph, const Suffix& suffix,
                      const std::map<std::string, Tensor>& firstSample) {
    ir::Graph g = graph;
    for (ir::NodeId id : graph.nodeIds())
        if (!suffix.nodes.count(id))
            g.removeNode(id);
    g.inputs() = suffix.inputs;
    for (ir::ValueId v : suffix.inputs) {
        ir::Value& value = g.value(v);
        auto it = firstSample.find(value.name);
        if (it == firstSample.end())
            fail("sensitivity: no fp32 value captured for ", quoted(value.name));
        if (!value.shape || !concreteShape(*value.shape) || value.dtype == DataType::Undefined) {
            value.dtype = it->second.dtype();
            value.shape = symbolicShape(it->second.shape());
        }
    }
    std::vector<ir::ValueId> outputs;
    for (size_t k : suffix.outputs)
        outputs.push_back(graph.outputs()[k]);
    g.outputs() = outputs;
    std::vector<ir::ValueId> unread;
    for (const auto& [v, t] : g.initializers())
        if (g.value(v).consumers.empty() && !g.isGraphOutput(v))
            unread.push_back(v);
    for (ir::ValueId v : unread)
        g.removeInitializer(v);
    return g;
}

void addOutputs(const std::vector<Tensor>& ref, const std::vector<Tensor>& q, size_t k,
                ErrorAccumulator& acc) {
    if (ref[k].dtype() == DataType::Float32 && q[k].dtype() == DataType::Float32)
        acc.add(ref[k].span<const float>(), q[k].span<const float>());
}

} // namespace

Suffix suffixOf(const ir::Graph& graph, const std::string& tensor) {
    const auto id = graph.findValue(tensor);
    if (!id)
        fail("sensitivity: the graph has no tensor ", quoted(tensor));
    Suffix s;
    std::vector<ir::NodeId> stack;
    const ir::Value& t = graph.value(*id);
    if (t.producer != ir::kNoNode)
        s.nodes.insert(t.producer);
    for (ir::NodeId c : t.consumers)
        stack.push_back(c);
    while (!stack.empty()) {
        const ir::NodeId n = stack.back();
        stack.pop_back();
        if (!s.nodes.insert(n).second)
            continue;
        for (ir::ValueId out : graph.node(n).outputs)
            if (out != ir::kNoValue)
                for (ir::NodeId c : graph.value(out).consumers)
                    if (!s.nodes.count(c))
                        stack.push_back(c);
    }
    // What the suffix reads from outside: Constants join it (they stay params for the passes
    // and for applyFakeQuant), everything else is fed.
    std::set<ir::ValueId> fed;
    std::vector<ir::NodeId> constants;
    for (ir::NodeId n : s.nodes) {
        const ir::Node& node = graph.node(n);
        std::vector<ir::ValueId> reads = node.inputs;
        reads.insert(reads.end(), node.implicitInputs.begin(), node.implicitInputs.end());
        for (ir::ValueId v : reads) {
            if (v == ir::kNoValue || graph.isInitializer(v))
                continue;
            const ir::NodeId p = graph.value(v).producer;
            if (p != ir::kNoNode && s.nodes.count(p))
                continue;
            if (p != ir::kNoNode && graph.node(p).opType == "Constant" &&
                graph.node(p).domain.empty())
                constants.push_back(p);
            else
                fed.insert(v);
        }
    }
    s.nodes.insert(constants.begin(), constants.end());
    s.inputs.assign(fed.begin(), fed.end());
    for (size_t k = 0; k < graph.outputs().size(); ++k) {
        const ir::NodeId p = graph.value(graph.outputs()[k]).producer;
        if (p != ir::kNoNode && s.nodes.count(p))
            s.outputs.push_back(k);
    }
    return s;
}

std::map<std::string, report::ErrorStats>
isolatedSensitivity(const ir::Graph& graph, const EncodingSet& encodings,
                    const std::vector<std::string>& tensors, const std::vector<Sample>& samples,
                    const std::vector<std::vector<Tensor>>& fpOutputs,
                    const AnalysisOptions& options, const TaskContext& task) {
    std::map<std::string, report::ErrorStats> result;
    if (tensors.empty())
        return result;
    // Sessions are built without reporting: their passes' stages would bury the bar.
    const TaskContext quiet{task.token, {}};
    std::vector<Suffix> suffixes;
    std::set<std::string> boundary;
    for (const std::string& name : tensors) {
        suffixes.push_back(suffixOf(graph, name));
        for (ir::ValueId v : suffixes.back().inputs)
            if (!graph.isGraphInput(v))
                boundary.insert(graph.value(v).name);
    }
    // The fp32 run returns the boundary values as outputs: as outputs they also survive the
    // backends' own fusions (an observed value may not: a Conv's sum or activation post-op).
    ir::Graph fpGraph = graph;
    for (const std::string& name : boundary) {
        const ir::ValueId v = *fpGraph.findValue(name);
        if (!fpGraph.isGraphOutput(v))
            fpGraph.outputs().push_back(v);
    }
    auto fpSession =
        analysisSession(fpGraph, options.backend, options.threads, quiet, {}, options.optimize);
    const std::vector<std::string> fpNames = fpSession->outputNames();

    std::map<std::string, ErrorAccumulator> acc;
    constexpr size_t kCaptureBudget = size_t{3} << 29; // 1.5 GiB of fp32 values at a time
    const double work = static_cast<double>(tensors.size()) * static_cast<double>(samples.size());
    double done = 0;
    for (size_t first = 0; first < samples.size();) {
        // One chunk of samples: their captures, then every tensor's suffix on them.
        std::vector<std::map<std::string, Tensor>> captures;
        size_t bytes = 0;
        size_t end = first;
        while (end < samples.size() &&
               (captures.empty() || bytes + bytes / captures.size() <= kCaptureBudget)) {
            std::map<std::string, Tensor> captured;
            const std::vector<Tensor> values = fpSession->run(samples[end], nullptr, quiet);
            for (size_t k = 0; k < values.size(); ++k)
                captured[fpNames[k]] = values[k];
            for (const auto& [name, t] : samples[end])
                captured[name] = t;
            for (const auto& [name, t] : captured)
                bytes += t.byteSize();
            captures.push_back(std::move(captured));
            ++end;
        }
        for (size_t k = 0; k < tensors.size(); ++k) {
            task.report(done / work, "sensitivity runs");
            task.checkCancelled();
            const Suffix& suffix = suffixes[k];
            ir::Graph sub = suffixGraph(graph, suffix, captures.front());
            const std::set<std::string> only{tensors[k]};
            applyFakeQuant(sub, encodings, &only);
            auto session =
                analysisSession(sub, options.backend, options.threads, quiet, {}, options.optimize);
            ErrorAccumulator& a = acc[tensors[k]];
            for (size_t s = first; s < end; ++s) {
                std::map<std::string, Tensor> feeds;
                for (ir::ValueId v : sub.inputs())
                    feeds[sub.value(v).name] = captures[s - first].at(sub.value(v).name);
                const std::vector<Tensor> out = session->run(feeds, nullptr, quiet);
                std::vector<Tensor> all = fpOutputs[s];
                for (size_t o = 0; o < suffix.outputs.size(); ++o)
                    all[suffix.outputs[o]] = out[o];
                for (size_t o = 0; o < all.size(); ++o)
                    addOutputs(fpOutputs[s], all, o, a);
                done += 1;
            }
        }
        first = end;
    }
    for (const std::string& name : tensors)
        result[name] = acc[name].stats();
    task.report(1.0, "sensitivity runs");
    return result;
}

} // namespace lb::quant
