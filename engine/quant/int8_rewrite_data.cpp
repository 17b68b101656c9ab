// The int8 rewrites of data and elementwise ops between 8-bit FakeQuants: Add, Concat, Resize
// (nearest), GlobalAveragePool, MaxPool and the squeeze-excitation gate Mul(X, G[N,C,1,1]), with
// the residual Add(X, Mul(X, G)) that follows it fused in (ops/int8_ops.h).
#include "core/error.h"
#include "lowering/rewrite_util.h"
#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"
#include "quant/int8_rewrite.h"

namespace lb::quant::int8 {

namespace {

std::optional<Shape> staticShapeOf(const ir::Graph& g, ir::ValueId v) {
    const auto& s = g.value(v).shape;
    return s ? concreteShape(*s) : std::nullopt;
}

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

// Mul(X [N,C,H,W], G [N,C,1,1]) in either order: the index of X, or -1.
int gateMulInput(const ir::Graph& g, const ir::Node& n) {
    if (n.inputs.size() != 2)
        return -1;
    const auto a = staticShapeOf(g, n.inputs[0]), b = staticShapeOf(g, n.inputs[1]);
    if (!a || !b || a->size() != 4 || b->size() != 4)
        return -1;
    for (int x = 0; x < 2; ++x) {
        const Shape& s = x ? *b : *a;
        const Shape& t = x ? *a : *b;
        if (s[0] == t[0] && s[1] == t[1] && t[2] == 1 && t[3] == 1)
            return x;
    }
    return -1;
}

// The Add reading only Mul's FakeQuant output and the Mul's X input, with an 8-bit output: the
// residual of a squeeze-excitation block, fused into the QMul.
const ir::Node* residualAdd(const ir::Graph& g, const Plan& mul, ir::ValueId x) {
    const ir::ValueId m = g.node(mul.outFq).outputs[0];
    const ir::Node* add = lowering::soleConsumer(g, m);
    if (!add || add->opType != "Add" || !add->domain.empty() || add->inputs.size() != 2 ||
        !(add->inputs[0] == x || add->inputs[1] == x) || add->inputs[0] == add->inputs[1])
        return nullptr;
    const ir::Node* fq = lowering::soleConsumer(g, add->outputs[0]);
    return fq && fq->opType == ops::kFakeQuantOp && eightBit(*fq) ? add : nullptr;
}

std::optional<std::string> rewriteGateMul(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id);
    const int xi = gateMulInput(r.g, n);
    if (xi < 0)
        return "Mul with broadcasting other than a [N,C,1,1] gate has no int8 kernel";
    Plan plan;
    if (!r.planInputsAndOutput(n, {n.inputs[xi], n.inputs[1 - xi]}, plan))
        return plan.reason;
    ir::Node q;
    q.name = n.name;
    q.opType = ops::kQMulOp;
    q.inputs = {r.u8Input(plan.inputs[0], plan.x[0]), r.u8Input(plan.inputs[1], plan.x[1])};
    q.attributes = {floatsAttribute("x_scales", {float(plan.x[0].scale), float(plan.x[1].scale)}),
                    intsAttribute("x_offsets", {plan.x[0].offset, plan.x[1].offset})};
    const ir::Node* add = residualAdd(r.g, plan, plan.inputs[0]);
    if (!add) {
        q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
        q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
        r.replace(id, plan, std::move(q));
        return std::string();
    }
    // Y = quantize(X + dequantize(quantize_m(X * G))): m_* is the Mul's own encoding.
    Plan fused = plan;
    fused.outFq = lowering::soleConsumer(r.g, add->outputs[0])->id;
    fused.y = *eightBit(r.g.node(fused.outFq));
    q.name = add->name;
    q.fusedFrom = {n.name, add->name};
    q.attributes.push_back(floatAttribute("m_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("m_offset", plan.y.offset));
    q.attributes.push_back(intAttribute("residual", 1));
    q.attributes.push_back(floatAttribute("y_scale", fused.y.scale));
    q.attributes.push_back(intAttribute("y_offset", fused.y.offset));
    fused.consumed = {plan.outFq, id};
    r.replace(add->id, fused, std::move(q));
    return std::string();
}

// MaxPool (no Indices output, 4-D) -> QMaxPool.
std::optional<std::string> rewriteMaxPool(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id);
    if (n.outputs.size() > 1 && n.outputs[1] != ir::kNoValue)
        return "MaxPool with an Indices output has no int8 kernel";
    const auto s = staticShapeOf(r.g, n.inputs[0]);
    if (!s || s->size() != 4)
        return "MaxPool of a non-4-D or dynamic input has no int8 kernel";
    Plan plan;
    if (!r.planInputsAndOutput(n, {n.inputs[0]}, plan))
        return plan.reason;
    ir::Node q;
    q.name = n.name;
    q.opType = ops::kQMaxPoolOp;
    q.inputs = {r.u8Input(n.inputs[0], plan.x[0])};
    q.attributes = n.attributes;
    q.attributes.push_back(floatsAttribute("x_scales", {float(plan.x[0].scale)}));
    q.attributes.push_back(intsAttribute("x_offsets", {plan.x[0].offset}));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    r.replace(id, plan, std::move(q));
    return std::string();
}

} // namespace

// Add / Concat / Resize / GlobalAveragePool / gate Mul + output FakeQuant -> the int8 op ->
// Dequantize.
std::optional<std::string> rewriteData(Rewriter& r, ir::NodeId id) {
    const ir::Node n = r.g.node(id); // a copy: adding nodes may move the graph's storage
    if (!n.domain.empty())
        return std::nullopt;
    const std::string& op = n.opType;
    if (op == "Mul")
        return rewriteGateMul(r, id);
    if (op == "MaxPool")
        return rewriteMaxPool(r, id);
    if (op != "Add" && op != "Concat" && op != "Resize" && op != "GlobalAveragePool")
        return std::nullopt;
    if (op == "Resize")
        if (std::string why = resizeReason(r.g, n); !why.empty())
            return why;
    if (op == "GlobalAveragePool") {
        const auto s = staticShapeOf(r.g, n.inputs[0]);
        if (!s || s->size() != 4)
            return "GlobalAveragePool of a non-4-D or dynamic input has no int8 kernel";
    }
    const std::vector<ir::ValueId> inputs = op == "Resize" || op == "GlobalAveragePool"
                                                ? std::vector<ir::ValueId>{n.inputs[0]}
                                                : n.inputs;
    if (op == "Add" && (inputs.size() != 2 || !staticShapeOf(r.g, inputs[0]) ||
                        r.g.value(inputs[0]).shape != r.g.value(inputs[1]).shape))
        return "Add with broadcasting has no int8 kernel";
    Plan plan;
    if (!r.planInputsAndOutput(n, inputs, plan))
        return plan.reason;
    ir::Node q;
    q.name = n.name;
    q.opType = op == "Add"      ? ops::kQAddOp
               : op == "Concat" ? ops::kQConcatOp
               : op == "Resize" ? ops::kQResizeOp
                                : ops::kQGlobalAveragePoolOp;
    std::vector<float> scales;
    std::vector<int64_t> offsets;
    for (size_t k = 0; k < inputs.size(); ++k) {
        q.inputs.push_back(r.u8Input(inputs[k], plan.x[k]));
        scales.push_back(static_cast<float>(plan.x[k].scale));
        offsets.push_back(plan.x[k].offset);
    }
    if (const ir::Attribute* axis = n.attribute("axis"))
        q.attributes.push_back(*axis);
    q.attributes.push_back(floatsAttribute("x_scales", std::move(scales)));
    q.attributes.push_back(intsAttribute("x_offsets", std::move(offsets)));
    q.attributes.push_back(floatAttribute("y_scale", plan.y.scale));
    q.attributes.push_back(intAttribute("y_offset", plan.y.offset));
    r.replace(id, plan, std::move(q));
    return std::string();
}

int foldResizes(ir::Graph& g, const std::function<bool(ir::NodeId)>& mine) {
    int folded = 0;
    for (ir::NodeId id : g.nodeIds()) {
        if (!mine(id))
            continue;
        ir::Node& n = g.node(id);
        const bool concat = n.opType == ops::kQConcatOp && n.domain == ops::kLayerBenchDomain &&
                            n.attribute("axis") && (n.attribute("axis")->i == 1);
        const bool add = n.opType == ops::kQAddOp && n.domain == ops::kLayerBenchDomain;
        if (!concat && !add)
            continue;
        const size_t inputs = n.inputs.size();
        std::vector<int64_t> factors(2 * inputs, 1);
        std::vector<float> preScales = n.attribute("x_scales")->floats;
        std::vector<int64_t> preOffsets = n.attribute("x_offsets")->ints;
        bool any = false;
        for (size_t k = 0; k < inputs; ++k) {
            const ir::Node* p = lowering::producerOf(g, n.inputs[k]);
            if (!p || !mine(p->id) || p->opType != ops::kQResizeOp ||
                p->domain != ops::kLayerBenchDomain || lowering::soleConsumer(g, n.inputs[k]) != &n)
                continue;
            const auto in = staticShapeOf(g, p->inputs[0]), out = staticShapeOf(g, p->outputs[0]);
            if (!in || !out || in->size() != 4 || out->size() != 4)
                continue;
            factors[2 * k] = (*out)[2] / (*in)[2];
            factors[2 * k + 1] = (*out)[3] / (*in)[3];
            preScales[k] = p->attribute("x_scales")->floats[0];
            preOffsets[k] = p->attribute("x_offsets")->ints[0];
            g.replaceInput(id, k, p->inputs[0]);
            any = true;
            ++folded;
        }
        if (!any)
            continue;
        ir::Node& m = g.node(id); // replaceInput may not move nodes, but re-read to be safe
        m.attributes.push_back(intsAttribute("x_upsample", std::move(factors)));
        m.attributes.push_back(floatsAttribute("x_pre_scales", std::move(preScales)));
        m.attributes.push_back(intsAttribute("x_pre_offsets", std::move(preOffsets)));
    }
    return folded;
}

} // namespace lb::quant::int8
