#include "backends/onednn/fp32_packed_gemm.h"

#include "backends/onednn/flat_op.h"
#include "backends/onednn/simd.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <immintrin.h>
#include <new>

namespace lb::backends::onednn {

namespace {

constexpr int64_t kP = PackedGemm::kPanel; // 3 zmm registers per row

// Rows [0, MR) of a panel: acc[r][j] += a[r, k] * panel[k, 16j..16j+15] over all k, then stored
// (each register's columns masked by `masks`). When `next` is not null, prefetches it (the
// panel two ahead, row k at step k) into L2 and this block's C lines of the next panel for
// writing. Measured on rec's head with the caches flushed between runs: 0.64-0.67 ms against
// 0.78-0.87 ms for oneDNN's matmul (hot: 0.59 against 0.57); prefetching 1 to 4 panels ahead,
// from every row block or the first only, makes no difference beyond the noise.
template <int MR>
__attribute__((target("avx512f"))) void microKernel(const float* a, int64_t lda, const float* panel,
                                                    int64_t k, float* c, int64_t ldc,
                                                    const __mmask16* masks, const float* next) {
    __m512 acc[MR][3];
    if (next)
        for (int r = 0; r < MR; ++r)
            for (int l = 0; l < 3; ++l)
                _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + kP + 16 * l),
                             _MM_HINT_ET0);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r)
        for (int j = 0; j < 3; ++j)
            acc[r][j] = _mm512_setzero_ps();
    for (int64_t p = 0; p < k; ++p) {
        const float* row = panel + p * kP;
        const __m512 b0 = _mm512_load_ps(row);
        const __m512 b1 = _mm512_load_ps(row + 16);
        const __m512 b2 = _mm512_load_ps(row + 32);
        if (next) {
            _mm_prefetch(reinterpret_cast<const char*>(next + p * kP), _MM_HINT_T1);
            _mm_prefetch(reinterpret_cast<const char*>(next + p * kP + 16), _MM_HINT_T1);
            _mm_prefetch(reinterpret_cast<const char*>(next + p * kP + 32), _MM_HINT_T1);
        }
#pragma GCC unroll 8
        for (int r = 0; r < MR; ++r) {
            const __m512 av = _mm512_set1_ps(a[r * lda + p]);
            acc[r][0] = _mm512_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(av, b1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(av, b2, acc[r][2]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
        float* out = c + r * ldc;
        _mm512_mask_storeu_ps(out, masks[0], acc[r][0]);
        _mm512_mask_storeu_ps(out + 16, masks[1], acc[r][1]);
        _mm512_mask_storeu_ps(out + 32, masks[2], acc[r][2]);
    }
}

using Kernel = void (*)(const float*, int64_t, const float*, int64_t, float*, int64_t,
                        const __mmask16*, const float*);

constexpr Kernel kKernels[9] = {nullptr,        microKernel<1>, microKernel<2>,
                                microKernel<3>, microKernel<4>, microKernel<5>,
                                microKernel<6>, microKernel<7>, microKernel<8>};

} // namespace

bool PackedGemm::available() {
    return simdAvailable(Simd::Avx512);
}

PackedGemm::PackedGemm(const float* b, int64_t k, int64_t n)
    : m_k(k), m_n(n), m_panels((n + kP - 1) / kP) {
    const size_t count = static_cast<size_t>(m_panels * k * kP);
    void* p = std::aligned_alloc(64, std::max<size_t>(count, 16) * sizeof(float));
    if (!p)
        throw std::bad_alloc();
    m_packed = std::shared_ptr<float[]>(static_cast<float*>(p), [](float* q) { std::free(q); });
    std::memset(p, 0, count * sizeof(float));
    for (int64_t j = 0; j < m_panels; ++j) {
        const int64_t cols = std::min(kP, n - j * kP);
        for (int64_t p2 = 0; p2 < k; ++p2)
            std::memcpy(m_packed.get() + (j * k + p2) * kP, b + p2 * n + j * kP,
                        static_cast<size_t>(cols) * sizeof(float));
    }
}

void PackedGemm::run(const float* a, int64_t m, float* c, int threads) const {
    const int64_t panelSize = m_k * kP;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
    for (int64_t j = 0; j < m_panels; ++j) {
        const float* panel = m_packed.get() + j * panelSize;
        const float* next = j + 2 < m_panels ? panel + 2 * panelSize : nullptr;
        const int64_t cols = std::min(kP, m_n - j * kP);
        const __mmask16 masks[3] = {lanes(cols), lanes(cols - 16), lanes(cols - 32)};
        for (int64_t i = 0; i < m; i += 8) {
            const int64_t rows = std::min<int64_t>(8, m - i);
            kKernels[rows](a + i * m_k, m_k, panel, m_k, c + i * m_n + j * kP, m_n, masks, next);
        }
    }
}

} // namespace lb::backends::onednn
