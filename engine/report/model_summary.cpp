#include "report/model_summary.h"

#include "ops/cost.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace lb::report {

namespace {

TensorSummary tensorSummary(const ir::Graph& graph, ir::ValueId id) {
    TensorSummary t;
    if (id == ir::kNoValue)
        return t;
    const ir::Value& v = graph.value(id);
    t.name = v.name;
    t.dtype = dtypeName(v.dtype);
    t.shape = v.shape ? shapeToString(*v.shape) : std::string();
    return t;
}

// Weights: initializers, and outputs of Constant nodes (exporters such as paddle2onnx keep every
// weight as a Constant node).
const Tensor* weightTensor(const ir::Graph& graph, ir::ValueId id) {
    if (const Tensor* t = graph.initializer(id))
        return t;
    const ir::NodeId producer = graph.value(id).producer;
    if (producer == ir::kNoNode || !graph.isAlive(producer))
        return nullptr;
    const ir::Node& node = graph.node(producer);
    if (node.opType != "Constant" || !node.domain.empty())
        return nullptr;
    const ir::Attribute* value = node.attribute("value");
    return value && value->type == ir::AttributeType::Tensor ? &value->t : nullptr;
}

nlohmann::json tensorJson(const TensorSummary& t) {
    return {{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}};
}

nlohmann::json tensorListJson(const std::vector<TensorSummary>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : list)
        out.push_back(tensorJson(t));
    return out;
}

} // namespace

ModelSummary summarize(const ir::Graph& graph, const std::string& path) {
    ModelSummary s;
    s.path = path;
    s.graphName = graph.name;
    s.irVersion = graph.irVersion;
    for (const auto& [domain, version] : graph.opsetImports)
        s.opsets[domain.empty() ? "ai.onnx" : domain] = version;
    s.producer = graph.producerName;
    if (!graph.producerVersion.empty())
        s.producer += " " + graph.producerVersion;
    for (ir::ValueId id : graph.inputs())
        if (!graph.isInitializer(id))
            s.inputs.push_back(tensorSummary(graph, id));
    for (ir::ValueId id : graph.outputs())
        s.outputs.push_back(tensorSummary(graph, id));

    std::set<ir::ValueId> counted;
    for (ir::NodeId nid : graph.topologicalOrder()) {
        const ir::Node& node = graph.node(nid);
        NodeSummary n;
        n.id = nid;
        n.name = node.name;
        n.op = node.opType;
        n.domain = node.domain;
        for (ir::ValueId in : node.inputs) {
            n.inputs.push_back(tensorSummary(graph, in));
            if (in == ir::kNoValue || counted.count(in))
                continue;
            if (const Tensor* w = weightTensor(graph, in)) {
                counted.insert(in);
                n.params += w->numel();
                s.paramBytes += static_cast<int64_t>(w->byteSize());
            }
        }
        for (ir::ValueId out : node.outputs)
            n.outputs.push_back(tensorSummary(graph, out));
        n.macs = ops::nodeMacs(graph, node);
        if (n.macs < 0)
            ++s.unknownMacNodes;
        else
            s.macs += n.macs;
        s.params += n.params;
        ++s.ops[node.opType];
        s.nodes.push_back(std::move(n));
    }
    return s;
}

nlohmann::json toJson(const ModelSummary& s) {
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& n : s.nodes) {
        nlohmann::json j = {{"id", n.id},
                            {"name", n.name},
                            {"op", n.op},
                            {"inputs", tensorListJson(n.inputs)},
                            {"outputs", tensorListJson(n.outputs)},
                            {"macs", n.macs},
                            {"params", n.params}};
        if (!n.domain.empty())
            j["domain"] = n.domain;
        nodes.push_back(std::move(j));
    }
    return {{"path", s.path},
            {"graph", s.graphName},
            {"ir_version", s.irVersion},
            {"opsets", s.opsets},
            {"producer", s.producer},
            {"inputs", tensorListJson(s.inputs)},
            {"outputs", tensorListJson(s.outputs)},
            {"node_count", s.nodes.size()},
            {"ops", s.ops},
            {"params", s.params},
            {"param_bytes", s.paramBytes},
            {"macs", s.macs},
            {"unknown_mac_nodes", s.unknownMacNodes},
            {"nodes", std::move(nodes)}};
}

} // namespace lb::report
