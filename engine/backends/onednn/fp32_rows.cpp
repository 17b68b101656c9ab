#include "backends/onednn/fp32_rows.h"

#include "backends/onednn/flat_op.h"
#include "backends/onednn/simd.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in int8_vector.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <immintrin.h>
#include <limits>

namespace lb::backends::onednn {

namespace {

bool hasAvx512() {
    return simdAvailable(Simd::Avx512);
}

__attribute__((target("avx512f"))) void softmaxRowsAvx512(const float* x, float* y, int64_t rows,
                                                          int64_t length) {
    const __m512 lowest = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    for (int64_t row = 0; row < rows; ++row, x += length, y += length) {
        __m512 vmax = lowest;
        for (int64_t i = 0; i < length; i += 16)
            vmax = _mm512_max_ps(vmax, _mm512_mask_loadu_ps(lowest, lanes(length - i), x + i));
        const __m512 max = _mm512_set1_ps(_mm512_reduce_max_ps(vmax));
        __m512 vsum = _mm512_setzero_ps();
        for (int64_t i = 0; i < length; i += 16) {
            const __mmask16 m = lanes(length - i);
            const __m512 e = exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), max));
            _mm512_mask_storeu_ps(y + i, m, e);
            vsum = _mm512_mask_add_ps(vsum, m, vsum, e);
        }
        const __m512 scale = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));
        for (int64_t i = 0; i < length; i += 16) {
            const __mmask16 m = lanes(length - i);
            _mm512_mask_storeu_ps(y + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, y + i), scale));
        }
    }
}

__attribute__((target("avx512f"))) void addRowVectorAvx512(const float* a, const float* b, float* y,
                                                           int64_t rows, int64_t length) {
    for (int64_t row = 0; row < rows; ++row, a += length, y += length)
        for (int64_t i = 0; i < length; i += 16) {
            const __mmask16 m = lanes(length - i);
            _mm512_mask_storeu_ps(
                y + i, m,
                _mm512_add_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i)));
        }
}

template <FlatOp op>
__attribute__((target("avx512f"))) void binaryFlatAvx512(const float* a, const float* b, float* y,
                                                         int64_t n, bool scalar) {
    const __m512 s = _mm512_set1_ps(scalar ? b[0] : 0.0f);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = lanes(n - i);
        const __m512 bv = scalar ? s : _mm512_maskz_loadu_ps(m, b + i);
        _mm512_mask_storeu_ps(y + i, m, applyFlat<op>(_mm512_maskz_loadu_ps(m, a + i), bv));
    }
}

__attribute__((target("avx512f"))) void sigmoidFlatAvx512(const float* x, float* y, int64_t n) {
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = lanes(n - i);
        const __m512 e =
            exp512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_maskz_loadu_ps(m, x + i)));
        _mm512_mask_storeu_ps(y + i, m, _mm512_div_ps(one, _mm512_add_ps(one, e)));
    }
}

__attribute__((target("avx512f"))) void layerNormAvx512(const float* x, const float* scale,
                                                        const float* bias, float* y, int64_t rows,
                                                        int64_t length, float epsilon) {
    for (int64_t row = 0; row < rows; ++row, x += length, y += length) {
        __m512 acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < length; i += 16)
            acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(lanes(length - i), x + i));
        const float mean = _mm512_reduce_add_ps(acc) / static_cast<float>(length);
        const __m512 mv = _mm512_set1_ps(mean);
        acc = _mm512_setzero_ps();
        for (int64_t i = 0; i < length; i += 16) {
            const __mmask16 m = lanes(length - i);
            const __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, x + i), mv);
            acc = _mm512_fmadd_ps(d, d, acc);
        }
        const float var = _mm512_reduce_add_ps(acc) / static_cast<float>(length);
        const __m512 inv = _mm512_set1_ps(1.0f / std::sqrt(var + epsilon));
        for (int64_t i = 0; i < length; i += 16) {
            const __mmask16 m = lanes(length - i);
            const __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), mv), inv);
            _mm512_mask_storeu_ps(y + i, m,
                                  _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(m, scale + i),
                                                  _mm512_maskz_loadu_ps(m, bias + i)));
        }
    }
}

} // namespace

