#pragma once

// Kernel factories of the XNNPACK backend, one per op family, and next to each the check of
// which configurations it implements; the op -> (factory, claim) table is in xnnpack_backend.cpp.
// A claim function reads attributes, constant inputs and known shapes only (no operator is
// created); what it claims, the factory builds, and a factory's lb::Error is an invalid node.

#include "runtime/backend.h"
#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::xnnpack {

using runtime::Claim;
using runtime::Decline;
using runtime::KernelInfo;
using KernelPtr = std::unique_ptr<runtime::Kernel>;
using KernelFactory = KernelPtr (*)(const KernelInfo& info);
using ClaimCheck = Claim (*)(const KernelInfo& info);

KernelPtr makeConv(const KernelInfo& info); // conv_kernel.cpp: Conv, FusedConv
Claim claimConv(const KernelInfo& info);
KernelPtr makeDeconv(const KernelInfo& info); // deconv_kernel.cpp: ConvTranspose
Claim claimDeconv(const KernelInfo& info);
KernelPtr makeUnary(const KernelInfo& info); // unary_kernel.cpp: Relu, Clip, HardSwish, ...
Claim claimUnary(const KernelInfo& info);
KernelPtr makeBinary(const KernelInfo& info); // binary_kernel.cpp: Add, Sub, Mul, Div
Claim claimBinary(const KernelInfo& info);
KernelPtr makePool(const KernelInfo& info); // pool_kernel.cpp: MaxPool, AveragePool, Global
Claim claimPool(const KernelInfo& info);
KernelPtr makeGemm(const KernelInfo& info); // gemm_kernel.cpp: Gemm, MatMul
Claim claimGemm(const KernelInfo& info);
KernelPtr makeSoftmax(const KernelInfo& info); // softmax_kernel.cpp
Claim claimSoftmax(const KernelInfo& info);
KernelPtr makeCopy(const KernelInfo& info); // copy_kernel.cpp: nearest Resize, Upsample, Concat
Claim claimCopy(const KernelInfo& info);
KernelPtr makeLayerNorm(const KernelInfo& info); // layer_norm_kernel.cpp: ours, on the pool
Claim claimLayerNorm(const KernelInfo& info);
// int8 (ops/int8_ops.h)
KernelPtr makeQConv(const KernelInfo& info); // int8_conv_kernel.cpp: QConv
Claim claimQConv(const KernelInfo& info);
KernelPtr makeConvert(const KernelInfo& info); // int8_convert_kernel.cpp: Quantize, Dequantize,
Claim claimConvert(const KernelInfo& info);    // QLut, FakeQuant
KernelPtr makeQData(const KernelInfo& info);   // int8_data_kernel.cpp: QMaxPool,
Claim claimQData(const KernelInfo& info);      // QGlobalAveragePool, QAdd
KernelPtr makeQMul(const KernelInfo& info);    // int8_mul_kernel.cpp
Claim claimQMul(const KernelInfo& info);

} // namespace lb::backends::xnnpack
