#include "passes/graph_pass.h"

#include "passes/constant_folding.h"
#include "passes/conv_folding.h"
#include "passes/fusion.h"
#include "passes/shape_inference.h"

namespace lb::passes {

namespace {

std::vector<std::unique_ptr<GraphPass>> passList(bool deployment) {
    std::vector<std::unique_ptr<GraphPass>> list;
    list.push_back(std::make_unique<ConstantsToInitializers>());
    list.push_back(std::make_unique<FoldConstants>());
    list.push_back(std::make_unique<InferShapes>());
    list.push_back(std::make_unique<FoldBatchNormIntoConv>());
    list.push_back(std::make_unique<FoldAffineIntoConv>());
    list.push_back(std::make_unique<FuseHardSwish>());
    // Generic, like hard-swish: ONNX-17 LayerNormalization's semantics, which every backend may
    // claim, from parts (ReduceMean, Pow, Sqrt) that backends often do not run: fused per
    // backend, the parts would split across backends and never fuse.
    list.push_back(std::make_unique<FuseLayerNorm>());
    if (!deployment) {
        // Ops of our own that QNN's converter does not make: the deployment graph keeps the
        // tensors it encodes (the Erf, Reshape and Transpose outputs).
        list.push_back(std::make_unique<FuseGelu>());
        list.push_back(std::make_unique<FuseChannelShuffle>());
        list.push_back(std::make_unique<RemoveNoOpPads>());
    }
    if (deployment) {
        list.push_back(std::make_unique<FuseConvActivation>());
        list.push_back(std::make_unique<FuseConvOutputAffine>());
    }
    list.push_back(std::make_unique<RemoveDeadNodes>());
    return list;
}

} // namespace

std::vector<std::unique_ptr<GraphPass>> genericPasses() {
    return passList(false);
}

std::vector<std::unique_ptr<GraphPass>> deploymentPasses() {
    return passList(true);
}

std::vector<PassReport> optimize(ir::Graph& graph,
                                 const std::vector<std::unique_ptr<GraphPass>>& passes,
                                 const TaskContext& task, int maxRounds) {
    std::vector<PassReport> reports;
    for (const auto& p : passes)
        reports.push_back({p->name(), 0});
    for (int round = 0; round < maxRounds; ++round) {
        bool any = false;
        for (size_t k = 0; k < passes.size(); ++k) {
            task.checkCancelled();
            task.report((round * passes.size() + k) /
                            static_cast<double>(maxRounds * passes.size()),
                        passes[k]->name());
            if (passes[k]->run(graph)) {
                ++reports[k].timesChanged;
                any = true;
            }
        }
        if (!any)
            break;
    }
    return reports;
}

} // namespace lb::passes
