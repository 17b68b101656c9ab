#include "lowering/fusions.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"

namespace lb::lowering {

namespace {

// y * scale + shift composed with one more scalar step on y; false for anything else.
bool compose(const ir::Graph& g, const ir::Node& op, ir::ValueId y, float& scale, float& shift) {
    if (op.inputs.size() != 2 || op.outputs.size() != 1)
        return false;
    const bool yFirst = op.inputs[0] == y;
    const ir::ValueId other = yFirst ? op.inputs[1] : op.inputs[0];
    if (other == y)
        return false;
    auto c = scalarConstant(g, other);
    if (!c)
        return false;
    // A constant of higher rank than y would broadcast the result up.
    const auto& ys = g.value(y).shape;
    if (!ys || g.initializer(other)->rank() > static_cast<int64_t>(ys->size()))
        return false;
    if (isOp(&op, "Mul")) {
        scale *= *c;
        shift *= *c;
    } else if (isOp(&op, "Div") && yFirst && *c != 0.0f) {
        scale /= *c;
        shift /= *c;
    } else if (isOp(&op, "Add")) {
        shift += *c;
    } else if (isOp(&op, "Sub") && yFirst) {
        shift -= *c;
    } else {
        return false;
    }
    return true;
}

} // namespace

int fuseConvOutputAffine(ir::Graph& g, const NodeFilter& mine, const Accept& accept) {
    int count = 0;
    for (ir::NodeId start : g.topologicalOrder()) {
        // Absorbs the whole chain of scalar steps behind one conv.
        for (ir::NodeId id = start; id != ir::kNoNode && g.isAlive(id);) {
            const ir::Node& conv = g.node(id);
            if (!mine(id) || conv.domain != ops::kLayerBenchDomain || conv.opType != "FusedConv" ||
                conv.outputs.size() != 1)
                break;
            const ir::Attribute* existing = conv.attribute("output_affine");
            if (existing && existing->floats.size() != 2)
                break;
            float scale = existing ? existing->floats[0] : 1.0f;
            float shift = existing ? existing->floats[1] : 0.0f;
            const ir::Node* op = soleConsumer(g, conv.outputs[0]);
            if (!op || !mine(op->id) || !compose(g, *op, conv.outputs[0], scale, shift))
                break;
            ir::Node fused = conv;
            fused.id = ir::kNoNode;
            std::erase_if(fused.attributes,
                          [](const ir::Attribute& a) { return a.name == "output_affine"; });
            ir::Attribute affine;
            affine.name = "output_affine";
            affine.type = ir::AttributeType::Floats;
            affine.floats = {scale, shift};
            fused.attributes.push_back(affine);
            fused.outputs = op->outputs;
            if (!accept(fused))
                break;
            id = replaceNodes(g, {id, op->id}, std::move(fused));
            ++count;
        }
    }
    return count;
}

std::vector<RewriteCount> fuseForBackend(ir::Graph& g, const NodeFilter& mine, const Accept& accept,
                                         const std::set<std::string>* keep) {
    std::vector<RewriteCount> counts = {
        {"fuse-conv-activation", 0},
        {"fuse-conv-output-affine", 0},
        {"fuse-matmul-bias", fuseMatMulBias(g, mine, accept, keep)},
        {"fuse-matmul-transpose", fuseMatMulTranspose(g, mine, accept, keep)}};
    for (int round = 0; round < 4; ++round) {
        const int activation = fuseConvActivation(g, mine, accept);
        const int affine = fuseConvOutputAffine(g, mine, accept);
        counts[0].count += activation;
        counts[1].count += affine;
        if (activation + affine == 0)
            break;
    }
    counts.push_back({"fuse-batch-norm-relu", fuseNormRelu(g, mine, accept)});
    counts.push_back({"fuse-concat-batch-norm", fuseConcatNorm(g, mine, accept)});
    std::erase_if(counts, [](const RewriteCount& c) { return c.count == 0; });
    return counts;
}

} // namespace lb::lowering
