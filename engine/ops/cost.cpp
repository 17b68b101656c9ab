#include "ops/cost.h"

#include "ops/fused_ops.h"

#include <unordered_map>

namespace lb::ops {

namespace {

using Cat = OpCategory;

const std::unordered_map<std::string, OpCategory>& categoryTable() {
    static const std::unordered_map<std::string, OpCategory> table = [] {
        std::unordered_map<std::string, OpCategory> t;
        auto add = [&](OpCategory c, std::initializer_list<const char*> ops) {
            for (const char* op : ops)
                t.emplace(op, c);
        };
        add(Cat::Convolution,
            {"Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "DeformConv"});
        add(Cat::Linear, {"Gemm", "MatMul", "MatMulInteger", "QLinearMatMul", "Einsum", "Attention",
                          "RNN", "GRU", "LSTM"});
        add(Cat::Activation, {"Relu",      "LeakyRelu", "PRelu",      "Sigmoid",  "HardSigmoid",
                              "HardSwish", "Tanh",      "Elu",        "Selu",     "Celu",
                              "Gelu",      "Mish",      "Softplus",   "Softsign", "ThresholdedRelu",
                              "Clip",      "Softmax",   "LogSoftmax", "Hardmax",  "Erf"});
        add(Cat::Normalization,
            {"BatchNormalization", "LayerNormalization", "InstanceNormalization",
             "GroupNormalization", "LpNormalization", "MeanVarianceNormalization", "LRN"});
        add(Cat::Pooling, {"MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool",
                           "GlobalLpPool", "MaxRoiPool", "RoiAlign", "MaxUnpool"});
        add(Cat::Elementwise, {"Add",
                               "Sub",
                               "Mul",
                               "Div",
                               "Pow",
                               "Sqrt",
                               "Exp",
                               "Log",
                               "Abs",
                               "Neg",
                               "Reciprocal",
                               "Floor",
                               "Ceil",
                               "Round",
                               "Sign",
                               "Sin",
                               "Cos",
                               "Tan",
                               "Min",
                               "Max",
                               "Mean",
                               "Sum",
                               "Mod",
                               "Equal",
                               "Less",
                               "LessOrEqual",
                               "Greater",
                               "GreaterOrEqual",
                               "And",
                               "Or",
                               "Xor",
                               "Not",
                               "Where",
                               "IsNaN",
                               "IsInf",
                               "BitShift",
                               "ReduceMean",
                               "ReduceSum",
                               "ReduceMax",
                               "ReduceMin",
                               "ReduceProd",
                               "ReduceL1",
                               "ReduceL2",
                               "ReduceLogSum",
                               "ReduceLogSumExp",
                               "ReduceSumSquare",
                               "ArgMax",
                               "ArgMin",
                               "CumSum"});
        add(Cat::Shape,
            {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Shape", "Size", "Expand",
             "Tile", "ConstantOfShape", "Range", "DepthToSpace", "SpaceToDepth"});
        add(Cat::Data,
            {"Constant",  "Identity", "Cast",           "CastLike", "Concat",  "Split",
             "Slice",     "Gather",   "GatherElements", "GatherND", "Scatter", "ScatterElements",
             "ScatterND", "Pad",      "Resize",         "Upsample", "NonZero", "TopK",
             "OneHot",    "Trilu",    "Compress",       "Unique",   "EyeLike", "Dropout"});
        add(Cat::Control,
            {"If", "Loop", "Scan", "SequenceConstruct", "SequenceAt", "SequenceInsert",
             "SequenceLength", "SplitToSequence", "ConcatFromSequence"});
        add(Cat::Quantization, {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"});
        return t;
    }();
    return table;
}

std::optional<Shape> shapeOf(const ir::Graph& graph, ir::ValueId id) {
    if (id == ir::kNoValue)
        return std::nullopt;
    const auto& v = graph.value(id);
    if (!v.shape)
        return std::nullopt;
    return concreteShape(*v.shape);
}

std::optional<Shape> input(const ir::Graph& graph, const ir::Node& node, size_t i) {
    return i < node.inputs.size() ? shapeOf(graph, node.inputs[i]) : std::nullopt;
}

std::optional<Shape> output(const ir::Graph& graph, const ir::Node& node, size_t i) {
    return i < node.outputs.size() ? shapeOf(graph, node.outputs[i]) : std::nullopt;
}

// Product of shape[from..] times `scale`, -1 when unknown or overflowing.
int64_t product(const std::optional<Shape>& shape, size_t from = 0, int64_t scale = 1) {
    if (!shape || from > shape->size())
        return -1;
    int64_t n = scale;
    for (size_t i = from; i < shape->size(); ++i)
        if ((*shape)[i] < 0 || __builtin_mul_overflow(n, (*shape)[i], &n))
            return -1;
    return n;
}

int64_t times(int64_t a, int64_t b) {
    int64_t r = 0;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r))
        return -1;
    return r;
}

int64_t gemmMacs(const ir::Graph& graph, const ir::Node& node) {
    const auto a = input(graph, node, 0);
    const auto b = input(graph, node, 1);
    if (!a || !b || a->size() != 2 || b->size() != 2)
        return -1;
    const auto* ta = node.attribute("transA");
    const auto* tb = node.attribute("transB");
    const bool transA = ta && ta->i != 0;
    const bool transB = tb && tb->i != 0;
    const int64_t m = transA ? (*a)[1] : (*a)[0];
    const int64_t k = transA ? (*a)[0] : (*a)[1];
    const int64_t n = transB ? (*b)[0] : (*b)[1];
    return times(times(m, n), k);
}

int64_t matMulMacs(const ir::Graph& graph, const ir::Node& node) {
    // Output elements (batch broadcasting included) times the reduced dimension K.
    const auto a = input(graph, node, 0);
    if (!a || a->empty())
        return -1;
    return times(product(output(graph, node, 0)), a->back());
}

int64_t poolMacs(const ir::Graph& graph, const ir::Node& node) {
    const auto* kernel = node.attribute("kernel_shape");
    if (!kernel)
        return -1;
    int64_t window = 1;
    for (int64_t k : kernel->ints)
        window = times(window, k);
    return times(product(output(graph, node, 0)), window);
}

} // namespace

int64_t nodeMacs(const ir::Graph& graph, const ir::Node& node) {
    // The passes' FusedConv / FusedGemm / FusedMatMul cost what their Conv / Gemm / MatMul costs
    // (the fused activation, bias and residual add are not counted, as for the plain ops).
    const bool fused =
        node.domain == kLayerBenchDomain &&
        (node.opType == "FusedConv" || node.opType == "FusedGemm" || node.opType == "FusedMatMul");
    const std::string op = fused ? node.opType.substr(5) : node.opType;
    if (node.domain == kLayerBenchDomain && node.opType == "FusedConvDw") {
        // The 1x1 [M, C, 1, 1] over every input pixel, then 9 per output element.
        const auto x = input(graph, node, 0);
        const auto w = input(graph, node, 1);
        if (!x || x->size() != 4 || !w || w->size() != 4)
            return -1;
        const int64_t pointwise = times(times((*x)[0], times((*x)[2], (*x)[3])), product(w));
        const int64_t depthwise = times(product(output(graph, node, 0)), 9);
        return pointwise < 0 || depthwise < 0 ? -1 : pointwise + depthwise;
    }
    if (!fused && !node.domain.empty() && node.domain != "ai.onnx")
        return product(output(graph, node, 0));
    if (op == "Conv" || op == "ConvInteger" || op == "QLinearConv") {
        // Weight [M, C/group, k...]: each output element reads C/group * prod(k) inputs.
        const size_t w = op == "QLinearConv" ? 3 : 1;
        return product(input(graph, node, w), 1, product(output(graph, node, 0)));
    }
    if (op == "ConvTranspose") // weight [C, M/group, k...]: each input element scatters
        return product(input(graph, node, 1), 1, product(input(graph, node, 0)));
    if (op == "Gemm")
        return gemmMacs(graph, node);
    if (op == "MatMul" || op == "MatMulInteger")
        return matMulMacs(graph, node);
    if (node.domain == kLayerBenchDomain && node.opType == "StridedMatMul") {
        const auto a = input(graph, node, 0); // K is A's second-last axis when transA
        if (!a || a->size() < 2)
            return -1;
        const ir::Attribute* transA = node.attribute("transA");
        return times(product(output(graph, node, 0)),
                     (*a)[a->size() - (transA && transA->i != 0 ? 2 : 1)]);
    }
    if (op == "RNN" || op == "GRU" || op == "LSTM") {
        // Every step of every sequence multiplies its input by W and its state by R (W is
        // [directions, gates*hidden, input], R [directions, gates*hidden, hidden]).
        const auto x = input(graph, node, 0);
        if (!x || x->size() != 3)
            return -1;
        const int64_t w = product(input(graph, node, 1)), r = product(input(graph, node, 2));
        return times(times((*x)[0], (*x)[1]), w < 0 || r < 0 ? -1 : w + r);
    }
    if (op == "MaxPool" || op == "AveragePool" || op == "LpPool")
        return poolMacs(graph, node);
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool" || op == "GlobalLpPool" ||
        op.rfind("Reduce", 0) == 0 || op == "ArgMax" || op == "ArgMin")
        return product(input(graph, node, 0));
    if (op == "LayerNormalization" || op == "InstanceNormalization" || op == "GroupNormalization" ||
        op == "MeanVarianceNormalization")
        return product(output(graph, node, 0), 0, 2);
    if (op == "If" || op == "Loop" || op == "Scan")
        return 0; // bodies are subgraphs, not counted here
    const OpCategory category = opCategory(op);
    if (category == OpCategory::Shape ||
        (category == OpCategory::Data && op != "Resize" && op != "Upsample"))
        return 0;
    // Elementwise ops, activations, BatchNorm, Softmax, Resize and every op this table does not
    // know: one per output element.
    return product(output(graph, node, 0));
}

OpCategory opCategory(const std::string& opType) {
    const auto& table = categoryTable();
    auto it = table.find(opType);
    return it == table.end() ? OpCategory::Other : it->second;
}

std::string opCategoryName(OpCategory category) {
    switch (category) {
    case OpCategory::Convolution:
        return "convolution";
    case OpCategory::Linear:
        return "linear";
    case OpCategory::Activation:
        return "activation";
    case OpCategory::Normalization:
        return "normalization";
    case OpCategory::Pooling:
        return "pooling";
    case OpCategory::Elementwise:
        return "elementwise";
    case OpCategory::Shape:
        return "shape";
    case OpCategory::Data:
        return "data";
    case OpCategory::Control:
        return "control";
    case OpCategory::Quantization:
        return "quantization";
    case OpCategory::Other:
        return "other";
    }
    return "other";
}

} // namespace lb::ops
