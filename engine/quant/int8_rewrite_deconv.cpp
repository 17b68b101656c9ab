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

struct DeconvPlan : Plan, WeightPlan {};

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
    if (n.inputs.size() > 2 && n.inputs[2] != ir::kNoValue && !g.initializer(n.inputs[2]))
        return "bias is not constant";
    return planWeights(r, n, "ConvTranspose", 1, plan);
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
    q.attributes.push_back(floatsAttribute("w_scales", plan.scales));
    r.replace(id, plan, std::move(q));
    return std::string();
}

} // namespace lb::quant::int8
