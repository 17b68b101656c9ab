#include "passes/complete_shapes.h"

#include "passes/constant_folding.h"
#include "passes/shape_inference.h"

namespace lb::passes {

int completeShapes(ir::Graph& graph) {
    // Only worth a fold + inference round when the inputs are fixed but some node output is
    // still unknown (symbolic inputs leave everything downstream symbolic anyway).
    for (ir::ValueId v : graph.inputs()) {
        const ir::Value& in = graph.value(v);
        if (!graph.isInitializer(v) && (!in.shape || !concreteShape(*in.shape)))
            return 0;
    }
    bool unknown = false;
    for (ir::NodeId id : graph.nodeIds())
        for (ir::ValueId out : graph.node(id).outputs)
            if (out != ir::kNoValue) {
                const ir::Value& v = graph.value(out);
                unknown = unknown || !v.shape || !concreteShape(*v.shape) ||
                          v.dtype == DataType::Undefined;
            }
    if (!unknown)
        return 0;
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
