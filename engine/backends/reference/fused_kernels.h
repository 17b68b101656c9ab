#pragma once

// Reference kernels of the ops LayerBench's passes create (ops/fused_ops.h): the plain kernel of
// the base op, then the residual add and the activation, element by element.

#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::reference {

std::unique_ptr<runtime::Kernel> makeFusedConv(const runtime::KernelInfo& info);
std::unique_ptr<runtime::Kernel> makeFusedGemm(const runtime::KernelInfo& info);

} // namespace lb::backends::reference
