#include "backends/reference/reference_backend.h"

#include "backends/reference/fake_quant_kernel.h"
#include "backends/reference/fused_kernels.h"
#include "backends/reference/half_boundary.h"
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
        {"Pow", {makeBinary, Types::Numeric, claimBinary}},
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
        // linear
        {"Conv", {makeConv, Types::Float, claimConv}},
        {"ConvTranspose", {makeConvTranspose, Types::Float, claimConv}},
        {"Gemm", {makeGemm, Types::Float}},
        {"MatMul", {makeMatMul, Types::Float}},
        // pooling and normalization
        {"MaxPool", {makePool, Types::Numeric, claimPool}},
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
        {"ReduceLogSumExp", {makeReduce, Types::Numeric, claimFloat32Or64}},
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
        // ONNX op-set breadth, indexing / losses / misc math (issue #13)
        {"GatherElements", {makeGatherElements, Types::Any}},
        {"GatherND", {makeGatherND, Types::Any}},
        {"ScatterElements", {makeScatterElements, Types::Numeric}},
        {"Scatter", {makeScatterElements, Types::Numeric}},
        {"ScatterND", {makeScatterND, Types::Numeric}},
        {"OneHot", {makeOneHot, Types::Numeric}},
        {"Compress", {makeCompress, Types::Numeric}},
        {"NonZero", {makeNonZero, Types::Numeric}},
        {"Unique", {makeUnique, Types::Numeric}},
        {"Trilu", {makeTrilu, Types::Numeric}},
        {"EyeLike", {makeEyeLike, Types::Numeric}},
        {"CumSum", {makeCumSum, Types::Numeric}},
        {"ReverseSequence", {makeReverseSequence, Types::Any}},
        {"DepthToSpace", {makeDepthSpace, Types::Any}},
        {"SpaceToDepth", {makeDepthSpace, Types::Any}},
        {"Size", {makeSize, Types::Any}},
        {"NegativeLogLikelihoodLoss",
         {makeNegativeLogLikelihoodLoss, Types::Numeric, claimFloat32Or64}},
        {"SoftmaxCrossEntropyLoss",
         {makeSoftmaxCrossEntropyLoss, Types::Numeric, claimFloat32Or64}},
        {"Hardmax", {makeHardmax, Types::Numeric, claimFloat32Or64}},
        {"IsInf", {makeIsInfNaN, Types::Numeric, claimFloat32Or64}},
        {"IsNaN", {makeIsInfNaN, Types::Numeric, claimFloat32Or64}},
        {"Shrink", {makeShrink, Types::Numeric}},
        {"Det", {makeDet, Types::Numeric, claimFloat32Or64}},
        {"LRN", {makeLrn, Types::Numeric, claimFloat32Or64}},
        {"MeanVarianceNormalization",
         {makeMeanVarianceNormalization, Types::Numeric, claimFloat32Or64}},
        {"Einsum", {makeEinsum, Types::Numeric}},
        {"MaxUnpool", {makeMaxUnpool, Types::Numeric}},
        // dtypes, signal, detection, text and integer-quantized ops (issue #13, "dtypes"):
        // cast_kernels.cpp. Float16/bfloat16 inputs of the Float and Numeric ops above go
        // through half_boundary.h.
        {"Cast", {makeCast, Types::Any, claimCast}},
        {"CastLike", {makeCast, Types::Any, claimCast}},
        // signal_kernels.cpp
        {"HannWindow", {makeWindow, Types::Numeric}},
        {"HammingWindow", {makeWindow, Types::Numeric}},
        {"BlackmanWindow", {makeWindow, Types::Numeric}},
        {"DFT", {makeDft, Types::Float}},
        {"STFT", {makeStft, Types::Float}},
        {"MelWeightMatrix", {makeMelWeightMatrix, Types::Numeric}},
        // integer_kernels.cpp
        {"DynamicQuantizeLinear", {makeDynamicQuantizeLinear, Types::Float, claimIntegerOp}},
        {"MatMulInteger", {makeMatMulInteger, Types::Any, claimIntegerOp}},
        {"QLinearMatMul", {makeQLinearMatMul, Types::Any, claimIntegerOp}},
        {"ConvInteger", {makeConvInteger, Types::Any, claimIntegerOp}},
        {"QLinearConv", {makeQLinearConv, Types::Any, claimIntegerOp}},
        // text_kernels.cpp
        {"StringNormalizer", {makeStringNormalizer, Types::Any}},
        {"TfIdfVectorizer", {makeTfIdfVectorizer, Types::Any}},
        // detection_kernels.cpp
        {"GridSample", {makeGridSample, Types::Float, claimGridSample}},
        {"NonMaxSuppression", {makeNonMaxSuppression, Types::Float}},
        {"RoiAlign", {makeRoiAlign, Types::Float}},
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
        {"FusedMatMul", {makeFusedMatMul, Types::Float}}, // light nets: Linear on rank > 2
        {"FakeQuant", {makeFakeQuant, Types::Float}},     // quantization simulation
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
        // pattern fusions (passes/pattern_fusions.cpp): GELU, channel shuffle
        {"Gelu", {makeGelu, Types::Float}},
        {"ChannelShuffle", {makeChannelShuffle, Types::Any}},
    };
    return table;
}

