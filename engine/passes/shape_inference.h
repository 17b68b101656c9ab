#pragma once

#include "passes/graph_pass.h"

namespace lb::passes {

// ONNX shape inference again after folding, alternating with FoldConstants until neither learns
// anything: folded Shape/Gather/Concat chains give Reshape its target, which gives the next Shape
// a static input, and so on (PP-OCRv4 rec's SVTR neck is such a chain). Without it the
// attention and LayerNorm nodes keep unknown ranks and no fast backend can claim them. Runs before
// the fusion passes create ops ONNX does not know (their outputs would keep their types anyway).
// Changes no node, only value types, so numerics are untouched.
class InferShapes : public GraphPass {
public:
    std::string name() const override { return "infer-shapes"; }
    bool run(ir::Graph& graph) override;
};

} // namespace lb::passes
