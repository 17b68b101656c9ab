// Inverted-residual blocks (MobileNetV2/V3, EfficientNet, PaddleOCR's det backbone): an expand
// 1x1 convolution whose only reader is a depthwise 3x3 one. See fusions.h, fuseConvDepthwise.
#include "lowering/fusions.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"

#include <algorithm>

namespace lb::lowering {

namespace {

// Conv, or FusedConv with at most an activation (no residual Z, no output affine).
bool isPlainConv(const ir::Node* n) {
    if (!n || n->outputs.size() != 1 || n->inputs.size() < 2)
        return false;
    if (isOp(n, "Conv"))
        return n->inputs.size() <= 3;
    return n->domain == ops::kLayerBenchDomain && n->opType == "FusedConv" &&
           (n->inputs.size() <= 3 || n->inputs[3] == ir::kNoValue) &&
           !n->attribute("output_affine");
}

bool allEqual(const std::vector<int64_t>& v, size_t size, int64_t value) {
    return v.empty() || (v.size() == size &&
                         std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == value; }));
}

bool explicitPads(const ir::Node& n) {
    const ir::Attribute* a = n.attribute("auto_pad");
    return !a || a->s.empty() || a->s == "NOTSET";
}

// 1x1, group 1, stride 1, no padding: the 1x1 oneDNN's depthwise post-op follows.
bool isPointwise(const ir::Graph& g, const ir::Node& n) {
    const Tensor* w = constantInput(g, n, 1);
    return w && w->rank() == 4 && w->shape()[2] == 1 && w->shape()[3] == 1 &&
           intAttr(n, "group", 1) == 1 && explicitPads(n) &&
           allEqual(intsAttr(n, "strides"), 2, 1) && allEqual(intsAttr(n, "pads"), 4, 0) &&
           allEqual(intsAttr(n, "dilations"), 2, 1);
}

// The stride of a depthwise 3x3 over `channels` channels with pads 1 and stride 1 or 2 (oneDNN's
// depthwise post-op: kernel 3, padding 1), or 0.
int64_t depthwiseStride(const ir::Graph& g, const ir::Node& n, int64_t channels) {
    const Tensor* w = constantInput(g, n, 1);
    if (!w || w->rank() != 4 || w->shape() != Shape{channels, 1, 3, 3} ||
        intAttr(n, "group", 1) != channels || !explicitPads(n) ||
        !allEqual(intsAttr(n, "pads"), 4, 1) || intsAttr(n, "pads").empty() ||
        !allEqual(intsAttr(n, "dilations"), 2, 1))
        return 0;
    const std::vector<int64_t> strides = intsAttr(n, "strides");
    if (allEqual(strides, 2, 1))
        return 1;
    return allEqual(strides, 2, 2) ? 2 : 0;
}

void copyAttribute(const ir::Node& from, const char* name, ir::Node& to, const char* as) {
    if (const ir::Attribute* a = from.attribute(name)) {
        ir::Attribute copy = *a;
        copy.name = as;
        to.attributes.push_back(std::move(copy));
    }
}

ir::ValueId slot(const ir::Node& n, size_t i) {
    return i < n.inputs.size() ? n.inputs[i] : ir::kNoValue;
}

} // namespace

int fuseConvDepthwise(ir::Graph& g, const NodeFilter& mine, const Accept& accept,
                      const std::set<std::string>* keep) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id))
            continue;
        const ir::Node& pw = g.node(id);
        if (!isPlainConv(&pw) || !isPointwise(g, pw))
            continue;
        const ir::ValueId y = pw.outputs[0];
        if (keep && keep->count(g.value(y).name))
            continue;
        const ir::Node* dw = soleConsumer(g, y);
        if (!dw || !mine(dw->id) || !isPlainConv(dw) || dw->inputs[0] != y)
            continue;
        const int64_t channels = constantInput(g, pw, 1)->shape()[0];
        const int64_t stride = depthwiseStride(g, *dw, channels);
        const auto& xs = g.value(pw.inputs[0]).shape;
        if (stride == 0 || !xs || xs->size() != 4)
            continue;
        ir::Node fused;
        fused.name = dw->name;
        fused.domain = ops::kLayerBenchDomain;
        fused.opType = "FusedConvDw";
        fused.inputs = {pw.inputs[0], pw.inputs[1], slot(pw, 2), dw->inputs[1], slot(*dw, 2)};
        while (fused.inputs.back() == ir::kNoValue)
            fused.inputs.pop_back();
        copyAttribute(pw, "activation", fused, "activation");
        copyAttribute(pw, "activation_params", fused, "activation_params");
        copyAttribute(*dw, "activation", fused, "dw_activation");
        copyAttribute(*dw, "activation_params", fused, "dw_activation_params");
        ir::Attribute strides;
        strides.name = "dw_strides";
        strides.type = ir::AttributeType::Ints;
        strides.ints = {stride, stride};
        fused.attributes.push_back(std::move(strides));
        fused.outputs = dw->outputs;
        if (!accept(fused))
            continue;
        replaceNodes(g, {id, dw->id}, std::move(fused));
        ++count;
    }
    return count;
}

} // namespace lb::lowering
