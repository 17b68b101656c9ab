#pragma once

// bfloat16 from float32 (float16 and the widening conversions are in core/tensor.h).

#include <cstdint>

namespace lb {

// Nearest bfloat16 (half to even); NaN stays a quiet NaN.
uint16_t floatToBfloat16(float f);
// The upper 16 bits (round toward zero): what ONNX's reference Cast gave up to opset 18 and what
// the backend test data of ONNX 1.12 expects; NaN stays NaN.
uint16_t floatToBfloat16Truncated(float f);

} // namespace lb
