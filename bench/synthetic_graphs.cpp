#include "synthetic_graphs.h"

#include "core/error.h"

namespace lb::bench {
namespace {

ir::Attribute intsAttr(const std::string& name, std::vector<int64_t> values) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Ints;
    a.ints = std::move(values);
    return a;
}

ir::Attribute intAttr(const std::string& name, int64_t value) {
    ir::Attribute a;
    a.name = name;
    a.type = ir::AttributeType::Int;
    a.i = value;
    return a;
}

// Appends nodes with fresh, typed output tensors; initializers are shared by all blocks.
class Builder {
public:
    explicit Builder(const std::string& name) {
        m_graph.name = name;
        m_graph.irVersion = 8;
        m_graph.opsetImports[""] = 13;
        m_graph.producerName = "layerbench-bench";
    }

    ir::ValueId input(const std::string& name, const Shape& shape) {
        const ir::ValueId id = typed(name, shape);
        m_graph.inputs().push_back(id);
        return id;
    }

    ir::ValueId weight(const std::string& name, const Shape& shape, float value) {
        const ir::ValueId id = typed(name, shape);
        Tensor t(DataType::Float32, shape);
        for (float& f : t.span<float>())
            f = value;
        m_graph.setInitializer(id, t);
        return id;
    }

    ir::ValueId op(const std::string& opType, std::vector<ir::ValueId> inputs,
                   const Shape& outShape, std::vector<ir::Attribute> attributes = {}) {
        ir::Node node;
        node.name = opType + "_" + std::to_string(m_graph.nodeCount());
        node.opType = opType;
        node.inputs = std::move(inputs);
        node.outputs = {typed(node.name + "_out", outShape)};
        node.attributes = std::move(attributes);
        const ir::ValueId out = node.outputs[0];
        m_graph.addNode(std::move(node));
        return out;
    }

    ir::ValueId conv1x1(ir::ValueId x, ir::ValueId w, const Shape& outShape) {
        return op("Conv", {x, w}, outShape,
                  {intsAttr("kernel_shape", {1, 1}), intsAttr("pads", {0, 0, 0, 0}),
                   intsAttr("strides", {1, 1})});
    }

    size_t nodeCount() const { return m_graph.nodeCount(); }

    ir::Graph finish(ir::ValueId output) {
        m_graph.outputs().push_back(output);
        return std::move(m_graph);
    }

private:
    ir::ValueId typed(const std::string& name, const Shape& shape) {
        const ir::ValueId id = m_graph.addValue(name);
        m_graph.value(id).dtype = DataType::Float32;
        m_graph.value(id).shape = symbolicShape(shape);
        return id;
    }

    ir::Graph m_graph;
};

const Shape kImage = {1, 4, 8, 8};

ir::Graph chain(const std::string& name, size_t minNodes) {
    Builder b(name);
    ir::ValueId h = b.input("x", kImage);
    const ir::ValueId w = b.weight("w", {4, 4, 1, 1}, 0.25f);
    const ir::ValueId bias = b.weight("bias", {1, 4, 1, 1}, 0.01f);
    while (b.nodeCount() < minNodes) {
        h = b.conv1x1(h, w, kImage);
        h = b.op("Relu", {h}, kImage);
        h = b.op("Add", {h, bias}, kImage);
    }
    return b.finish(h);
}

ir::Graph residual(const std::string& name, size_t minNodes) {
    Builder b(name);
    ir::ValueId h = b.input("x", kImage);
    const ir::ValueId w = b.weight("w", {4, 4, 1, 1}, 0.25f);
    for (int block = 0; b.nodeCount() < minNodes; ++block) {
        ir::ValueId y = b.conv1x1(h, w, kImage);
        y = b.op("Relu", {y}, kImage);
        y = b.conv1x1(y, w, kImage);
        const ir::ValueId skip = block % 4 == 3 ? b.conv1x1(h, w, kImage) : h;
        y = b.op("Add", {y, skip}, kImage);
        h = b.op("Relu", {y}, kImage);
    }
    return b.finish(h);
}

ir::Graph transformer(const std::string& name, size_t minNodes) {
    constexpr int64_t kTokens = 4, kModel = 8, kHeads = 2;
    const Shape act = {1, kTokens, kModel};
    const Shape scores = {1, kTokens, kTokens};
    Builder b(name);
    ir::ValueId h = b.input("x", act);
    const ir::ValueId wqkv = b.weight("w_qkv", {kModel, kModel}, 0.125f);
    const ir::ValueId wo = b.weight("w_o", {kModel * kHeads, kModel}, 0.0625f);
    const ir::ValueId w1 = b.weight("w_mlp1", {kModel, kModel}, 0.125f);
    const ir::ValueId w2 = b.weight("w_mlp2", {kModel, kModel}, 0.125f);
    const ir::ValueId scale = b.weight("scale", {}, 0.35f);
    while (b.nodeCount() < minNodes) {
        std::vector<ir::ValueId> heads;
        for (int64_t head = 0; head < kHeads; ++head) {
            const ir::ValueId q = b.op("MatMul", {h, wqkv}, act);
            const ir::ValueId k = b.op("MatMul", {h, wqkv}, act);
            const ir::ValueId v = b.op("MatMul", {h, wqkv}, act);
            const ir::ValueId kt =
                b.op("Transpose", {k}, {1, kModel, kTokens}, {intsAttr("perm", {0, 2, 1})});
            ir::ValueId s = b.op("MatMul", {q, kt}, scores);
            s = b.op("Mul", {s, scale}, scores);
            s = b.op("Softmax", {s}, scores, {intAttr("axis", -1)});
            heads.push_back(b.op("MatMul", {s, v}, act));
        }
        const ir::ValueId cat =
            b.op("Concat", heads, {1, kTokens, kModel * kHeads}, {intAttr("axis", -1)});
        const ir::ValueId proj = b.op("MatMul", {cat, wo}, act);
        const ir::ValueId a1 = b.op("Add", {h, proj}, act);
        ir::ValueId m = b.op("MatMul", {a1, w1}, act);
        m = b.op("Relu", {m}, act);
        m = b.op("MatMul", {m, w2}, act);
        h = b.op("Add", {a1, m}, act);
    }
    return b.finish(h);
}

} // namespace

std::string familyName(GraphFamily family) {
    switch (family) {
    case GraphFamily::Chain:
        return "chain";
    case GraphFamily::Residual:
        return "residual";
    case GraphFamily::Transformer:
        return "transformer";
    }
    return "?";
}

GraphFamily parseFamily(const std::string& name) {
    for (GraphFamily f : allFamilies())
        if (familyName(f) == name)
            return f;
    fail("unknown graph family ", quoted(name), ": expected chain, residual or transformer");
}

std::vector<GraphFamily> allFamilies() {
    return {GraphFamily::Chain, GraphFamily::Residual, GraphFamily::Transformer};
}

std::string syntheticGraphName(GraphFamily family, size_t minNodes) {
    const std::string size =
        minNodes % 1000 == 0 ? std::to_string(minNodes / 1000) + "k" : std::to_string(minNodes);
    return familyName(family) + "-" + size;
}

ir::Graph makeSyntheticGraph(GraphFamily family, size_t minNodes) {
    const std::string name = syntheticGraphName(family, minNodes);
    switch (family) {
    case GraphFamily::Chain:
        return chain(name, minNodes);
    case GraphFamily::Residual:
        return residual(name, minNodes);
    case GraphFamily::Transformer:
        return transformer(name, minNodes);
    }
    fail("unknown graph family");
}

} // namespace lb::bench
