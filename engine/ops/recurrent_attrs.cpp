#include "ops/recurrent_attrs.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace lb::ops {

namespace {

using Kind = RecurrentActivationKind;

struct KindInfo {
    const char* name; // lower case; names compare case-insensitively (ORT does the same)
    Kind kind;
    int params;  // 0: none, 1: alpha, 2: alpha and beta
    float alpha; // defaults: those of the ONNX op of the same name (spec: "the same as of
    float beta;  // corresponding ONNX operators")
};

constexpr KindInfo kKinds[] = {
    {"relu", Kind::Relu, 0, 0.0f, 0.0f},
    {"tanh", Kind::Tanh, 0, 0.0f, 0.0f},
    {"sigmoid", Kind::Sigmoid, 0, 0.0f, 0.0f},
    {"affine", Kind::Affine, 2, 1.0f, 0.0f},
    {"leakyrelu", Kind::LeakyRelu, 1, 0.01f, 0.0f},
    {"thresholdedrelu", Kind::ThresholdedRelu, 1, 1.0f, 0.0f},
    {"scaledtanh", Kind::ScaledTanh, 2, 1.0f, 1.0f},
    {"hardsigmoid", Kind::HardSigmoid, 2, 0.2f, 0.5f},
    {"elu", Kind::Elu, 1, 1.0f, 0.0f},
    {"softsign", Kind::Softsign, 0, 0.0f, 0.0f},
    {"softplus", Kind::Softplus, 0, 0.0f, 0.0f},
};

const KindInfo* findKind(const std::string& name) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const KindInfo& k : kKinds)
        if (lower == k.name)
            return &k;
    return nullptr;
}

std::vector<std::string> defaultActivationNames(RecurrentCell cell) {
    switch (cell) {
    case RecurrentCell::Rnn:
        return {"Tanh"};
    case RecurrentCell::Gru:
        return {"Sigmoid", "Tanh"};
    case RecurrentCell::Lstm:
        return {"Sigmoid", "Tanh", "Tanh"};
    }
    return {};
}

} // namespace

float RecurrentActivation::operator()(float x) const {
    switch (kind) {
    case Kind::Relu:
        return std::max(x, 0.0f);
    case Kind::Tanh:
        return std::tanh(x);
    case Kind::Sigmoid:
        return 1.0f / (1.0f + std::exp(-x));
    case Kind::Affine:
        return alpha * x + beta;
    case Kind::LeakyRelu:
        return x >= 0.0f ? x : alpha * x;
    case Kind::ThresholdedRelu:
        return x >= alpha ? x : 0.0f;
    case Kind::ScaledTanh:
        return alpha * std::tanh(beta * x);
    case Kind::HardSigmoid:
        return std::clamp(alpha * x + beta, 0.0f, 1.0f);
    case Kind::Elu:
        return x >= 0.0f ? x : alpha * (std::exp(x) - 1.0f);
    case Kind::Softsign:
        return x / (1.0f + std::fabs(x));
    case Kind::Softplus:
        return std::log1p(std::exp(x));
    }
    return x;
}

int64_t RecurrentAttrs::gates() const {
    return cell == RecurrentCell::Rnn ? 1 : cell == RecurrentCell::Gru ? 3 : 4;
}

size_t RecurrentAttrs::activationsPerDirection() const {
    return cell == RecurrentCell::Rnn ? 1 : cell == RecurrentCell::Gru ? 2 : 3;
}

bool RecurrentAttrs::defaultActivations() const {
    const std::vector<std::string> names = defaultActivationNames(cell);
    for (size_t i = 0; i < activations.size(); ++i)
        if (activations[i].kind != findKind(names[i % names.size()])->kind)
            return false;
    return true;
}

RecurrentAttrs parseRecurrentAttrs(const NodeAttrs& a) {
    RecurrentAttrs r;
    const std::string& op = a.node().opType;
    if (op == "RNN")
        r.cell = RecurrentCell::Rnn;
    else if (op == "GRU")
        r.cell = RecurrentCell::Gru;
    else if (op == "LSTM")
        r.cell = RecurrentCell::Lstm;
    else
        a.fail("not a recurrent op (RNN, GRU or LSTM)");

    r.hiddenSize = a.getInt("hidden_size", -1);
    if (a.has("hidden_size") && r.hiddenSize <= 0)
        a.fail("hidden_size should be positive, got ", r.hiddenSize);
    const std::string direction = a.getString("direction", "forward");
    if (direction == "bidirectional")
        r.directions = 2;
    else if (direction == "reverse")
        r.reverse = true;
    else if (direction != "forward")
        a.fail("direction should be forward, reverse or bidirectional, got '", direction, "'");
    r.layout = a.getInt("layout", 0);
    if (r.layout != 0 && r.layout != 1)
        a.fail("layout should be 0 or 1, got ", r.layout);
    if (a.has("clip")) {
        r.clip = a.getFloat("clip", 0.0f);
        if (!(r.clip > 0.0f))
            a.fail("clip should be positive, got ", r.clip);
    }
    r.inputForget = r.cell == RecurrentCell::Lstm && a.getInt("input_forget", 0) != 0;
    r.linearBeforeReset = r.cell == RecurrentCell::Gru && a.getInt("linear_before_reset", 0) != 0;

    const size_t perDirection = r.activationsPerDirection();
    std::vector<std::string> names;
    if (const ir::Attribute* list = a.node().attribute("activations")) {
        if (list->type != ir::AttributeType::Strings)
            a.fail("attribute 'activations' should be of type ",
                   ir::attributeTypeName(ir::AttributeType::Strings), ", got ",
                   ir::attributeTypeName(list->type));
        names = list->strings;
    }
    if (names.empty())
        names = defaultActivationNames(r.cell);
    // A bidirectional node may list one direction's functions; both directions then use them.
    if (r.directions == 2 && names.size() == perDirection) {
        const std::vector<std::string> once = names;
        names.insert(names.end(), once.begin(), once.end());
    }
    if (names.size() != perDirection * static_cast<size_t>(r.directions))
        a.fail("activations should list ", perDirection * static_cast<size_t>(r.directions),
               " functions (", perDirection, " per direction), got ", names.size());
    // activation_alpha / activation_beta are consumed in order by the functions that take them.
    const std::vector<float> alphas = a.getFloats("activation_alpha");
    const std::vector<float> betas = a.getFloats("activation_beta");
    size_t nextAlpha = 0, nextBeta = 0;
    for (const std::string& name : names) {
        const KindInfo* k = findKind(name);
        if (!k)
            a.fail("activation '", name,
                   "' is not one of Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, "
                   "ScaledTanh, HardSigmoid, Elu, Softsign, Softplus");
        RecurrentActivation act{k->kind, k->alpha, k->beta};
        if (k->params >= 1 && nextAlpha < alphas.size())
            act.alpha = alphas[nextAlpha++];
        if (k->params >= 2 && nextBeta < betas.size())
            act.beta = betas[nextBeta++];
        r.activations.push_back(act);
    }
    return r;
}

} // namespace lb::ops
