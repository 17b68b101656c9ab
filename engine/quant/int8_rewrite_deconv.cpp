// The int8 rewrite of ConvTranspose between 8-bit FakeQuants: QConvTranspose (quant/int8_ops.h).
// As for Conv (int8_transform.cpp's planConv), the weights LayerBench's passes folded a
// BatchNorm or per-channel affine step into are the fake-quantized weights times one factor per
// output channel (axis 1 of ConvTranspose's [C_in, C_out, kH, kW]), so they are still on a
// per-channel 8-bit grid, which is recovered exactly and checked.
#include "core/error.h"
#include "ops/fused_ops.h"
#include "passes/pass_util.h"
#include "quant/int8_ops.h"
#include "quant/int8_rewrite.h"

#include <cmath>

namespace lb::quant::int8 {

namespace {

struct DeconvPlan : Plan {
    Tensor weights; // int8, the layout of the float weights
    std::vector<float> wScales;
};

// The weights' encoding: 8-bit symmetric, per-tensor or per output channel. Empty when usable.
std::string weightEncodingReason(const Encoding& e, const std::string& name, const Shape& shape) {
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
    // else the reader's, 1 (output channels) for ConvTranspose.
    const bool statedFits =
        e.axis >= 0 && e.axis < static_cast<int>(shape.size()) && shape[e.axis] == count;
    if ((statedFits && e.axis != 1) || shape[1] != count)
        return "weights " + quoted(name) + " are not quantized per output channel (axis 1)";
    return {};
}

std::string planDeconv(Rewriter& r, const ir::Node& n, DeconvPlan& plan) {
    const ir::Graph& g = r.g;
    if (!r.planInputsAndOutput(n, {n.inputs[0]}, plan))
        return plan.reason;
    const ir::Attribute* group = n.attribute("group");
    if (group && group->i != 1)
        return "grouped ConvTranspose has no int8 kernel";
    const ir::Attribute* autoPad = n.attribute("auto_pad");
    if ((autoPad && autoPad->s != "NOTSET") || n.attribute("output_shape"))
        return "ConvTranspose with auto_pad or output_shape has no int8 kernel";
    const Tensor* w = n.inputs.size() > 1 ? g.initializer(n.inputs[1]) : nullptr;
    if (!w || w->rank() != 4 || w->dtype() != DataType::Float32)
        return "weights are not a constant float32 4-D tensor";
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue && !g.initializer(n.inputs[2]))
        return "bias is not constant";
    std::vector<std::string> origins = n.fusedFrom;
    origins.push_back(n.name);
    const ir::Node* deconv = nullptr;
    for (const std::string& name : origins)
        if (auto id = r.simulated.findNode(name);
            id && r.simulated.node(*id).opType == "ConvTranspose")
            deconv = &r.simulated.node(*id);
    if (!deconv)
        return "the original ConvTranspose was not found";
    const std::string& wName = r.simulated.value(deconv->inputs[1]).name;
    const auto enc = r.encodings.params.find(wName);
    const Tensor* wfq = r.simulated.initializer(deconv->inputs[1]);
    if (enc == r.encodings.params.end() || !wfq || wfq->shape() != w->shape())
        return "weights " + quoted(wName) + " have no encoding";
    const Encoding& e = enc->second;
    const int64_t cin = w->shape()[0], m = w->shape()[1], k = w->shape()[2] * w->shape()[3];
    if (std::string why = weightEncodingReason(e, wName, w->shape()); !why.empty())
        return why;
    plan.weights = Tensor(DataType::Int8, w->shape());
    int8_t* q = plan.weights.data<int8_t>();
    const float* folded = w->data<float>();
    const float* orig = wfq->data<float>();
    for (int64_t c = 0; c < m; ++c) {
        const double sw = e.channels[e.channels.size() == 1 ? 0 : c].scale;
        // Folding multiplied output channel c (every input channel's slice) by one factor.
        double dot = 0, norm = 0;
        for (int64_t i = 0; i < cin; ++i)
            for (int64_t j = 0; j < k; ++j) {
                const int64_t at = (i * m + c) * k + j;
                dot += double(folded[at]) * orig[at];
                norm += double(orig[at]) * orig[at];
            }
        double s = norm > 0 ? std::abs(sw * dot / norm) : sw;
        if (!(s > 0))
            s = sw;
        for (int64_t i = 0; i < cin; ++i)
            for (int64_t j = 0; j < k; ++j) {
                const int64_t at = (i * m + c) * k + j;
                const double v = folded[at] / s, rounded = std::nearbyint(v);
                if (rounded < -128 || rounded > 127 || std::abs(v - rounded) > 1e-3)
                    return "weights of " + quoted(n.name) +
                           " are not on an 8-bit grid after folding";
                q[at] = static_cast<int8_t>(rounded);
            }
        plan.wScales.push_back(static_cast<float>(s));
    }
    return {};
}

} // namespace

// ConvTranspose + its output FakeQuant -> QConvTranspose -> Dequantize.
std::optional<std::string> rewriteConvTranspose(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id); // a copy: adding nodes may move the graph's storage
    if (n.opType != "ConvTranspose" || !(n.domain.empty() || n.domain == "ai.onnx"))
        return std::nullopt;
    DeconvPlan plan;
    if (std::string reason = planDeconv(r, n, plan); !reason.empty())
        return reason;
    ir::Node q;
    q.name = n.name;
    q.opType = kQConvTransposeOp;
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

} // namespace lb::quant::int8
