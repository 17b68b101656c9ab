#include "passes/shape_inference.h"

#include "onnx/reinfer.h"
#include "passes/constant_folding.h"

#include <algorithm>

namespace lb::passes {

namespace {

constexpr int kMaxRounds = 8;
// Initializers above this size are only types to shape inference; smaller ones may be shape
// tensors its data propagation reads.
constexpr size_t kStripBytes = 1024;

// Runs ONNX shape inference on a copy whose large initializers are typed graph inputs, so the
// export/parse round trip does not copy the weights (rec: ~11 MB per round), and copies back what
// the copy learned. Value ids are the same in the copy.
int reinferWithoutWeights(ir::Graph& graph) {
    ir::Graph light = graph;
    for (const auto& [id, tensor] : graph.initializers()) {
        const auto& inputs = light.inputs();
        if (tensor.byteSize() <= kStripBytes ||
            std::find(inputs.begin(), inputs.end(), id) != inputs.end())
            continue;
        light.removeInitializer(id);
        light.inputs().push_back(id);
        light.value(id).dtype = tensor.dtype();
        light.value(id).shape = symbolicShape(tensor.shape());
    }
    const int learned = onnx::reinferShapes(light);
    if (learned == 0)
        return 0;
    for (ir::ValueId id = 0; id < graph.valueCount(); ++id) {
        if (graph.isInitializer(id))
            continue;
        ir::Value& have = graph.value(id);
        const ir::Value& got = light.value(id);
        have.dtype = got.dtype;
        have.shape = got.shape;
        have.kind = got.kind;
        have.elementKind = got.elementKind;
    }
    // Subgraphs learn inside their nodes' attributes (the copy's): take those over.
    for (ir::NodeId id : graph.nodeIds())
        if (graph.node(id).hasSubgraphs())
            graph.node(id).attributes = light.node(id).attributes;
    return learned;
}

} // namespace

bool InferShapes::run(ir::Graph& graph) {
    FoldConstants fold;
    bool changed = false;
    for (int round = 0; round < kMaxRounds; ++round) {
        const bool learned = reinferWithoutWeights(graph) > 0;
        const bool folded = learned && fold.run(graph);
        changed = changed || learned || folded;
        if (!folded)
            break;
    }
    return changed;
}

} // namespace lb::passes
