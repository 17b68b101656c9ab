#include "backends/reference/reference_backend.h"

#include "backends/reference/fake_quant_kernel.h"
#include "backends/reference/fused_kernels.h"
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "ops/fused_ops.h"

#include <algorithm>
#include <map>

namespace lb::backends::reference {

namespace {

// Which dtypes input 0 may have. Float ops compute in float32 only.
enum class Types { Float, Numeric, Any, Bool };

struct Entry {
    KernelFactory factory;
    Types types;
};

const std::map<std::string, Entry>& kernelTable() {
    static const std::map<std::string, Entry> table = {
        // elementwise math
        {"Abs", {makeUnary, Types::Numeric}},
        {"Neg", {makeUnary, Types::Numeric}},
        {"Sign", {makeUnary, Types::Numeric}},
        {"Not", {makeUnary, Types::Bool}},
        {"Sqrt", {makeUnary, Types::Float}},
        {"Exp", {makeUnary, Types::Float}},
        {"Log", {makeUnary, Types::Float}},
        {"Reciprocal", {makeUnary, Types::Float}},
        {"Floor", {makeUnary, Types::Float}},
        {"Ceil", {makeUnary, Types::Float}},
        {"Round", {makeUnary, Types::Float}},
        {"Erf", {makeUnary, Types::Float}},
        {"Sin", {makeUnary, Types::Float}},
        {"Cos", {makeUnary, Types::Float}},
        {"Tan", {makeUnary, Types::Float}},
        {"Asin", {makeUnary, Types::Float}},
        {"Acos", {makeUnary, Types::Float}},
        {"Atan", {makeUnary, Types::Float}},
        {"Sinh", {makeUnary, Types::Float}},
        {"Cosh", {makeUnary, Types::Float}},
        {"Asinh", {makeUnary, Types::Float}},
        {"Acosh", {makeUnary, Types::Float}},
        {"Atanh", {makeUnary, Types::Float}},
        // activations
        {"Relu", {makeUnary, Types::Float}},
        {"Sigmoid", {makeUnary, Types::Float}},
        {"Tanh", {makeUnary, Types::Float}},
        {"LeakyRelu", {makeUnary, Types::Float}},
        {"Elu", {makeUnary, Types::Float}},
        {"Celu", {makeUnary, Types::Float}},
        {"Selu", {makeUnary, Types::Float}},
        {"ThresholdedRelu", {makeUnary, Types::Float}},
        {"HardSigmoid", {makeUnary, Types::Float}},
        {"HardSwish", {makeUnary, Types::Float}},
        {"Softplus", {makeUnary, Types::Float}},
        {"Softsign", {makeUnary, Types::Float}},
        {"PRelu", {makeBinary, Types::Float}},
        {"Clip", {makeClip, Types::Numeric}},
        // binary / variadic with broadcasting
        {"Add", {makeBinary, Types::Numeric}},
        {"Sub", {makeBinary, Types::Numeric}},
        {"Mul", {makeBinary, Types::Numeric}},
        {"Div", {makeBinary, Types::Numeric}},
        {"Pow", {makeBinary, Types::Float}},
        {"Mod", {makeBinary, Types::Numeric}},
        {"BitShift", {makeBinary, Types::Numeric}},
        {"Equal", {makeBinary, Types::Numeric}},
        {"Less", {makeBinary, Types::Numeric}},
        {"LessOrEqual", {makeBinary, Types::Numeric}},
        {"Greater", {makeBinary, Types::Numeric}},
        {"GreaterOrEqual", {makeBinary, Types::Numeric}},
        {"And", {makeBinary, Types::Bool}},
        {"Or", {makeBinary, Types::Bool}},
        {"Xor", {makeBinary, Types::Bool}},
        {"Sum", {makeVariadic, Types::Numeric}},
        {"Mean", {makeVariadic, Types::Float}},
        {"Min", {makeVariadic, Types::Numeric}},
        {"Max", {makeVariadic, Types::Numeric}},
        {"Where", {makeWhere, Types::Bool}},
        {"Cast", {makeCast, Types::Numeric}},
        // linear
        {"Conv", {makeConv, Types::Float}},
        {"ConvTranspose", {makeConvTranspose, Types::Float}},
        {"Gemm", {makeGemm, Types::Float}},
        {"MatMul", {makeMatMul, Types::Float}},
        // pooling and normalization
        {"MaxPool", {makePool, Types::Float}},
        {"AveragePool", {makePool, Types::Float}},
        {"GlobalMaxPool", {makeGlobalPool, Types::Float}},
        {"GlobalAveragePool", {makeGlobalPool, Types::Float}},
        {"Softmax", {makeSoftmax, Types::Float}},
        {"LogSoftmax", {makeSoftmax, Types::Float}},
        {"BatchNormalization", {makeBatchNorm, Types::Float}},
        {"InstanceNormalization", {makeInstanceNorm, Types::Float}},
        {"LayerNormalization", {makeLayerNorm, Types::Float}},
        // shapes (views where possible)
        {"Reshape", {makeReshape, Types::Any}},
        {"Flatten", {makeFlatten, Types::Any}},
        {"Squeeze", {makeSqueeze, Types::Any}},
        {"Unsqueeze", {makeUnsqueeze, Types::Any}},
        {"Identity", {makeIdentity, Types::Any}},
        {"Dropout", {makeDropout, Types::Float}},
        {"Shape", {makeShape, Types::Any}},
        {"Constant", {makeConstant, Types::Any}},
        {"ConstantOfShape", {makeConstantOfShape, Types::Any}},
        {"Range", {makeRange, Types::Numeric}},
        // data movement
        {"Transpose", {makeTranspose, Types::Any}},
        {"Concat", {makeConcat, Types::Any}},
        {"Split", {makeSplit, Types::Any}},
        {"Slice", {makeSlice, Types::Any}},
        {"Gather", {makeGather, Types::Any}},
        {"Expand", {makeExpand, Types::Any}},
        {"Tile", {makeTile, Types::Any}},
        {"Pad", {makePad, Types::Numeric}},
        {"Resize", {makeResize, Types::Float}},
        {"Upsample", {makeResize, Types::Float}},
        // reductions
        {"ReduceSum", {makeReduce, Types::Float}},
        {"ReduceMean", {makeReduce, Types::Float}},
        {"ReduceMax", {makeReduce, Types::Float}},
        {"ReduceMin", {makeReduce, Types::Float}},
        {"ReduceProd", {makeReduce, Types::Float}},
        {"ReduceL1", {makeReduce, Types::Float}},
        {"ReduceL2", {makeReduce, Types::Float}},
        {"ReduceLogSum", {makeReduce, Types::Float}},
        {"ReduceLogSumExp", {makeReduce, Types::Float}},
        {"ReduceSumSquare", {makeReduce, Types::Float}},
        {"ArgMax", {makeArgReduce, Types::Numeric}},
        {"ArgMin", {makeArgReduce, Types::Numeric}},
        {"TopK", {makeTopK, Types::Float}},
        // quantization (QDQ models)
        {"QuantizeLinear", {makeQuantizeLinear, Types::Float}},
        {"DequantizeLinear", {makeDequantizeLinear, Types::Numeric}},
    };
    return table;
}

// Ops of the domain ai.layerbench that LayerBench's graph passes create (ops/fused_ops.h).
const std::map<std::string, Entry>& fusedKernelTable() {
    static const std::map<std::string, Entry> table = {
        {"FusedConv", {makeFusedConv, Types::Float}},
        {"LayerNormalization", {makeLayerNorm, Types::Float}},
        {"FusedGemm", {makeFusedGemm, Types::Float}},
        {"FakeQuant", {makeFakeQuant, Types::Float}}, // quantization simulation
    };
    return table;
}

bool typeAllowed(Types types, DataType t) {
    switch (types) {
    case Types::Float:
        return t == DataType::Float32;
    case Types::Bool:
        return t == DataType::Bool;
    case Types::Any:
        return t != DataType::Undefined;
    case Types::Numeric:
        return t != DataType::String && t != DataType::Float16 && t != DataType::BFloat16 &&
               t != DataType::Complex64 && t != DataType::Complex128 && t != DataType::Undefined;
    }
    return false;
}

const char* typesName(Types types) {
    switch (types) {
    case Types::Float:
        return "float32";
    case Types::Bool:
        return "bool";
    case Types::Any:
        return "any type";
    case Types::Numeric:
        return "integer, bool, float32 or float64";
    }
    return "";
}

} // namespace

std::vector<std::string> ReferenceBackend::supportedOps() {
    std::vector<std::string> ops;
    for (const auto& [op, entry] : kernelTable())
        ops.push_back(op);
    return ops;
}

std::string ReferenceBackend::unsupportedReason(const ir::Graph& graph,
                                                const ir::Node& node) const {
    const bool layerbenchOp = node.domain == ops::kLayerBenchDomain;
    if (!node.domain.empty() && node.domain != "ai.onnx" && !layerbenchOp)
        return "domain '" + node.domain + "' is not supported (only the default ONNX domain)";
    const auto& table = layerbenchOp ? fusedKernelTable() : kernelTable();
    auto it = table.find(node.opType);
    if (it == table.end())
        return "op " + node.opType + " is not implemented by the reference backend";
    // Where checks its condition (input 0) as bool; the values may be any type.
    if (!node.inputs.empty() && node.inputs[0] != ir::kNoValue) {
        const DataType t = graph.value(node.inputs[0]).dtype;
        if (t != DataType::Undefined && !typeAllowed(it->second.types, t))
            return "dtype " + dtypeName(t) + " of input '" + graph.value(node.inputs[0]).name +
                   "' is not supported (" + node.opType + " takes " + typesName(it->second.types) +
                   ")";
    }
    // Graph inputs always declare their type: none means a sequence, map or optional.
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && graph.value(v).dtype == DataType::Undefined &&
            (graph.isGraphInput(v) || graph.isInitializer(v)))
            return "input '" + graph.value(v).name +
                   "' is not a tensor (sequence/optional/map types are not supported)";
    // Float kernels also produce float32 only: a float32-typed op with float64 inputs elsewhere
    // (e.g. MatMul's second input) is declined here rather than failing at run time.
    if (it->second.types == Types::Float)
        for (ir::ValueId v : node.inputs)
            if (v != ir::kNoValue && graph.value(v).dtype == DataType::Float64)
                return "dtype float64 of input '" + graph.value(v).name + "' is not supported";
    try {
        runtime::KernelInfo info{graph, node, 1};
        it->second.factory(info);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

std::unique_ptr<runtime::Kernel>
ReferenceBackend::createKernel(const runtime::KernelInfo& info) const {
    const auto& table =
        info.node.domain == ops::kLayerBenchDomain ? fusedKernelTable() : kernelTable();
    auto it = table.find(info.node.opType);
    if (it == table.end())
        fail("node ", quoted(info.node.name), " (", info.node.opType,
             "): op is not implemented by the reference backend");
    return it->second.factory(info);
}

} // namespace lb::backends::reference
