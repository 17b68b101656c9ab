#include "passes/conv_folding.h"

#include "lowering/rewrite_util.h"

#include <algorithm>
#include <cmath>

namespace lb::passes {

using namespace lb::lowering; // the rewrite helpers

namespace {

// A plain Conv, or a ConvTranspose with one group, whose weights (and bias, if any) are float32
// initializers. Conv's W is (C_out, C_in/g, k...), ConvTranspose's (C_in, C_out, k...).
struct ConvMatch {
    const ir::Node* conv = nullptr;
    const Tensor* weights = nullptr;
    const Tensor* bias = nullptr; // may be null
    int64_t outChannels = 0;
    bool transposed = false;
};

std::optional<ConvMatch> matchConv(const ir::Graph& g, const ir::Node* n) {
    const bool transposed = isOp(n, "ConvTranspose");
    if (!(isOp(n, "Conv") || (transposed && intAttr(*n, "group", 1) == 1)) ||
        n->inputs.size() < 2 || n->outputs.size() != 1)
        return std::nullopt;
    ConvMatch m;
    m.conv = n;
    m.transposed = transposed;
    m.weights = constantInput(g, *n, 1);
    if (!m.weights || m.weights->dtype() != DataType::Float32 || m.weights->rank() < 3)
        return std::nullopt;
    m.outChannels = m.weights->shape()[transposed ? 1 : 0];
    if (n->inputs.size() > 2 && n->inputs[2] != ir::kNoValue) {
        m.bias = constantInput(g, *n, 2);
        if (!m.bias || m.bias->dtype() != DataType::Float32 || m.bias->numel() != m.outChannels)
            return std::nullopt;
    }
    return m;
}

// Per-output-channel values of a constant: a scalar repeated, or C values laid out along the
// channel axis of an NCHW result ([C,1,1], [1,C,1,1], ...).
std::optional<std::vector<float>> perChannel(const Tensor* t, int64_t channels, size_t outputRank) {
    if (!t || t->dtype() != DataType::Float32)
        return std::nullopt;
    if (t->numel() == 1)
        return std::vector<float>(static_cast<size_t>(channels), t->data<float>()[0]);
    if (t->numel() != channels || static_cast<size_t>(t->rank()) > outputRank)
        return std::nullopt;
    // After right-aligned broadcasting the non-1 dimension must be the channel axis (1).
    const auto& s = t->shape();
    const size_t offset = outputRank - s.size();
    for (size_t d = 0; d < s.size(); ++d)
        if (s[d] != 1 && d + offset != 1)
            return std::nullopt;
    return std::vector<float>(t->data<float>(), t->data<float>() + channels);
}

// BatchNormalization parameters: one float per channel.
std::optional<std::vector<float>> channelVector(const Tensor* t, int64_t channels) {
    if (!t || t->dtype() != DataType::Float32 || t->numel() != channels)
        return std::nullopt;
    return std::vector<float>(t->data<float>(), t->data<float>() + channels);
}

// Replaces conv + follower by a Conv with new weights and bias.
void rewrite(ir::Graph& g, const ConvMatch& m, const ir::Node& follower, const Tensor& weights,
             const Tensor& bias) {
    ir::Node conv = *m.conv;
    conv.id = ir::kNoNode;
    conv.fusedFrom.clear();
    const ir::ValueId w = addInitializer(g, g.value(m.conv->inputs[1]).name + "_folded", weights);
    const ir::ValueId b = addInitializer(g, m.conv->name + "_bias_folded", bias);
    conv.inputs = {m.conv->inputs[0], w, b};
    conv.implicitInputs.clear();
    replaceNodes(g, {m.conv->id, follower.id}, std::move(conv));
}

Tensor biasOrZero(const ConvMatch& m) {
    if (m.bias)
        return m.bias->clone();
    return Tensor(DataType::Float32, {m.outChannels});
}

Tensor scaleWeights(const ConvMatch& m, const std::vector<float>& scale) {
    Tensor w = m.weights->clone();
    // Output channel c owns `inner` consecutive weights, `outer` times (C_in of ConvTranspose).
    const int64_t outer = m.transposed ? w.shape()[0] : 1;
    const int64_t inner = w.numel() / (outer * m.outChannels);
    float* p = w.data<float>();
    for (int64_t i = 0; i < outer; ++i)
        for (int64_t c = 0; c < m.outChannels; ++c)
            for (int64_t k = 0; k < inner; ++k)
                p[(i * m.outChannels + c) * inner + k] *= scale[static_cast<size_t>(c)];
    return w;
}

} // namespace

bool FoldBatchNormIntoConv::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.nodeIds()) {
        if (!g.isAlive(id))
            continue;
        auto m = matchConv(g, &g.node(id));
        if (!m)
            continue;
        const ir::Node* bn = soleConsumer(g, m->conv->outputs[0]);
        if (!isOp(bn, "BatchNormalization") || bn->inputs.size() < 5 ||
            bn->inputs[0] != m->conv->outputs[0])
            continue;
        // Training-mode outputs (running mean/var) must be unused.
        bool extraOutputs = false;
        for (size_t o = 1; o < bn->outputs.size(); ++o)
            extraOutputs =
                extraOutputs ||
                (bn->outputs[o] != ir::kNoValue &&
                 (!g.value(bn->outputs[o]).consumers.empty() || g.isGraphOutput(bn->outputs[o])));
        if (extraOutputs || intAttr(*bn, "training_mode", 0) != 0)
            continue;
        auto gamma = channelVector(constantInput(g, *bn, 1), m->outChannels);
        auto beta = channelVector(constantInput(g, *bn, 2), m->outChannels);
        auto mean = channelVector(constantInput(g, *bn, 3), m->outChannels);
        auto var = channelVector(constantInput(g, *bn, 4), m->outChannels);
        if (!gamma || !beta || !mean || !var)
            continue;
        const float eps = floatAttr(*bn, "epsilon", 1e-5f);
        std::vector<float> scale(static_cast<size_t>(m->outChannels));
        Tensor bias = biasOrZero(*m);
        for (size_t c = 0; c < scale.size(); ++c) {
            // Double precision for the folded constants keeps the result closest to the
            // unfolded graph.
            const double s =
                static_cast<double>((*gamma)[c]) / std::sqrt(static_cast<double>((*var)[c]) + eps);
            scale[c] = static_cast<float>(s);
            bias.data<float>()[c] = static_cast<float>(
                (static_cast<double>(bias.data<float>()[c]) - (*mean)[c]) * s + (*beta)[c]);
        }
        rewrite(g, *m, *bn, scaleWeights(*m, scale), bias);
        changed = true;
    }
    return changed;
}

