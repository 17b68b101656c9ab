#pragma once

// Kernel factories of the reference backend, one per op family, and next to some of them the
// check of which valid configurations the family does not implement; the explicit
// op -> (factory, types, claim) table lives in reference_backend.cpp.
//
// A claim function reads attributes (ops::NodeAttrs, as the factory does) and known shapes, builds
// nothing, and declines a valid configuration the kernel lacks (Resize's cubic mode, training-mode
// BatchNormalization, ...) saying what. A factory parses and validates the node and returns a
// ready kernel; its lb::Error (naming the node) is an invalid node, which the session reports.

#include "runtime/backend.h"
#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::reference {

using KernelFactory = std::unique_ptr<runtime::Kernel> (*)(const runtime::KernelInfo&);
using ClaimCheck = runtime::Claim (*)(const runtime::KernelInfo&);

// elementwise_kernels.cpp
std::unique_ptr<runtime::Kernel> makeUnary(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeBinary(const runtime::KernelInfo& info);
runtime::Claim claimBinary(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeVariadic(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeClip(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeWhere(const runtime::KernelInfo& info);

// linear_kernels.cpp
std::unique_ptr<runtime::Kernel> makeConv(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConvTranspose(const runtime::KernelInfo& info);
// Conv, ConvTranspose and FusedConv: spatial ranks 1-3.
runtime::Claim claimConv(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeGemm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeMatMul(const runtime::KernelInfo& info);

// pool_kernels.cpp
std::unique_ptr<runtime::Kernel> makePool(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeGlobalPool(const runtime::KernelInfo& info);
// Spatial ranks 1-3; AveragePool takes float32, MaxPool also float64, int8 and uint8.
runtime::Claim claimPool(const runtime::KernelInfo& info);

// norm_kernels.cpp
std::unique_ptr<runtime::Kernel> makeSoftmax(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeBatchNorm(const runtime::KernelInfo& info);
runtime::Claim claimBatchNorm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeInstanceNorm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeLayerNorm(const runtime::KernelInfo& info);

// shape_kernels.cpp
std::unique_ptr<runtime::Kernel> makeReshape(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeFlatten(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSqueeze(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeUnsqueeze(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeIdentity(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDropout(const runtime::KernelInfo& info);
runtime::Claim claimDropout(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeShape(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConstant(const runtime::KernelInfo& info);
runtime::Claim claimConstant(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConstantOfShape(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeRange(const runtime::KernelInfo& info);

// data_kernels.cpp
std::unique_ptr<runtime::Kernel> makeTranspose(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConcat(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSplit(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSlice(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeGather(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeExpand(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeTile(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makePad(const runtime::KernelInfo& info);
runtime::Claim claimPad(const runtime::KernelInfo& info);

// reduce_kernels.cpp
std::unique_ptr<runtime::Kernel> makeReduce(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeArgReduce(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeTopK(const runtime::KernelInfo& info);
runtime::Claim claimTopK(const runtime::KernelInfo& info);

// resize_kernel.cpp
std::unique_ptr<runtime::Kernel> makeResize(const runtime::KernelInfo& info);
runtime::Claim claimResize(const runtime::KernelInfo& info);

// rnn_kernels.cpp: RNN, GRU, LSTM (every attribute and direction the spec has)
std::unique_ptr<runtime::Kernel> makeRecurrent(const runtime::KernelInfo& info);

// qdq_kernels.cpp
std::unique_ptr<runtime::Kernel> makeQuantizeLinear(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDequantizeLinear(const runtime::KernelInfo& info);
// Both: the quantized types the kernels take, per-tensor or per-axis (no block_size).
runtime::Claim claimQdq(const runtime::KernelInfo& info);

// ONNX op-set breadth, indexing / losses / misc math (issue #13):
// index_kernels.cpp
std::unique_ptr<runtime::Kernel> makeGatherElements(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeScatterElements(const runtime::KernelInfo& info); // + Scatter
std::unique_ptr<runtime::Kernel> makeGatherND(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeScatterND(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeOneHot(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeCompress(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeNonZero(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeUnique(const runtime::KernelInfo& info);
// layout_kernels.cpp
std::unique_ptr<runtime::Kernel> makeTrilu(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeEyeLike(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeCumSum(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeReverseSequence(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDepthSpace(const runtime::KernelInfo& info); // both ways
std::unique_ptr<runtime::Kernel> makeSize(const runtime::KernelInfo& info);
// loss_kernels.cpp
std::unique_ptr<runtime::Kernel> makeNegativeLogLikelihoodLoss(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSoftmaxCrossEntropyLoss(const runtime::KernelInfo& info);
// math_kernels.cpp
std::unique_ptr<runtime::Kernel> makeHardmax(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeIsInfNaN(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeShrink(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDet(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeLrn(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeMeanVarianceNormalization(const runtime::KernelInfo& info);
// Input 0 is float32 or float64.
runtime::Claim claimFloat32Or64(const runtime::KernelInfo& info);
// einsum_kernel.cpp
std::unique_ptr<runtime::Kernel> makeEinsum(const runtime::KernelInfo& info);
// pool_kernels.cpp
std::unique_ptr<runtime::Kernel> makeMaxUnpool(const runtime::KernelInfo& info);
// optimizer_kernels.cpp: Adagrad, Adam and Momentum (domain ai.onnx.preview.training)
std::unique_ptr<runtime::Kernel> makeOptimizer(const runtime::KernelInfo& info);

// The int8 ops of ops/int8_ops.h (domain ai.layerbench), the definition of their bytes. Each claim
// checks the types the spec gives the op's inputs (Decline::Dtype) and what else the kernel needs.
// int8_conv_kernels.cpp
std::unique_ptr<runtime::Kernel> makeQConv(const runtime::KernelInfo& info);
runtime::Claim claimQConv(const runtime::KernelInfo& info); // and spatial ranks 1-3
std::unique_ptr<runtime::Kernel> makeQConvTranspose(const runtime::KernelInfo& info);
runtime::Claim claimQConvTranspose(const runtime::KernelInfo& info); // and spatial ranks 1-3
// int8_data_kernels.cpp
std::unique_ptr<runtime::Kernel> makeQAdd(const runtime::KernelInfo& info);
runtime::Claim claimQAdd(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQConcat(const runtime::KernelInfo& info);
runtime::Claim claimQConcat(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQResize(const runtime::KernelInfo& info);
runtime::Claim claimQResize(const runtime::KernelInfo& info); // and a known 4-D output shape
std::unique_ptr<runtime::Kernel> makeQGlobalAveragePool(const runtime::KernelInfo& info);
runtime::Claim claimQGlobalAveragePool(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQMul(const runtime::KernelInfo& info);
runtime::Claim claimQMul(const runtime::KernelInfo& info);
// int8_kernels.cpp
std::unique_ptr<runtime::Kernel> makeQuantize(const runtime::KernelInfo& info);
runtime::Claim claimQuantize(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDequantize(const runtime::KernelInfo& info);
runtime::Claim claimDequantize(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQLut(const runtime::KernelInfo& info);
runtime::Claim claimQLut(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQMaxPool(const runtime::KernelInfo& info);
runtime::Claim claimQMaxPool(const runtime::KernelInfo& info); // no Indices, spatial ranks 1-3

// dtypes, signal, detection, text and integer-quantized ops (issue #13, "dtypes")
// cast_kernels.cpp: Cast and CastLike between numeric, bool, float16, bfloat16 and string
std::unique_ptr<runtime::Kernel> makeCast(const runtime::KernelInfo& info);
runtime::Claim claimCast(const runtime::KernelInfo& info);
// signal_kernels.cpp: HannWindow, HammingWindow, BlackmanWindow, DFT, STFT, MelWeightMatrix
std::unique_ptr<runtime::Kernel> makeWindow(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDft(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeStft(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeMelWeightMatrix(const runtime::KernelInfo& info);
// integer_kernels.cpp: ONNX's integer and QLinear ops (uint8/int8 in, int32 or 8-bit out)
std::unique_ptr<runtime::Kernel> makeDynamicQuantizeLinear(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeMatMulInteger(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQLinearMatMul(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConvInteger(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeQLinearConv(const runtime::KernelInfo& info);
runtime::Claim claimIntegerOp(const runtime::KernelInfo& info); // 8-bit types, spatial ranks 1-3
// text_kernels.cpp
std::unique_ptr<runtime::Kernel> makeStringNormalizer(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeTfIdfVectorizer(const runtime::KernelInfo& info);
// detection_kernels.cpp
std::unique_ptr<runtime::Kernel> makeGridSample(const runtime::KernelInfo& info);
runtime::Claim claimGridSample(const runtime::KernelInfo& info); // 4-D only
std::unique_ptr<runtime::Kernel> makeNonMaxSuppression(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeRoiAlign(const runtime::KernelInfo& info);
// sequence_kernels.cpp: sequences and optionals (control flow, issue #13)
std::unique_ptr<runtime::Kernel> makeSequenceEmpty(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSequenceConstruct(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSequenceInsert(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSequenceAt(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSequenceErase(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSequenceLength(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSplitToSequence(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConcatFromSequence(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeOptional(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeOptionalHasElement(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeOptionalGetElement(const runtime::KernelInfo& info);

} // namespace lb::backends::reference
