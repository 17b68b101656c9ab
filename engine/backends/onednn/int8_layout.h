#pragma once

// The int8 kernels' rounding and the attributes QConv / QConvTranspose share (int8_*.cpp). Their
// border helpers are layout.h's, which take any element type the oneDNN kernels use (uint8 between
// int8 nodes).

#include "backends/onednn/layout.h"
#include "backends/onednn/op_attrs.h"

#include <vector>

namespace lb::backends::onednn {

// ops::quantizeValue for bitwidths up to 16, bit for bit, in a form compilers vectorize: the
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

// The quantization attributes of QConv / QConvTranspose (ops/int8_ops.h) for m output
// channels, checked (failing with the node's name): oneDNN's per-channel output scales
// s_x * s_w[c], and the bias both in accumulator units (oneDNN adds it before the output scale)
// and real.
struct QuantizedConvAttrs {
    float xScale = 0, yScale = 0;
    int64_t xOffset = 0, yOffset = 0;
    std::vector<float> scales;   // s_x * s_w[c]
    std::vector<float> bias;     // B[c] / scales[c], 0 without B
    std::vector<float> realBias; // B[c], 0 without B
    int32_t zeroPoint() const { return static_cast<int32_t>(-xOffset); }
    // The fused activation, then the quantizing step (1 / s_y, -offset_y) as oneDNN post-ops
    // (int8_conv_kernel.cpp).
    std::vector<EltwiseStep> steps(const NodeAttrs& a) const;
};
QuantizedConvAttrs parseQuantizedConv(const NodeAttrs& a, const runtime::KernelInfo& info,
                                      int64_t m);

// Fails unless x is a uint8 N x channels x H x W tensor.
void checkQuantizedInput(const Tensor& x, int64_t channels);

} // namespace lb::backends::onednn
