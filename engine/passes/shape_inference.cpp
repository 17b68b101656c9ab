#include "passes/shape_inference.h"

#include "onnx/reinfer.h"
#include "passes/constant_folding.h"

namespace lb::passes {

namespace {

constexpr int kMaxRounds = 8;

} // namespace

bool InferShapes::run(ir::Graph& graph) {
    FoldConstants fold;
    bool changed = false;
    for (int round = 0; round < kMaxRounds; ++round) {
        const bool learned = onnx::reinferShapes(graph) > 0;
        const bool folded = learned && fold.run(graph);
        changed = changed || learned || folded;
        if (!folded)
            break;
    }
    return changed;
}

} // namespace lb::passes
