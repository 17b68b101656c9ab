#pragma once

#include "passes/graph_pass.h"

namespace lb::passes {

// The decomposed hard-swish x * relu6(x + 3) / 6 in its exported forms (Add->Clip->Mul->Div,
// Add->Clip->Div->Mul, a Mul by 1/6, or x * HardSigmoid(x) with alpha 1/6) becomes one
// HardSwish node; the lone relu6(x + 3) / 6 becomes HardSigmoid(alpha 1/6, beta 0.5).
// PaddleOCR models are full of these and ONNX Runtime does not fuse them.
class FuseHardSwish : public GraphPass {
public:
    std::string name() const override { return "fuse-hard-swish"; }
    bool run(ir::Graph& graph) override;
};

// Conv/Gemm followed by a residual Add (same shape) and/or an activation becomes FusedConv /
// FusedGemm (ops/fused_ops.h), which backends run with post-ops.
class FuseConvActivation : public GraphPass {
public:
    std::string name() const override { return "fuse-conv-activation"; }
    bool run(ir::Graph& graph) override;
};

// FusedConv followed by Mul/Div/Add/Sub with a scalar constant (PP-LCNetV3's learnable affine
// block after each activation: y = s * act(conv) + t) takes the arithmetic into its
// `output_affine` [scale, shift] attribute (ops/fused_ops.h), applied after the activation.
// Runs after FuseConvActivation, which leaves nodes with an output_affine alone.
class FuseConvOutputAffine : public GraphPass {
public:
    std::string name() const override { return "fuse-conv-output-affine"; }
    bool run(ir::Graph& graph) override;
};

// The decomposed layer norm ONNX exporters emit before opset 17 (ReduceMean, Sub, Pow 2,
// ReduceMean, Add eps, Sqrt, Div, then optional Mul gamma and Add beta on the trailing axes)
// becomes one ai.layerbench LayerNormalization (ONNX-17 semantics, ops/fused_ops.h): the graphs'
// opsets are often below 17, so the default-domain op would not be valid there.
class FuseLayerNorm : public GraphPass {
public:
    std::string name() const override { return "fuse-layer-norm"; }
    bool run(ir::Graph& graph) override;
};

} // namespace lb::passes
