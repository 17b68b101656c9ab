#pragma once

#include <cstdint>

namespace lb::backends::reference {

// C[M,N] (+)= A[M,K] * B[K,N], row-major with leading dimensions; parallel over rows of C.
void gemm(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
          float* c, int64_t ldc, bool accumulate, int threads);

// out[cols, rows] = in[rows, cols] transposed.
void transpose2d(const float* in, int64_t rows, int64_t cols, float* out);

} // namespace lb::backends::reference
