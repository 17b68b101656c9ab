#pragma once

// Row-wise float32 loops the oneDNN backend runs itself where oneDNN 2.6 is slow on the shapes
// these models have: softmax over the last axis (oneDNN's takes 0.23 ms for rec's 40x6625 head)
// and a row vector added to every row of a matrix (the head's bias). AVX-512 when the CPU has
// it, portable loops otherwise; both give the same results up to float rounding.

#include <cstdint>

namespace lb::backends::onednn {

// y[r, :] = softmax(x[r, :]) for `rows` rows of `length` contiguous floats; y may equal x.
void softmaxRows(const float* x, float* y, int64_t rows, int64_t length);

// y[r, :] = a[r, :] + b[:] for `rows` rows of `length` contiguous floats; y may equal a.
void addRowVector(const float* a, const float* b, float* y, int64_t rows, int64_t length);

} // namespace lb::backends::onednn
