#include "backends/onednn/fp32_gemv.h"

// GCC 12's AVX-512 intrinsics read an intentionally undefined register (false positives).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#include "backends/onednn/simd.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <new>
#include <omp.h>

namespace lb::backends::onednn {

namespace {

constexpr int64_t kGroup = 4; // W rows per kernel call, each with its own accumulators

// How far ahead (in W rows, a multiple of kGroup) the kernel prefetches; 0 = none.
#ifndef LB_GEMV_PREFETCH_ROWS
#define LB_GEMV_PREFETCH_ROWS 16
#endif
constexpr int64_t g_prefetchRows = LB_GEMV_PREFETCH_ROWS;

// out[r][j] = dot(a[r, :], w[j, :]) for r < MR, j < 4, over k floats (w rows zero-padded to a
// multiple of 16, so only A's last chunk needs a mask). One accumulator per (r, j) and, for a
// single row of A, two per W row so that the FMA latency does not limit the stream.
template <int MR>
__attribute__((target("avx512f"))) void dot4(const float* a, int64_t k, const float* w, int64_t ldw,
                                             float out[MR][kGroup], const float* prefetch) {
    constexpr int U = MR == 1 ? 2 : 1;
    __m512 acc[MR][kGroup][U];
    for (int r = 0; r < MR; ++r)
        for (int j = 0; j < kGroup; ++j)
            for (int u = 0; u < U; ++u)
                acc[r][j][u] = _mm512_setzero_ps();
    const int64_t full = k / 16;
    int64_t c = 0;
    for (; c + U <= full; c += U) {
#pragma GCC unroll 2
        for (int u = 0; u < U; ++u) {
            const int64_t off = (c + u) * 16;
            if (prefetch)
                for (int j = 0; j < kGroup; ++j)
                    _mm_prefetch(reinterpret_cast<const char*>(prefetch + j * ldw + off),
                                 _MM_HINT_T0);
            __m512 wv[kGroup];
            for (int j = 0; j < kGroup; ++j)
                wv[j] = _mm512_load_ps(w + j * ldw + off);
            for (int r = 0; r < MR; ++r) {
                const __m512 av = _mm512_loadu_ps(a + r * k + off);
                for (int j = 0; j < kGroup; ++j)
                    acc[r][j][u] = _mm512_fmadd_ps(av, wv[j], acc[r][j][u]);
            }
        }
    }
    for (; c * 16 < k; ++c) { // the odd chunk left by U = 2 and the masked tail
        const int64_t off = c * 16;
        const __mmask16 mask = k - off >= 16 ? __mmask16(0xffff) : __mmask16((1u << (k - off)) - 1);
        for (int r = 0; r < MR; ++r) {
            const __m512 av = _mm512_maskz_loadu_ps(mask, a + r * k + off);
            for (int j = 0; j < kGroup; ++j)
                acc[r][j][0] = _mm512_fmadd_ps(av, _mm512_load_ps(w + j * ldw + off), acc[r][j][0]);
        }
    }
    for (int r = 0; r < MR; ++r)
        for (int j = 0; j < kGroup; ++j) {
            __m512 s = acc[r][j][0];
            if constexpr (U == 2)
                s = _mm512_add_ps(s, acc[r][j][1]);
            out[r][j] = _mm512_reduce_add_ps(s);
        }
}

template <int MR>
void runGroups(const float* a, int64_t k, const float* w, int64_t ldw, int64_t n, float* y,
               const float* bias, int64_t first, int64_t last) {
    const int64_t groups = (n + kGroup - 1) / kGroup;
    for (int64_t g = first; g < last; ++g) {
        const float* rows = w + g * kGroup * ldw;
        const float* ahead = g_prefetchRows > 0 && (g * kGroup + g_prefetchRows) < groups * kGroup
                                 ? rows + g_prefetchRows * ldw
                                 : nullptr;
        float out[MR][kGroup];
        dot4<MR>(a, k, rows, ldw, out, ahead);
        const int64_t cols = std::min(kGroup, n - g * kGroup);
        for (int r = 0; r < MR; ++r)
            for (int64_t j = 0; j < cols; ++j)
                y[r * n + g * kGroup + j] = out[r][j] + (bias ? bias[g * kGroup + j] : 0.0f);
    }
}

using Runner = void (*)(const float*, int64_t, const float*, int64_t, int64_t, float*, const float*,
                        int64_t, int64_t);
constexpr Runner kRunners[PackedGemv::kMaxRows + 1] = {nullptr, runGroups<1>, runGroups<2>,
                                                       runGroups<3>, runGroups<4>};

float sigmoid(float x) {
    return 1.0f / (1.0f + std::exp(-x));
}

} // namespace

bool PackedGemv::available() {
    return simdAvailable(Simd::Avx512);
}

bool PackedGemv::supports(const std::vector<EltwiseStep>& steps) {
    using dnnl::algorithm;
    for (const EltwiseStep& s : steps)
        switch (s.algorithm) {
        case algorithm::eltwise_relu:
        case algorithm::eltwise_clip:
        case algorithm::eltwise_linear:
        case algorithm::eltwise_logistic:
        case algorithm::eltwise_tanh:
        case algorithm::eltwise_hardswish:
        case algorithm::eltwise_swish:
        case algorithm::eltwise_gelu_erf:
            break;
        default:
            return false;
        }
    return true;
}

PackedGemv::PackedGemv(const float* w, int64_t k, int64_t n, bool wIsNxK, float alpha)
    : m_k(k), m_n(n), m_ldw((k + 15) / 16 * 16) {
    const int64_t rows = (n + kGroup - 1) / kGroup * kGroup; // whole groups, zero rows past N
    const size_t count = static_cast<size_t>(rows * m_ldw);
    void* p = std::aligned_alloc(64, std::max<size_t>(count, 16) * sizeof(float));
    if (!p)
        throw std::bad_alloc();
    m_w = std::shared_ptr<float[]>(static_cast<float*>(p), [](float* q) { std::free(q); });
    std::memset(p, 0, count * sizeof(float));
    float* dst = m_w.get();
    for (int64_t j = 0; j < n; ++j)
        for (int64_t i = 0; i < k; ++i)
            dst[j * m_ldw + i] = alpha * (wIsNxK ? w[j * k + i] : w[i * n + j]);
}

void PackedGemv::run(const float* a, int64_t m, float* y, const float* bias,
                     const std::vector<EltwiseStep>& steps, int threads) const {
    const Runner runner = kRunners[std::clamp<int64_t>(m, 1, kMaxRows)];
    const int64_t groups = (m_n + kGroup - 1) / kGroup;
    // Below ~256 KB of weights the fork/join costs more than the second core saves.
    const bool split = threads > 1 && m_n * m_ldw >= (int64_t{1} << 16);
    if (!split) {
        runner(a, m_k, m_w.get(), m_ldw, m_n, y, bias, 0, groups);
    } else {
#pragma omp parallel num_threads(threads)
        {
            const int64_t t = omp_get_thread_num(), count = omp_get_num_threads();
            runner(a, m_k, m_w.get(), m_ldw, m_n, y, bias, groups * t / count,
                   groups * (t + 1) / count);
        }
    }
    if (!steps.empty())
        applyActivation(y, m * m_n, steps);
}

void applyActivation(float* y, int64_t n, const std::vector<EltwiseStep>& steps) {
    using dnnl::algorithm;
    for (const EltwiseStep& s : steps)
        for (int64_t i = 0; i < n; ++i) {
            const float x = y[i];
            float v = x;
            switch (s.algorithm) {
            case algorithm::eltwise_relu:
                v = x > 0.0f ? x : s.alpha * x;
                break;
            case algorithm::eltwise_clip:
                v = std::min(std::max(x, s.alpha), s.beta);
                break;
            case algorithm::eltwise_linear:
                v = s.alpha * x + s.beta;
                break;
            case algorithm::eltwise_logistic:
                v = sigmoid(x);
                break;
            case algorithm::eltwise_tanh:
                v = std::tanh(x);
                break;
            case algorithm::eltwise_hardswish:
                v = x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
                break;
            case algorithm::eltwise_swish:
                v = x * sigmoid(s.alpha * x);
                break;
            case algorithm::eltwise_gelu_erf:
                v = 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
                break;
            default:
                break; // supports() keeps these away
            }
            y[i] = v;
        }
}

} // namespace lb::backends::onednn
