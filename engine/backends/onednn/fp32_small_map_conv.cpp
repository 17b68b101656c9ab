#include "backends/onednn/fp32_small_map_conv.h"

#include "backends/onednn/simd.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <new>
#include <vector>

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in int8_vector.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace lb::backends::onednn {

namespace {

constexpr int64_t kP = SmallMapConv::kPanel;
// K rows per chunk: a chunk of a panel (32 KB) stays in L1 while every row block runs over it.
// CPU ms at 1 thread, weights hot (lb-bench-small-map-conv --hot --min), 3x3 512 -> 512 at 7x7:
// 64 rows 1.65, 128 1.56, 256 1.80; 1x1 512 -> 2048 at 7x7: 0.68, 0.65, 0.75.
constexpr int64_t kChunk = 128;
// Chunks between the one computed and the one prefetched (128 KB). Cold weights, same two:
// none 2.55 / 1.07 ms, 4 chunks 2.04 / 0.74, 8 2.00 / 0.84, 16 2.29 / 0.86, 32 2.61 / 1.13.
constexpr int64_t kAhead = 4;
constexpr int kMaxRows = 6; // 6 x 4 accumulators + 4 weight registers of the 32

std::shared_ptr<float[]> alignedFloats(int64_t count) {
    void* p = std::aligned_alloc(64, static_cast<size_t>(std::max<int64_t>(count, 16)) * 4);
    if (!p)
        throw std::bad_alloc();
    std::memset(p, 0, static_cast<size_t>(std::max<int64_t>(count, 16)) * 4);
    return std::shared_ptr<float[]>(static_cast<float*>(p), [](float* q) { std::free(q); });
}

struct Store {
    bool first, last;
    const float* bias; // the panel's 64 values
    const float* z;    // at the block's first row and the panel's first channel block, or null
    int activation;    // SmallMapConv::Activation
    float lo, hi;
    int blocks;             // channel blocks of the panel that exist (1-4)
    const __mmask16* masks; // the lanes of each block that are real channels
};

// Rows [0, MR) of one panel over one K chunk: acc[r][j] += a[r, k] * b[k, 16j..16j+15], where
// a[r, 16 kb + c] = rows[r][offsets[kb] + c]: each row (output pixel) points at its input pixel
// of the (zero-padded) nChw16c map and each K block of 16 (a tap and a channel block) is an
// offset from there, so there is no im2col. y in nChw16c (block stride `yStride`). The first
// chunk starts from the bias, later ones from what the previous stored; the last adds Z,
// applies the activation and zeroes the padding channels. `nextLines` cache lines from `next`
// are prefetched into L2, one a step: weights a few chunks on.
template <int MR>
__attribute__((target("avx512f"))) void
rowBlock(const float* const* rows, const int64_t* offsets, const float* b, int64_t kBlocks,
         float* y, int64_t yStride, const Store& s, const float* next, int64_t nextLines) {
    const float* rp[MR];
    for (int r = 0; r < MR; ++r)
        rp[r] = rows[r];
    // Blocks past the panel's last channel block (j >= s.blocks) have no storage in y: they start
    // from zero and are never stored.
    __m512 acc[MR][4];
    for (int r = 0; r < MR; ++r)
        for (int j = 0; j < 4; ++j)
            acc[r][j] = s.first        ? _mm512_load_ps(s.bias + 16 * j)
                        : j < s.blocks ? _mm512_loadu_ps(y + j * yStride + r * 16)
                                       : _mm512_setzero_ps();
    for (int64_t kb = 0; kb < kBlocks; ++kb) {
        const int64_t o = offsets[kb];
        const float* bb = b + kb * 16 * kP;
        for (int c = 0; c < 16; ++c) {
            const float* row = bb + c * kP;
            const __m512 b0 = _mm512_load_ps(row);
            const __m512 b1 = _mm512_load_ps(row + 16);
            const __m512 b2 = _mm512_load_ps(row + 32);
            const __m512 b3 = _mm512_load_ps(row + 48);
            if (kb * 16 + c < nextLines)
                _mm_prefetch(reinterpret_cast<const char*>(next + (kb * 16 + c) * 16), _MM_HINT_T1);
#pragma GCC unroll 6
            for (int r = 0; r < MR; ++r) {
                const __m512 av = _mm512_set1_ps(rp[r][o + c]);
                acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
                acc[r][2] = _mm512_fmadd_ps(av, b2, acc[r][2]);
                acc[r][3] = _mm512_fmadd_ps(av, b3, acc[r][3]);
            }
        }
    }
    if (!s.last) {
        for (int r = 0; r < MR; ++r)
            for (int j = 0; j < 4; ++j)
                if (j < s.blocks)
                    _mm512_storeu_ps(y + j * yStride + r * 16, acc[r][j]);
        return;
    }
    const __m512 zero = _mm512_setzero_ps(), lo = _mm512_set1_ps(s.lo), hi = _mm512_set1_ps(s.hi);
    for (int r = 0; r < MR; ++r)
        for (int j = 0; j < 4; ++j) {
            if (j >= s.blocks)
                continue;
            __m512 v = acc[r][j];
            if (s.z)
                v = _mm512_add_ps(v, _mm512_loadu_ps(s.z + j * yStride + r * 16));
            if (s.activation == static_cast<int>(SmallMapConv::Activation::Relu))
                v = _mm512_max_ps(v, zero);
            else if (s.activation == static_cast<int>(SmallMapConv::Activation::Clip))
                v = _mm512_min_ps(_mm512_max_ps(v, lo), hi);
            _mm512_storeu_ps(y + j * yStride + r * 16, _mm512_maskz_mov_ps(s.masks[j], v));
        }
}

using RowKernel = void (*)(const float* const*, const int64_t*, const float*, int64_t, float*,
                           int64_t, const Store&, const float*, int64_t);
constexpr RowKernel kRowKernels[kMaxRows + 1] = {nullptr,     rowBlock<1>, rowBlock<2>, rowBlock<3>,
                                                 rowBlock<4>, rowBlock<5>, rowBlock<6>};

} // namespace

bool SmallMapConv::available() {
    return simdAvailable(Simd::Avx512);
}

SmallMapConv::SmallMapConv(const Geometry& g, const float* weights, const float* bias,
                           Activation activation, float lo, float hi)
    : m_g(g), m_inBlocks((g.channels + 15) / 16), m_outBlocks((g.outChannels + 15) / 16),
      m_k(g.kernelH * g.kernelW * m_inBlocks * 16), m_panels((g.outChannels + kP - 1) / kP),
      m_pixels(g.outHeight * g.outWidth), m_activation(activation), m_lo(lo), m_hi(hi) {
    // B[k][m] with k = ((ky * kW + kx) * inBlocks + cb) * 16 + c.
    m_packed = alignedFloats(m_panels * m_k * kP);
    const int64_t taps = g.kernelH * g.kernelW;
    for (int64_t m = 0; m < g.outChannels; ++m) {
        float* panel = m_packed.get() + (m / kP) * m_k * kP + m % kP;
        for (int64_t ch = 0; ch < g.channels; ++ch)
            for (int64_t t = 0; t < taps; ++t)
                panel[((t * m_inBlocks + ch / 16) * 16 + ch % 16) * kP] =
                    weights[(m * g.channels + ch) * taps + t];
    }
    m_bias = alignedFloats(m_panels * kP);
    if (bias)
        std::memcpy(m_bias.get(), bias, static_cast<size_t>(g.outChannels) * sizeof(float));
    // The map the rows read: the input itself, or a copy with the zero border the taps reach.
    m_paddedH = std::max(g.height + g.padTop, (g.outHeight - 1) * g.strideH + g.kernelH);
    m_paddedW = std::max(g.width + g.padLeft, (g.outWidth - 1) * g.strideW + g.kernelW);
    m_padded = g.padTop > 0 || g.padLeft > 0 || m_paddedH > g.height || m_paddedW > g.width;
    if (!m_padded) {
        m_paddedH = g.height;
        m_paddedW = g.width;
    } else {
        m_map = alignedFloats(m_inBlocks * m_paddedH * m_paddedW * 16);
    }
    for (int64_t oy = 0; oy < g.outHeight; ++oy)
        for (int64_t ox = 0; ox < g.outWidth; ++ox)
            m_pixelOffsets.push_back((oy * g.strideH * m_paddedW + ox * g.strideW) * 16);
    for (int64_t t = 0; t < taps; ++t)
        for (int64_t cb = 0; cb < m_inBlocks; ++cb)
            m_blockOffsets.push_back(
                (cb * m_paddedH * m_paddedW + (t / g.kernelW) * m_paddedW + t % g.kernelW) * 16);
}

int64_t SmallMapConv::weightBytes() const {
    return m_panels * m_k * kP * static_cast<int64_t>(sizeof(float));
}

void SmallMapConv::run(const float* x, const float* z, float* y, int64_t batch, int threads) const {
    const Geometry& g = m_g;
    const int64_t inImage = m_inBlocks * g.height * g.width * 16,
                  outImage = m_outBlocks * m_pixels * 16;
    // Rows spread evenly over the fewest blocks of at most kMaxRows.
    const int64_t rowBlocks = (m_pixels + kMaxRows - 1) / kMaxRows;
    std::vector<int64_t> rowStart(static_cast<size_t>(rowBlocks) + 1, 0);
    for (int64_t i = 0; i < rowBlocks; ++i)
        rowStart[i + 1] = rowStart[i] + m_pixels / rowBlocks + (i < m_pixels % rowBlocks ? 1 : 0);
    const int64_t lastChannels = g.outChannels - (m_outBlocks - 1) * 16;
    const float* end = m_packed.get() + m_panels * m_k * kP;
    for (int64_t n = 0; n < batch; ++n) {
        const float* map = x + n * inImage;
        if (m_padded) {
            float* p = m_map.get();
            const int64_t plane = m_paddedH * m_paddedW * 16;
            std::memset(p, 0, static_cast<size_t>(m_inBlocks * plane) * sizeof(float));
            for (int64_t cb = 0; cb < m_inBlocks; ++cb)
                for (int64_t iy = 0; iy < g.height; ++iy)
                    std::memcpy(p + cb * plane + ((iy + g.padTop) * m_paddedW + g.padLeft) * 16,
                                map + (cb * g.height + iy) * g.width * 16,
                                static_cast<size_t>(g.width * 16) * sizeof(float));
            map = p;
        }
        std::vector<const float*> rows(static_cast<size_t>(m_pixels));
        for (int64_t i = 0; i < m_pixels; ++i)
            rows[i] = map + m_pixelOffsets[i];
        float* yn = y + n * outImage;
        const float* zn = z ? z + n * outImage : nullptr;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
        for (int64_t j = 0; j < m_panels; ++j) {
            const float* panel = m_packed.get() + j * m_k * kP;
            Store s{};
            s.bias = m_bias.get() + j * kP;
            s.activation = static_cast<int>(m_activation);
            s.lo = m_lo;
            s.hi = m_hi;
            s.blocks = static_cast<int>(std::min<int64_t>(4, m_outBlocks - 4 * j));
            __mmask16 masks[4];
            for (int b = 0; b < 4; ++b)
                masks[b] = 4 * j + b == m_outBlocks - 1 && lastChannels < 16
                               ? __mmask16((1u << lastChannels) - 1)
                               : __mmask16(0xffff);
            s.masks = masks;
            float* yp = yn + 4 * j * m_pixels * 16;
            for (int64_t k0 = 0; k0 < m_k; k0 += kChunk) {
                const int64_t kc = std::min(kChunk, m_k - k0);
                const float* b = panel + k0 * kP;
                // The weights kAhead chunks on (a sequential stream through the panels),
                // prefetched a line a step over this chunk's row blocks: read cold from memory,
                // they arrive while this chunk computes instead of stalling it.
                const float* ahead = b + kAhead * kChunk * kP;
                const int64_t aheadLines =
                    ahead < end ? std::min<int64_t>(kc * kP / 16, (end - ahead) / 16) : 0;
                s.first = k0 == 0;
                s.last = k0 + kc >= m_k;
                for (int64_t i = 0; i < rowBlocks; ++i) {
                    const int64_t r0 = rowStart[i];
                    const int64_t l0 = aheadLines * i / rowBlocks,
                                  l1 = aheadLines * (i + 1) / rowBlocks;
                    s.z = zn ? zn + 4 * j * m_pixels * 16 + r0 * 16 : nullptr;
                    kRowKernels[rowStart[i + 1] - r0](
                        rows.data() + r0, m_blockOffsets.data() + k0 / 16, b, kc / 16, yp + r0 * 16,
                        m_pixels * 16, s, ahead + l0 * 16, l1 - l0);
                }
            }
        }
    }
}

} // namespace lb::backends::onednn
