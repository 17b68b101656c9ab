#include "lowering/fusions.h"

#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"

namespace lb::lowering {

namespace {

// The other input of a binary node, given one of them.
ir::ValueId otherInput(const ir::Node& n, ir::ValueId one) {
    return n.inputs[0] == one ? n.inputs[1] : n.inputs[0];
}

bool isBinary(const ir::Node* n, const char* op) {
    return isOp(n, op) && n->inputs.size() == 2 && n->outputs.size() == 1;
}

bool isFusable(const ir::Node& n) {
    if (isOp(&n, "Conv") || isOp(&n, "Gemm"))
        return true;
    return n.domain == ops::kLayerBenchDomain &&
           (n.opType == "FusedConv" || n.opType == "FusedGemm" || n.opType == "FusedMatMul");
}

// The activation `next` computes: a plain ONNX activation, or the ai.layerbench Gelu the generic
// GELU pass made (ViT's MLP: Linear -> GELU).
std::optional<ops::Activation> activationAfter(const ir::Graph& g, const ir::Node& next) {
    if (next.domain == ops::kLayerBenchDomain && next.opType == "Gelu" && next.inputs.size() == 1 &&
        next.outputs.size() == 1)
        return ops::Activation{ops::ActivationKind::Gelu};
    return ops::activationOf(g, next);
}

// swish(y) = y * Sigmoid(y) (SiLU, as PyTorch exports it): y read by exactly one Sigmoid and one
// Mul of y by the Sigmoid's output. Returns [Sigmoid, Mul].
std::optional<std::pair<const ir::Node*, const ir::Node*>> matchSwish(const ir::Graph& g,
                                                                      ir::ValueId y) {
    const auto& cs = g.value(y).consumers;
    if (cs.size() != 2 || cs[0] == cs[1] || g.isGraphOutput(y))
        return std::nullopt;
    for (int k = 0; k < 2; ++k) {
        const ir::Node& s = g.node(cs[static_cast<size_t>(k)]);
        const ir::Node& m = g.node(cs[static_cast<size_t>(1 - k)]);
        if (!isOp(&s, "Sigmoid") || s.outputs.size() != 1 || !isBinary(&m, "Mul"))
            continue;
        if (soleConsumer(g, s.outputs[0]) == &m && otherInput(m, s.outputs[0]) == y)
            return std::make_pair(&s, &m);
    }
    return std::nullopt;
}

} // namespace

int fuseConvActivation(ir::Graph& g, const NodeFilter& mine, const Accept& accept) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id) || !isFusable(g.node(id)) || g.node(id).outputs.size() != 1)
            continue;
        const ir::Node& base = g.node(id);
        const bool isConv = base.opType == "Conv" || base.opType == "FusedConv";
        const bool isMatMul = base.opType == "FusedMatMul";
        const bool hasActivation =
            base.attribute("activation") && !base.attribute("activation")->s.empty();
        // Anything fused now would run before the affine step, which comes last.
        if (hasActivation || base.attribute("output_affine"))
            continue;
        const ir::ValueId y = base.outputs[0];
        ir::Node fused = base;
        fused.id = ir::kNoNode;
        fused.domain = ops::kLayerBenchDomain;
        fused.opType = isConv ? "FusedConv" : isMatMul ? "FusedMatMul" : "FusedGemm";
        if (auto swish = matchSwish(g, y)) {
            if (!mine(swish->first->id) || !mine(swish->second->id))
                continue;
            ops::setFusedActivation(fused, ops::Activation{ops::ActivationKind::Swish});
            fused.outputs = swish->second->outputs;
            if (!accept(fused))
                continue;
            replaceNodes(g, {id, swish->first->id, swish->second->id}, std::move(fused));
            ++count;
            continue;
        }
        const ir::Node* next = soleConsumer(g, y);
        if (!next || !mine(next->id))
            continue;
        // Residual: y + z of the same shape becomes the Z input (Conv, and FusedMatMul: a
        // transformer's attention projection and MLP output plus the skip; once).
        const bool hasZ = base.inputs.size() > 3 && base.inputs[3] != ir::kNoValue;
        if ((isConv || isMatMul) && !hasZ && isBinary(next, "Add")) {
            const ir::ValueId z = otherInput(*next, y);
            const auto& ys = g.value(y).shape;
            const auto& zs = g.value(z).shape;
            const auto& outs = g.value(next->outputs[0]).shape;
            if (z != y && ys && zs && outs && concreteShape(*ys) && *ys == *zs && *ys == *outs) {
                fused.inputs.resize(4, ir::kNoValue);
                fused.inputs[3] = z;
                fused.outputs = next->outputs;
                if (!accept(fused))
                    continue;
                replaceNodes(g, {id, next->id}, std::move(fused));
                ++count;
            }
            continue;
        }
        auto act = activationAfter(g, *next);
        if (!act || next->inputs.empty() || next->inputs[0] != y)
            continue;
        ops::setFusedActivation(fused, *act);
        fused.outputs = next->outputs;
        if (!accept(fused))
            continue;
        replaceNodes(g, {id, next->id}, std::move(fused));
        ++count;
    }
    return count;
}

