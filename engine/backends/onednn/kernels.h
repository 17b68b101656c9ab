#pragma once

// Kernel factories of the oneDNN backend, one per op family, and next to each the check of which
// configurations of the family it implements; the explicit op -> (factory, claim) table is in
// onednn_backend.cpp.
//
// A claim function looks at attributes, constant inputs and known shapes only (no primitive is
// built) and declines a valid configuration the kernel does not implement, saying what. What it
// claims, the factory builds: a factory's lb::Error is an invalid node (wrong input count, a
// kernel_shape that disagrees with W, ...), which the session reports naming the node. Both read
// the node through ops::NodeAttrs and op_attrs.h, so they parse it the same way.

#include "runtime/backend.h"
#include "runtime/kernel.h"

#include <memory>
#include <vector>

namespace lb::backends::onednn {

using KernelFactory = std::unique_ptr<runtime::Kernel> (*)(const runtime::KernelInfo& info);
using ClaimCheck = runtime::Claim (*)(const runtime::KernelInfo& info);

using runtime::Claim;
using runtime::Decline;
using runtime::KernelInfo;
using KernelPtr = std::unique_ptr<runtime::Kernel>;

KernelPtr makeConv(const KernelInfo& info); // conv_kernel.cpp: Conv, FusedConv
Claim claimConv(const KernelInfo& info);
KernelPtr makeConvDw(const KernelInfo& info); // conv_dw_kernel.cpp: FusedConvDw
Claim claimConvDw(const KernelInfo& info);
KernelPtr makeMatMul(const KernelInfo& info); // matmul_kernel.cpp: Gemm, FusedGemm, MatMul
Claim claimMatMul(const KernelInfo& info);
KernelPtr makeEltwise(const KernelInfo& info); // eltwise_kernel.cpp
Claim claimEltwise(const KernelInfo& info);
KernelPtr makeBinary(const KernelInfo& info); // binary_kernel.cpp
Claim claimBinary(const KernelInfo& info);
KernelPtr makePool(const KernelInfo& info); // pool_kernel.cpp: the pools and QMaxPool
Claim claimPool(const KernelInfo& info);
KernelPtr makeBatchNorm(const KernelInfo& info); // norm_kernel.cpp
// BatchNormalization's scale, B, mean and var: the float32 vectors of one length at constant
// inputs first .. first + 3 (the claims declined computed ones); fails naming the node otherwise.
std::vector<Tensor> batchNormParams(const KernelInfo& info, size_t first);
Claim claimBatchNorm(const KernelInfo& info);
KernelPtr makeSoftmax(const KernelInfo& info); // norm_kernel.cpp
KernelPtr makeDeconv(const KernelInfo& info);  // deconv_kernel.cpp
Claim claimDeconv(const KernelInfo& info);
KernelPtr makeResample(const KernelInfo& info); // resample_kernel.cpp: Resize, Upsample
Claim claimResample(const KernelInfo& info);
KernelPtr makeConcat(const KernelInfo& info);     // concat_kernel.cpp
KernelPtr makeConcatNorm(const KernelInfo& info); // concat_norm_kernel.cpp
Claim claimConcatNorm(const KernelInfo& info);
// The stride == kernel ConvTranspose as matmul + patch copy, or nullptr for other geometries.
KernelPtr makePatchDeconv(const KernelInfo& info); // deconv_patch_kernel.cpp
KernelPtr makeLayerNorm(const KernelInfo& info);   // layer_norm_kernel.cpp
Claim claimLayerNorm(const KernelInfo& info);
KernelPtr makeTranspose(const KernelInfo& info); // transpose_kernel.cpp
KernelPtr makeShuffle(const KernelInfo& info);   // shuffle_kernel.cpp: ai.layerbench ChannelShuffle
Claim claimTranspose(const KernelInfo& info);
// slice_kernel.cpp: Slice of a channel range of a 4-D tensor, on the input's layout
KernelPtr makeSlice(const KernelInfo& info);
Claim claimSlice(const KernelInfo& info);
// rnn_kernel.cpp: RNN, GRU, LSTM (oneDNN's RNN primitives where they match ONNX)
KernelPtr makeRecurrent(const KernelInfo& info);
Claim claimRecurrent(const KernelInfo& info);
// reduce_kernel.cpp: ReduceMean, ReduceMax over the axes after the channels (global pooling)
KernelPtr makeReduce(const KernelInfo& info);
Claim claimReduce(const KernelInfo& info);

// int8 (ops/int8_ops.h). quant/'s int8 transform writes these nodes only where the kernels are
// exact, so a factory's error there is a bug in the transform, not a reason to fall back.
KernelPtr makeQConv(const KernelInfo& info);           // int8_conv_kernel.cpp
KernelPtr makeQuantizeConvert(const KernelInfo& info); // int8_convert_kernel.cpp
KernelPtr makeFakeQuant(const KernelInfo& info);       // int8_fake_quant_kernel.cpp
Claim claimFakeQuant(const KernelInfo& info);
KernelPtr makeQData(const KernelInfo& info);   // int8_data_kernel.cpp: QAdd/QConcat/QResize...
KernelPtr makeQDeconv(const KernelInfo& info); // int8_deconv_kernel.cpp
Claim claimQDeconv(const KernelInfo& info);
// The stride == kernel QConvTranspose as int8 matmul + patch copy, or nullptr for other geometries.
KernelPtr makeQPatchDeconv(const KernelInfo& info); // int8_deconv_patch_kernel.cpp
KernelPtr makeQLut(const KernelInfo& info);         // int8_lut_kernel.cpp

} // namespace lb::backends::onednn
