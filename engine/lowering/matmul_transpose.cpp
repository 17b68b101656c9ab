#include "lowering/fusions.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"

namespace lb::lowering {

namespace {

bool kept(const ir::Graph& g, ir::ValueId v, const std::set<std::string>* keep) {
    return keep && keep->count(g.value(v).name);
}

// The Transpose behind `v` when it only swaps the last two axes and the MatMul reading `v` is its
// only reader: the MatMul then reads the Transpose's input through swapped strides.
const ir::Node* swapLastTwo(const ir::Graph& g, ir::ValueId v, const NodeFilter& mine,
                            const std::set<std::string>* keep) {
    const ir::Node* t = producerOf(g, v);
    if (!isOp(t, "Transpose") || !mine(t->id) || t->inputs.size() != 1 || t->outputs.size() != 1 ||
        kept(g, v, keep) || !soleConsumer(g, v))
        return nullptr;
    const std::vector<int64_t> perm = intsAttr(*t, "perm");
    const size_t r = perm.size();
    if (r < 2 || perm[r - 2] != static_cast<int64_t>(r - 1) ||
        perm[r - 1] != static_cast<int64_t>(r - 2))
        return nullptr;
    for (size_t d = 0; d + 2 < r; ++d)
        if (perm[d] != static_cast<int64_t>(d))
            return nullptr;
    return t;
}

// y * c or y / c for a scalar constant c that does not broadcast y up: the factor, else nullopt.
std::optional<float> scaleOf(const ir::Graph& g, const ir::Node& op, ir::ValueId y) {
    if (op.inputs.size() != 2 || op.outputs.size() != 1)
        return std::nullopt;
    const bool yFirst = op.inputs[0] == y;
    const ir::ValueId other = yFirst ? op.inputs[1] : op.inputs[0];
    const auto c = other == y ? std::nullopt : scalarConstant(g, other);
    const auto& ys = g.value(y).shape;
    if (!c || !ys || g.initializer(other)->rank() > static_cast<int64_t>(ys->size()))
        return std::nullopt;
    if (isOp(&op, "Mul"))
        return *c;
    if (isOp(&op, "Div") && yFirst && *c != 0.0f)
        return 1.0f / *c;
    return std::nullopt;
}

} // namespace

int fuseMatMulTranspose(ir::Graph& g, const NodeFilter& mine, const Accept& accept,
                        const std::set<std::string>* keep) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id) || !mine(id))
            continue;
        const ir::Node& mm = g.node(id);
        if (!isOp(&mm, "MatMul") || mm.inputs.size() != 2 || mm.outputs.size() != 1)
            continue;
        std::vector<ir::NodeId> old;
        ir::Node fused = mm;
        fused.id = ir::kNoNode;
        fused.domain = ops::kLayerBenchDomain;
        fused.opType = "StridedMatMul";
        for (size_t slot = 0; slot < 2; ++slot)
            if (const ir::Node* t = swapLastTwo(g, mm.inputs[slot], mine, keep)) {
                old.push_back(t->id);
                fused.inputs[slot] = t->inputs[0];
                fused.attributes.push_back(ir::intAttribute(slot == 0 ? "transA" : "transB", 1));
            }
        old.push_back(id);
        const ir::ValueId y = mm.outputs[0];
        const ir::Node* next = kept(g, y, keep) ? nullptr : soleConsumer(g, y);
        if (next && mine(next->id))
            if (const auto scale = scaleOf(g, *next, y)) {
                fused.attributes.push_back(ir::floatAttribute("alpha", *scale));
                fused.outputs = next->outputs;
                old.push_back(next->id);
            }
        if (old.size() == 1 || !accept(fused))
            continue;
        replaceNodes(g, old, std::move(fused));
        ++count;
    }
    return count;
}

} // namespace lb::lowering
