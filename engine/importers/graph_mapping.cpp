#include "importers/profile_import.h"
#include "ir/graph.h"

#include <algorithm>
#include <map>
#include <optional>

namespace lb::importers {

namespace {

// QNN's converter turns every character outside [A-Za-z0-9_] into '_' ("/conv1/Conv" ->
// "_conv1_Conv"); comparing sanitized names finds the ONNX node either way.
std::string sanitized(const std::string& name) {
    std::string s = name;
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            c = '_';
    return s;
}

// ORT's fused kernels keep their op's name with a prefix ("FusedConv", "FusedGemm").
std::string baseOp(const std::string& op) {
    return op.rfind("Fused", 0) == 0 && op.size() > 5 ? op.substr(5) : op;
}

// Suffixes ORT gives the nodes its layout transformer creates, named after their output tensor.
const char* const kTensorSuffixes[] = {"_nchwc"};

struct Index {
    std::map<std::string, ir::NodeId> nodes, sanitizedNodes;
    std::map<std::string, ir::ValueId> values, sanitizedValues;
};

Index indexOf(const ir::Graph& g) {
    Index ix;
    for (ir::NodeId id : g.nodeIds()) {
        ix.nodes.emplace(g.node(id).name, id);
        ix.sanitizedNodes.emplace(sanitized(g.node(id).name), id);
    }
    for (size_t v = 0; v < g.valueCount(); ++v) {
        const ir::Value& value = g.value(static_cast<ir::ValueId>(v));
        if (value.producer == ir::kNoNode)
            continue;
        ix.values.emplace(value.name, value.id);
        ix.sanitizedValues.emplace(sanitized(value.name), value.id);
    }
    return ix;
}

template <typename Map>
auto find(const Map& map, const Map& sanitizedMap, const std::string& name)
    -> std::optional<typename Map::mapped_type> {
    if (auto it = map.find(name); it != map.end())
        return it->second;
    if (auto it = sanitizedMap.find(sanitized(name)); it != sanitizedMap.end())
        return it->second;
    return std::nullopt;
}

// The nodes a kernel named after `producer`'s output stands for: from `producer` up the chain of
// first inputs (each read by that node alone) to the nearest node of the kernel's op, at most a
// few steps (Conv -> BatchNormalization -> Relu fused into one "relu_0.tmp_0_nchwc" Conv).
std::vector<std::string> fusedChain(const ir::Graph& g, ir::NodeId producer,
                                    const std::string& op) {
    constexpr int kMaxSteps = 4;
    std::vector<ir::NodeId> chain{producer};
    for (int step = 0; step < kMaxSteps && !op.empty(); ++step) {
        const ir::Node& last = g.node(chain.back());
        if (last.opType == op) {
            std::vector<std::string> names;
            for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                names.push_back(g.node(*it).name);
            return names;
        }
        if (last.inputs.empty() || last.inputs[0] == ir::kNoValue)
            break;
        const ir::Value& in = g.value(last.inputs[0]);
        if (in.producer == ir::kNoNode || in.consumers.size() != 1)
            break;
        chain.push_back(in.producer);
    }
    return {g.node(producer).name};
}

// ORT's fusion transformers name the node they create "<first node>/<Transformer>"
// ("p2o.MatMul.0/MatMulAddFusion": MatMul + Add as one Gemm). The nodes it stands for: the first
// one, and for MatMulAddFusion the Add that reads the MatMul alone.
std::optional<std::vector<std::string>> ortFusion(const ir::Graph& g, const Index& ix,
                                                  const std::string& name) {
    const size_t slash = name.rfind('/');
    if (slash == std::string::npos || slash == 0 || name.size() < slash + 7 ||
        name.compare(name.size() - 6, 6, "Fusion") != 0)
        return std::nullopt;
    const auto first = ix.nodes.find(name.substr(0, slash));
    if (first == ix.nodes.end())
        return std::nullopt;
    std::vector<std::string> names{first->first};
    const ir::Node& n = g.node(first->second);
    if (name.compare(slash + 1, std::string::npos, "MatMulAddFusion") == 0 &&
        n.outputs.size() == 1 && n.outputs[0] != ir::kNoValue) {
        const ir::Value& out = g.value(n.outputs[0]);
        if (out.consumers.size() == 1 && g.node(out.consumers[0]).opType == "Add")
            names.push_back(g.node(out.consumers[0]).name);
    }
    return names;
}

} // namespace

size_t mapRowsToGraph(report::ProfileReport& report, const ir::Graph& graph) {
    const Index ix = indexOf(graph);
    size_t mapped = 0;
    for (report::NodeProfile& row : report.nodes) {
        std::vector<std::string> covers;
        for (const std::string& name : row.covers.empty() ? std::vector{row.name} : row.covers) {
            if (auto node = find(ix.nodes, ix.sanitizedNodes, name)) {
                covers.push_back(graph.node(*node).name);
                continue;
            }
            if (auto fused = ortFusion(graph, ix, name)) {
                covers.insert(covers.end(), fused->begin(), fused->end());
                continue;
            }
            std::string tensor = name;
            for (const char* suffix : kTensorSuffixes) {
                const std::string s = suffix;
                if (tensor.size() > s.size() &&
                    tensor.compare(tensor.size() - s.size(), std::string::npos, s) == 0)
                    tensor.resize(tensor.size() - s.size());
            }
            if (auto value = find(ix.values, ix.sanitizedValues, tensor)) {
                for (std::string& n :
                     fusedChain(graph, graph.value(*value).producer, baseOp(row.op)))
                    covers.push_back(std::move(n));
                continue;
            }
            covers.push_back(name); // not the model's: kept, it matches nothing of the graph
        }
        const auto known = std::find_if(covers.begin(), covers.end(),
                                        [&](const std::string& n) { return ix.nodes.count(n); });
        if (known != covers.end()) {
            ++mapped;
            if (row.op.empty())
                row.op = graph.node(ix.nodes.at(*known)).opType;
        }
        row.covers = std::move(covers);
    }
    return mapped;
}

} // namespace lb::importers
