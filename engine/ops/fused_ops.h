#pragma once

// Ops that LayerBench's graph passes create. They live in the domain "ai.layerbench" and never
// reach an exported ONNX file (exports start from the user's graph).
//
// FusedConv(X, W, [B], [Z]) -> Y    the ONNX Conv attributes, plus
//     activation         string  "" (none), Relu, Clip, Sigmoid, HardSigmoid, HardSwish,
//                                LeakyRelu, Tanh, Swish, Gelu
//     activation_params  floats  Clip: [min, max]; HardSigmoid: [alpha, beta]; LeakyRelu: [alpha]
//     output_affine      floats  optional [scale, shift] applied last (a scalar Mul/Add chain
//                                folded in by passes::FuseConvOutputAffine)
//   Y = activation(Conv(X, W, B) + Z) * scale + shift; Z (a residual Add folded in) has Y's
//   shape.
// FusedConvDw(X, W, [B], Wdw, [Bdw]) -> Y   a 1x1 Conv (group 1, stride 1, no pads) with
//   activation / activation_params, read only by a depthwise 3x3 Conv (group = W's M, pads 1,
//   strides dw_strides [1, 1] or [2, 2]) with dw_activation / dw_activation_params:
//   Y = dw_activation(DwConv(activation(Conv(X, W, B)), Wdw, Bdw)) (the oneDNN lowering's
//   lowering::fuseConvDepthwise: inverted-residual blocks).
// FusedGemm(A, B, [C]) -> Y          the ONNX Gemm attributes plus activation/activation_params;
//   Y = activation(Gemm(A, B, C)).
// FusedMatMul(A, B, Bias, [Z]) -> Y  ONNX MatMul of A [..., M, K] and a 2-D B [K, N], plus a
//   Bias of N values (any shape of N elements) added to every row, plus an optional residual Z
//   of Y's shape, plus activation / activation_params as above:
//   Y = activation(MatMul(A, B) + Bias + Z) (a Linear layer as PyTorch exports it for inputs of
//   rank > 2: MatMul then Add, then maybe the skip connection's Add; the oneDNN lowering).
// StridedMatMul(A, B) -> Y           ONNX MatMul of A and B where transA / transB (ints, 0 or 1)
//   swap the last two axes of A / B first, and float alpha scales the product:
//   Y = alpha * MatMul(A', B') (attention's Q * Transpose(K) * (1 / sqrt(d)): the oneDNN
//   lowering's lowering::fuseMatMulTranspose).
// ConcatBatchNormalization(Scale, B, Mean, Var, X1, X2, ...) -> Y   a channel (axis 1) Concat of
//   X1.. normalized as ONNX BatchNormalization (inference, epsilon) with optional activation Relu:
//   Y = act(BN(Concat(X1, X2, ...))), each input written into its own channel slice (the oneDNN
//   lowering's lowering::fuseConcatNorm: DenseNet's dense layers).
// LayerNormalization(X, Scale, B) -> Y   ONNX-17 LayerNormalization (axis, epsilon; one output)
//   in this domain, for graphs whose opset predates it (passes::FuseLayerNorm).
// HardSwish in the default domain is also emitted for the decomposed x*relu6(x+3)/6 patterns
// whatever the model's opset (its semantics never changed).

#include "ir/graph.h"

#include <string>
#include <vector>

namespace lb::ops {

inline constexpr const char* kLayerBenchDomain = "ai.layerbench";

// Swish (x * sigmoid(x), SiLU) and Gelu (0.5 x (1 + erf(x / sqrt 2))) are patterns, not single ONNX
// ops: only the oneDNN lowering fuses them (lowering/fusions.h), never the deployment passes.
enum class ActivationKind {
    None,
    Relu,
    Clip,
    Sigmoid,
    HardSigmoid,
    HardSwish,
    LeakyRelu,
    Tanh,
    Swish,
    Gelu
};

struct Activation {
    ActivationKind kind = ActivationKind::None;
    float alpha = 0; // Clip min, HardSigmoid alpha, LeakyRelu alpha
    float beta = 0;  // Clip max, HardSigmoid beta

    float apply(float x) const;
    std::string name() const;
};

// Reads `activation` / `activation_params` of a fused node; throws lb::Error naming the node for
// an unknown activation or a wrong parameter count.
Activation fusedActivation(const ir::Node& node);
// Writes them (replacing existing ones).
void setFusedActivation(ir::Node& node, const Activation& activation);
// The activation a plain ONNX node computes, when it is one the fused ops take and its
// parameters are known (Clip bounds must be attributes or initializers).
std::optional<Activation> activationOf(const ir::Graph& graph, const ir::Node& node);

} // namespace lb::ops
