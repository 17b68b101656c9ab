#include "quant/int8_transform.h"

#include "core/error.h"
#include "ops/fused_ops.h"
#include "passes/graph_pass.h"
#include "passes/pass_util.h"
#include "quant/fake_quant_op.h"
#include "quant/int8_ops.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace lb::quant {

namespace {

struct Quantized {
    double scale = 0;
    int64_t offset = 0;
};

// The 8-bit per-tensor encoding a FakeQuant or Dequantize node applies, when it is one.
std::optional<Quantized> eightBit(const ir::Node& n) {
    if (n.domain != ops::kLayerBenchDomain)
        return std::nullopt;
    if (n.opType == kDequantizeOp)
        return Quantized{n.attribute("scale")->f, n.attribute("offset")->i};
    if (n.opType != kFakeQuantOp)
        return std::nullopt;
    const Encoding e = fakeQuantEncoding(n);
    if (e.bitwidth != 8 || e.channels.size() != 1)
        return std::nullopt;
    // The kernel reads the float32 scale the attribute holds, as the simulation does.
    return Quantized{n.attribute("scale")->floats[0], e.channels[0].offset};
}

struct ConvPlan {
    Quantized x, y;
    ir::NodeId outFq = ir::kNoNode;
    Tensor weights; // int8
    std::vector<float> wScales;
};

// Empty when the node can run as QConv (plan filled), else the reason it cannot.
std::string planConv(const ir::Graph& g, const ir::Graph& simulated, const EncodingSet& set,
                     const ir::Node& n, ConvPlan& plan) {
    const ir::Node* xp = passes::producerOf(g, n.inputs[0]);
    const auto x = xp ? eightBit(*xp) : std::nullopt;
    if (!x)
        return "input " + quoted(g.value(n.inputs[0]).name) + " has no 8-bit per-tensor encoding";
    plan.x = *x;
    const ir::Node* fq = passes::soleConsumer(g, n.outputs[0]);
    const auto y = fq && fq->opType == kFakeQuantOp ? eightBit(*fq) : std::nullopt;
    if (!y)
        return "output " + quoted(g.value(n.outputs[0]).name) +
               " is not quantized to 8 bits per tensor (or has several readers)";
    plan.y = *y;
    plan.outFq = fq->id;
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
        if (auto id = simulated.findNode(name); id && simulated.node(*id).opType == "Conv")
            conv = &simulated.node(*id);
    if (!conv)
        return "the original Conv was not found";
    const std::string& wName = simulated.value(conv->inputs[1]).name;
    const auto enc = set.params.find(wName);
    const Tensor* wfq = simulated.initializer(conv->inputs[1]);
    if (enc == set.params.end() || !wfq || wfq->shape() != w->shape())
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

ir::Attribute floatAttribute(const char* name, double v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Float, .f = float(v)};
}
ir::Attribute intAttribute(const char* name, int64_t v) {
    return ir::Attribute{.name = name, .type = ir::AttributeType::Int, .i = v};
}

ir::Node converter(ir::Graph& g, const char* op, const std::string& base, ir::ValueId in,
                   ir::ValueId out, const Quantized& q) {
    ir::Node n;
    n.name = g.uniqueNodeName(base);
    n.opType = op;
    n.domain = ops::kLayerBenchDomain;
    n.inputs = {in};
    n.outputs = {out};
    n.attributes = {floatAttribute("scale", q.scale), intAttribute("offset", q.offset)};
    return n;
}

ir::ValueId newValue(ir::Graph& g, const std::string& base, DataType type, ir::ValueId like) {
    const ir::ValueId v = g.addValue(g.uniqueValueName(base));
    g.value(v).dtype = type;
    g.value(v).shape = g.value(like).shape;
    return v;
}

// The uint8 form of float value `xf` (8-bit encoding `q`): the input of the Dequantize that
// produced it, one made earlier, or a new Quantize. Quantize(FakeQuant(v)) == Quantize(v) with
// the same encoding, so the Quantize reads v and the FakeQuant goes when nothing else reads it.
ir::ValueId u8Input(ir::Graph& g, ir::ValueId xf, const Quantized& q,
                    std::map<ir::ValueId, ir::ValueId>& u8Of) {
    const ir::Node& xp = g.node(g.value(xf).producer);
    if (xp.opType == kDequantizeOp)
        return xp.inputs[0];
    if (auto it = u8Of.find(xf); it != u8Of.end())
        return it->second;
    const ir::ValueId from = xp.opType == kFakeQuantOp ? xp.inputs[0] : xf;
    const ir::ValueId xq = newValue(g, g.value(xf).name + "__u8", DataType::UInt8, xf);
    g.addNode(converter(g, kQuantizeOp, g.value(xf).name + "__quantize", from, xq, q));
    u8Of[xf] = xq;
    return xq;
}

// Rewrites conv + its output FakeQuant into QConv -> Dequantize (which keeps the FakeQuant's
// output value, so float readers are unchanged).
void rewriteConv(ir::Graph& g, ir::NodeId id, const ConvPlan& plan,
                 std::map<ir::ValueId, ir::ValueId>& u8Of, Int8Result& result) {
    const ir::Node conv = g.node(id);
    const ir::ValueId xq = u8Input(g, conv.inputs[0], plan.x, u8Of);
    const ir::Node fq = g.node(plan.outFq);
    const ir::ValueId y = fq.outputs[0];
    const ir::ValueId yq = newValue(g, g.value(y).name + "__u8", DataType::UInt8, y);
    g.removeNode(plan.outFq);
    g.removeNode(id);
    g.value(y).producer = ir::kNoNode;

    ir::Node q;
    q.name = conv.name;
    q.opType = kQConvOp;
    q.domain = ops::kLayerBenchDomain;
    q.fusedFrom = conv.fusedFrom.empty() ? std::vector<std::string>{conv.name} : conv.fusedFrom;
    const ir::ValueId w =
        passes::addInitializer(g, g.value(conv.inputs[1]).name + "__s8", plan.weights);
    q.inputs = {xq, w};
    if (conv.inputs.size() > 2 && conv.inputs[2] != ir::kNoValue)
        q.inputs.push_back(conv.inputs[2]);
    q.outputs = {yq};
    q.attributes = conv.attributes;
    q.attributes.push_back(floatAttribute("x_scale", plan.x.scale));
    q.attributes.push_back(intAttribute("x_offset", plan.x.offset));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    q.attributes.push_back(ir::Attribute{
        .name = "w_scales", .type = ir::AttributeType::Floats, .floats = plan.wScales});
    g.addNode(std::move(q));
    g.addNode(converter(g, kDequantizeOp, g.value(y).name + "__dequantize", yq, y, plan.y));
    ++result.int8Nodes;
}

bool isDataOp(const ir::Node& n) {
    return n.domain.empty() && (n.opType == "Add" || n.opType == "Concat" || n.opType == "Resize");
}

struct DataPlan {
    std::vector<ir::ValueId> inputs; // the float inputs that become uint8
    std::vector<Quantized> x;
    Quantized y;
    ir::NodeId outFq = ir::kNoNode;
};

// Resize in nearest mode by whole H/W factors, where ONNX's source index is floor(dst / f).
std::string resizeReason(const ir::Graph& g, const ir::Node& n) {
    auto str = [&](const char* name, const char* fallback) {
        const ir::Attribute* a = n.attribute(name);
        return a ? a->s : std::string(fallback);
    };
    const std::string mode = str("mode", "nearest"),
                      transform = str("coordinate_transformation_mode", "half_pixel"),
                      nearest = str("nearest_mode", "round_prefer_floor");
    const bool floorRule = (transform == "asymmetric" && nearest == "floor") ||
                           ((transform == "half_pixel" || transform == "pytorch_half_pixel") &&
                            nearest.rfind("round_prefer_", 0) == 0);
    if (mode != "nearest" || !floorRule)
        return "Resize mode " + mode + " / " + transform + " / " + nearest + " has no int8 kernel";
    const auto& in = g.value(n.inputs[0]).shape;
    const auto& out = g.value(n.outputs[0]).shape;
    const auto a = in ? concreteShape(*in) : std::nullopt;
    const auto b = out ? concreteShape(*out) : std::nullopt;
    if (!a || !b || a->size() != 4 || b->size() != 4 || (*a)[0] != (*b)[0] || (*a)[1] != (*b)[1] ||
        (*a)[2] < 1 || (*a)[3] < 1 || (*b)[2] % (*a)[2] || (*b)[3] % (*a)[3])
        return "Resize is not a static 4-D H/W resize by whole factors";
    return {};
}

std::string planData(const ir::Graph& g, const ir::Node& n, DataPlan& plan) {
    if (n.opType == "Resize") {
        if (std::string why = resizeReason(g, n); !why.empty())
            return why;
        plan.inputs = {n.inputs[0]};
    } else {
        plan.inputs = n.inputs;
    }
    if (n.opType == "Add" && (plan.inputs.size() != 2 || !g.value(plan.inputs[0]).shape ||
                              !concreteShape(*g.value(plan.inputs[0]).shape) ||
                              g.value(plan.inputs[0]).shape != g.value(plan.inputs[1]).shape))
        return "Add with broadcasting has no int8 kernel";
    for (ir::ValueId v : plan.inputs) {
        const ir::Node* p = v == ir::kNoValue ? nullptr : passes::producerOf(g, v);
        const auto x = p ? eightBit(*p) : std::nullopt;
        if (!x)
            return "input " + (v == ir::kNoValue ? std::string("?") : quoted(g.value(v).name)) +
                   " has no 8-bit per-tensor encoding";
        plan.x.push_back(*x);
    }
    const ir::Node* fq = passes::soleConsumer(g, n.outputs[0]);
    const auto y = fq && fq->opType == kFakeQuantOp ? eightBit(*fq) : std::nullopt;
    if (!y)
        return "output " + quoted(g.value(n.outputs[0]).name) +
               " is not quantized to 8 bits per tensor (or has several readers)";
    plan.y = *y;
    plan.outFq = fq->id;
    return {};
}

// Add / Concat / Resize + output FakeQuant -> QAdd / QConcat / QResize -> Dequantize.
void rewriteData(ir::Graph& g, ir::NodeId id, const DataPlan& plan,
                 std::map<ir::ValueId, ir::ValueId>& u8Of, Int8Result& result) {
    const ir::Node op = g.node(id);
    ir::Node q;
    q.name = op.name;
    q.opType = op.opType == "Add" ? kQAddOp : op.opType == "Concat" ? kQConcatOp : kQResizeOp;
    q.domain = ops::kLayerBenchDomain;
    ir::Attribute scales{.name = "x_scales", .type = ir::AttributeType::Floats};
    ir::Attribute offsets{.name = "x_offsets", .type = ir::AttributeType::Ints};
    for (size_t k = 0; k < plan.inputs.size(); ++k) {
        q.inputs.push_back(u8Input(g, plan.inputs[k], plan.x[k], u8Of));
        scales.floats.push_back(static_cast<float>(plan.x[k].scale));
        offsets.ints.push_back(plan.x[k].offset);
    }
    const ir::ValueId y = g.node(plan.outFq).outputs[0];
    const ir::ValueId yq = newValue(g, g.value(y).name + "__u8", DataType::UInt8, y);
    g.removeNode(plan.outFq);
    g.removeNode(id);
    g.value(y).producer = ir::kNoNode;
    q.outputs = {yq};
    if (const ir::Attribute* axis = op.attribute("axis"))
        q.attributes.push_back(*axis);
    q.attributes.push_back(std::move(scales));
    q.attributes.push_back(std::move(offsets));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    g.addNode(std::move(q));
    g.addNode(converter(g, kDequantizeOp, g.value(y).name + "__dequantize", yq, y, plan.y));
    ++result.int8Nodes;
}

} // namespace

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
    std::map<std::string, std::string> why;
    std::map<ir::ValueId, ir::ValueId> u8Of;
    for (ir::NodeId id : graph.topologicalOrder()) {
        if (!graph.isAlive(id))
            continue;
        const ir::Node& n = graph.node(id);
        if (isDataOp(n)) {
            DataPlan plan;
            const std::string reason = planData(graph, n, plan);
            if (reason.empty())
                rewriteData(graph, id, plan, u8Of, result);
            else
                why[n.name] = reason;
            continue;
        }
        const bool conv = (n.opType == "Conv" && n.domain.empty()) ||
                          (n.opType == "FusedConv" && n.domain == ops::kLayerBenchDomain);
        if (!conv)
            continue;
        ConvPlan plan;
        const std::string reason = planConv(graph, simulated, encodings, n, plan);
        if (reason.empty())
            rewriteConv(graph, id, plan, u8Of, result);
        else
            why[n.name] = reason;
    }
    passes::removeDeadNodes(graph);
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