void layerNormRows(const float* x, const float* scale, const float* bias, float* y, int64_t rows,
                   int64_t length, float epsilon) {
    if (length <= 0)
        return;
    if (hasAvx512())
        return layerNormAvx512(x, scale, bias, y, rows, length, epsilon);
    for (int64_t row = 0; row < rows; ++row, x += length, y += length) {
        float sum = 0.0f;
        for (int64_t i = 0; i < length; ++i)
            sum += x[i];
        const float mean = sum / static_cast<float>(length);
        float sq = 0.0f;
        for (int64_t i = 0; i < length; ++i)
            sq += (x[i] - mean) * (x[i] - mean);
        const float inv = 1.0f / std::sqrt(sq / static_cast<float>(length) + epsilon);
        for (int64_t i = 0; i < length; ++i)
            y[i] = (x[i] - mean) * inv * scale[i] + bias[i];
    }
}

void binaryFlat(FlatOp op, const float* a, const float* b, float* y, int64_t n, bool scalar) {
    if (hasAvx512()) {
        if (op == FlatOp::Add)
            return binaryFlatAvx512<FlatOp::Add>(a, b, y, n, scalar);
        if (op == FlatOp::Sub)
            return binaryFlatAvx512<FlatOp::Sub>(a, b, y, n, scalar);
        if (op == FlatOp::Mul)
            return binaryFlatAvx512<FlatOp::Mul>(a, b, y, n, scalar);
        return binaryFlatAvx512<FlatOp::Div>(a, b, y, n, scalar);
    }
    for (int64_t i = 0; i < n; ++i) {
        const float bv = b[scalar ? 0 : i];
        y[i] = op == FlatOp::Add   ? a[i] + bv
               : op == FlatOp::Sub ? a[i] - bv
               : op == FlatOp::Mul ? a[i] * bv
                                   : a[i] / bv;
    }
}

void sigmoidFlat(const float* x, float* y, int64_t n) {
    if (hasAvx512())
        return sigmoidFlatAvx512(x, y, n);
    for (int64_t i = 0; i < n; ++i)
        y[i] = 1.0f / (1.0f + std::exp(-x[i]));
}

namespace {

// Rows [first, last) of softmaxRows / addRowVector.
void softmaxRange(const float* x, float* y, int64_t first, int64_t last, int64_t length) {
    x += first * length, y += first * length;
    if (hasAvx512())
        return softmaxRowsAvx512(x, y, last - first, length);
    for (int64_t row = first; row < last; ++row, x += length, y += length) {
        const float max = *std::max_element(x, x + length);
        double sum = 0.0; // one float accumulator over 6625 terms drifted 3e-6 relative
        for (int64_t i = 0; i < length; ++i)
            sum += (y[i] = std::exp(x[i] - max));
        const float scale = static_cast<float>(1.0 / sum);
        for (int64_t i = 0; i < length; ++i)
            y[i] *= scale;
    }
}

void addRowRange(const float* a, const float* b, float* y, int64_t first, int64_t last,
                 int64_t length) {
    a += first * length, y += first * length;
    if (hasAvx512())
        return addRowVectorAvx512(a, b, y, last - first, length);
    for (int64_t row = first; row < last; ++row, a += length, y += length)
        for (int64_t i = 0; i < length; ++i)
            y[i] = a[i] + b[i];
}

// Splits `rows` into one contiguous range per thread when there is enough work.
template <typename F> void forRowRanges(int64_t rows, int64_t length, int threads, F&& f) {
    const int parts = rows * length >= kParallelElements ? std::max(threads, 1) : 1;
    if (parts == 1)
        return f(int64_t{0}, rows);
#pragma omp parallel for num_threads(parts) schedule(static)
    for (int part = 0; part < parts; ++part)
        f(rows * part / parts, rows * (part + 1) / parts);
}

} // namespace

void softmaxRows(const float* x, float* y, int64_t rows, int64_t length, int threads) {
    if (length <= 0)
        return;
    forRowRanges(rows, length, threads,
                 [&](int64_t first, int64_t last) { softmaxRange(x, y, first, last, length); });
}

void addRowVector(const float* a, const float* b, float* y, int64_t rows, int64_t length,
                  int threads) {
    forRowRanges(rows, length, threads,
                 [&](int64_t first, int64_t last) { addRowRange(a, b, y, first, last, length); });
}

} // namespace lb::backends::onednn
