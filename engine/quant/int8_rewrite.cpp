#include "quant/int8_rewrite.h"

#include "core/error.h"
#include "lowering/rewrite_util.h"
#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"

#include <cmath>

namespace lb::quant::int8 {

std::optional<Quantized> eightBit(const ir::Node& n) {
    if (n.domain != ops::kLayerBenchDomain)
        return std::nullopt;
    if (n.opType == ops::kDequantizeOp)
        return Quantized{n.attribute("scale")->f, n.attribute("offset")->i};
    if (n.opType != ops::kFakeQuantOp)
        return std::nullopt;
    const Encoding e = ops::fakeQuantEncoding(n);
    if (e.bitwidth != 8 || e.channels.size() != 1)
        return std::nullopt;
    // The kernels read the float32 scale the attribute holds, as the simulation does.
    return Quantized{n.attribute("scale")->floats[0], e.channels[0].offset};
}

bool Rewriter::planInputsAndOutput(const ir::Node& n, const std::vector<ir::ValueId>& inputs,
                                   Plan& plan) {
    plan.inputs = inputs;
    for (ir::ValueId v : inputs) {
        const ir::Node* p = v == ir::kNoValue ? nullptr : lowering::producerOf(g, v);
        const auto x = p ? eightBit(*p) : std::nullopt;
        if (!x) {
            plan.reason = "input " +
                          (v == ir::kNoValue ? std::string("?") : quoted(g.value(v).name)) +
                          " has no 8-bit per-tensor encoding";
            return false;
        }
        plan.x.push_back(*x);
    }
    const ir::Node* fq = lowering::soleConsumer(g, n.outputs[0]);
    const auto y = fq && fq->opType == ops::kFakeQuantOp ? eightBit(*fq) : std::nullopt;
    if (!y) {
        plan.reason = "output " + quoted(g.value(n.outputs[0]).name) +
                      " is not quantized to 8 bits per tensor (or has several readers)";
        return false;
    }
    plan.y = *y;
    plan.outFq = fq->id;
    return true;
}

ir::ValueId Rewriter::newValue(const std::string& base, DataType type, ir::ValueId like) {
    const ir::ValueId v = g.addValue(g.uniqueValueName(base));
    g.value(v).dtype = type;
    g.value(v).shape = g.value(like).shape;
    return v;
}

namespace {

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

} // namespace

// Quantize(FakeQuant(v)) == Quantize(v) with the same encoding, so a new Quantize reads v and the
// FakeQuant goes when nothing else reads it.
ir::ValueId Rewriter::u8Input(ir::ValueId xf, const Quantized& q) {
    const ir::Node& xp = g.node(g.value(xf).producer);
    if (xp.opType == ops::kDequantizeOp)
        return xp.inputs[0];
    if (auto it = m_u8Of.find(xf); it != m_u8Of.end())
        return it->second;
    // Another backend's FakeQuant stays whole (it belongs to that backend's group, which it may
    // yet lower): the Quantize reads its output, the same bytes.
    const ir::ValueId from = xp.opType == ops::kFakeQuantOp && mine(xp.id) ? xp.inputs[0] : xf;
    const ir::ValueId xq = newValue(g.value(xf).name + "__u8", DataType::UInt8, xf);
    g.addNode(converter(g, ops::kQuantizeOp, g.value(xf).name + "__quantize", from, xq, q));
    m_u8Of[xf] = xq;
    return xq;
}

void Rewriter::replace(ir::NodeId id, const Plan& plan, ir::Node q) {
    std::vector<ir::NodeId> replaced = {id, plan.outFq};
    replaced.insert(replaced.end(), plan.consumed.begin(), plan.consumed.end());
    for (ir::NodeId r : replaced)
        if (!mine(r))
            throw Declined{"node " + quoted(g.node(r).name) + " runs on another backend"};
    const ir::ValueId y = g.node(plan.outFq).outputs[0];
    q.domain = ops::kLayerBenchDomain;
    q.outputs = {y}; // what the backend is asked about: the op, its attributes and inputs
    if (!accept(q))
        throw Declined{backend + " does not run " + q.opType + " here"};
    const ir::ValueId yq = newValue(g.value(y).name + "__u8", DataType::UInt8, y);
    for (ir::NodeId r : replaced)
        g.removeNode(r);
    g.value(y).producer = ir::kNoNode;
    q.outputs = {yq};
    g.addNode(std::move(q));
    g.addNode(converter(g, ops::kDequantizeOp, g.value(y).name + "__dequantize", yq, y, plan.y));
    ++int8Nodes;
}

namespace {

// The weights' encoding: 8-bit symmetric, per-tensor or per output channel (`axis`). Empty when
// usable.
std::string weightEncodingReason(const Encoding& e, const std::string& name, const Shape& shape,
                                 int axis) {
    if (e.dtype != EncodingDtype::Int || e.bitwidth != 8)
        return "weights " + quoted(name) + " are " + std::to_string(e.bitwidth) +
               "-bit (int8 kernels take 8)";
    for (const ChannelParams& c : e.channels)
        if (c.offset != -128 && c.offset != -127)
            return "asymmetric 8-bit weights " + quoted(name) + " (offset " +
                   std::to_string(c.offset) + ") do not fit s8";
    const int64_t count = static_cast<int64_t>(e.channels.size());
    if (count == 1)
        return {};
    // The simulation's axis (fake_quant_transform.cpp): the stated one when it fits the shape,
    // else the reader's.
    const bool statedFits =
        e.axis >= 0 && e.axis < static_cast<int>(shape.size()) && shape[e.axis] == count;
    if ((statedFits && e.axis != axis) || shape[axis] != count)
        return "weights " + quoted(name) + " are not quantized per output channel (axis " +
               std::to_string(axis) + ")";
    return {};
}

} // namespace

std::string planWeights(const Rewriter& r, const ir::Node& n, const char* originalOp, int axis,
                        WeightPlan& plan) {
    const Tensor* w = n.inputs.size() > 1 ? r.g.initializer(n.inputs[1]) : nullptr;
    if (!w || w->rank() != 4 || w->dtype() != DataType::Float32)
        return "weights are not a constant float32 4-D tensor";
    // The user's node this one came from, and its weights' encoding.
    std::vector<std::string> origins = n.fusedFrom;
    origins.push_back(n.name);
    const ir::Node* original = nullptr;
    for (const std::string& name : origins)
        if (auto id = r.simulated.findNode(name); id && r.simulated.node(*id).opType == originalOp)
            original = &r.simulated.node(*id);
    if (!original)
        return std::string("the original ") + originalOp + " was not found";
    const std::string& wName = r.simulated.value(original->inputs[1]).name;
    const auto enc = r.encodings.params.find(wName);
    const Tensor* wfq = r.simulated.initializer(original->inputs[1]);
    if (enc == r.encodings.params.end() || !wfq || wfq->shape() != w->shape())
        return "weights " + quoted(wName) + " have no encoding";
    const Encoding& e = enc->second;
    if (std::string why = weightEncodingReason(e, wName, w->shape(), axis); !why.empty())
        return why;
    // The weights as [outer][channels][inner] around the output-channel axis.
    const Shape& shape = w->shape();
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; ++d)
        outer *= shape[d];
    for (size_t d = axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
    const int64_t channels = shape[axis];
    plan.weights = Tensor(DataType::Int8, shape);
    plan.scales.clear();
    int8_t* q = plan.weights.data<int8_t>();
    const float* folded = w->data<float>();
    const float* orig = wfq->data<float>();
    for (int64_t c = 0; c < channels; ++c) {
        const double sw = e.channels[e.channels.size() == 1 ? 0 : c].scale;
        // Folding multiplied channel c by one factor: its least-squares estimate.
        double dot = 0, norm = 0;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i = 0; i < inner; ++i) {
                const int64_t at = (o * channels + c) * inner + i;
                dot += double(folded[at]) * orig[at];
                norm += double(orig[at]) * orig[at];
            }
        double s = norm > 0 ? std::abs(sw * dot / norm) : sw;
        if (!(s > 0))
            s = sw;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t i = 0; i < inner; ++i) {
                const int64_t at = (o * channels + c) * inner + i;
                const double v = folded[at] / s, rounded = std::nearbyint(v);
                if (rounded < -128 || rounded > 127 || std::abs(v - rounded) > 1e-3)
                    return "weights of " + quoted(n.name) +
                           " are not on an 8-bit grid after folding";
                q[at] = static_cast<int8_t>(rounded);
            }
        plan.scales.push_back(static_cast<float>(s));
    }
    return {};
}

