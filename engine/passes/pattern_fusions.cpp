// Exported decompositions of two common blocks, each made one ai.layerbench op (ops/fused_ops.h)
// that the reference backend runs and the oneDNN backend runs as one primitive:
//  - GELU (erf form): x * 0.5 * (1 + erf(x / sqrt 2)) as PyTorch and Hugging Face export it
//    (Div or Mul by 1/sqrt 2, Erf, Add 1, then the two Muls in either grouping) -> Gelu.
//    Erf is a reference-only op, so the parts split across backends and never fused per backend.
//  - The channel shuffle of ShuffleNet-style networks: Reshape [N, C, H, W] -> [N, g, C/g, H, W],
//    Transpose (0, 2, 1, 3, 4), Reshape back to [N, C, H, W] -> ChannelShuffle(group g). Reshape
//    is reference-only, so a blocked oneDNN tensor went to plain and back around every shuffle.
// And a Pad with all-zero pads (PyTorch exports one before every AvgPool2d) is dropped: it is a
// copy, on the reference backend, between two oneDNN nodes.
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"
#include "passes/fusion.h"

#include <algorithm>
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

// The non-constant input of a binary node whose other input is the scalar `c`, if any.
std::optional<ir::ValueId> byScalar(const ir::Graph& g, const ir::Node* n, const char* op, float c,
                                    bool commutes) {
    if (!isBinary(n, op))
        return std::nullopt;
    if (near(scalarConstant(g, n->inputs[1]), c))
        return n->inputs[0];
    if (commutes && near(scalarConstant(g, n->inputs[0]), c))
        return n->inputs[1];
    return std::nullopt;
}

// 1 + erf(x / sqrt 2) produced at `v`, each part read once: x and the [Div, Erf, Add] nodes.
std::optional<std::pair<ir::ValueId, std::vector<ir::NodeId>>> matchErfPlusOne(const ir::Graph& g,
                                                                               ir::ValueId v) {
    const ir::Node* add = producerOf(g, v);
    if (!isBinary(add, "Add"))
        return std::nullopt;
    for (int k = 0; k < 2; ++k) {
        const ir::ValueId e = add->inputs[static_cast<size_t>(k)];
        if (!near(scalarConstant(g, add->inputs[static_cast<size_t>(1 - k)]), 1.0f))
            continue;
        const ir::Node* erf = producerOf(g, e);
        if (!isOp(erf, "Erf") || erf->outputs.size() != 1 || soleConsumer(g, e) != add)
            continue;
        const ir::Node* scale = producerOf(g, erf->inputs[0]);
        auto x = byScalar(g, scale, "Div", std::sqrt(2.0f), false);
        if (!x)
            x = byScalar(g, scale, "Mul", 1.0f / std::sqrt(2.0f), true);
        if (!x || soleConsumer(g, erf->inputs[0]) != erf)
            continue;
        return std::make_pair(*x, std::vector<ir::NodeId>{scale->id, erf->id, add->id});
    }
    return std::nullopt;
}

// Every GELU grouping rooted at `root`, the last Mul: (x * (1 + erf)) * 0.5 or (x * 0.5) * (1 +
// erf) (operands in either order). Returns x and the nodes, root last.
std::optional<std::pair<ir::ValueId, std::vector<ir::NodeId>>> matchGelu(const ir::Graph& g,
                                                                         const ir::Node& root) {
    if (!isBinary(&root, "Mul"))
        return std::nullopt;
    // (x * (1 + erf)) * 0.5
    if (auto inner = byScalar(g, &root, "Mul", 0.5f, true)) {
        const ir::Node* m = producerOf(g, *inner);
        if (isBinary(m, "Mul") && soleConsumer(g, *inner) == &root)
            for (int k = 0; k < 2; ++k) {
                auto erf = matchErfPlusOne(g, m->inputs[static_cast<size_t>(k)]);
                if (erf && erf->first == m->inputs[static_cast<size_t>(1 - k)] &&
                    soleConsumer(g, m->inputs[static_cast<size_t>(k)]) == m) {
                    erf->second.push_back(m->id);
                    erf->second.push_back(root.id);
                    return erf;
                }
            }
    }
    // (x * 0.5) * (1 + erf)
    for (int k = 0; k < 2; ++k) {
        const ir::ValueId a = root.inputs[static_cast<size_t>(k)];
        const ir::ValueId h = root.inputs[static_cast<size_t>(1 - k)];
        auto erf = matchErfPlusOne(g, a);
        const ir::Node* half = producerOf(g, h);
        auto x = byScalar(g, half, "Mul", 0.5f, true);
        if (erf && x && *x == erf->first && soleConsumer(g, a) == &root &&
            soleConsumer(g, h) == &root) {
            erf->second.push_back(half->id);
            erf->second.push_back(root.id);
            return erf;
        }
    }
    return std::nullopt;
}

