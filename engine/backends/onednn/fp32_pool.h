#pragma once

// MaxPool and GlobalAveragePool over the float32 layouts the backend's primitives hand out
// (channels last, 8- or 16-channel blocks), output in the input's layout. oneDNN 2.6's pooling
// primitive takes 0.28 ms for ResNet-50's 3x3 stride-2 MaxPool on 1x64x112x112 where ONNX Runtime
// takes 0.16, and several microseconds of fixed cost for each small squeeze-excitation
// GlobalAveragePool. AVX-512 only: the kernel keeps the primitive where simdAvailable(Simd::Avx512)
// is false.

#include "backends/onednn/channel_binary.h"

#include <cstdint>

namespace lb::backends::onednn {

// A 2-D window: sizes, strides, dilations (1 = dense), top/left padding, input and output sizes.
// Positions outside the input are skipped (max pooling ignores the padding).
struct PoolWindow {
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, padT = 0, padL = 0;
    int64_t ih = 1, iw = 1, oh = 1, ow = 1;
};

// y = max over each window of x, both in `layout` (block 0, 8 or 16; layout.spatial unused).
// Padding lanes of a blocked layout stay zero. Split across `threads` (OpenMP) when large enough.
void maxPool2d(const float* x, float* y, const ChannelLayout& layout, const PoolWindow& window,
               int threads);

// y[n, c] = mean of x[n, c, :] over layout.spatial positions, summed in order and divided as the
// reference does (the same bits); x in `layout` (block 0, 8 or 16), y in it with one position.
void globalAveragePool(const float* x, float* y, const ChannelLayout& layout, int threads);

} // namespace lb::backends::onednn
