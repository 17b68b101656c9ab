#pragma once

// The four FlatOp arithmetic steps, scalar and AVX-512 (16 floats), a vector expf, tail masks and
// the threading threshold, for the backend's hand-written loops (fp32_rows.cpp,
// channel_binary.cpp, fp32_pool.cpp, the RNN loops, ...). Internal to the backend.

#include "backends/onednn/fp32_rows.h"

#include <immintrin.h>

namespace lb::backends::onednn {

// Below this many elements a second thread costs more than it saves in these loops.
constexpr int64_t kParallelElements = 1 << 16;

// The first `count` of 16 lanes: none for count <= 0, all from 16 up.
inline __mmask16 lanes(int64_t count) {
    return count >= 16  ? __mmask16(0xffff)
           : count <= 0 ? __mmask16(0)
                        : __mmask16((1u << count) - 1);
}

template <FlatOp op> inline float applyFlat(float a, float b) {
    if constexpr (op == FlatOp::Add)
        return a + b;
    else if constexpr (op == FlatOp::Sub)
        return a - b;
    else if constexpr (op == FlatOp::Mul)
        return a * b;
    else
        return a / b;
}

template <FlatOp op> __attribute__((target("avx512f"))) inline __m512 applyFlat(__m512 a, __m512 b) {
    if constexpr (op == FlatOp::Add)
        return _mm512_add_ps(a, b);
    else if constexpr (op == FlatOp::Sub)
        return _mm512_sub_ps(a, b);
    else if constexpr (op == FlatOp::Mul)
        return _mm512_mul_ps(a, b);
    else
        return _mm512_div_ps(a, b);
}

// Cephes' expf: n = round(x / ln 2), r = x - n ln 2 (in two parts), a degree-6 polynomial for
// e^r on |r| <= ln 2 / 2, then scaled by 2^n. Relative error about 1e-7 over the clamped range.
__attribute__((target("avx512f"))) inline __m512 exp512(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.33654f)), _mm512_set1_ps(88.72283f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

} // namespace lb::backends::onednn
