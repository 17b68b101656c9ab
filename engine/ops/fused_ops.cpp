#include "ops/fused_ops.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::ops {

float Activation::apply(float x) const {
    switch (kind) {
    case ActivationKind::None:
        return x;
    case ActivationKind::Relu:
        return x > 0.0f ? x : 0.0f;
    case ActivationKind::Clip:
        return std::min(std::max(x, alpha), beta);
    case ActivationKind::Sigmoid:
        return 1.0f / (1.0f + std::exp(-x));
    case ActivationKind::HardSigmoid:
        return std::max(0.0f, std::min(1.0f, alpha * x + beta));
    case ActivationKind::HardSwish:
        return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f));
    case ActivationKind::LeakyRelu:
        return x >= 0.0f ? x : alpha * x;
    case ActivationKind::Tanh:
        return std::tanh(x);
    case ActivationKind::Swish:
        return x / (1.0f + std::exp(-x));
    case ActivationKind::Gelu:
        return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    }
    return x;
}

std::string Activation::name() const {
    switch (kind) {
    case ActivationKind::None:
        return "";
    case ActivationKind::Relu:
        return "Relu";
    case ActivationKind::Clip:
        return "Clip";
    case ActivationKind::Sigmoid:
        return "Sigmoid";
    case ActivationKind::HardSigmoid:
        return "HardSigmoid";
    case ActivationKind::HardSwish:
        return "HardSwish";
    case ActivationKind::LeakyRelu:
        return "LeakyRelu";
    case ActivationKind::Tanh:
        return "Tanh";
    case ActivationKind::Swish:
        return "Swish";
    case ActivationKind::Gelu:
        return "Gelu";
    }
    return "";
}

Activation fusedActivation(const ir::Node& node) {
    Activation act;
    const ir::Attribute* a = node.attribute("activation");
    if (!a || a->s.empty())
        return act;
    const ir::Attribute* p = node.attribute("activation_params");
    const std::vector<float> params = p ? p->floats : std::vector<float>{};
    auto needParams = [&](size_t n) {
        if (params.size() != n)
            fail("node ", quoted(node.name), " (", node.opType, "): activation ", a->s, " takes ",
                 n, " activation_params, got ", params.size());
    };
    const std::string& s = a->s;
    if (s == "Relu") {
        act.kind = ActivationKind::Relu;
    } else if (s == "Sigmoid") {
        act.kind = ActivationKind::Sigmoid;
    } else if (s == "Tanh") {
        act.kind = ActivationKind::Tanh;
    } else if (s == "HardSwish") {
        act.kind = ActivationKind::HardSwish;
    } else if (s == "Swish") {
        act.kind = ActivationKind::Swish;
    } else if (s == "Gelu") {
        act.kind = ActivationKind::Gelu;
    } else if (s == "Clip") {
        needParams(2);
        act = {ActivationKind::Clip, params[0], params[1]};
    } else if (s == "HardSigmoid") {
        needParams(2);
        act = {ActivationKind::HardSigmoid, params[0], params[1]};
    } else if (s == "LeakyRelu") {
        needParams(1);
        act = {ActivationKind::LeakyRelu, params[0], 0.0f};
    } else {
        fail("node ", quoted(node.name), " (", node.opType, "): unknown activation ", quoted(s));
    }
    return act;
}

void setFusedActivation(ir::Node& node, const Activation& activation) {
    auto& attrs = node.attributes;
    attrs.erase(std::remove_if(attrs.begin(), attrs.end(),
                               [](const ir::Attribute& a) {
                                   return a.name == "activation" || a.name == "activation_params";
                               }),
                attrs.end());
    if (activation.kind == ActivationKind::None)
        return;
    ir::Attribute name;
    name.name = "activation";
    name.type = ir::AttributeType::String;
    name.s = activation.name();
    attrs.push_back(name);
    ir::Attribute params;
    params.name = "activation_params";
    params.type = ir::AttributeType::Floats;
    switch (activation.kind) {
    case ActivationKind::Clip:
    case ActivationKind::HardSigmoid:
        params.floats = {activation.alpha, activation.beta};
        break;
    case ActivationKind::LeakyRelu:
        params.floats = {activation.alpha};
        break;
    default:
        break;
    }
    if (!params.floats.empty())
        attrs.push_back(params);
}

namespace {
float floatAttr(const ir::Node& n, const char* name, float fallback) {
    const ir::Attribute* a = n.attribute(name);
    return a ? a->f : fallback;
}

std::optional<float> scalarInitializer(const ir::Graph& g, const ir::Node& n, size_t slot) {
    if (slot >= n.inputs.size() || n.inputs[slot] == ir::kNoValue)
        return std::nullopt;
    const Tensor* t = g.initializer(n.inputs[slot]);
    if (!t || t->numel() != 1 || !isFloatingPoint(t->dtype()))
        return std::nullopt;
    return static_cast<float>(t->valueAsDouble(0));
}
} // namespace

std::optional<Activation> activationOf(const ir::Graph& graph, const ir::Node& node) {
    if (!node.domain.empty() && node.domain != "ai.onnx")
        return std::nullopt;
    const std::string& op = node.opType;
    if (op == "Relu")
        return Activation{ActivationKind::Relu};
    if (op == "Sigmoid")
        return Activation{ActivationKind::Sigmoid};
    if (op == "Tanh")
        return Activation{ActivationKind::Tanh};
    if (op == "HardSwish")
        return Activation{ActivationKind::HardSwish};
    if (op == "LeakyRelu")
        return Activation{ActivationKind::LeakyRelu, floatAttr(node, "alpha", 0.01f)};
    if (op == "HardSigmoid")
        return Activation{ActivationKind::HardSigmoid, floatAttr(node, "alpha", 0.2f),
                          floatAttr(node, "beta", 0.5f)};
    if (op == "Clip") {
        constexpr float kInf = std::numeric_limits<float>::infinity();
        float lo = -kInf, hi = kInf;
        if (node.attribute("min") || node.attribute("max")) { // opset < 11
            lo = floatAttr(node, "min", -kInf);
            hi = floatAttr(node, "max", kInf);
        } else {
            if (node.inputs.size() > 1 && node.inputs[1] != ir::kNoValue) {
                auto v = scalarInitializer(graph, node, 1);
                if (!v)
                    return std::nullopt;
                lo = *v;
            }
            if (node.inputs.size() > 2 && node.inputs[2] != ir::kNoValue) {
                auto v = scalarInitializer(graph, node, 2);
                if (!v)
                    return std::nullopt;
                hi = *v;
            }
        }
        if (lo == 0.0f && hi == kInf)
            return Activation{ActivationKind::Relu};
        return Activation{ActivationKind::Clip, lo, hi};
    }
    return std::nullopt;
}

} // namespace lb::ops
