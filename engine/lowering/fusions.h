#pragma once

// Backend-specific fusions: rewrites a backend applies, after the session partitioned the graph,
// to the nodes it was assigned (as ONNX Runtime's level-2 transformers run per execution
// provider). A fusion only ever merges nodes that all pass the backend's filter, so it never
// takes a node from another backend, and it fuses only what that backend's kernels run: the
// fused node must be one its capability() claims. Generic rewrites that produce plain ONNX ops
// (constant folding, BatchNorm folding, hard-swish) stay in passes/ and run before partitioning.

#include "ir/graph.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace lb::lowering {

// Which nodes a backend's rewrite may touch: the ones the session assigned to it.
using NodeFilter = std::function<bool(ir::NodeId)>;

// Whether the backend runs a fused node the rewrite is about to make (its capability()): a
// fusion is made only when it does, so the backend's claims decide what it fuses.
using Accept = std::function<bool(const ir::Node& candidate)>;

// Conv/Gemm followed by a residual Add (same shape) and/or an activation becomes FusedConv /
// FusedGemm, a FusedMatMul takes them likewise (a transformer's projection + skip connection); SiLU (y * Sigmoid(y), two readers of y) becomes the Swish activation. Returns how many
// fusions it made (one pass: a residual then an activation needs two).
int fuseConvActivation(ir::Graph& graph, const NodeFilter& mine, const Accept& accept);

// MatMul by a constant 2-D B read only by an Add of N constant values along the last axis (a
// Linear layer on a rank > 2 input, as PyTorch exports it) becomes ai.layerbench FusedMatMul;
// fuseConvActivation then takes a following activation into it (ViT's fc1 -> GELU). A MatMul
// whose output `keep` names stays apart: calibration and the quantization analyses observe it
// (the deployment graph, like QNN's converter, keeps the MatMul and the Add).
int fuseMatMulBias(ir::Graph& graph, const NodeFilter& mine, const Accept& accept,
                   const std::set<std::string>* keep = nullptr);

// MatMul whose input is read through a Transpose that only swaps the last two axes (attention's
// K^T, Q * Transpose(K, (0, 1, 3, 2))), and/or whose output is scaled by a scalar constant (Mul,
// or Div by it: attention's 1 / sqrt(d)), becomes ai.layerbench StridedMatMul with transA/transB
// and alpha: the kernel reads the Transpose's input through swapped strides instead of copying
// it, and scales in the primitive. The Transpose must have the MatMul as its only reader, and
// neither the Transpose's nor the MatMul's output may be in `keep`.
int fuseMatMulTranspose(ir::Graph& graph, const NodeFilter& mine, const Accept& accept,
                        const std::set<std::string>* keep = nullptr);

// BatchNormalization read only by a Relu (DenseNet's and pre-activation ResNets' BN-ReLU-Conv,
// where the BN cannot fold into a Conv) becomes ai.layerbench BatchNormalization with activation
// Relu.
int fuseNormRelu(ir::Graph& graph, const NodeFilter& mine, const Accept& accept);

// A channel Concat read only by a BatchNormalization (plain, or fused with Relu by fuseNormRelu):
// DenseNet's dense layers, Concat(all features so far) -> BN -> ReLU -> 1x1 Conv. Becomes
// ai.layerbench ConcatBatchNormalization(scale, B, mean, var, inputs...) with the BN's epsilon and
// activation, which writes each input's normalized channels straight into its slice of the
// output instead of copying every feature into the concatenation and then again through the BN.
int fuseConcatNorm(ir::Graph& graph, const NodeFilter& mine, const Accept& accept);

// FusedConv followed by Mul/Div/Add/Sub with a scalar constant (PP-LCNetV3's learnable affine
// block after each activation: y = s * act(conv) + t) takes the arithmetic into its
// `output_affine` [scale, shift] attribute, applied after the activation. Leaves a FusedConv
// that has one alone for fuseConvActivation (the affine step comes last).
int fuseConvOutputAffine(ir::Graph& graph, const NodeFilter& mine, const Accept& accept);

// An expand 1x1 Conv/FusedConv (group 1, stride 1, no pads, at most an activation) read only by
// a depthwise 3x3 Conv/FusedConv (group = channels, stride 1 or 2, pads 1, dilation 1, at most an
// activation): inverted-residual blocks. Becomes ai.layerbench FusedConvDw (ops/fused_ops.h), which
// the oneDNN backend runs with its depthwise post-op so the expanded map is not written out. The
// 1x1's output must not be a graph output nor named in `keep` (it disappears from the graph);
// sessions that observe every tensor (calibration, the quantization analyses) lower nothing.
int fuseConvDepthwise(ir::Graph& graph, const NodeFilter& mine, const Accept& accept,
                      const std::set<std::string>* keep = nullptr);

// (Run as a generic pass, before partitioning: passes::FuseLayerNorm.)
// The decomposed layer norm ONNX exporters emit before opset 17 (ReduceMean, Sub, Pow 2,
// ReduceMean, Add eps, Sqrt, Div, then optional Mul gamma and Add beta on the trailing axes)
// becomes one ai.layerbench LayerNormalization (ONNX-17 semantics, ops/fused_ops.h): the graphs'
// opsets are often below 17, so the default-domain op would not be valid there.
int fuseLayerNorm(ir::Graph& graph, const NodeFilter& mine, const Accept& accept);

// What a backend's lowering did: one entry per rewrite that changed something.
struct RewriteCount {
    std::string rewrite;
    int count = 0;
};

// MatMul + bias, MatMul + transposed input / scale, then Conv/Gemm/MatMul + residual/activation and output affine until nothing
// changes (a residual Add then an activation takes two rounds), on the nodes `mine` accepts;
// `keep`: the values the fusions leave observable (fuseMatMulBias).
std::vector<RewriteCount> fuseForBackend(ir::Graph& graph, const NodeFilter& mine,
                                         const Accept& accept,
                                         const std::set<std::string>* keep = nullptr);

} // namespace lb::lowering