std::optional<Shape> knownShape(const ir::Graph& g, ir::ValueId v) {
    if (v == ir::kNoValue || !g.value(v).shape)
        return std::nullopt;
    return concreteShape(*g.value(v).shape);
}

// The shuffle's group when `root` (the last Reshape) ends a channel shuffle of its input; the
// nodes [Reshape, Transpose, Reshape] go in `nodes`.
std::optional<int64_t> matchChannelShuffle(const ir::Graph& g, const ir::Node& root,
                                           std::vector<ir::NodeId>& nodes, ir::ValueId& x) {
    if (!isOp(&root, "Reshape") || root.outputs.size() != 1)
        return std::nullopt;
    const ir::Node* t = producerOf(g, root.inputs[0]);
    if (!isOp(t, "Transpose") || soleConsumer(g, root.inputs[0]) != &root ||
        intsAttr(*t, "perm") != std::vector<int64_t>{0, 2, 1, 3, 4})
        return std::nullopt;
    const ir::Node* r = producerOf(g, t->inputs[0]);
    if (!isOp(r, "Reshape") || soleConsumer(g, t->inputs[0]) != t)
        return std::nullopt;
    const auto in = knownShape(g, r->inputs[0]);
    const auto split = knownShape(g, r->outputs[0]);
    const auto out = knownShape(g, root.outputs[0]);
    if (!in || !split || !out || in->size() != 4 || split->size() != 5 || *out != *in)
        return std::nullopt;
    const Shape& s = *in;
    const Shape& p = *split;
    if (p[0] != s[0] || p[1] * p[2] != s[1] || p[3] != s[2] || p[4] != s[3] || p[1] < 1)
        return std::nullopt;
    nodes = {r->id, t->id, root.id};
    x = r->inputs[0];
    return p[1];
}

ir::Node makeNode(const std::string& name, const std::string& op, ir::ValueId input) {
    ir::Node n;
    n.name = name;
    n.domain = ops::kLayerBenchDomain;
    n.opType = op;
    n.inputs = {input};
    return n;
}

} // namespace

bool FuseGelu::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id))
            continue;
        const ir::Node& root = g.node(id);
        if (auto gelu = matchGelu(g, root)) {
            replaceNodes(g, gelu->second, makeNode(root.name, "Gelu", gelu->first));
            changed = true;
        }
    }
    return changed;
}

bool FuseChannelShuffle::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id))
            continue;
        const ir::Node& root = g.node(id);
        std::vector<ir::NodeId> nodes;
        ir::ValueId x = ir::kNoValue;
        if (auto group = matchChannelShuffle(g, root, nodes, x)) {
            ir::Node n = makeNode(root.name, "ChannelShuffle", x);
            ir::Attribute a;
            a.name = "group";
            a.type = ir::AttributeType::Int;
            a.i = *group;
            n.attributes = {a};
            replaceNodes(g, nodes, std::move(n));
            changed = true;
        }
    }
    return changed;
}

bool RemoveNoOpPads::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id))
            continue;
        const ir::Node& n = g.node(id);
        if (!isOp(&n, "Pad") || n.outputs.size() != 1 || n.inputs.empty() ||
            g.isGraphOutput(n.outputs[0]))
            continue;
        std::vector<int64_t> pads;
        if (const ir::Attribute* a = n.attribute("pads")) { // opset < 11
            pads = a->ints;
        } else {
            const Tensor* t = constantInput(g, n, 1);
            if (!t || t->dtype() != DataType::Int64)
                continue;
            pads.assign(t->data<int64_t>(), t->data<int64_t>() + t->numel());
        }
        if (pads.empty() || std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p != 0; }))
            continue;
        const ir::ValueId x = n.inputs[0], y = n.outputs[0];
        const std::vector<ir::NodeId> readers = g.value(y).consumers;
        for (ir::NodeId r : readers)
            for (size_t slot = 0; slot < g.node(r).inputs.size(); ++slot)
                if (g.node(r).inputs[slot] == y)
                    g.replaceInput(r, slot, x);
        g.removeNode(id);
        changed = true;
    }
    return changed;
}

} // namespace lb::passes