int fuseMatMulBias(ir::Graph& g, const NodeFilter& mine, const Accept& accept,
                   const std::set<std::string>* keep) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id))
            continue;
        const ir::Node& mm = g.node(id);
        if (!isOp(&mm, "MatMul") || mm.inputs.size() != 2 || mm.outputs.size() != 1)
            continue;
        const Tensor* b = constantInput(g, mm, 1);
        if (!b || b->rank() != 2)
            continue;
        const ir::ValueId y = mm.outputs[0];
        if (keep && keep->count(g.value(y).name))
            continue;
        const ir::Node* add = soleConsumer(g, y);
        if (!isBinary(add, "Add") || !mine(add->id))
            continue;
        // The bias: N constant values along the last axis only, so the Add keeps Y's shape.
        const ir::ValueId biasValue = otherInput(*add, y);
        const Tensor* bias = g.initializer(biasValue);
        const auto& ys = g.value(y).shape;
        if (!bias || biasValue == y || bias->numel() != b->shape()[1] || !ys ||
            static_cast<size_t>(bias->rank()) > ys->size() || bias->dtype() != DataType::Float32 ||
            (bias->rank() > 0 && bias->shape().back() != b->shape()[1]))
            continue;
        ir::Node fused = mm;
        fused.id = ir::kNoNode;
        fused.domain = ops::kLayerBenchDomain;
        fused.opType = "FusedMatMul";
        fused.inputs.push_back(biasValue);
        fused.outputs = add->outputs;
        if (!accept(fused))
            continue;
        replaceNodes(g, {id, add->id}, std::move(fused));
        ++count;
    }
    return count;
}

int fuseNormRelu(ir::Graph& g, const NodeFilter& mine, const Accept& accept) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id))
            continue;
        const ir::Node& bn = g.node(id);
        if (!isOp(&bn, "BatchNormalization") || bn.outputs.size() != 1)
            continue;
        const ir::Node* relu = soleConsumer(g, bn.outputs[0]);
        if (!isOp(relu, "Relu") || !mine(relu->id))
            continue;
        ir::Node fused = bn;
        fused.id = ir::kNoNode;
        fused.domain = ops::kLayerBenchDomain;
        ops::setFusedActivation(fused, ops::Activation{ops::ActivationKind::Relu});
        fused.outputs = relu->outputs;
        if (!accept(fused))
            continue;
        replaceNodes(g, {id, relu->id}, std::move(fused));
        ++count;
    }
    return count;
}

int fuseConcatNorm(ir::Graph& g, const NodeFilter& mine, const Accept& accept) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id))
            continue;
        const ir::Node& concat = g.node(id);
        if (!isOp(&concat, "Concat") || concat.outputs.size() != 1 || concat.inputs.empty())
            continue;
        const auto& shape = g.value(concat.outputs[0]).shape;
        if (!shape || shape->size() < 2)
            continue;
        const auto rank = static_cast<int64_t>(shape->size());
        if (const int64_t axis = intAttr(concat, "axis", 0); axis != 1 && axis != 1 - rank)
            continue;
        const ir::Node* bn = soleConsumer(g, concat.outputs[0]);
        if (!bn || !mine(bn->id) || bn->opType != "BatchNormalization" || bn->inputs.size() != 5 ||
            bn->inputs[0] != concat.outputs[0] ||
            (bn->outputs.size() > 1 && bn->outputs[1] != ir::kNoValue))
            continue;
        ir::Node fused;
        fused.name = bn->name;
        fused.opType = "ConcatBatchNormalization";
        fused.domain = ops::kLayerBenchDomain;
        fused.inputs.assign(bn->inputs.begin() + 1, bn->inputs.end());
        fused.inputs.insert(fused.inputs.end(), concat.inputs.begin(), concat.inputs.end());
        for (const ir::Attribute& a : bn->attributes)
            if (a.name == "epsilon" || a.name == "activation" || a.name == "activation_params")
                fused.attributes.push_back(a);
        fused.outputs = {bn->outputs[0]};
        if (!accept(fused))
            continue;
        replaceNodes(g, {id, bn->id}, std::move(fused));
        ++count;
    }
    return count;
}

} // namespace lb::lowering