void replaceWeighted(Rewriter& r, const ir::Node& n, const char* op, const Plan& plan,
                     const WeightPlan& weights) {
    ir::Node q;
    q.name = n.name;
    q.opType = op;
    q.fusedFrom = n.fusedFrom.empty() ? std::vector<std::string>{n.name} : n.fusedFrom;
    const ir::ValueId w =
        lowering::addInitializer(r.g, r.g.value(n.inputs[1]).name + "__s8", weights.weights);
    q.inputs = {r.u8Input(n.inputs[0], plan.x[0]), w};
    const bool bias = n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue;
    if (bias || plan.inputs.size() > 1)
        q.inputs.push_back(bias ? n.inputs[2] : ir::kNoValue);
    q.attributes = n.attributes;
    if (plan.inputs.size() > 1) { // the residual Z (planConv)
        q.inputs.push_back(r.u8Input(plan.inputs[1], plan.x[1]));
        q.attributes.push_back(floatAttribute("z_scale", plan.x[1].scale));
        q.attributes.push_back(intAttribute("z_offset", plan.x[1].offset));
    }
    q.attributes.push_back(floatAttribute("x_scale", plan.x[0].scale));
    q.attributes.push_back(intAttribute("x_offset", plan.x[0].offset));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    q.attributes.push_back(floatsAttribute("w_scales", weights.scales));
    r.replace(n.id, plan, std::move(q));
}

} // namespace lb::quant::int8
