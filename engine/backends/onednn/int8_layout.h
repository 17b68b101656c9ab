#pragma once

// The int8 kernels' rounding (int8_*.cpp). Their border helpers are layout.h's, which take any
// element type the oneDNN kernels use (uint8 between int8 nodes).

#include "backends/onednn/layout.h"

namespace lb::backends::onednn {

// quant::quantizeValue for bitwidths up to 16, bit for bit, in a form compilers vectorize: the
// float32 division, the clamp to the integer bounds lo = offset, hi = qmax + offset (NaN -> lo),
// then round half to even with the 1.5 * 2^23 trick (exact for |v| <= 2^22, which the clamp
// guarantees). Returns q + offset, an integer-valued float: times the scale it is the
// dequantized value, minus lo it is q.
inline float quantizeRounded(float x, float scale, float lo, float hi) {
    constexpr float kMagic = 12582912.0f;
    const float v = x / scale;
    const float c = hi < v ? hi : v; // std::min(v, hi): NaN stays NaN
    const float d = lo < c ? c : lo; // std::max(lo, c): NaN becomes lo
    return (d + kMagic) - kMagic;
}

} // namespace lb::backends::onednn
