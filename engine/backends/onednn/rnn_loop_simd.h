#pragma once

// The vector code our LSTM and GRU loops share (lstm_loop.cpp, gru_loop.cpp): the product of one
// 16-unit block of packed R with up to four state vectors, and the gate functions. AVX-512 only
// (the loops' available() checks the CPU). Include in .cpp files only.

#include "backends/onednn/flat_op.h"
#include "backends/onednn/rnn_loop_common.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in fp32_rows.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <immintrin.h>

namespace lb::backends::onednn::rnnloop {

constexpr int64_t kRows = 4; // vectors (batch entries) per pass over the weights

// acc[v][g] += sum_k w[k][g][:] * x[v][k] for the first G gates of one 16-unit block of R packed
// as [k][Gates][16].
template <int Gates, int rows, int G>
__attribute__((target("avx512f"))) void dotBlock(const float* w, int64_t k, const float* const* x,
                                                 __m512 (&out)[kRows][Gates]) {
    constexpr int64_t stride = Gates * kBlock;
    // Local accumulators: __m512 may alias float, so updating `out` in the loop would keep it in
    // memory.
    __m512 acc[rows][G];
    for (int v = 0; v < rows; ++v)
        for (int g = 0; g < G; ++g)
            acc[v][g] = out[v][g];
    if constexpr (rows == 1) {
        // Batch 1: a second set of accumulators over odd k doubles the independent FMA chains.
        __m512 odd[G];
        for (int g = 0; g < G; ++g)
            odd[g] = _mm512_setzero_ps();
        const float* xv = x[0];
        int64_t i = 0;
        for (; i + 1 < k; i += 2) {
            const float* wk = w + i * stride;
            const __m512 a = _mm512_set1_ps(xv[i]), b = _mm512_set1_ps(xv[i + 1]);
            for (int g = 0; g < G; ++g) {
                acc[0][g] = _mm512_fmadd_ps(_mm512_load_ps(wk + g * kBlock), a, acc[0][g]);
                odd[g] = _mm512_fmadd_ps(_mm512_load_ps(wk + stride + g * kBlock), b, odd[g]);
            }
        }
        for (; i < k; ++i) {
            const __m512 a = _mm512_set1_ps(xv[i]);
            for (int g = 0; g < G; ++g)
                acc[0][g] =
                    _mm512_fmadd_ps(_mm512_load_ps(w + i * stride + g * kBlock), a, acc[0][g]);
        }
        for (int g = 0; g < G; ++g)
            acc[0][g] = _mm512_add_ps(acc[0][g], odd[g]);
    } else {
        for (int64_t i = 0; i < k; ++i) {
            const float* wk = w + i * stride;
            __m512 wg[G];
            for (int g = 0; g < G; ++g)
                wg[g] = _mm512_load_ps(wk + g * kBlock);
            for (int v = 0; v < rows; ++v) {
                const __m512 xv = _mm512_set1_ps(x[v][i]);
                for (int g = 0; g < G; ++g)
                    acc[v][g] = _mm512_fmadd_ps(wg[g], xv, acc[v][g]);
            }
        }
    }
    for (int v = 0; v < rows; ++v)
        for (int g = 0; g < G; ++g)
            out[v][g] = acc[v][g];
}

// dotBlock for `rows` (1..kRows) vectors.
template <int Gates, int G = Gates>
__attribute__((target("avx512f"))) void dot(int rows, const float* w, int64_t k,
                                            const float* const* x, __m512 (&acc)[kRows][Gates]) {
    switch (rows) {
    case 1:
        return dotBlock<Gates, 1, G>(w, k, x, acc);
    case 2:
        return dotBlock<Gates, 2, G>(w, k, x, acc);
    case 3:
        return dotBlock<Gates, 3, G>(w, k, x, acc);
    default:
        return dotBlock<Gates, 4, G>(w, k, x, acc);
    }
}

__attribute__((target("avx512f"))) inline __m512 sigmoid(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(one, _mm512_add_ps(one, exp512(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

// tanh(x) = 2 sigmoid(2x) - 1.
__attribute__((target("avx512f"))) inline __m512 tanh512(__m512 x) {
    const __m512 two = _mm512_set1_ps(2.0f);
    return _mm512_sub_ps(_mm512_mul_ps(two, sigmoid(_mm512_mul_ps(two, x))), _mm512_set1_ps(1.0f));
}

} // namespace lb::backends::onednn::rnnloop
