#pragma once

// The four FlatOp arithmetic steps, scalar and AVX-512 (16 floats), for the backend's
// hand-written elementwise loops (fp32_rows.cpp, channel_binary.cpp). Internal to the backend.

#include "backends/onednn/fp32_rows.h"

#include <immintrin.h>

namespace lb::backends::onednn {

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

} // namespace lb::backends::onednn
