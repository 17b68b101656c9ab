#pragma once

// Reference kernel of FakeQuant (domain ai.layerbench; ops/fake_quant_op.h): quantization
// simulation, element by element in double with h10's quantize -> dequantize.

#include "runtime/kernel.h"

#include <memory>

namespace lb::backends::reference {

std::unique_ptr<runtime::Kernel> makeFakeQuant(const runtime::KernelInfo& info);

} // namespace lb::backends::reference
