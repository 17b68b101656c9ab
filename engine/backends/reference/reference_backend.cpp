#include "backends/reference/reference_backend.h"

#include "backends/reference/fake_quant_kernel.h"
#include "backends/reference/fused_kernels.h"
#include "backends/reference/kernel_util.h"
#include "backends/reference/kernels.h"
#include "lowering/fusions.h"
#include "ops/fused_ops.h"

#include <algorithm>
#include <map>

namespace lb::backends::reference {

namespace {

// Which dtypes input 0 may have. Float ops compute in float32 only; the int8 ops take uint8 (their
// claims check every input).
enum class Types { Float, Numeric, Any, Bool, UInt8 };

struct Entry {
    KernelFactory factory;
    Types types;
    ClaimCheck claim = nullptr; // nullptr: every valid node of the op
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
        {"PRelu", {makeBinary, Types::Float, claimBinary}},
        {"Clip", {makeClip, Types::Numeric}},
        // binary / variadic with broadcasting
        {"Add", {makeBinary, Types::Numeric, claimBinary}},
        {"Sub", {makeBinary, Types::Numeric, claimBinary}},
        {"Mul", {makeBinary, Types::Numeric, claimBinary}},
        {"Div", {makeBinary, Types::Numeric, claimBinary}},
        {"Pow", {makeBinary, Types::Float, claimBinary}},
        {"Mod", {makeBinary, Types::Numeric, claimBinary}},
        {"BitShift", {makeBinary, Types::Numeric, claimBinary}},
        {"Equal", {makeBinary, Types::Numeric, claimBinary}},
        {"Less", {makeBinary, Types::Numeric, claimBinary}},
        {"LessOrEqual", {makeBinary, Types::Numeric, claimBinary}},
        {"Greater", {makeBinary, Types::Numeric, claimBinary}},
        {"GreaterOrEqual", {makeBinary, Types::Numeric, claimBinary}},
        {"And", {makeBinary, Types::Bool, claimBinary}},
        {"Or", {makeBinary, Types::Bool, claimBinary}},
        {"Xor", {makeBinary, Types::Bool, claimBinary}},
        {"Sum", {makeVariadic, Types::Numeric}},
        {"Mean", {makeVariadic, Types::Float}},
        {"Min", {makeVariadic, Types::Numeric}},
        {"Max", {makeVariadic, Types::Numeric}},
        {"Where", {makeWhere, Types::Bool}},
        {"Cast", {makeCast, Types::Numeric, claimCast}},
        // linear
        {"Conv", {makeConv, Types::Float, claimConv}},
        {"ConvTranspose", {makeConvTranspose, Types::Float, claimConv}},
        {"Gemm", {makeGemm, Types::Float}},
        {"MatMul", {makeMatMul, Types::Float}},
        // pooling and normalization
        {"MaxPool", {makePool, Types::Float, claimPool}},
        {"AveragePool", {makePool, Types::Float, claimPool}},
        {"GlobalMaxPool", {makeGlobalPool, Types::Float, claimPool}},
        {"GlobalAveragePool", {makeGlobalPool, Types::Float, claimPool}},
        {"Softmax", {makeSoftmax, Types::Float}},
        {"LogSoftmax", {makeSoftmax, Types::Float}},
        {"BatchNormalization", {makeBatchNorm, Types::Float, claimBatchNorm}},
        {"InstanceNormalization", {makeInstanceNorm, Types::Float}},
        {"LayerNormalization", {makeLayerNorm, Types::Float}},
        // shapes (views where possible)
        {"Reshape", {makeReshape, Types::Any}},
        {"Flatten", {makeFlatten, Types::Any}},
        {"Squeeze", {makeSqueeze, Types::Any}},
        {"Unsqueeze", {makeUnsqueeze, Types::Any}},
        {"Identity", {makeIdentity, Types::Any}},
        {"Dropout", {makeDropout, Types::Float, claimDropout}},
        {"Shape", {makeShape, Types::Any}},
        {"Constant", {makeConstant, Types::Any, claimConstant}},
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
        {"Pad", {makePad, Types::Numeric, claimPad}},
        {"Resize", {makeResize, Types::Float, claimResize}},
        {"Upsample", {makeResize, Types::Float, claimResize}},
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
        {"TopK", {makeTopK, Types::Float, claimTopK}},
        // recurrent nets (rnn_kernels.cpp)
        {"RNN", {makeRecurrent, Types::Float}},
        {"GRU", {makeRecurrent, Types::Float}},
        {"LSTM", {makeRecurrent, Types::Float}},
        // quantization (QDQ models)
        {"QuantizeLinear", {makeQuantizeLinear, Types::Float, claimQdq}},
        {"DequantizeLinear", {makeDequantizeLinear, Types::Numeric, claimQdq}},
        // sequences and optionals (control flow; If/Loop/Scan/SequenceMap run in the session)
        {"SequenceEmpty", {makeSequenceEmpty, Types::Any}},
        {"SequenceConstruct", {makeSequenceConstruct, Types::Any}},
        {"SequenceInsert", {makeSequenceInsert, Types::Any}},
        {"SequenceAt", {makeSequenceAt, Types::Any}},
        {"SequenceErase", {makeSequenceErase, Types::Any}},
        {"SequenceLength", {makeSequenceLength, Types::Any}},
        {"SplitToSequence", {makeSplitToSequence, Types::Any}},
        {"ConcatFromSequence", {makeConcatFromSequence, Types::Any}},
        {"Optional", {makeOptional, Types::Any}},
        {"OptionalHasElement", {makeOptionalHasElement, Types::Any}},
        {"OptionalGetElement", {makeOptionalGetElement, Types::Any}},
    };
    return table;
}

// Ops of the domain ai.layerbench that LayerBench's graph passes create (ops/fused_ops.h).
const std::map<std::string, Entry>& fusedKernelTable() {
    static const std::map<std::string, Entry> table = {
        {"FusedConv", {makeFusedConv, Types::Float, claimConv}},
        {"LayerNormalization", {makeLayerNorm, Types::Float}},
        {"FusedGemm", {makeFusedGemm, Types::Float}},
        {"FakeQuant", {makeFakeQuant, Types::Float}}, // quantization simulation
        // real int8 (ops/int8_ops.h): int8_conv_kernels.cpp, int8_data_kernels.cpp,
        // int8_kernels.cpp
        {"QConv", {makeQConv, Types::UInt8, claimQConv}},
        {"QConvTranspose", {makeQConvTranspose, Types::UInt8, claimQConvTranspose}},
        {"QAdd", {makeQAdd, Types::UInt8, claimQAdd}},
        {"QConcat", {makeQConcat, Types::UInt8, claimQConcat}},
        {"QResize", {makeQResize, Types::UInt8, claimQResize}},
        {"QGlobalAveragePool", {makeQGlobalAveragePool, Types::UInt8, claimQGlobalAveragePool}},
        {"QMul", {makeQMul, Types::UInt8, claimQMul}},
        {"QMaxPool", {makeQMaxPool, Types::UInt8, claimQMaxPool}},
        {"QLut", {makeQLut, Types::UInt8, claimQLut}},
        {"Quantize", {makeQuantize, Types::Float, claimQuantize}},
        {"Dequantize", {makeDequantize, Types::UInt8, claimDequantize}},
    };
    return table;
}

bool typeAllowed(Types types, DataType t) {
    switch (types) {
    case Types::Float:
        return t == DataType::Float32;
    case Types::Bool:
        return t == DataType::Bool;
    case Types::UInt8:
        return t == DataType::UInt8;
    case Types::Any:
        return t != DataType::Undefined;
    case Types::Numeric:
        return t != DataType::String && t != DataType::Float16 && t != DataType::BFloat16 &&
               t != DataType::Complex64 && t != DataType::Complex128 && t != DataType::Undefined;
    }
    return false;
}

bool takesNonTensors(const std::string& op) {
    return op == "Identity" || op.rfind("Sequence", 0) == 0 || op.rfind("Optional", 0) == 0 ||
           op == "SplitToSequence" || op == "ConcatFromSequence";
}

const char* typesName(Types types) {
    switch (types) {
    case Types::Float:
        return "float32";
    case Types::Bool:
        return "bool";
    case Types::UInt8:
        return "uint8";
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
    for (const auto& [op, entry] : fusedKernelTable())
        ops.push_back(std::string(ops::kLayerBenchDomain) + "." + op);
    std::sort(ops.begin(), ops.end());
    return ops;
}

runtime::Claim ReferenceBackend::capability(const ir::Graph& graph, const ir::Node& node) const {
    using runtime::Claim;
    using runtime::Decline;
    const bool layerbenchOp = node.domain == ops::kLayerBenchDomain;
    if (!node.domain.empty() && node.domain != "ai.onnx" && !layerbenchOp)
        return Claim::declined(Decline::Op, "domain '", node.domain,
                               "' is not implemented (only the default ONNX domain)");
    const auto& table = layerbenchOp ? fusedKernelTable() : kernelTable();
    auto it = table.find(node.opType);
    if (it == table.end())
        return Claim::declined(Decline::Op, "op ", node.opType,
                               " is not implemented by the reference backend");
    // Where checks its condition (input 0) as bool; the values may be any type.
    if (!node.inputs.empty() && node.inputs[0] != ir::kNoValue) {
        const DataType t = graph.value(node.inputs[0]).dtype;
        if (t != DataType::Undefined && !typeAllowed(it->second.types, t))
            return Claim::declined(Decline::Dtype, "dtype ", dtypeName(t), " of input '",
                                   graph.value(node.inputs[0]).name, "' is not implemented (",
                                   node.opType, " takes ", typesName(it->second.types), ")");
    }
    // Sequences and optionals go to the ops that take them (and Identity), nowhere else.
    if (!takesNonTensors(node.opType))
        for (ir::ValueId v : node.inputs)
            if (v != ir::kNoValue && graph.value(v).kind != ValueKind::Tensor)
                return Claim::declined(Decline::Dtype, "input '", graph.value(v).name, "' is a ",
                                       graph.value(v).kind == ValueKind::Sequence ? "sequence"
                                                                                 : "optional",
                                       " (", node.opType, " takes tensors)");
    // Graph inputs always declare their type: none means a map (or an unknown type).
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && graph.value(v).dtype == DataType::Undefined &&
            graph.value(v).kind == ValueKind::Tensor &&
            (graph.isGraphInput(v) || graph.isInitializer(v)))
            return Claim::declined(Decline::Dtype, "input '", graph.value(v).name,
                                   "' is not a tensor (map types are not implemented)");
    // Float kernels also produce float32 only: a float32-typed op with float64 inputs elsewhere
    // (e.g. MatMul's second input) is declined here rather than failing at run time.
    if (it->second.types == Types::Float)
        for (ir::ValueId v : node.inputs)
            if (v != ir::kNoValue && graph.value(v).dtype == DataType::Float64)
                return Claim::declined(Decline::Dtype, "dtype float64 of input '",
                                       graph.value(v).name, "' is not implemented");
    return it->second.claim ? it->second.claim(runtime::KernelInfo{graph, node, 1})
                            : Claim::claimed();
}

std::unique_ptr<runtime::Kernel>
ReferenceBackend::createKernel(const runtime::KernelInfo& info) const {
    // The kernels rely on what capability() checked (types, modes, ranks).
    if (const runtime::Claim claim = capability(info.graph, info.node); !claim)
        fail("node ", quoted(info.node.name), " (", info.node.opType,
             "): the reference backend declines it: ", claim.text());
    const auto& table =
        info.node.domain == ops::kLayerBenchDomain ? fusedKernelTable() : kernelTable();
    return table.at(info.node.opType).factory(info);
}

std::vector<runtime::LoweringCount>
ReferenceBackend::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                        const runtime::LoweringContext& context) const {
    if (!context.int8)
        return {};
    const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
    std::vector<runtime::LoweringCount> counts;
    for (const lowering::RewriteCount& c : lowering::fuseForBackend(graph, mine, claims))
        counts.push_back({c.rewrite, c.count});
    for (runtime::LoweringCount& c : context.int8->lower(graph, mine, claims, kName))
        counts.push_back(std::move(c));
    return counts;
}

} // namespace lb::backends::reference
