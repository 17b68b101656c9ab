#include "backends/onednn/fp32_pool.h"

#include "backends/onednn/flat_op.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in fp32_rows.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <immintrin.h>
#include <limits>

namespace lb::backends::onednn {

namespace {

// A non-plain layout as contiguous channel vectors: `units` outer units of `positions` pixels,
// each pixel `stride` floats apart holding `vector` channels ((n, channel block) units of
// block-wide vectors; channels last: n units of C-wide vectors).
struct Vectors {
    int64_t units, stride, vector;
};

Vectors vectorsOf(const ChannelLayout& l) {
    if (l.block == 0)
        return {l.batch, l.channels, l.channels};
    return {l.batch * ((l.channels + l.block - 1) / l.block), l.block, l.block};
}

template <typename Range>
void split(int64_t count, int64_t elements, int threads, const Range& range) {
    const int parts = static_cast<int>(
        std::min<int64_t>(elements >= kParallelElements ? std::max(threads, 1) : 1, count));
    if (parts <= 1)
        return range(0, count);
#pragma omp parallel for num_threads(parts) schedule(static)
    for (int part = 0; part < parts; ++part)
        range(count * part / parts, count * (part + 1) / parts);
}

template <bool kMasked>
__attribute__((target("avx512f"))) inline __m512 loadLanes(const float* p, __mmask16 m,
                                                           __m512 lowest) {
    return kMasked ? _mm512_mask_loadu_ps(lowest, m, p) : _mm512_loadu_ps(p);
}

// The maximum over window positions [jLo, jHi) of one window row, `step` floats apart: a pairwise
// tree, so that the maxima do not wait on one another.
template <bool kMasked>
__attribute__((target("avx512f"))) inline __m512 rowMax(const float* p, int64_t step, int64_t count,
                                                        __mmask16 m, __m512 lowest) {
    if (count <= 0)
        return lowest;
    if (count == 3)
        return _mm512_max_ps(_mm512_max_ps(loadLanes<kMasked>(p + (0) * step, m, lowest),
                                           loadLanes<kMasked>(p + (1) * step, m, lowest)),
                             loadLanes<kMasked>(p + (2) * step, m, lowest));
    __m512 a = loadLanes<kMasked>(p + (0) * step, m, lowest),
           b = count > 1 ? loadLanes<kMasked>(p + (1) * step, m, lowest) : lowest;
    for (int64_t j = 2; j + 1 < count; j += 2) {
        a = _mm512_max_ps(a, loadLanes<kMasked>(p + (j)*step, m, lowest));
        b = _mm512_max_ps(b, loadLanes<kMasked>(p + (j + 1) * step, m, lowest));
    }
    if (count > 2 && count % 2)
        a = _mm512_max_ps(a, loadLanes<kMasked>(p + (count - 1) * step, m, lowest));
    return _mm512_max_ps(a, b);
}

// Output rows [first, last) of (unit, oh); kFull: channel vectors of exactly 16.
template <bool kFull>
__attribute__((target("avx512f"))) void maxRows(const float* x, float* y, const Vectors& v,
                                                const PoolWindow& w, int64_t first, int64_t last) {
    const __m512 lowest = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    const int64_t stride = v.stride, vector = v.vector, iw = w.iw, ih = w.ih;
    for (int64_t row = first; row < last; ++row) {
        const int64_t u = row / w.oh, oh = row % w.oh;
        const float* in = x + u * ih * iw * stride;
        float* out = y + (u * w.oh + oh) * w.ow * stride;
        const int64_t h0 = oh * w.sh - w.padT;
        int64_t iLo = 0, iHi = w.kh; // window rows inside the input
        while (iLo < iHi && h0 + iLo * w.dh < 0)
            ++iLo;
        while (iHi > iLo && h0 + (iHi - 1) * w.dh >= ih)
            --iHi;
        for (int64_t ow = 0; ow < w.ow; ++ow, out += stride) {
            const int64_t w0 = ow * w.sw - w.padL;
            int64_t jLo = 0, jHi = w.kw;
            while (jLo < jHi && w0 + jLo * w.dw < 0)
                ++jLo;
            while (jHi > jLo && w0 + (jHi - 1) * w.dw >= iw)
                --jHi;
            const float* corner = in + (h0 * iw + w0 + jLo * w.dw) * stride;
            const int64_t lineStep = w.dh * iw * stride, step = w.dw * stride, count = jHi - jLo;
            for (int64_t c = 0; c < vector; c += 16) {
                const __mmask16 m = kFull ? __mmask16(0xffff) : lanes(vector - c);
                __m512 acc0 = lowest, acc1 = lowest;
                int64_t i = iLo;
                for (; i + 1 < iHi; i += 2) {
                    acc0 = _mm512_max_ps(
                        acc0, rowMax<!kFull>(corner + i * lineStep + c, step, count, m, lowest));
                    acc1 = _mm512_max_ps(acc1, rowMax<!kFull>(corner + (i + 1) * lineStep + c, step,
                                                              count, m, lowest));
                }
                if (i < iHi)
                    acc0 = _mm512_max_ps(
                        acc0, rowMax<!kFull>(corner + i * lineStep + c, step, count, m, lowest));
                _mm512_mask_storeu_ps(out + c, m, _mm512_max_ps(acc0, acc1));
            }
        }
    }
}

// Items [first, last) of a non-plain layout, an item being one unit's 16-channel (or shorter)
// vector: each lane summed over the positions in order and divided by their count, as the
// reference does, so that the means are its bits (calibration ranges and the int8 encodings made
// from them do not move). Four items at a time keep four independent chains of additions.
__attribute__((target("avx512f"))) void meanVectors(const float* x, float* y, const Vectors& v,
                                                    int64_t positions, int64_t first,
                                                    int64_t last) {
    const int64_t chunks = (v.vector + 15) / 16;
    const __m512 count = _mm512_set1_ps(static_cast<float>(positions));
    for (int64_t item = first; item < last; item += 4) {
        const int items = static_cast<int>(std::min<int64_t>(4, last - item));
        const float* in[4];
        float* out[4];
        __mmask16 m[4];
        __m512 acc[4];
        for (int q = 0; q < 4; ++q) {
            const int64_t i = item + std::min(q, items - 1), u = i / chunks, c = i % chunks * 16;
            in[q] = x + u * positions * v.stride + c;
            out[q] = y + u * v.stride + c;
            m[q] = lanes(v.vector - c);
            acc[q] = _mm512_setzero_ps();
        }
        for (int64_t p = 0; p < positions; ++p)
            for (int q = 0; q < 4; ++q)
                acc[q] = _mm512_add_ps(acc[q], _mm512_maskz_loadu_ps(m[q], in[q] + p * v.stride));
        for (int q = 0; q < items; ++q)
            _mm512_mask_storeu_ps(out[q], m[q], _mm512_div_ps(acc[q], count));
    }
}

} // namespace

void maxPool2d(const float* x, float* y, const ChannelLayout& layout, const PoolWindow& window,
               int threads) {
    const Vectors v = vectorsOf(layout);
    split(v.units * window.oh, v.units * window.ih * window.iw * v.stride, threads,
          [&](int64_t first, int64_t last) {
              if (v.vector == 16)
                  maxRows<true>(x, y, v, window, first, last);
              else
                  maxRows<false>(x, y, v, window, first, last);
          });
}

void globalAveragePool(const float* x, float* y, const ChannelLayout& layout, int threads) {
    const Vectors v = vectorsOf(layout);
    const int64_t items = v.units * ((v.vector + 15) / 16);
    split(items, layout.batch * layout.channels * layout.spatial, threads,
          [&](int64_t first, int64_t last) { meanVectors(x, y, v, layout.spatial, first, last); });
}

} // namespace lb::backends::onednn
