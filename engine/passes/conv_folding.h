#pragma once

#include "passes/graph_pass.h"

namespace lb::passes {

// Conv (or ConvTranspose with group 1, here and below) -> BatchNormalization (inference, constant
// parameters) becomes one Conv with scaled weights and shifted bias.
class FoldBatchNormIntoConv : public GraphPass {
public:
    std::string name() const override { return "fold-batchnorm-into-conv"; }
    bool run(ir::Graph& graph) override;
};

// Conv followed by a Mul/Div/Add/Sub with a constant that is a scalar or one value per output
// channel (shape [C,1,1] or [1,C,1,1]) is folded into the Conv's weights and bias.
class FoldAffineIntoConv : public GraphPass {
public:
    std::string name() const override { return "fold-affine-into-conv"; }
    bool run(ir::Graph& graph) override;
};

} // namespace lb::passes
