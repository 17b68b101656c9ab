// What the oneDNN backend runs (float32, and the int8 ops of ops/int8_ops.h; anything else is
// declined with a code and the reason, by capability() without building anything):
//
//  Conv            2-D, any group (depthwise included), strides, dilations, pads / auto_pad,
//                  constant W (pre-packed) and constant B. Blocked src/weights/dst chosen by
//                  oneDNN.
//  FusedConv       (domain ai.layerbench) Conv's inputs and attributes plus an optional 4th
//                  input Z of the output's shape, and string attribute `activation` with floats
//                  `activation_params`:  Y = activation(Conv(X, W, B) + Z).
//                  activation: Relu | LeakyRelu (alpha=0.01) | Clip (min, max) | Sigmoid | Tanh |
//                  HardSigmoid (alpha=0.2, beta=0.5) | HardSwish | Swish | Gelu; omitted params
//                  take those defaults. Optional `output_affine` [scale, shift] is a final
//                  eltwise_linear.
//  Gemm, MatMul    matmul primitive. Gemm: transA/transB, alpha (needs a constant B), beta with a
//                  constant C (or beta=1), C broadcastable to MxN. MatMul: rank >= 2 on both sides,
//                  batch dims equal or 1 in B. A constant B is pre-packed.
//  FusedConvDw     (ai.layerbench) X, W [M, C, 1, 1], optional B, Wdw [M, 1, 3, 3], optional Bdw
//                  (constants): a 1x1 with `activation`, then a depthwise 3x3 with pads 1,
//                  `dw_strides` [1, 1] or [2, 2] and `dw_activation` / `dw_activation_params`;
//                  one primitive with oneDNN's depthwise post-op where oneDNN has a JIT one
//                  (conv_dw_kernel.cpp).
//  FusedGemm       (ai.layerbench) Gemm plus `activation` / `activation_params` as above.
//  FusedMatMul     (ai.layerbench) MatMul by a constant 2-D B plus a constant bias of N values
//                  (the primitive's bias), an optional residual Z of the output's shape (binary
//                  add post-op) and `activation` as above (lowering/fusions.h).
//  StridedMatMul   (ai.layerbench) MatMul with transA/transB (a Transpose of the last two axes
//                  read through the operand's strides) and alpha (post-op eltwise_linear; folded
//                  into a constant B).
//  Relu, LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish, Clip (constant min/max)
//                  eltwise primitive on whatever layout the input has (blocked stays blocked).
//  Add, Sub, Mul, Div, Max, Min (2 inputs)
//                  binary primitive; numpy broadcasting only where the second input (or, for
//                  commutative ops, the first) broadcasts into the other after padding the rank.
//  BatchNormalization  inference with constant scale, B, mean, var (global statistics).
//  MaxPool, AveragePool  2-D, strides, pads / auto_pad, ceil_mode (explicit right padding),
//                  MaxPool dilations; no Indices output; AveragePool count_include_pad with ceil
//                  padding beyond the pads is declined (ONNX and oneDNN divide differently).
//  GlobalAveragePool, GlobalMaxPool  2-D.
//  Softmax, LogSoftmax  one axis (opset >= 13), or opset < 13's flatten-to-2-D semantics.
//  Concat          concat primitive, any layouts in, the primitive's layout out.
//  ConvTranspose   2-D deconvolution, any group, constant W (pre-packed) and B; output_padding
//                  only where oneDNN's explicit right padding can express it.
//  Resize, Upsample  nearest with whole-number spatial factors and static shapes, in the modes
//                  where ONNX's index equals floor(x / factor); linear (Resize-11+) in the
//                  half-pixel modes where the scale is output / input, up or down, no antialias
//                  (resample_kernel.cpp). roi/scales/sizes must be constants.
//
//  LayerNormalization  (default domain, and ai.layerbench for older opsets) constant Scale and
//                  B, no Mean/InvStdDev outputs; layer_normalization_forward on [outer, inner].
//  Gelu            (ai.layerbench) eltwise gelu_erf.
//  BatchNormalization (ai.layerbench) BatchNormalization's inputs and attributes plus
//                  activation "Relu": the primitive's fuse_norm_relu.
//  ConcatBatchNormalization (ai.layerbench) scale, B, mean, var (constants), then the inputs
//                  of a channel Concat; epsilon, activation "" or "Relu": each input normalized
//                  into its channel slice of the output (concat_norm_kernel.cpp).
//  ChannelShuffle  (ai.layerbench) shuffle primitive on the input's layout.
//  Slice           one constant channel range (axis 1, step 1) of a 4-D tensor, on the input's
//                  layout: blocked in, blocked out (slice_kernel.cpp).
//  Transpose       one reorder from the input's (possibly blocked) layout with permuted axes into
//                  a plain output.
//  RNN, GRU, LSTM  vanilla_rnn_forward, gru_forward / lbr_gru_forward, lstm_forward with constant
//                  W, R, B, P (gates reordered, biases summed): every direction, initial
//                  states, peepholes, layout 0 and 1, the default activations (RNN also Relu,
//                  LeakyRelu, Sigmoid); clip, input_forget, other activations and sequence_lens
//                  shorter than the sequence are declined (rnn_kernel.cpp). From 2 threads GRU
//                  and LSTM with whole 16-unit hidden blocks run our own loops (gru_loop.cpp,
//                  lstm_loop.cpp).
//  ReduceMean, ReduceMax  over every axis after the channels (axes attribute): a global pooling
//                  on the input's own layout, output plain (reduce_kernel.cpp).
//
// Declined (the reference backend runs them): Reshape and everything else.
#include "backends/onednn/onednn_backend.h"

