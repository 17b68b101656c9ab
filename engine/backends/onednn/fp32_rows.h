#pragma once

// Row-wise float32 loops the oneDNN backend runs itself where oneDNN 2.6 is slow on the shapes
// these models have: softmax over the last axis (oneDNN's takes 0.23 ms for rec's 40x6625 head)
// a row vector added to every row of a matrix (the head's bias), and the small elementwise ops
// where a oneDNN primitive's fixed cost per call (3-5 us) is most of their time. AVX-512 when the
// CPU has it, portable loops otherwise; both give the same results up to float rounding.

#include <cstdint>

namespace lb::backends::onednn {

// y[r, :] = softmax(x[r, :]) for `rows` rows of `length` contiguous floats; y may equal x.
// Large inputs are split by rows across `threads` (OpenMP).
void softmaxRows(const float* x, float* y, int64_t rows, int64_t length, int threads);

// y[r, :] = a[r, :] + b[:] for `rows` rows of `length` contiguous floats; y may equal a.
void addRowVector(const float* a, const float* b, float* y, int64_t rows, int64_t length,
                  int threads);

enum class FlatOp { Add, Sub, Mul, Div };
// y[i] = a[i] op b[i] (or op b[0] when `scalar`) for i < n; y may equal a or b.
void binaryFlat(FlatOp op, const float* a, const float* b, float* y, int64_t n, bool scalar);

// Layer normalization of `rows` rows of `length` floats: y = (x - mean) / sqrt(var + epsilon) *
// scale + bias (two passes for mean and variance, as the reference computes them).
void layerNormRows(const float* x, const float* scale, const float* bias, float* y, int64_t rows,
                   int64_t length, float epsilon);

// y[i] = 1 / (1 + exp(-x[i])) for i < n; y may equal x.
void sigmoidFlat(const float* x, float* y, int64_t n);

} // namespace lb::backends::onednn
