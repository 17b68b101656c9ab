#include "quant/int8_transform.h"

#include "core/error.h"
#include "ops/fused_ops.h"
#include "passes/graph_pass.h"
#include "passes/pass_util.h"
#include "quant/fake_quant_op.h"
#include "quant/int8_ops.h"
#include "quant/int8_rewrite.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace lb::quant {

namespace int8 {

namespace {

struct ConvPlan : Plan {
    Tensor weights; // int8
    std::vector<float> wScales;
};

// Empty when the node can run as QConv (plan filled), else the reason it cannot.
std::string planConv(Rewriter& r, const ir::Node& n, ConvPlan& plan) {
    const ir::Graph& g = r.g;
    if (!r.planInputsAndOutput(n, {n.inputs[0]}, plan))
        return plan.reason;
    if (n.inputs.size() > 3 && n.inputs[3] != ir::kNoValue)
        return "residual input Z (sum post-op) has no int8 kernel yet";
    const Tensor* w = g.initializer(n.inputs[1]);
    if (!w || w->rank() != 4 || w->dtype() != DataType::Float32)
        return "weights are not a constant float32 4-D tensor";
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue && !g.initializer(n.inputs[2]))
        return "bias is not constant";
    // The user's Conv this node came from, and its weights' encoding.
    std::vector<std::string> origins = n.fusedFrom;
    origins.push_back(n.name);
    const ir::Node* conv = nullptr;
    for (const std::string& name : origins)
        if (auto id = r.simulated.findNode(name); id && r.simulated.node(*id).opType == "Conv")
            conv = &r.simulated.node(*id);
    if (!conv)
        return "the original Conv was not found";
    const std::string& wName = r.simulated.value(conv->inputs[1]).name;
    const auto enc = r.encodings.params.find(wName);
    const Tensor* wfq = r.simulated.initializer(conv->inputs[1]);
    if (enc == r.encodings.params.end() || !wfq || wfq->shape() != w->shape())
        return "weights " + quoted(wName) + " have no encoding";
    const Encoding& e = enc->second;
    if (e.dtype != EncodingDtype::Int || e.bitwidth != 8)
        return "weights " + quoted(wName) + " are " + std::to_string(e.bitwidth) +
               "-bit (int8 kernels take 8)";
    for (const ChannelParams& c : e.channels)
        if (c.offset != -128 && c.offset != -127)
            return "asymmetric 8-bit weights " + quoted(wName) + " (offset " +
                   std::to_string(c.offset) + ") do not fit s8";
    const int64_t m = w->shape()[0], k = w->numel() / m;
    plan.weights = Tensor(DataType::Int8, w->shape());
    int8_t* q = plan.weights.data<int8_t>();
    for (int64_t c = 0; c < m; ++c) {
        const float* folded = w->data<float>() + c * k;
        const float* orig = wfq->data<float>() + c * k;
        const double sw = e.channels[e.channels.size() == 1 ? 0 : c].scale;
        // Folding multiplied the fake-quantized weights by one factor per channel.
        double dot = 0, norm = 0;
        for (int64_t i = 0; i < k; ++i) {
            dot += double(folded[i]) * orig[i];
            norm += double(orig[i]) * orig[i];
        }
        double s = norm > 0 ? std::abs(sw * dot / norm) : sw;
        if (!(s > 0))
            s = sw;
        for (int64_t i = 0; i < k; ++i) {
            const double v = folded[i] / s, r = std::nearbyint(v);
            if (r < -128 || r > 127 || std::abs(v - r) > 1e-3)
                return "weights of " + quoted(n.name) + " are not on an 8-bit grid after folding";
            q[c * k + i] = static_cast<int8_t>(r);
        }
        plan.wScales.push_back(static_cast<float>(s));
    }
    return {};
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
    ir::Node q;
    q.name = n.name;
    q.opType = kQConvOp;
    q.fusedFrom = n.fusedFrom.empty() ? std::vector<std::string>{n.name} : n.fusedFrom;
    const ir::ValueId w =
        passes::addInitializer(r.g, r.g.value(n.inputs[1]).name + "__s8", plan.weights);
    q.inputs = {r.u8Input(n.inputs[0], plan.x[0]), w};
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue)
        q.inputs.push_back(n.inputs[2]);
    q.attributes = n.attributes;
    q.attributes.push_back(floatAttribute("x_scale", plan.x[0].scale));
    q.attributes.push_back(intAttribute("x_offset", plan.x[0].offset));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    q.attributes.push_back(floatsAttribute("w_scales", plan.wScales));
    r.replace(id, plan, std::move(q));
    return std::string();
}

} // namespace int8

std::set<std::string> materializedActivations(const ir::Graph& graph) {
    ir::Graph optimized = graph;
    passes::optimize(optimized, passes::defaultPasses());
    std::set<std::string> names;
    for (ir::ValueId v : optimized.inputs())
        names.insert(optimized.value(v).name);
    for (ir::NodeId id : optimized.nodeIds())
        for (ir::ValueId v : optimized.node(id).outputs)
            if (v != ir::kNoValue)
                names.insert(optimized.value(v).name);
    return names;
}

Int8Result applyInt8(ir::Graph& graph, const EncodingSet& encodings, const TaskContext& task) {
    Int8Result result;
    result.simulation = applyFakeQuant(graph, encodings);
    const ir::Graph simulated = graph;
    passes::optimize(graph, passes::defaultPasses(), task);
    int8::Rewriter rewriter(graph, simulated, encodings);
    std::map<std::string, std::string> why;
    for (ir::NodeId id : graph.topologicalOrder()) {
        if (!graph.isAlive(id))
            continue;
        const std::string name = graph.node(id).name;
        for (auto rewrite :
             {int8::rewriteConv, int8::rewriteData, int8::rewriteConvTranspose, int8::rewriteUnary})
            if (std::optional<std::string> reason = rewrite(rewriter, id)) {
                if (!reason->empty())
                    why[name] = *reason;
                break;
            }
    }
    passes::removeDeadNodes(graph);
    rewriter.int8Nodes -= int8::foldResizes(graph);
    passes::removeDeadNodes(graph);
    result.int8Nodes = rewriter.int8Nodes;
    for (ir::NodeId id : graph.nodeIds()) {
        const ir::Node& n = graph.node(id);
        if (isInt8Op(n)) {
            result.borderNodes += n.opType == kQuantizeOp || n.opType == kDequantizeOp;
            continue;
        }
        if (n.opType == kFakeQuantOp && n.domain == ops::kLayerBenchDomain)
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
