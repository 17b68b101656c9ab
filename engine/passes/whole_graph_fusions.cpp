#include "lowering/fusions.h"
#include "ops/fused_ops.h"
#include "passes/fusion.h"

namespace lb::passes {

namespace {

bool everyNode(ir::NodeId) {
    return true;
}

bool anyFusion(const ir::Node&) {
    return true;
}

// Swish (Sigmoid + Mul) is a oneDNN post-op but not an activation QNN's converter folds into a
// convolution: the deployment graph keeps the Sigmoid and Mul tensors it encodes.
bool singleOpActivation(const ir::Node& n) {
    const ops::ActivationKind kind = ops::fusedActivation(n).kind;
    return kind != ops::ActivationKind::Swish && kind != ops::ActivationKind::Gelu;
}

} // namespace

bool FuseConvActivation::run(ir::Graph& graph) {
    return lowering::fuseConvActivation(graph, everyNode, singleOpActivation) > 0;
}

bool FuseConvOutputAffine::run(ir::Graph& graph) {
    return lowering::fuseConvOutputAffine(graph, everyNode, anyFusion) > 0;
}

bool FuseLayerNorm::run(ir::Graph& graph) {
    return lowering::fuseLayerNorm(graph, everyNode, anyFusion) > 0;
}

} // namespace lb::passes
