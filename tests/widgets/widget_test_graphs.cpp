#include "widget_test_graphs.h"

namespace lb::widgets::test {

namespace {
using lb::ir::Graph;
using lb::ir::ValueId;

ValueId tensorValue(Graph& g, const std::string& name, lb::Shape shape) {
    const ValueId v = g.addValue(name);
    g.value(v).dtype = lb::DataType::Float32;
    g.value(v).shape = lb::symbolicShape(shape);
    return v;
}

ValueId weight(Graph& g, const std::string& name, lb::Shape shape, double scale) {
    lb::Tensor t(lb::DataType::Float32, shape);
    float* p = t.data<float>();
    for (int64_t i = 0; i < t.numel(); ++i)
        p[i] = static_cast<float>(static_cast<double>(i) * scale);
    const ValueId v = tensorValue(g, name, shape);
    g.setInitializer(v, t);
    return v;
}

void addNode(Graph& g, const std::string& name, const std::string& op, std::vector<ValueId> inputs,
             std::vector<ValueId> outputs, std::vector<lb::ir::Attribute> attrs = {}) {
    lb::ir::Node n;
    n.name = name;
    n.opType = op;
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    n.attributes = std::move(attrs);
    g.addNode(std::move(n));
}

lb::ir::Attribute ints(const std::string& name, std::vector<int64_t> values) {
    lb::ir::Attribute a;
    a.name = name;
    a.type = lb::ir::AttributeType::Ints;
    a.ints = std::move(values);
    return a;
}

lb::ir::Attribute integer(const std::string& name, int64_t value) {
    lb::ir::Attribute a;
    a.name = name;
    a.type = lb::ir::AttributeType::Int;
    a.i = value;
    return a;
}
} // namespace

std::shared_ptr<Graph> makeSmallGraph() {
    auto g = std::make_shared<Graph>();
    g->name = "small";
    g->irVersion = 8;
    g->opsetImports[""] = 13;
    const ValueId x = tensorValue(*g, "x", {1, 3, 8, 8});
    g->inputs().push_back(x);
    const ValueId w1 = weight(*g, "conv1.weight", {4, 3, 3, 3}, 0.01);
    const ValueId b1 = weight(*g, "conv1.bias", {4}, 1.0);
    const ValueId w2 = weight(*g, "conv2.weight", {4, 4, 1, 1}, 0.1);
    const ValueId fw = weight(*g, "fc.weight", {10, 4}, 0.5);
    const ValueId c1 = tensorValue(*g, "conv1_out", {1, 4, 8, 8});
    const ValueId r1 = tensorValue(*g, "relu1_out", {1, 4, 8, 8});
    const ValueId c2 = tensorValue(*g, "conv2_out", {1, 4, 8, 8});
    const ValueId a1 = tensorValue(*g, "add1_out", {1, 4, 8, 8});
    const ValueId p = tensorValue(*g, "pool_out", {1, 4, 1, 1});
    const ValueId f = tensorValue(*g, "flat", {1, 4});
    const ValueId logits = tensorValue(*g, "logits", {1, 10});
    const ValueId y = tensorValue(*g, "y", {1, 10});
    addNode(*g, "conv1", "Conv", {x, w1, b1}, {c1},
            {ints("kernel_shape", {3, 3}), ints("pads", {1, 1, 1, 1}), integer("group", 1)});
    addNode(*g, "relu1", "Relu", {c1}, {r1});
    addNode(*g, "conv2", "Conv", {r1, w2}, {c2}, {ints("kernel_shape", {1, 1})});
    addNode(*g, "add1", "Add", {c2, r1}, {a1});
    addNode(*g, "pool", "GlobalAveragePool", {a1}, {p});
    addNode(*g, "flatten", "Flatten", {p}, {f}, {integer("axis", 1)});
    addNode(*g, "fc", "Gemm", {f, fw}, {logits}, {integer("transB", 1)});
    addNode(*g, "prob", "Softmax", {logits}, {y}, {integer("axis", -1)});
    g->outputs().push_back(y);
    return g;
}

std::shared_ptr<Graph> makeConstantGraph() {
    auto g = std::make_shared<Graph>();
    g->name = "constants";
    auto constant = [&g](const std::string& name, lb::Shape shape, double scale, double offset) {
        lb::Tensor t(lb::DataType::Float32, shape);
        for (int64_t i = 0; i < t.numel(); ++i)
            t.data<float>()[i] = static_cast<float>(static_cast<double>(i) * scale + offset);
        const ValueId out = tensorValue(*g, name + "_out", shape);
        lb::ir::Attribute value;
        value.name = "value";
        value.type = lb::ir::AttributeType::Tensor;
        value.t = t;
        addNode(*g, name, "Constant", {}, {out}, {value});
        return out;
    };
    const ValueId x = tensorValue(*g, "x", {1, 3, 8, 8});
    g->inputs().push_back(x);
    const ValueId w = constant("w_const", {4, 3, 3, 3}, 0.01, 0.0);
    const ValueId b = constant("b_const", {}, 0.0, 0.5);
    const ValueId shared = constant("shared_const", {1}, 0.0, 2.0);
    const ValueId extra = constant("out_const", {2}, 1.0, 0.0);
    const ValueId c = tensorValue(*g, "conv_out", {1, 4, 8, 8});
    const ValueId m = tensorValue(*g, "mul_out", {1, 4, 8, 8});
    const ValueId y = tensorValue(*g, "y", {1, 4, 8, 8});
    addNode(*g, "conv", "Conv", {x, w, b}, {c}, {ints("kernel_shape", {3, 3})});
    addNode(*g, "mul", "Mul", {c, shared}, {m});
    addNode(*g, "add", "Add", {m, shared}, {y});
    g->outputs().push_back(y);
    g->outputs().push_back(extra);
    return g;
}

std::shared_ptr<Graph> makeSyntheticGraph(int nodes) {
    auto g = std::make_shared<Graph>();
    ValueId prev = tensorValue(*g, "input", {1, 64, 56, 56});
    g->inputs().push_back(prev);
    int made = 0;
    for (int block = 0; made < nodes; ++block) {
        const std::string p = "block" + std::to_string(block) + "/";
        const ValueId a = tensorValue(*g, p + "conv_a", {1, 64, 56, 56});
        const ValueId b = tensorValue(*g, p + "relu", {1, 64, 56, 56});
        const ValueId c = tensorValue(*g, p + "conv_b", {1, 64, 56, 56});
        const ValueId d = tensorValue(*g, p + "sum", {1, 64, 56, 56});
        addNode(*g, p + "Conv_a", "Conv", {prev}, {a});
        addNode(*g, p + "Relu", "Relu", {a}, {b});
        addNode(*g, p + "Conv_b", "Conv", {b}, {c});
        made += 3;
        ValueId skip = prev;
        if (block % 3 == 0 && made + 2 < nodes) {
            // A side branch gives the layout some width.
            const ValueId s1 = tensorValue(*g, p + "side_pool", {1, 64, 28, 28});
            const ValueId s2 = tensorValue(*g, p + "side_up", {1, 64, 56, 56});
            addNode(*g, p + "SidePool", "MaxPool", {prev}, {s1});
            addNode(*g, p + "SideUp", "Resize", {s1}, {s2});
            skip = s2;
            made += 2;
        }
        addNode(*g, p + "Add", "Add", {c, skip}, {d});
        ++made;
        prev = d;
    }
    g->outputs().push_back(prev);
    return g;
}

std::shared_ptr<Graph> makeChainGraph(int nodes) {
    static const char* const kOps[] = {"Conv", "Relu", "HardSwish"};
    static const char* const kLower[] = {"conv", "relu", "hardswish"};
    auto g = std::make_shared<Graph>();
    g->name = "chain";
    ValueId prev = tensorValue(*g, "x", {1, 8, 16, 16});
    g->inputs().push_back(prev);
    for (int i = 0; i < nodes; ++i) {
        const std::string index = std::to_string(i);
        const std::string prefix = kLower[i % 3] + ("_" + index);
        const ValueId out = tensorValue(*g, prefix + ".out", {1, 8, 16, 16});
        std::vector<ValueId> inputs{prev};
        std::vector<lb::ir::Attribute> attrs;
        if (i % 3 == 0) { // a valid 1x1 Conv, so the chain also saves as a model the app opens
            inputs.push_back(weight(*g, prefix + ".w", {8, 8, 1, 1}, 0.001));
            attrs.push_back(ints("kernel_shape", {1, 1}));
        }
        addNode(*g, "node_" + index, kOps[i % 3], std::move(inputs), {out}, std::move(attrs));
        prev = out;
    }
    g->outputs().push_back(prev);
    return g;
}

} // namespace lb::widgets::test
