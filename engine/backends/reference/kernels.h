#pragma once

// Kernel factories of the reference backend, one per op family. Each parses and validates the
// node's attributes (throwing lb::Error naming the node) and returns a ready kernel; the explicit
// op -> factory table lives in reference_backend.cpp.

#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::reference {

using KernelFactory = std::unique_ptr<runtime::Kernel> (*)(const runtime::KernelInfo&);

// elementwise_kernels.cpp
std::unique_ptr<runtime::Kernel> makeUnary(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeBinary(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeVariadic(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeClip(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeWhere(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeCast(const runtime::KernelInfo& info);

// linear_kernels.cpp
std::unique_ptr<runtime::Kernel> makeConv(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConvTranspose(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeGemm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeMatMul(const runtime::KernelInfo& info);

// pool_kernels.cpp
std::unique_ptr<runtime::Kernel> makePool(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeGlobalPool(const runtime::KernelInfo& info);

// norm_kernels.cpp
std::unique_ptr<runtime::Kernel> makeSoftmax(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeBatchNorm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeInstanceNorm(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeLayerNorm(const runtime::KernelInfo& info);

// shape_kernels.cpp
std::unique_ptr<runtime::Kernel> makeReshape(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeFlatten(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeSqueeze(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeUnsqueeze(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeIdentity(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDropout(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeShape(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeConstant(const runtime::KernelInfo& info);
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

// reduce_kernels.cpp
std::unique_ptr<runtime::Kernel> makeReduce(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeArgReduce(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeTopK(const runtime::KernelInfo& info);

// resize_kernel.cpp
std::unique_ptr<runtime::Kernel> makeResize(const runtime::KernelInfo& info);

// qdq_kernels.cpp
std::unique_ptr<runtime::Kernel> makeQuantizeLinear(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeDequantizeLinear(const runtime::KernelInfo& info);

} // namespace lb::backends::reference