#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "core/error.h"
#include "lowering/fusions.h"
#include "ops/int8_ops.h"

#include <algorithm>
#include <map>

namespace lb::backends::onednn {

namespace {

struct Entry {
    KernelFactory make;
    ClaimCheck claim; // nullptr: every valid node of the op
};

const std::map<std::string, Entry>& defaultDomainTable() {
    static const std::map<std::string, Entry> table = {
        {"Conv", {makeConv, claimConv}},
        {"ConvTranspose", {makeDeconv, claimDeconv}},
        {"Resize", {makeResample, claimResample}},
        {"Upsample", {makeResample, claimResample}},
        {"Gemm", {makeMatMul, claimMatMul}},
        {"MatMul", {makeMatMul, claimMatMul}},
        {"Relu", {makeEltwise, claimEltwise}},
        {"LeakyRelu", {makeEltwise, claimEltwise}},
        {"Sigmoid", {makeEltwise, claimEltwise}},
        {"Tanh", {makeEltwise, claimEltwise}},
        {"HardSigmoid", {makeEltwise, claimEltwise}},
        {"HardSwish", {makeEltwise, claimEltwise}},
        {"Clip", {makeEltwise, claimEltwise}},
        {"Add", {makeBinary, claimBinary}},
        {"Sub", {makeBinary, claimBinary}},
        {"Mul", {makeBinary, claimBinary}},
        {"Div", {makeBinary, claimBinary}},
        {"Max", {makeBinary, claimBinary}},
        {"Min", {makeBinary, claimBinary}},
        {"BatchNormalization", {makeBatchNorm, claimBatchNorm}},
        {"MaxPool", {makePool, claimPool}},
        {"AveragePool", {makePool, claimPool}},
        {"GlobalAveragePool", {makePool, claimPool}},
        {"GlobalMaxPool", {makePool, claimPool}},
        {"Softmax", {makeSoftmax, nullptr}},
        {"LogSoftmax", {makeSoftmax, nullptr}},
        {"Concat", {makeConcat, nullptr}},
        {"Transpose", {makeTranspose, claimTranspose}},
        {"LayerNormalization", {makeLayerNorm, claimLayerNorm}},
        // light nets: ShuffleNetV2's channel split (slice_kernel.cpp)
        {"Slice", {makeSlice, claimSlice}},
        // recurrent nets (rnn_kernel.cpp)
        {"RNN", {makeRecurrent, claimRecurrent}},
        {"GRU", {makeRecurrent, claimRecurrent}},
        {"LSTM", {makeRecurrent, claimRecurrent}},
        {"ReduceMean", {makeReduce, claimReduce}},
        {"ReduceMax", {makeReduce, claimReduce}},
    };
    return table;
}

const std::map<std::string, Entry>& fusedDomainTable() {
    static const std::map<std::string, Entry> table = {
        {"FusedConv", {makeConv, claimConv}},
        {"FusedConvDw", {makeConvDw, claimConvDw}}, // 1x1 + depthwise 3x3 (conv_dw_kernel.cpp)
        {"FusedGemm", {makeMatMul, claimMatMul}},
        {"FusedMatMul", {makeMatMul, claimMatMul}}, // light nets: Linear + bias (+ activation)
        {"StridedMatMul", {makeMatMul, claimMatMul}}, // attention: Q * K^T, scaled
        {"LayerNormalization", {makeLayerNorm, claimLayerNorm}},
        {"QConv", {makeQConv, nullptr}},              // int8 (int8_conv_kernel.cpp)
        {"Quantize", {makeQuantizeConvert, nullptr}}, // int8 borders (int8_convert_kernel.cpp)
        {"Dequantize", {makeQuantizeConvert, nullptr}},
        {"FakeQuant", {makeFakeQuant, claimFakeQuant}}, // per-tensor (int8_fake_quant_kernel.cpp)
        {"QAdd", {makeQData, nullptr}},                 // int8_data_kernel.cpp
        {"QConcat", {makeQData, nullptr}},
        {"QResize", {makeQData, nullptr}},
        {"QGlobalAveragePool", {makeQData, nullptr}},
        {"QMul", {makeQData, nullptr}},
        {"QMaxPool", {makePool, claimPool}},             // pool_kernel.cpp
        {"QConvTranspose", {makeQDeconv, claimQDeconv}}, // int8_deconv_kernel.cpp
        {"QLut", {makeQLut, nullptr}},                   // int8_lut_kernel.cpp
        // pattern fusions (passes/pattern_fusions.cpp)
        {"Gelu", {makeEltwise, nullptr}},
        {"BatchNormalization", {makeBatchNorm, claimBatchNorm}},         // + activation Relu
        {"ConcatBatchNormalization", {makeConcatNorm, claimConcatNorm}}, // concat_norm_kernel.cpp
        {"ChannelShuffle", {makeShuffle, nullptr}},                      // shuffle_kernel.cpp
    };
    return table;
}

const Entry* findEntry(const ir::Node& node) {
    const bool fused = node.domain == OneDnnBackend::kFusedDomain;
    if (!fused && !node.domain.empty() && node.domain != "ai.onnx")
        return nullptr;
    const auto& table = fused ? fusedDomainTable() : defaultDomainTable();
    auto it = table.find(node.opType);
    return it == table.end() ? nullptr : &it->second;
}

} // namespace

std::vector<std::string> OneDnnBackend::supportedOps() {
    std::vector<std::string> ops;
    for (const auto& [op, entry] : defaultDomainTable())
        ops.push_back(op);
    for (const auto& [op, entry] : fusedDomainTable())
        ops.push_back(std::string(kFusedDomain) + "." + op);
    std::sort(ops.begin(), ops.end());
    return ops;
}

runtime::Claim OneDnnBackend::capability(const ir::Graph& graph, const ir::Node& node) const {
    const Entry* entry = findEntry(node);
    if (!entry)
        return Claim::declined(Decline::Op, "op ",
                               node.domain.empty() ? std::string() : node.domain + ".", node.opType,
                               " is not in the oneDNN backend's kernel table");
    // The int8 ops declare their own types (ops/int8_ops.h); Clip's omitted min/max have none;
    // the recurrent ops' sequence_lens (input 4) is int32 (claimRecurrent checks it); Resize's
    // roi/scales/sizes are read at planning (claimResample checks they are constants); Slice's
    // starts/ends/axes/steps are integers (claimSlice checks they are constants).
    const bool int8 = ops::isInt8Op(node);
    const bool recurrent = node.opType == "RNN" || node.opType == "GRU" || node.opType == "LSTM";
    const bool resize = node.opType == "Resize" || node.opType == "Upsample";
    const bool slice = node.opType == "Slice";
    for (size_t i = 0; i < node.inputs.size(); ++i)
        if (const ir::ValueId v = node.inputs[i];
            v != ir::kNoValue && !int8 && graph.value(v).dtype != DataType::Float32 &&
            !(node.opType == "Clip" && graph.value(v).dtype == DataType::Undefined) &&
            !(recurrent && i == 4) && !((resize || slice) && i >= 1))
            return Claim::declined(Decline::Dtype, "input ", quoted(graph.value(v).name), " is ",
                                   dtypeName(graph.value(v).dtype),
                                   " (the oneDNN backend runs float32 only)");
    for (ir::ValueId v : node.outputs)
        if (v != ir::kNoValue && !int8 && graph.value(v).dtype != DataType::Float32 &&
            graph.value(v).dtype != DataType::Undefined)
            return Claim::declined(Decline::Dtype, "output ", quoted(graph.value(v).name), " is ",
                                   dtypeName(graph.value(v).dtype),
                                   " (the oneDNN backend runs float32 only)");
    return entry->claim ? entry->claim(runtime::KernelInfo{graph, node, 1}) : Claim::claimed();
}

std::unique_ptr<runtime::Kernel>
OneDnnBackend::createKernel(const runtime::KernelInfo& info) const {
    // The kernels rely on what capability() checked (known ranks, constant weights, ...).
    if (const Claim claim = capability(info.graph, info.node); !claim)
        fail("node ", quoted(info.node.name), " (", info.node.opType,
             "): the oneDNN backend declines it: ", claim.text());
    const Entry* entry = findEntry(info.node);
    try {
        return entry->make(info);
    } catch (const dnnl::error& e) {
        fail("node ", quoted(info.node.name), " (", info.node.opType, "): oneDNN: ", e.what());
    }
}

Tensor OneDnnBackend::toPlain(const Tensor& tensor) const {
    return toPlainTensor(tensor, 1);
}

std::vector<runtime::LoweringCount>
OneDnnBackend::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                     const runtime::LoweringContext& context) const {
    const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
    std::vector<runtime::LoweringCount> counts;
    for (const lowering::RewriteCount& c :
         lowering::fuseForBackend(graph, mine, claims, context.keep))
        counts.push_back({c.rewrite, c.count});
    // After the activations are in the convolutions; int8 sessions quantize the 1x1's output and
    // fp16 ones round it.
    if (!context.int8 && !context.roundFp16)
        if (const int n = lowering::fuseConvDepthwise(graph, mine, claims, context.keep))
            counts.push_back({"fuse-conv-depthwise", n});
    if (context.int8)
        for (runtime::LoweringCount& c : context.int8->lower(graph, mine, claims, kName))
            counts.push_back(std::move(c));
    return counts;
}

} // namespace lb::backends::onednn
