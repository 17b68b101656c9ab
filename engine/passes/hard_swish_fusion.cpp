#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"
#include "passes/fusion.h"

#include <cmath>

namespace lb::passes {

using namespace lb::lowering; // the rewrite helpers

namespace {

bool near(std::optional<float> v, float expected) {
    return v && std::fabs(*v - expected) <= 1e-5f * std::max(1.0f, std::fabs(expected));
}

bool isBinary(const ir::Node* n, const char* op) {
    return isOp(n, op) && n->inputs.size() == 2 && n->outputs.size() == 1;
}

// relu6(x + 3) produced at `v`: returns x and the [Add, Clip] nodes.
std::optional<std::pair<ir::ValueId, std::vector<ir::NodeId>>> matchRelu6Plus3(const ir::Graph& g,
                                                                               ir::ValueId v) {
    const ir::Node* clip = producerOf(g, v);
    if (!isOp(clip, "Clip") || clip->outputs.size() != 1)
        return std::nullopt;
    auto act = ops::activationOf(g, *clip);
    if (!act || act->kind != ops::ActivationKind::Clip || act->alpha != 0.0f || act->beta != 6.0f)
        return std::nullopt;
    const ir::Node* add = producerOf(g, clip->inputs[0]);
    if (!isBinary(add, "Add") || soleConsumer(g, add->outputs[0]) != clip)
        return std::nullopt;
    for (int k = 0; k < 2; ++k)
        if (near(scalarConstant(g, add->inputs[static_cast<size_t>(1 - k)]), 3.0f))
            return std::make_pair(add->inputs[static_cast<size_t>(k)],
                                  std::vector<ir::NodeId>{add->id, clip->id});
    return std::nullopt;
}

// hard-sigmoid(x) = relu6(x + 3) / 6 (as Div by 6 or Mul by 1/6) or HardSigmoid(1/6, 0.5), at v.
std::optional<std::pair<ir::ValueId, std::vector<ir::NodeId>>> matchHardSigmoid(const ir::Graph& g,
                                                                                ir::ValueId v) {
    const ir::Node* n = producerOf(g, v);
    if (isOp(n, "HardSigmoid") && near(floatAttr(*n, "alpha", 0.2f), 1.0f / 6.0f) &&
        near(floatAttr(*n, "beta", 0.5f), 0.5f))
        return std::make_pair(n->inputs[0], std::vector<ir::NodeId>{n->id});
    const bool div = isBinary(n, "Div") && near(scalarConstant(g, n->inputs[1]), 6.0f);
    const bool mul = isBinary(n, "Mul") && (near(scalarConstant(g, n->inputs[0]), 1.0f / 6.0f) ||
                                            near(scalarConstant(g, n->inputs[1]), 1.0f / 6.0f));
    if (!div && !mul)
        return std::nullopt;
    const ir::ValueId r = div || scalarConstant(g, n->inputs[1]) ? n->inputs[0] : n->inputs[1];
    if (soleConsumer(g, r) != n)
        return std::nullopt;
    auto inner = matchRelu6Plus3(g, r);
    if (!inner)
        return std::nullopt;
    inner->second.push_back(n->id);
    return inner;
}

ir::Node makeNode(const std::string& name, const std::string& op, std::vector<ir::ValueId> inputs) {
    ir::Node n;
    n.name = name;
    n.opType = op;
    n.inputs = std::move(inputs);
    return n;
}

// Tries every hard-swish form rooted at node `root` (the last node of the pattern).
bool fuseAt(ir::Graph& g, const ir::Node& root) {
    const ir::ValueId y = root.outputs.empty() ? ir::kNoValue : root.outputs[0];
    if (y == ir::kNoValue || root.inputs.size() != 2)
        return false;
    // x * hard-sigmoid(x), either operand order.
    if (isBinary(&root, "Mul")) {
        for (int k = 0; k < 2; ++k) {
            const ir::ValueId h = root.inputs[static_cast<size_t>(k)];
            const ir::ValueId x = root.inputs[static_cast<size_t>(1 - k)];
            auto hs = matchHardSigmoid(g, h);
            if (hs && hs->first == x && soleConsumer(g, h) == &root) {
                auto nodes = hs->second;
                nodes.push_back(root.id);
                replaceNodes(g, nodes, makeNode(root.name, "HardSwish", {x}));
                return true;
            }
        }
    }
    // (x * relu6(x + 3)) / 6 or * 1/6.
    const bool div = isBinary(&root, "Div") && near(scalarConstant(g, root.inputs[1]), 6.0f);
    const bool mul =
        isBinary(&root, "Mul") && (near(scalarConstant(g, root.inputs[0]), 1.0f / 6.0f) ||
                                   near(scalarConstant(g, root.inputs[1]), 1.0f / 6.0f));
    if (div || mul) {
        const ir::ValueId m =
            div || scalarConstant(g, root.inputs[1]) ? root.inputs[0] : root.inputs[1];
        const ir::Node* prod = producerOf(g, m);
        if (isBinary(prod, "Mul") && soleConsumer(g, m) == &root) {
            for (int k = 0; k < 2; ++k) {
                const ir::ValueId r = prod->inputs[static_cast<size_t>(k)];
                const ir::ValueId x = prod->inputs[static_cast<size_t>(1 - k)];
                auto relu6 = matchRelu6Plus3(g, r);
                if (relu6 && relu6->first == x && soleConsumer(g, r) == prod) {
                    auto nodes = relu6->second;
                    nodes.push_back(prod->id);
                    nodes.push_back(root.id);
                    replaceNodes(g, nodes, makeNode(root.name, "HardSwish", {x}));
                    return true;
                }
            }
        }
        // A lone relu6(x + 3) / 6.
        auto hs = matchHardSigmoid(g, y);
        if (hs && g.node(hs->second.back()).opType != "HardSigmoid") {
            ir::Node n = makeNode(root.name, "HardSigmoid", {hs->first});
            ir::Attribute alpha;
            alpha.name = "alpha";
            alpha.type = ir::AttributeType::Float;
            alpha.f = 1.0f / 6.0f;
            ir::Attribute beta = alpha;
            beta.name = "beta";
            beta.f = 0.5f;
            n.attributes = {alpha, beta};
            replaceNodes(g, hs->second, std::move(n));
            return true;
        }
    }
    return false;
}

} // namespace

bool FuseHardSwish::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.topologicalOrder())
        if (g.isAlive(id) && fuseAt(g, g.node(id)))
            changed = true;
    return changed;
}

} // namespace lb::passes
