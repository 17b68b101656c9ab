// What the oneDNN backend runs (float32 only; anything else is declined with the reason):
//
//  Conv            2-D, any group (depthwise included), strides, dilations, pads / auto_pad,
//                  constant W (pre-packed) and constant B. Blocked src/weights/dst chosen by
//                  oneDNN.
//  FusedConv       (domain ai.layerbench) Conv's inputs and attributes plus an optional 4th
//                  input Z of the output's shape, and string attribute `activation` with floats
//                  `activation_params`:  Y = activation(Conv(X, W, B) + Z).
//                  activation: Relu | LeakyRelu (alpha=0.01) | Clip (min, max) | Sigmoid | Tanh |
//                  HardSigmoid (alpha=0.2, beta=0.5) | HardSwish; omitted params take those
//                  defaults. Optional `output_affine` [scale, shift] is a final eltwise_linear.
//  Gemm, MatMul    matmul primitive. Gemm: transA/transB, alpha (needs a constant B), beta with a
//                  constant C (or beta=1), C broadcastable to MxN. MatMul: rank >= 2 on both sides,
//                  batch dims equal or 1 in B. A constant B is pre-packed.
//  FusedGemm       (ai.layerbench) Gemm plus `activation` / `activation_params` as above.
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
//                  where ONNX's index equals floor(x / factor) (resample_kernel.cpp).
//
//  LayerNormalization  (default domain, and ai.layerbench for older opsets) constant Scale and
//                  B, no Mean/InvStdDev outputs; layer_normalization_forward on [outer, inner].
//  Transpose       one reorder from the input's (possibly blocked) layout with permuted axes into
//                  a plain output.
//
// Declined (the reference backend runs them): Reshape and everything else.
#include "backends/onednn/onednn_backend.h"

#include "backends/onednn/kernels.h"
#include "backends/onednn/layout.h"
#include "core/error.h"
#include "ops/int8_ops.h"

#include <map>

namespace lb::backends::onednn {

namespace {

const std::map<std::string, KernelFactory>& defaultDomainTable() {
    static const std::map<std::string, KernelFactory> table = {
        {"Conv", makeConv},
        {"ConvTranspose", makeDeconv},
        {"Resize", makeResample},
        {"Upsample", makeResample},
        {"Gemm", makeMatMul},
        {"MatMul", makeMatMul},
        {"Relu", makeEltwise},
        {"LeakyRelu", makeEltwise},
        {"Sigmoid", makeEltwise},
        {"Tanh", makeEltwise},
        {"HardSigmoid", makeEltwise},
        {"HardSwish", makeEltwise},
        {"Clip", makeEltwise},
        {"Add", makeBinary},
        {"Sub", makeBinary},
        {"Mul", makeBinary},
        {"Div", makeBinary},
        {"Max", makeBinary},
        {"Min", makeBinary},
        {"BatchNormalization", makeBatchNorm},
        {"MaxPool", makePool},
        {"AveragePool", makePool},
        {"GlobalAveragePool", makePool},
        {"GlobalMaxPool", makePool},
        {"Softmax", makeSoftmax},
        {"LogSoftmax", makeSoftmax},
        {"Concat", makeConcat},
        {"Transpose", makeTranspose},
        {"LayerNormalization", makeLayerNorm},
    };
    return table;
}

const std::map<std::string, KernelFactory>& fusedDomainTable() {
    static const std::map<std::string, KernelFactory> table = {
        {"FusedConv", makeConv},
        {"FusedGemm", makeMatMul},
        {"LayerNormalization", makeLayerNorm},
        {"QConv", makeQConv},              // int8 (int8_conv_kernel.cpp)
        {"Quantize", makeQuantizeConvert}, // int8 borders (int8_convert_kernel.cpp)
        {"Dequantize", makeQuantizeConvert},
        {"FakeQuant", makeFakeQuant}, // per-tensor (int8_fake_quant_kernel.cpp)
        {"QAdd", makeQData},          // int8_data_kernel.cpp
        {"QConcat", makeQData},
        {"QResize", makeQData},
        {"QGlobalAveragePool", makeQData},
        {"QMul", makeQData},
        {"QMaxPool", makePool},          // pool_kernel.cpp
        {"QConvTranspose", makeQDeconv}, // int8_deconv_kernel.cpp
        {"QLut", makeQLut},              // int8_lut_kernel.cpp
    };
    return table;
}

KernelFactory findFactory(const ir::Node& node) {
    const bool fused = node.domain == OneDnnBackend::kFusedDomain;
    if (!fused && !node.domain.empty() && node.domain != "ai.onnx")
        return nullptr;
    const auto& table = fused ? fusedDomainTable() : defaultDomainTable();
    auto it = table.find(node.opType);
    return it == table.end() ? nullptr : it->second;
}

} // namespace

std::vector<std::string> OneDnnBackend::supportedOps() {
    std::vector<std::string> ops;
    for (const auto& [op, f] : defaultDomainTable())
        ops.push_back(op);
    for (const auto& [op, f] : fusedDomainTable())
        ops.push_back(op);
    std::sort(ops.begin(), ops.end());
    return ops;
}

std::string OneDnnBackend::unsupportedReason(const ir::Graph& graph, const ir::Node& node) const {
    KernelFactory factory = findFactory(node);
    if (!factory)
        return "op " + (node.domain.empty() ? std::string() : node.domain + ".") + node.opType +
               " is not in the oneDNN backend's kernel table";
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && !ops::isInt8Op(node) &&
            graph.value(v).dtype != DataType::Float32 &&
            !(node.opType == "Clip" && graph.value(v).dtype == DataType::Undefined))
            return "input " + quoted(graph.value(v).name) + " is " +
                   dtypeName(graph.value(v).dtype) + " (the oneDNN backend runs float32 only)";
    for (ir::ValueId v : node.outputs)
        if (v != ir::kNoValue && !ops::isInt8Op(node) &&
            graph.value(v).dtype != DataType::Float32 &&
            graph.value(v).dtype != DataType::Undefined)
            return "output " + quoted(graph.value(v).name) + " is " +
                   dtypeName(graph.value(v).dtype) + " (the oneDNN backend runs float32 only)";
    try {
        runtime::KernelInfo info{graph, node, 1};
        info.outputStaysInBackend.assign(node.outputs.size(), false);
        factory(info, true);
    } catch (const Error& e) {
        return e.what();
    } catch (const dnnl::error& e) {
        return std::string("oneDNN: ") + e.what();
    }
    return {};
}

std::unique_ptr<runtime::Kernel>
OneDnnBackend::createKernel(const runtime::KernelInfo& info) const {
    KernelFactory factory = findFactory(info.node);
    if (!factory)
        fail("node ", quoted(info.node.name), " (", info.node.opType,
             ") is not in the oneDNN backend's kernel table");
    try {
        return factory(info, false);
    } catch (const dnnl::error& e) {
        fail("node ", quoted(info.node.name), " (", info.node.opType, "): oneDNN: ", e.what());
    }
}

Tensor OneDnnBackend::toPlain(const Tensor& tensor) const {
    return toPlainTensor(tensor, 1);
}

} // namespace lb::backends::onednn
