// The int8 rewrite of ConvTranspose between 8-bit FakeQuants: QConvTranspose (ops/int8_ops.h).
// As for Conv (int8_transform.cpp's planConv), the weights LayerBench's passes folded a
// BatchNorm or per-channel affine step into are the fake-quantized weights times one factor per
// output channel (axis 1 of ConvTranspose's [C_in, C_out, kH, kW]), so they are still on a
// per-channel 8-bit grid, which is recovered exactly and checked.
#include "core/error.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"
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
    replaceWeighted(r, n, ops::kQConvTransposeOp, plan, plan);
    return std::string();
}

} // namespace lb::quant::int8
