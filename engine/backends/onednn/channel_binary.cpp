#include "backends/onednn/channel_binary.h"

#include "backends/onednn/flat_op.h"
#include "backends/onednn/simd.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in fp32_rows.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <immintrin.h>

namespace lb::backends::onednn {

namespace {

// Outer units: (n, channel block) for blocked layouts, (n, c) for plain, (n, position) for
// channels last; each unit's elements are contiguous.
int64_t unitCount(const ChannelLayout& l) {
    if (l.block == 0)
        return l.batch * l.spatial;
    if (l.block == 1)
        return l.batch * l.channels;
    return l.batch * ((l.channels + l.block - 1) / l.block);
}

template <FlatOp op>
__attribute__((target("avx512f"))) void unitsAvx512(const float* a, const float* b, int64_t bStride,
                                                    float* y, const ChannelLayout& l, int64_t first,
                                                    int64_t last) {
    const int64_t c = l.channels, s = l.spatial;
    if (l.block == 0) {
        for (int64_t u = first; u < last; ++u) {
            const float* bn = b + (u / s) * bStride;
            for (int64_t i = 0; i < c; i += 16) {
                const __mmask16 m = lanes(c - i);
                _mm512_mask_storeu_ps(y + u * c + i, m,
                                      applyFlat<op>(_mm512_maskz_loadu_ps(m, a + u * c + i),
                                                _mm512_maskz_loadu_ps(m, bn + i)));
            }
        }
    } else if (l.block == 1) {
        for (int64_t u = first; u < last; ++u) {
            const __m512 bv = _mm512_set1_ps(b[(u / c) * bStride + u % c]);
            for (int64_t i = 0; i < s; i += 16) {
                const __mmask16 m = lanes(s - i);
                _mm512_mask_storeu_ps(y + u * s + i, m,
                                      applyFlat<op>(_mm512_maskz_loadu_ps(m, a + u * s + i), bv));
            }
        }
    } else if (l.block == 16) {
        const int64_t blocks = (c + 15) / 16;
        for (int64_t u = first; u < last; ++u) {
            const int64_t c0 = (u % blocks) * 16;
            const __mmask16 m = lanes(c - c0);
            const __m512 bv = _mm512_maskz_loadu_ps(m, b + (u / blocks) * bStride + c0);
            const float* au = a + u * s * 16;
            float* yu = y + u * s * 16;
            for (int64_t p = 0; p < s; ++p)
                _mm512_storeu_ps(yu + p * 16, _mm512_maskz_mov_ps(
                                                  m, applyFlat<op>(_mm512_loadu_ps(au + p * 16), bv)));
        }
    } else { // 8-channel blocks: two positions per 16-lane vector
        const int64_t blocks = (c + 7) / 8;
        const __m512i twice = _mm512_set_epi32(7, 6, 5, 4, 3, 2, 1, 0, 7, 6, 5, 4, 3, 2, 1, 0);
        for (int64_t u = first; u < last; ++u) {
            const int64_t c0 = (u % blocks) * 8;
            const __mmask16 m8 = lanes(std::min<int64_t>(c - c0, 8));
            const __mmask16 m = static_cast<__mmask16>(m8 | (m8 << 8));
            const __m512 bv = _mm512_permutexvar_ps(
                twice, _mm512_maskz_loadu_ps(m8, b + (u / blocks) * bStride + c0));
            const float* au = a + u * s * 8;
            float* yu = y + u * s * 8;
            int64_t p = 0;
            for (; p + 2 <= s; p += 2)
                _mm512_storeu_ps(
                    yu + p * 8, _mm512_maskz_mov_ps(m, applyFlat<op>(_mm512_loadu_ps(au + p * 8), bv)));
            if (p < s)
                _mm512_mask_storeu_ps(
                    yu + p * 8, 0xff,
                    _mm512_maskz_mov_ps(m8,
                                        applyFlat<op>(_mm512_maskz_loadu_ps(0xff, au + p * 8), bv)));
        }
    }
}

template <FlatOp op>
void unitsPortable(const float* a, const float* b, int64_t bStride, float* y,
                   const ChannelLayout& l, int64_t first, int64_t last) {
    const int64_t c = l.channels, s = l.spatial;
    if (l.block == 0) {
        for (int64_t u = first; u < last; ++u)
            for (int64_t i = 0; i < c; ++i)
                y[u * c + i] = applyFlat<op>(a[u * c + i], b[(u / s) * bStride + i]);
    } else if (l.block == 1) {
        for (int64_t u = first; u < last; ++u) {
            const float bv = b[(u / c) * bStride + u % c];
            for (int64_t i = 0; i < s; ++i)
                y[u * s + i] = applyFlat<op>(a[u * s + i], bv);
        }
    } else {
        const int64_t block = l.block, blocks = (c + block - 1) / block;
        for (int64_t u = first; u < last; ++u) {
            const int64_t c0 = (u % blocks) * block;
            const float* bn = b + (u / blocks) * bStride;
            for (int64_t p = 0; p < s; ++p)
                for (int64_t lane = 0; lane < block; ++lane) {
                    const int64_t i = (u * s + p) * block + lane;
                    y[i] = c0 + lane < c ? applyFlat<op>(a[i], bn[c0 + lane]) : 0.0f;
                }
        }
    }
}

// 8-channel blocks in, 16-channel blocks out: unit = (n, 16-channel block of y).
template <FlatOp op>
__attribute__((target("avx512f"))) void widenAvx512(const float* a, const float* b, int64_t bStride,
                                                    float* y, const ChannelLayout& l, int64_t first,
                                                    int64_t last) {
    const int64_t c = l.channels, s = l.spatial;
    const int64_t blocks8 = (c + 7) / 8, blocks16 = (c + 15) / 16;
    for (int64_t u = first; u < last; ++u) {
        const int64_t n = u / blocks16, cb = u % blocks16, c0 = cb * 16;
        const __mmask16 m = lanes(c - c0);
        const __m512 bv = _mm512_maskz_loadu_ps(m, b + n * bStride + c0);
        const float* lo = a + (n * blocks8 + 2 * cb) * s * 8;
        const bool hasHigh = 2 * cb + 1 < blocks8;
        const float* hi = lo + s * 8;
        float* yu = y + u * s * 16;
        for (int64_t p = 0; p < s; ++p) {
            const __m256 l8 = _mm256_loadu_ps(lo + p * 8);
            const __m256 h8 = hasHigh ? _mm256_loadu_ps(hi + p * 8) : _mm256_setzero_ps();
            const __m512 v = _mm512_castpd_ps(_mm512_insertf64x4(
                _mm512_castpd256_pd512(_mm256_castps_pd(l8)), _mm256_castps_pd(h8), 1));
            _mm512_storeu_ps(yu + p * 16, _mm512_maskz_mov_ps(m, applyFlat<op>(v, bv)));
        }
    }
}

template <FlatOp op>
void widenPortable(const float* a, const float* b, int64_t bStride, float* y,
                   const ChannelLayout& l, int64_t first, int64_t last) {
    const int64_t c = l.channels, s = l.spatial;
    const int64_t blocks8 = (c + 7) / 8, blocks16 = (c + 15) / 16;
    for (int64_t u = first; u < last; ++u) {
        const int64_t n = u / blocks16, c0 = (u % blocks16) * 16;
        for (int64_t p = 0; p < s; ++p)
            for (int64_t lane = 0; lane < 16; ++lane) {
                const int64_t ch = c0 + lane;
                y[(u * s + p) * 16 + lane] =
                    ch < c ? applyFlat<op>(a[((n * blocks8 + ch / 8) * s + p) * 8 + ch % 8],
                                       b[n * bStride + ch])
                           : 0.0f;
            }
    }
}

template <FlatOp op>
void run(const float* a, const float* b, int64_t bStride, float* y, const ChannelLayout& l,
         int threads, bool widen) {
    const int64_t units = widen ? l.batch * ((l.channels + 15) / 16) : unitCount(l);
    const int64_t elements = l.batch * l.channels * l.spatial;
    const int parts = static_cast<int>(
        std::min<int64_t>(elements >= kParallelElements ? std::max(threads, 1) : 1, units));
    const bool simd = simdAvailable(Simd::Avx512);
    const auto range = [&](int64_t first, int64_t last) {
        if (widen && simd)
            widenAvx512<op>(a, b, bStride, y, l, first, last);
        else if (widen)
            widenPortable<op>(a, b, bStride, y, l, first, last);
        else if (simd)
            unitsAvx512<op>(a, b, bStride, y, l, first, last);
        else
            unitsPortable<op>(a, b, bStride, y, l, first, last);
    };
    if (parts <= 1)
        return range(0, units);
#pragma omp parallel for num_threads(parts) schedule(static)
    for (int part = 0; part < parts; ++part)
        range(units * part / parts, units * (part + 1) / parts);
}

void dispatch(FlatOp op, const float* a, const float* b, int64_t bBatchStride, float* y,
              const ChannelLayout& layout, int threads, bool widen) {
    switch (op) {
    case FlatOp::Add:
        return run<FlatOp::Add>(a, b, bBatchStride, y, layout, threads, widen);
    case FlatOp::Sub:
        return run<FlatOp::Sub>(a, b, bBatchStride, y, layout, threads, widen);
    case FlatOp::Mul:
        return run<FlatOp::Mul>(a, b, bBatchStride, y, layout, threads, widen);
    case FlatOp::Div:
        return run<FlatOp::Div>(a, b, bBatchStride, y, layout, threads, widen);
    }
}

} // namespace

void channelBinary(FlatOp op, const float* a, const float* b, int64_t bBatchStride, float* y,
                   const ChannelLayout& layout, int threads) {
    dispatch(op, a, b, bBatchStride, y, layout, threads, false);
}

void channelBinary8To16(FlatOp op, const float* a, const float* b, int64_t bBatchStride, float* y,
                        const ChannelLayout& layout, int threads) {
    dispatch(op, a, b, bBatchStride, y, layout, threads, true);
}

std::optional<ChannelLayout> channelLayout(const memory::desc& desc, const Shape& shape) {
    using tag = memory::format_tag;
    if (shape.size() < 3 || shape.size() > 5)
        return std::nullopt;
    static const tag kTags[3][4] = {{tag::abc, tag::acb, tag::aBc8b, tag::aBc16b},
                                    {tag::abcd, tag::acdb, tag::aBcd8b, tag::aBcd16b},
                                    {tag::abcde, tag::acdeb, tag::aBcde8b, tag::aBcde16b}};
    static const int kBlocks[4] = {1, 0, 8, 16};
    ChannelLayout l;
    l.batch = shape[0];
    l.channels = shape[1];
    for (size_t d = 2; d < shape.size(); ++d)
        l.spatial *= shape[d];
    const memory::dims dims = toDims(shape);
    for (int i = 0; i < 4; ++i)
        if (desc == memory::desc(dims, memory::data_type::f32, kTags[shape.size() - 3][i])) {
            l.block = kBlocks[i];
            return l;
        }
    return std::nullopt;
}

} // namespace lb::backends::onednn
