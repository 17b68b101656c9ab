#include "quant/runnable_graph.h"

#include "passes/complete_shapes.h"
#include "passes/constant_folding.h"

namespace lb::quant {

std::shared_ptr<const ir::Graph> runnableGraph(const ir::Graph& graph) {
    auto g = std::make_shared<ir::Graph>(graph);
    passes::ConstantsToInitializers().run(*g);
    passes::completeShapes(*g);
    return g;
}

} // namespace lb::quant
