#include "lowering/fusions.h"
#include "lowering/rewrite_util.h"
#include "ops/fused_ops.h"

#include <algorithm>

namespace lb::lowering {

namespace {

// ReduceMean over trailing axes with keepdims; returns how many trailing axes, or 0.
int64_t trailingMeanAxes(const ir::Graph& g, const ir::Node* n) {
    if (!isOp(n, "ReduceMean") || n->inputs.size() != 1 || n->outputs.size() != 1 ||
        intAttr(*n, "keepdims", 1) != 1)
        return 0;
    const auto& s = g.value(n->inputs[0]).shape;
    if (!s || s->empty())
        return 0;
    const auto rank = static_cast<int64_t>(s->size());
    std::vector<int64_t> axes = intsAttr(*n, "axes");
    if (axes.empty())
        return 0; // all axes: not a layer norm over features
    for (int64_t& a : axes)
        a = a < 0 ? a + rank : a;
    std::sort(axes.begin(), axes.end());
    for (size_t k = 0; k < axes.size(); ++k)
        if (axes[k] != rank - static_cast<int64_t>(axes.size()) + static_cast<int64_t>(k))
            return 0;
    return static_cast<int64_t>(axes.size());
}

const ir::Node* binaryWithScalar(const ir::Graph& g, const ir::Node* n, const char* op,
                                 ir::ValueId x, float* value) {
    if (!isOp(n, op) || n->inputs.size() != 2 || n->inputs[0] != x)
        return nullptr;
    auto c = scalarConstant(g, n->inputs[1]);
    if (!c)
        return nullptr;
    *value = *c;
    return n;
}

// A float32 constant of `inner` values laid out on the trailing axes (leading 1s allowed).
const Tensor* featureConstant(const ir::Graph& g, ir::ValueId v, int64_t inner, size_t rank) {
    const Tensor* t = g.initializer(v);
    if (!t || t->dtype() != DataType::Float32 || t->numel() != inner ||
        static_cast<size_t>(t->rank()) > rank)
        return nullptr;
    return t;
}

// The decomposed form rooted at Div(d, sqrt(mean(d^2) + eps)), d = x - mean(x): the nodes, x,
// the axis count and epsilon.
struct LayerNormMatch {
    std::vector<ir::NodeId> nodes;
    ir::ValueId x = ir::kNoValue;
    int64_t axes = 0;
    float epsilon = 0;
};

std::optional<LayerNormMatch> matchCore(const ir::Graph& g, const ir::Node& div) {
    if (!isOp(&div, "Div") || div.inputs.size() != 2 || div.outputs.size() != 1)
        return std::nullopt;
    const ir::ValueId d = div.inputs[0];
    const ir::Node* sub = producerOf(g, d);
    const ir::Node* sqrt = producerOf(g, div.inputs[1]);
    if (!isOp(sub, "Sub") || !isOp(sqrt, "Sqrt") || soleConsumer(g, div.inputs[1]) != &div)
        return std::nullopt;
    const ir::Node* mean = producerOf(g, sub->inputs[1]);
    const int64_t axes = trailingMeanAxes(g, mean);
    if (!axes || mean->inputs[0] != sub->inputs[0] || soleConsumer(g, mean->outputs[0]) != sub)
        return std::nullopt;
    float two = 0;
    const ir::Node* addNode = producerOf(g, sqrt->inputs[0]);
    if (!isOp(addNode, "Add") || addNode->inputs.size() != 2 ||
        soleConsumer(g, addNode->outputs[0]) != sqrt)
        return std::nullopt;
    auto e = scalarConstant(g, addNode->inputs[1]);
    if (!e || *e < 0)
        return std::nullopt;
    const ir::Node* var = producerOf(g, addNode->inputs[0]);
    if (trailingMeanAxes(g, var) != axes || soleConsumer(g, var->outputs[0]) != addNode)
        return std::nullopt;
    const ir::Node* pow = binaryWithScalar(g, producerOf(g, var->inputs[0]), "Pow", d, &two);
    if (!pow || two != 2.0f || soleConsumer(g, pow->outputs[0]) != var)
        return std::nullopt;
    // d feeds exactly the Pow and the Div.
    const auto& readers = g.value(d).consumers;
    if (readers.size() != 2 || g.isGraphOutput(d))
        return std::nullopt;
    LayerNormMatch m;
    m.nodes = {mean->id, sub->id, pow->id, var->id, addNode->id, sqrt->id, div.id};
    m.x = sub->inputs[0];
    m.axes = axes;
    m.epsilon = *e;
    return m;
}

} // namespace

int fuseLayerNorm(ir::Graph& g, const NodeFilter& mine, const Accept& accept) {
    int count = 0;
    for (ir::NodeId id : g.topologicalOrder()) {
        if (!g.isAlive(id))
            continue;
        auto m = matchCore(g, g.node(id));
        if (!m)
            continue;
        const auto& xs = g.value(m->x).shape;
        if (!xs)
            continue;
        std::optional<int64_t> inner = 1;
        for (size_t d = xs->size() - static_cast<size_t>(m->axes); d < xs->size(); ++d)
            inner = (*xs)[d].isKnown() && inner ? std::optional<int64_t>(*inner * (*xs)[d].value)
                                                : std::nullopt;
        if (!inner)
            continue;
        // Optional * gamma and + beta on the features.
        ir::ValueId y = g.node(id).outputs[0];
        std::vector<ir::NodeId> nodes = m->nodes;
        Tensor gamma(DataType::Float32, {*inner}), beta(DataType::Float32, {*inner});
        for (float& v : gamma.span<float>())
            v = 1.0f;
        const ir::Node* mul = soleConsumer(g, y);
        if (isOp(mul, "Mul") && mul->inputs.size() == 2 && mul->inputs[0] == y)
            if (const Tensor* t = featureConstant(g, mul->inputs[1], *inner, xs->size())) {
                gamma = t->clone().reshaped({*inner});
                nodes.push_back(mul->id);
                y = mul->outputs[0];
            }
        const ir::Node* add = soleConsumer(g, y);
        if (isOp(add, "Add") && add->inputs.size() == 2 && add->inputs[0] == y)
            if (const Tensor* t = featureConstant(g, add->inputs[1], *inner, xs->size())) {
                beta = t->clone().reshaped({*inner});
                nodes.push_back(add->id);
            }
        ir::Node ln;
        ln.name = g.node(nodes.back()).name;
        ln.domain = ops::kLayerBenchDomain;
        ln.opType = "LayerNormalization";
        const std::string base = g.node(id).name;
        ln.attributes = {ir::intAttribute("axis", -m->axes),
                         ir::floatAttribute("epsilon", m->epsilon)};
        if (!std::all_of(nodes.begin(), nodes.end(), mine))
            continue; // the match spans another backend's nodes
        ln.inputs = {m->x, addInitializer(g, base + "_ln_scale", std::move(gamma)),
                     addInitializer(g, base + "_ln_bias", std::move(beta))};
        ln.outputs = g.node(nodes.back()).outputs;
        if (!accept(ln))
            continue; // (its two new initializers stay unread)
        replaceNodes(g, nodes, std::move(ln));
        ++count;
    }
    return count;
}

} // namespace lb::lowering
