#pragma once

// Encodings and QNN's quantization arithmetic are the contract between quant/ and the backends'
// int8 and FakeQuant kernels, so they live in ops/encoding.h (backends may not include quant/).
// quant/ and everything above it keep calling them quant::.

#include "ops/encoding.h"

namespace lb::quant {

using ops::ChannelParams;
using ops::Encoding;
using ops::EncodingDtype;
using ops::SymmetricMode;

using ops::dequantize;
using ops::dequantizeValue;
using ops::fakeQuantize;
using ops::fakeQuantValue;
using ops::floatEncoding;
using ops::paramsFromMinMax;
using ops::paramsFromScaleOffset;
using ops::perTensorEncoding;
using ops::quantizationMse;
using ops::quantize;
using ops::quantizeValue;
using ops::quantMax;
using ops::validateEncoding;

} // namespace lb::quant
