#include "passes/constant_folding.h"

#include "backends/reference/reference_backend.h"
#include "core/error.h"
#include "lowering/rewrite_util.h"

namespace lb::passes {

using namespace lb::lowering; // the rewrite helpers

namespace {

// The tensor a Constant node holds, whichever attribute form it uses.
std::optional<Tensor> constantValue(const ir::Node& n) {
    for (const ir::Attribute& a : n.attributes) {
        if (a.name == "value" && a.type == ir::AttributeType::Tensor)
            return a.t;
        if (a.name == "value_float") {
            Tensor t(DataType::Float32, {});
            t.data<float>()[0] = a.f;
            return t;
        }
        if (a.name == "value_int") {
            Tensor t(DataType::Int64, {});
            t.data<int64_t>()[0] = a.i;
            return t;
        }
        if (a.name == "value_floats") {
            Tensor t(DataType::Float32, {static_cast<int64_t>(a.floats.size())});
            std::copy(a.floats.begin(), a.floats.end(), t.data<float>());
            return t;
        }
        if (a.name == "value_ints") {
            Tensor t(DataType::Int64, {static_cast<int64_t>(a.ints.size())});
            std::copy(a.ints.begin(), a.ints.end(), t.data<int64_t>());
            return t;
        }
    }
    return std::nullopt; // sparse_value and string forms are left to the runtime
}

bool isNondeterministic(const std::string& op) {
    return op == "RandomNormal" || op == "RandomUniform" || op == "RandomNormalLike" ||
           op == "RandomUniformLike" || op == "Multinomial" || op == "Bernoulli";
}

} // namespace

bool ConstantsToInitializers::run(ir::Graph& g) {
    bool changed = false;
    for (ir::NodeId id : g.nodeIds()) {
        const ir::Node& n = g.node(id);
        if (!isOp(&n, "Constant") || n.outputs.size() != 1 || n.outputs[0] == ir::kNoValue)
            continue;
        auto value = constantValue(n);
        if (!value)
            continue;
        const ir::ValueId out = n.outputs[0];
        g.removeNode(id);
        g.setInitializer(out, std::move(*value));
        changed = true;
    }
    return changed;
}

bool FoldConstants::run(ir::Graph& g) {
    const backends::reference::ReferenceBackend reference;
    bool changed = false;
    for (ir::NodeId id : g.topologicalOrder()) {
        const ir::Node& n = g.node(id);
        if (n.hasSubgraphs() || isNondeterministic(n.opType) || n.outputs.empty())
            continue;
        bool allConstant = true;
        bool anyInput = false;
        for (ir::ValueId in : n.inputs) {
            if (in == ir::kNoValue)
                continue;
            anyInput = true;
            allConstant = allConstant && g.isInitializer(in) && !g.isGraphInput(in);
        }
        // Shape of a value whose shape is fully known folds without running anything.
        if (isOp(&n, "Shape") && !n.inputs.empty() && !allConstant) {
            const ir::Value& in = g.value(n.inputs[0]);
            auto shape = in.shape ? concreteShape(*in.shape) : std::nullopt;
            if (!shape)
                continue;
            const int64_t rank = static_cast<int64_t>(shape->size());
            int64_t start = intAttr(n, "start", 0), end = intAttr(n, "end", rank);
            auto clampAxis = [&](int64_t a) {
                return std::clamp(a < 0 ? a + rank : a, int64_t{0}, rank);
            };
            start = clampAxis(start);
            end = clampAxis(end);
            Tensor t(DataType::Int64, {std::max<int64_t>(0, end - start)});
            for (int64_t k = start; k < end; ++k)
                t.data<int64_t>()[k - start] = (*shape)[static_cast<size_t>(k)];
            const ir::ValueId out = n.outputs[0];
            g.removeNode(id);
            g.setInitializer(out, std::move(t));
            changed = true;
            continue;
        }
        if (!allConstant || !anyInput || !reference.capability(g, n))
            continue;
        bool tooBig = false;
        for (ir::ValueId out : n.outputs) {
            if (out == ir::kNoValue)
                continue;
            const ir::Value& v = g.value(out);
            auto count = v.shape ? elementCount(*v.shape) : std::nullopt;
            tooBig = tooBig || (count && *count > m_maxElements);
        }
        if (tooBig)
            continue;
        std::vector<Tensor> outputs(n.outputs.size());
        try {
            auto kernel = reference.createKernel(runtime::KernelInfo{g, n, 1});
            std::vector<const Tensor*> inputs;
            for (ir::ValueId in : n.inputs)
                inputs.push_back(in == ir::kNoValue ? nullptr : g.initializer(in));
            runtime::KernelContext ctx(
                inputs, outputs,
                [](size_t, DataType type, const Shape& shape, size_t) {
                    return Tensor(type, shape);
                },
                1);
            kernel->run(ctx);
        } catch (const Error& e) {
            // A constant subgraph the kernels reject stays in the graph; the session reports it
            // with the node's name if it cannot run it either.
            continue;
        }
        bool tooLarge = false;
        for (const Tensor& t : outputs)
            tooLarge = tooLarge || t.numel() > m_maxElements;
        if (tooLarge)
            continue;
        const std::vector<ir::ValueId> outs = n.outputs;
        g.removeNode(id);
        for (size_t o = 0; o < outs.size(); ++o)
            if (outs[o] != ir::kNoValue && !outputs[o].empty())
                // Kernels may alias an input's storage; clone so no two initializers share a
                // buffer.
                g.setInitializer(outs[o], outputs[o].clone());
        changed = true;
    }
    return changed;
}

bool RemoveDeadNodes::run(ir::Graph& g) {
    const size_t before = g.initializers().size();
    const bool removed = removeDeadNodes(g) > 0;
    return removed || g.initializers().size() != before;
}

} // namespace lb::passes
