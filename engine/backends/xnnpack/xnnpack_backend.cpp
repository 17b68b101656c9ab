// What the XNNPACK backend runs (float32 only; anything else is declined with a code and the
// reason by capability(), without creating an operator):
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
//
// Layout: XNNPACK's 2-D operators are NHWC. A 4-D output every reader of which is an XNNPACK
// kernel stays NHWC (xnn_util.h: nhwcLayout); the element-wise ops run on it as it is, and a
// kernel whose reader is elsewhere (or a graph output) writes plain NCHW.
#include "backends/xnnpack/xnnpack_backend.h"

#include "backends/xnnpack/kernels.h"
#include "backends/xnnpack/xnn_util.h"
#include "core/error.h"
#include "lowering/fusions.h"
#include "ops/fused_ops.h"

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
    };
    // clang-format on
    return table;
}

const std::map<std::string, Entry>& fusedDomainTable() {
    static const std::map<std::string, Entry> table = {
        {"FusedConv", {makeConv, claimConv}},
    };
    return table;
}

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
    // Clip's omitted min/max have no type.
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
    return findEntry(info.node)->make(info);
}

Tensor XnnpackBackend::toPlain(const Tensor& tensor) const {
    return plainTensor(tensor);
}

std::vector<runtime::LoweringCount>
XnnpackBackend::lower(ir::Graph& graph, const std::function<bool(ir::NodeId)>& mine,
                      const runtime::LoweringContext& context) const {
    (void)context; // no int8 kernels yet: an int8 run's graph stays simulated here
    const auto claims = [&](const ir::Node& n) { return bool(capability(graph, n)); };
    std::vector<runtime::LoweringCount> counts;
    for (const lowering::RewriteCount& c : lowering::fuseForBackend(graph, mine, claims))
        counts.push_back({c.rewrite, c.count});
    return counts;
}

} // namespace lb::backends::xnnpack
