#include "backends/reference/gemm.h"

#include <algorithm>

namespace lb::backends::reference {

void gemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
          float* c, int64_t ldc, bool accumulate, int threads) {
    // Blocks of columns keep a panel of B in cache while every row of A streams over it.
    constexpr int64_t kBlockN = 512;
    constexpr int64_t kBlockK = 128;
#pragma omp parallel for num_threads(threads) if (m * n * k > 32768)
    for (int64_t i = 0; i < m; ++i) {
        float* crow = c + i * ldc;
        if (!accumulate)
            std::fill(crow, crow + n, 0.0f);
        for (int64_t jb = 0; jb < n; jb += kBlockN) {
            const int64_t je = std::min(n, jb + kBlockN);
            for (int64_t kb = 0; kb < k; kb += kBlockK) {
                const int64_t ke = std::min(k, kb + kBlockK);
                for (int64_t p = kb; p < ke; ++p) {
                    const float av = a[i * lda + p];
                    const float* brow = b + p * ldb;
                    for (int64_t j = jb; j < je; ++j)
                        crow[j] += av * brow[j];
                }
            }
        }
    }
}

void transpose2d(const float* in, int64_t rows, int64_t cols, float* out) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            out[c * rows + r] = in[r * cols + c];
}

} // namespace lb::backends::reference
