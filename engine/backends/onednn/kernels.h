#pragma once

// Kernel factories of the oneDNN backend, one per op family; the explicit op -> factory table is
// in onednn_backend.cpp. A factory parses and validates the node (throwing lb::Error naming it);
// with check == true it stops there and returns nullptr, which is how unsupportedReason() asks.

#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::onednn {

using KernelFactory = std::unique_ptr<runtime::Kernel> (*)(const runtime::KernelInfo& info,
                                                           bool check);

std::unique_ptr<runtime::Kernel> makeConv(const runtime::KernelInfo& info,
                                          bool check); // conv_kernel.cpp
std::unique_ptr<runtime::Kernel> makeMatMul(const runtime::KernelInfo& info,
                                            bool check); // matmul_kernel.cpp
std::unique_ptr<runtime::Kernel> makeEltwise(const runtime::KernelInfo& info,
                                             bool check); // eltwise_kernel.cpp
std::unique_ptr<runtime::Kernel> makeBinary(const runtime::KernelInfo& info,
                                            bool check); // binary_kernel.cpp
std::unique_ptr<runtime::Kernel> makePool(const runtime::KernelInfo& info,
                                          bool check); // pool_kernel.cpp
std::unique_ptr<runtime::Kernel> makeBatchNorm(const runtime::KernelInfo& info,
                                               bool check); // norm_kernel.cpp
std::unique_ptr<runtime::Kernel> makeSoftmax(const runtime::KernelInfo& info,
                                             bool check); // norm_kernel.cpp
std::unique_ptr<runtime::Kernel> makeDeconv(const runtime::KernelInfo& info,
                                            bool check); // deconv_kernel.cpp
std::unique_ptr<runtime::Kernel> makeResample(const runtime::KernelInfo& info,
                                              bool check); // resample_kernel.cpp
std::unique_ptr<runtime::Kernel> makeConcat(const runtime::KernelInfo& info,
                                            bool check); // concat_kernel.cpp
// The stride == kernel ConvTranspose as matmul + patch copy, or nullptr for other geometries.
std::unique_ptr<runtime::Kernel>
makePatchDeconv(const runtime::KernelInfo& info); // deconv_patch_kernel.cpp
std::unique_ptr<runtime::Kernel> makeLayerNorm(const runtime::KernelInfo& info,
                                               bool check); // layer_norm_kernel.cpp
std::unique_ptr<runtime::Kernel> makeTranspose(const runtime::KernelInfo& info,
                                               bool check); // transpose_kernel.cpp

// int8 (ops/int8_ops.h): QConv, and Quantize / Dequantize at the int8 graph's borders.
std::unique_ptr<runtime::Kernel> makeQConv(const runtime::KernelInfo& info,
                                           bool check); // int8_conv_kernel.cpp
std::unique_ptr<runtime::Kernel> makeQuantizeConvert(const runtime::KernelInfo& info,
                                                     bool check); // int8_convert_kernel.cpp
std::unique_ptr<runtime::Kernel> makeFakeQuant(const runtime::KernelInfo& info,
                                               bool check); // int8_fake_quant_kernel.cpp
std::unique_ptr<runtime::Kernel>
makeQData(const runtime::KernelInfo& info,
          bool check); // int8_data_kernel.cpp: QAdd/QConcat/QResize
std::unique_ptr<runtime::Kernel> makeQDeconv(const runtime::KernelInfo& info,
                                             bool check); // int8_deconv_kernel.cpp
// The stride == kernel QConvTranspose as int8 matmul + patch copy, or nullptr for other geometries.
std::unique_ptr<runtime::Kernel>
makeQPatchDeconv(const runtime::KernelInfo& info); // int8_deconv_patch_kernel.cpp
std::unique_ptr<runtime::Kernel> makeQLut(const runtime::KernelInfo& info,
                                          bool check); // int8_lut_kernel.cpp

} // namespace lb::backends::onednn
