// What the XNNPACK backend runs (float32, and the int8 ops below; anything else is declined with
// a code and the reason by capability(), without creating an operator):
//
//  Conv            2-D, any group (depthwise included), strides, dilations, pads / auto_pad,
//                  constant W (packed once) and B.
//  FusedConv       (ai.layerbench) Conv plus an activation XNNPACK fuses as its output clamp:
//                  none, Relu, Clip. A residual Z, output_affine or any other activation is
//                  declined (unsupported-attribute), so the lowering does not fuse them here.
//  ConvTranspose   2-D, groups, strides, dilations, explicit pads, output_padding < stride,
//                  constant W and B; auto_pad SAME_* and output_shape declined.
//  Relu, Clip (constant bounds), LeakyRelu, HardSwish, Sigmoid   nc element-wise operators.
//  HardSigmoid     multiply then add with the output clamped to [0, 1] (nd operators).
//  Add, Sub, Mul, Div   nd operators with numpy broadcasting, rank <= 6.
//  MaxPool, AveragePool  2-D, strides <= window, pads / auto_pad, ceil_mode, MaxPool dilations;
//                  no Indices output; AveragePool count_include_pad=1 with padding declined.
//  GlobalAveragePool  2-D.
//  Gemm, MatMul    fully connected with a constant 2-D B; Gemm transA=0, C one row (bias).
//  Softmax         the last axis (opset >= 13), or opset < 13's flatten-to-2-D.
//  Resize, Upsample  nearest by whole factors (modes where the index is floor(x / f)), and
//  Concat          along channels: 4-D NHWC copies in the backend (copy_kernel.cpp).
//  LayerNormalization  (default domain, and ai.layerbench for older opsets) Y only, stash_type 1:
//                  NOT an XNNPACK operator (the 2022 snapshot has none) but our own vectorizable
//                  loop over rows on the backend's pthreadpool (layer_norm_kernel.cpp).
//  Transpose, MatMul with a computed B: declined. The 2022 snapshot has no transpose_nd and no
//                  batch matrix multiply, and its fully connected packs a constant weight.
//
// int8 (ops/int8_ops.h; an int8 run lowers the groups these claim, the rest stays simulated):
//  QConv           qc8 convolution (per-channel weight scales), activation none / Relu / Clip;
//                  no residual Z, no output_affine. Near rounding ties a byte can differ from
//                  the reference's by one step (int8_conv_kernel.cpp says why).
//  QMaxPool        s8 max pooling and a requantization table: the spec's bytes.
//  QGlobalAveragePool, QAdd (same shapes, no folded upsample)  qs8 operators; one step at ties.
//  Quantize, Dequantize, QLut, QMul, FakeQuant (per-tensor)  plain loops, the spec's arithmetic.
//
// Layout: XNNPACK's 2-D operators are NHWC. A 4-D output every reader of which is an XNNPACK
// kernel stays NHWC (xnn_util.h: nhwcLayout); the element-wise ops run on it as it is, and a
// kernel whose reader is elsewhere (or a graph output) writes plain NCHW.
#include "backends/xnnpack/xnnpack_backend.h"

#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "lowering/fusions.h"
#include "ops/fake_quant_op.h"
#include "ops/fused_ops.h"
#include "ops/int8_ops.h"

#include <algorithm>
#include <map>