bool FoldAffineIntoConv::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.nodeIds()) {
        if (!g.isAlive(id))
            continue;
        auto m = matchConv(g, &g.node(id));
        if (!m)
            continue;
        const ir::ValueId y = m->conv->outputs[0];
        const ir::Node* op = soleConsumer(g, y);
        if (!op || op->inputs.size() != 2 || !(op->domain.empty() || op->domain == "ai.onnx"))
            continue;
        const bool convFirst = op->inputs[0] == y;
        const ir::ValueId other = convFirst ? op->inputs[1] : op->inputs[0];
        if (other == y)
            continue;
        const ir::Value& yInfo = g.value(y);
        const size_t outRank = yInfo.shape ? yInfo.shape->size() : m->weights->shape().size();
        auto c = perChannel(g.initializer(other), m->outChannels, outRank);
        if (!c)
            continue;
        // The result must keep the conv output's shape (the constant may not broadcast it up).
        if (g.initializer(other)->rank() > static_cast<int64_t>(outRank))
            continue;
        Tensor bias = biasOrZero(*m);
        float* b = bias.data<float>();
        const std::string& t = op->opType;
        if (t == "Mul" || (t == "Div" && convFirst)) {
            std::vector<float> scale = *c;
            if (t == "Div") {
                if (std::any_of(scale.begin(), scale.end(), [](float v) { return v == 0.0f; }))
                    continue;
                for (float& v : scale)
                    v = 1.0f / v;
            }
            for (size_t k = 0; k < scale.size(); ++k)
                b[k] *= scale[k];
            rewrite(g, *m, *op, scaleWeights(*m, scale), bias);
        } else if (t == "Add" || (t == "Sub" && convFirst)) {
            for (size_t k = 0; k < c->size(); ++k)
                b[k] += t == "Add" ? (*c)[k] : -(*c)[k];
            rewrite(g, *m, *op, m->weights->clone(), bias);
        } else {
            continue;
        }
        changed = true;
    }
    return changed;
}

} // namespace lb::passes
