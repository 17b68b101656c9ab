#pragma once

// Reference kernels of the ops LayerBench's passes create (ops/fused_ops.h): the plain kernel of
// the base op, then the residual add and the activation, element by element.

#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::reference {

std::unique_ptr<runtime::Kernel> makeFusedConv(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeFusedGemm(const runtime::KernelInfo& info);
// FusedMatMul(A, B, Bias): MatMul, then Bias (N values) added to every row, then the activation.
std::unique_ptr<runtime::Kernel> makeFusedMatMul(const runtime::KernelInfo& info);
// ai.layerbench Gelu(X): 0.5 x (1 + erf(x / sqrt 2)), float32.
std::unique_ptr<runtime::Kernel> makeGelu(const runtime::KernelInfo& info);
// ai.layerbench ChannelShuffle(X) with int `group` g: X of rank >= 2 with C = X.shape[1] a multiple
// of g; Y[:, i * g + j] = X[:, j * (C / g) + i] (Reshape [N, g, C/g, ...], swap, Reshape back).
std::unique_ptr<runtime::Kernel> makeChannelShuffle(const runtime::KernelInfo& info);

} // namespace lb::backends::reference