namespace lb::backends::xnnpack {

namespace {

struct Entry {
    KernelFactory make;
    ClaimCheck claim; // nullptr: every valid node of the op
};

const std::map<std::string, Entry>& defaultDomainTable() {
    // clang-format off: one op per line
    static const std::map<std::string, Entry> table = {
        {"Conv", {makeConv, claimConv}},
        {"ConvTranspose", {makeDeconv, claimDeconv}},
        {"Relu", {makeUnary, claimUnary}},
        {"Clip", {makeUnary, claimUnary}},
        {"LeakyRelu", {makeUnary, claimUnary}},
        {"HardSwish", {makeUnary, claimUnary}},
        {"HardSigmoid", {makeUnary, claimUnary}},
        {"Sigmoid", {makeUnary, claimUnary}},
        {"Add", {makeBinary, claimBinary}},
        {"Sub", {makeBinary, claimBinary}},
        {"Mul", {makeBinary, claimBinary}},
        {"Div", {makeBinary, claimBinary}},
        {"MaxPool", {makePool, claimPool}},
        {"AveragePool", {makePool, claimPool}},
        {"GlobalAveragePool", {makePool, claimPool}},
        {"Gemm", {makeGemm, claimGemm}},
        {"MatMul", {makeGemm, claimGemm}},
        {"Softmax", {makeSoftmax, claimSoftmax}},
        {"Resize", {makeCopy, claimCopy}},
        {"Upsample", {makeCopy, claimCopy}},
        {"Concat", {makeCopy, claimCopy}},
        {"LayerNormalization", {makeLayerNorm, claimLayerNorm}}, // ours (layer_norm_kernel.cpp)
    };
    // clang-format on
    return table;
}

const std::map<std::string, Entry>& fusedDomainTable() {
    static const std::map<std::string, Entry> table = {
        {"FusedConv", {makeConv, claimConv}},
        {"LayerNormalization", {makeLayerNorm, claimLayerNorm}}, // older opsets' fusion
        {"QConv", {makeQConv, claimQConv}},                      // int8_conv_kernel.cpp
        {"Quantize", {makeConvert, claimConvert}},               // int8_convert_kernel.cpp
        {"Dequantize", {makeConvert, claimConvert}},
        {"QLut", {makeConvert, claimConvert}},
        {"FakeQuant", {makeConvert, claimConvert}}, // the simulated parts of an int8 run
        {"QMaxPool", {makeQData, claimQData}},      // int8_data_kernel.cpp
        {"QGlobalAveragePool", {makeQData, claimQData}},
        {"QAdd", {makeQData, claimQData}},
        {"QMul", {makeQMul, claimQMul}}, // int8_mul_kernel.cpp
    };
    return table;
}

// A kernel with an output read outside the backend (or a graph output): after it, the next work
// is most likely another backend's, so the pool's workers go to a kernel wait instead of spinning
// beside it (xnn_util.h: parkWorkers).
class ParkingKernel : public runtime::Kernel {
public:
    explicit ParkingKernel(std::unique_ptr<runtime::Kernel> inner) : m_inner(std::move(inner)) {}
    void run(runtime::KernelContext& ctx) override {
        m_inner->run(ctx);
        parkWorkers(ctx.threads());
    }
    std::optional<size_t> aliasedInput(size_t output) const override {
        return m_inner->aliasedInput(output);
    }
    size_t outputStorageBytes(size_t output) const override {
        return m_inner->outputStorageBytes(output);
    }
    std::string implementation() const override { return m_inner->implementation(); }

private:
    std::unique_ptr<runtime::Kernel> m_inner;
};

const Entry* findEntry(const ir::Node& node) {
    const bool fused = node.domain == ops::kLayerBenchDomain;
    if (!fused && !node.domain.empty() && node.domain != "ai.onnx")
        return nullptr;
    const auto& table = fused ? fusedDomainTable() : defaultDomainTable();
    auto it = table.find(node.opType);
    return it == table.end() ? nullptr : &it->second;
}

} // namespace

std::vector<std::string> XnnpackBackend::supportedOps() {
    std::vector<std::string> ops;
    for (const auto& [op, entry] : defaultDomainTable())
        ops.push_back(op);
    for (const auto& [op, entry] : fusedDomainTable())
        ops.push_back(std::string(ops::kLayerBenchDomain) + "." + op);
    std::sort(ops.begin(), ops.end());
    return ops;
}

runtime::Claim XnnpackBackend::capability(const ir::Graph& graph, const ir::Node& node) const {
    const Entry* entry = findEntry(node);
    if (!entry)
        return Claim::declined(Decline::Op, "op ",
                               node.domain.empty() ? std::string() : node.domain + ".", node.opType,
                               " is not in the XNNPACK backend's kernel table");
    // The int8 ops and FakeQuant check their own types; Clip's omitted min/max have none.
    if (ops::isInt8Op(node) || node.opType == ops::kFakeQuantOp)
        return entry->claim(runtime::KernelInfo{graph, node, 1});
    for (ir::ValueId v : node.inputs)
        if (v != ir::kNoValue && graph.value(v).dtype != DataType::Float32 &&
            !(node.opType == "Clip" && graph.value(v).dtype == DataType::Undefined))
            return Claim::declined(Decline::Dtype, "input ", quoted(graph.value(v).name), " is ",
                                   dtypeName(graph.value(v).dtype),
                                   " (the XNNPACK backend runs float32 only)");
    for (ir::ValueId v : node.outputs)
        if (v != ir::kNoValue && graph.value(v).dtype != DataType::Float32 &&
            graph.value(v).dtype != DataType::Undefined)
            return Claim::declined(Decline::Dtype, "output ", quoted(graph.value(v).name), " is ",
                                   dtypeName(graph.value(v).dtype),
                                   " (the XNNPACK backend runs float32 only)");
    return entry->claim ? entry->claim(runtime::KernelInfo{graph, node, 1}) : Claim::claimed();
}

std::unique_ptr<runtime::Kernel>
XnnpackBackend::createKernel(const runtime::KernelInfo& info) const {
    if (const Claim claim = capability(info.graph, info.node); !claim)
        fail("node ", quoted(info.node.name), " (", info.node.opType,
             "): the XNNPACK backend declines it: ", claim.text());
    std::unique_ptr<runtime::Kernel> kernel = findEntry(info.node)->make(info);
    if (info.threads > 1)
        for (size_t i = 0; i < info.node.outputs.size(); ++i)
            if (!outputStays(info, i))
                return std::make_unique<ParkingKernel>(std::move(kernel));
    return kernel;
}

Tensor XnnpackBackend::toPlain(const Tensor& tensor) const {
    return plainTensor(tensor);
}

std::vector<runtime::LoweringCount>
XnnpackBackend::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                      const runtime::LoweringContext& context) const {
    const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
    std::vector<runtime::LoweringCount> counts;
    for (const lowering::RewriteCount& c :
         lowering::fuseForBackend(graph, mine, claims, context.keep))
        counts.push_back({c.rewrite, c.count});
    if (context.int8)
        for (runtime::LoweringCount& c : context.int8->lower(graph, mine, claims, kName))
            counts.push_back(std::move(c));
    return counts;
}

} // namespace lb::backends::xnnpack
