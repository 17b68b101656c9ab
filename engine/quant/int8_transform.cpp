#include "quant/int8_transform.h"

#include "core/error.h"
#include "lowering/rewrite_util.h"
#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"
#include "passes/graph_pass.h"
#include "quant/int8_rewrite.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace lb::quant {

namespace int8 {

namespace {

struct ConvPlan : Plan, WeightPlan {};

// Empty when the node can run as QConv (plan filled), else the reason it cannot.
std::string planConv(Rewriter& r, const ir::Node& n, ConvPlan& plan) {
    // A residual Z (FusedConv's folded Add) becomes a second uint8 input, added in real units
    // before the activation (oneDNN's sum post-op with Z's scale and zero point).
    const bool residual = n.inputs.size() > 3 && n.inputs[3] != ir::kNoValue;
    std::vector<ir::ValueId> inputs = {n.inputs[0]};
    if (residual) {
        if (r.g.value(n.inputs[3]).shape != r.g.value(n.outputs[0]).shape)
            return "residual input Z does not have the output's shape";
        inputs.push_back(n.inputs[3]);
    }
    if (!r.planInputsAndOutput(n, inputs, plan))
        return plan.reason;
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue && !r.g.initializer(n.inputs[2]))
        return "bias is not constant";
    return planWeights(r, n, "Conv", 0, plan);
}

} // namespace

// Conv / FusedConv + its output FakeQuant -> QConv -> Dequantize.
std::optional<std::string> rewriteConv(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id); // a copy: adding nodes may move the graph's storage
    const bool conv = (n.opType == "Conv" && n.domain.empty()) ||
                      (n.opType == "FusedConv" && n.domain == ops::kLayerBenchDomain);
    if (!conv)
        return std::nullopt;
    ConvPlan plan;
    if (std::string reason = planConv(r, n, plan); !reason.empty())
        return reason;
    replaceWeighted(r, n, ops::kQConvOp, plan, plan);
    return std::string();
}

} // namespace int8

std::set<std::string> materializedActivations(const ir::Graph& graph) {
    ir::Graph optimized = graph;
    passes::optimize(optimized, passes::deploymentPasses());
    std::set<std::string> names;
    for (ir::ValueId v : optimized.inputs())
        names.insert(optimized.value(v).name);
    for (ir::NodeId id : optimized.nodeIds())
        for (ir::ValueId v : optimized.node(id).outputs)
            if (v != ir::kNoValue)
                names.insert(optimized.value(v).name);
    return names;
}

namespace int8 {

void rewriteAll(Rewriter& r, std::map<std::string, std::string>& why) {
    ir::Graph& graph = r.g;
    for (ir::NodeId id : graph.topologicalOrder()) {
        if (!graph.isAlive(id) || !r.mine(id))
            continue;
        const std::string name = graph.node(id).name;
        for (auto rewrite : {rewriteConv, rewriteData, rewriteConvTranspose, rewriteUnary}) {
            std::optional<std::string> reason;
            try {
                reason = rewrite(r, id);
            } catch (const Declined& declined) {
                reason = declined.reason;
            }
            if (reason) {
                if (!reason->empty())
                    why[name] = *reason;
                break;
            }
        }
    }
    lowering::removeDeadNodes(graph);
    r.int8Nodes -= foldResizes(graph, r.mine);
    lowering::removeDeadNodes(graph);
}

} // namespace int8

Int8Result applyInt8(ir::Graph& graph, const EncodingSet& encodings, const TaskContext& task) {
    FakeQuantResult simulation = applyFakeQuant(graph, encodings);
    const ir::Graph simulated = graph;
    passes::optimize(graph, passes::deploymentPasses(), task);
    int8::Rewriter rewriter(graph, simulated, encodings);
    std::map<std::string, std::string> why;
    int8::rewriteAll(rewriter, why);
    return summarizeInt8(graph, std::move(simulation), rewriter.int8Nodes, why);
}

Int8Result summarizeInt8(const ir::Graph& graph, FakeQuantResult simulation, int int8Nodes,
                         const std::map<std::string, std::string>& why) {
    Int8Result result;
    result.simulation = std::move(simulation);
    result.int8Nodes = int8Nodes;
    for (ir::NodeId id : graph.nodeIds()) {
        const ir::Node& n = graph.node(id);
        if (ops::isInt8Op(n)) {
            result.borderNodes += n.opType == ops::kQuantizeOp || n.opType == ops::kDequantizeOp;
            continue;
        }
        if (n.opType == ops::kFakeQuantOp && n.domain == ops::kLayerBenchDomain)
            continue;
        auto it = why.find(n.name);
        result.simulated[n.name] =
            it != why.end() ? n.opType + ": " + it->second : n.opType + ": no int8 kernel";
    }
    return result;
}

std::string Int8Result::summary() const {
    // Group by the reason with tensor and node names left out.
    std::map<std::string, int> byReason;
    for (const auto& [node, reason] : simulated) {
        std::string key;
        bool inQuote = false;
        for (char c : reason) {
            if (c == '\'')
                inQuote = !inQuote;
            else if (!inQuote)
                key += c;
        }
        ++byReason[key];
    }
    std::vector<std::pair<int, std::string>> sorted;
    for (const auto& [reason, count] : byReason)
        sorted.push_back({count, reason});
    std::sort(sorted.rbegin(), sorted.rend());
    std::ostringstream s;
    s << int8Nodes << " nodes int8, " << simulated.size() << " simulated";
    for (size_t k = 0; k < sorted.size() && k < 6; ++k)
        s << (k ? "; " : ": ") << sorted[k].first << " " << sorted[k].second;
    if (sorted.size() > 6)
        s << "; ...";
    return s.str();
}

} // namespace lb::quant
