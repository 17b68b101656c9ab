#include "passes/complete_shapes.h"

#include "passes/constant_folding.h"
#include "passes/shape_inference.h"

namespace lb::passes {

int completeShapes(ir::Graph& graph) {
    ir::Graph copy = graph;
    ConstantsToInitializers().run(copy);
    FoldConstants().run(copy);
    InferShapes().run(copy);
    int learned = 0;
    for (ir::ValueId v = 0; v < graph.valueCount(); ++v) {
        ir::Value& original = graph.value(v);
        auto found = copy.findValue(original.name);
        if (!found)
            continue;
        const ir::Value& better = copy.value(*found);
        bool gained = false;
        if (original.dtype == DataType::Undefined && better.dtype != DataType::Undefined) {
            original.dtype = better.dtype;
            gained = true;
        }
        if (better.shape &&
            (!original.shape || (!concreteShape(*original.shape) && concreteShape(*better.shape) &&
                                 better.shape->size() == original.shape->size()))) {
            original.shape = better.shape;
            gained = true;
        }
        learned += gained;
    }
    return learned;
}

} // namespace lb::passes