// The optimizers of the domain ai.onnx.preview.training (ONNX op-set breadth, issue #13).
constexpr const char* kPreviewTrainingDomain = "ai.onnx.preview.training";

const std::map<std::string, Entry>& trainingKernelTable() {
    static const std::map<std::string, Entry> table = {
        {"Adagrad", {makeOptimizer, Types::Float}},
        {"Adam", {makeOptimizer, Types::Float}},
        {"Momentum", {makeOptimizer, Types::Float}},
    };
    return table;
}

// The kernel table of an ONNX domain, nullptr for a domain the backend does not implement.
const std::map<std::string, Entry>* tableFor(const std::string& domain, const std::string& op) {
    if (domain.empty() || domain == "ai.onnx")
        return &kernelTable();
    // ONNX Runtime's com.microsoft QuantizeLinear / DequantizeLinear are the default domain's
    // with 16-bit types before opset 21 (what its quantizer and our QDQ export write).
    if (domain == "com.microsoft" && (op == "QuantizeLinear" || op == "DequantizeLinear"))
        return &kernelTable();
    if (domain == ops::kLayerBenchDomain)
        return &fusedKernelTable();
    if (domain == kPreviewTrainingDomain)
        return &trainingKernelTable();
    return nullptr;
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

// Ops whose float16/bfloat16 inputs are widened to float32 at the kernel boundary.
bool computesInFloat32(Types types) {
    return types == Types::Float || types == Types::Numeric;
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
    for (const auto& [op, entry] : trainingKernelTable())
        ops.push_back(std::string(kPreviewTrainingDomain) + "." + op);
    std::sort(ops.begin(), ops.end());
    return ops;
}

runtime::Claim ReferenceBackend::capability(const ir::Graph& graph, const ir::Node& node) const {
    using runtime::Claim;
    using runtime::Decline;
    const std::map<std::string, Entry>* domainTable = tableFor(node.domain, node.opType);
    if (!domainTable)
        return Claim::declined(
            Decline::Op, "domain '", node.domain,
            "' is not implemented (only ai.onnx, its preview.training optimizers and "
            "ai.layerbench)");
    const auto& table = *domainTable;
    auto it = table.find(node.opType);
    if (it == table.end())
        return Claim::declined(Decline::Op, "op ", node.opType,
                               " is not implemented by the reference backend");
    if (computesInFloat32(it->second.types) && hasHalfInputs(graph, node)) {
        const auto shadow = floatShadow(graph, node);
        return capability(shadow->graph, shadow->graph.node(shadow->node));
    }
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
    const Entry& entry = tableFor(info.node.domain, info.node.opType)->at(info.node.opType);
    if (computesInFloat32(entry.types) && hasHalfInputs(info.graph, info.node))
        return makeHalfBoundaryKernel(info, entry.factory);
    return entry.factory(info);
}

std::vector<runtime::LoweringCount>
ReferenceBackend::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                        const runtime::LoweringContext& context) const {
    if (!context.int8)
        return {};
    const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
    std::vector<runtime::LoweringCount> counts;
    for (const lowering::RewriteCount& c :
         lowering::fuseForBackend(graph, mine, claims, context.keep))
        counts.push_back({c.rewrite, c.count});
    for (runtime::LoweringCount& c : context.int8->lower(graph, mine, claims, kName))
        counts.push_back(std::move(c));
    return counts;
}

} // namespace lb::backends::reference
