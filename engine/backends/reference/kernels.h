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
std::unique_ptr<runtime::Kernel> makeCast(const runtime::KernelInfo& info);
runtime::Claim claimCast(const runtime::KernelInfo& info);

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
