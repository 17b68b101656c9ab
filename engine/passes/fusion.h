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

// x * 0.5 * (1 + erf(x / sqrt 2)) in its exported groupings becomes one ai.layerbench Gelu
// (pattern_fusions.cpp). Erf runs on the reference backend only, so per-backend lowering never
// saw the whole pattern.
class FuseGelu : public GraphPass {
public:
    std::string name() const override { return "fuse-gelu"; }
    bool run(ir::Graph& graph) override;
};

// Reshape [N, C, H, W] -> [N, g, C/g, H, W], Transpose (0, 2, 1, 3, 4), Reshape [N, C, H, W]
// (ShuffleNet's channel shuffle) becomes one ai.layerbench ChannelShuffle(group = g).
class FuseChannelShuffle : public GraphPass {
public:
    std::string name() const override { return "fuse-channel-shuffle"; }
    bool run(ir::Graph& graph) override;
};

// A Pad whose pads are all zero: its readers read its input instead, and it goes.
class RemoveNoOpPads : public GraphPass {
public:
    std::string name() const override { return "remove-no-op-pads"; }
    bool run(ir::Graph& graph) override;
};

// The backend-specific fusions of lowering/fusions.h on the whole graph, as passes: for the
// quantization side, which sees the graph as QNN's converter does (deploymentPasses()), and for
// tests. A session does not run these: each backend runs its own on the nodes it was assigned.
class FuseConvActivation : public GraphPass {
public:
    std::string name() const override { return "fuse-conv-activation"; }
    bool run(ir::Graph& graph) override;
};

class FuseConvOutputAffine : public GraphPass {
public:
    std::string name() const override { return "fuse-conv-output-affine"; }
    bool run(ir::Graph& graph) override;
};

class FuseLayerNorm : public GraphPass {
public:
    std::string name() const override { return "fuse-layer-norm"; }
    bool run(ir::Graph& graph) override;
};

} // namespace lb::passes
