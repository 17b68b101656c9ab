#pragma once

// The int8 data kernels' inner loops (int8_data_kernel.cpp, int8_convert_kernel.cpp), with an
// AVX-512 version picked at run time when the CPU has AVX-512 BW (and VBMI for table lookups) and
// a portable one otherwise. Both give the same bytes: the vector code performs the very float32
// operations of quantizeRounded (int8_layout.h) and of the dequantizing product
// (q + offset) * scale, in the same order (intrinsics, so never contracted into FMAs), and the
// portable code reads tables built with those operations.

#include <cstdint>

namespace lb::backends::onednn::vec {

// An 8-bit encoding as the kernels use it: real = (q + offset) * scale; quantizing gives
// quantizeRounded(real, scale, offset, offset + 255) - offset.
struct Byte {
    float scale = 1;
    float offset = 0;
};

// y[i] = quantize_y(real_a(a[i]) + real_b(b[i])). `table` is the portable path's [a * 256 + b]
// table of the same results.
void addBytes(const uint8_t* a, const uint8_t* b, uint8_t* y, int64_t n, Byte ea, Byte eb, Byte ey,
              const uint8_t* table);

// y[i] = table[x[i]] for a 256-entry table.
void lookup(const uint8_t* table, const uint8_t* x, uint8_t* y, int64_t n);

// The squeeze-excitation gate over `pixels` rows of `c` channel bytes (NHWC): with m the
// product's encoding, y = quantize_y(real_x(x) * gate[k]), or with `residual`
// y = quantize_y(real_x(x) + dequantize_m(quantize_m(real_x(x) * gate[k]))).
void gateRows(const uint8_t* x, uint8_t* y, int64_t pixels, int64_t c, const float* gate, Byte ex,
              Byte em, Byte ey, bool residual);

// sums[k] += x[p * c + k] over `pixels` rows (exact).
void channelSums(const uint8_t* x, int64_t pixels, int64_t c, int32_t* sums);

// q[i] = quantizeRounded(x[i], scale, offset, offset + 255) - offset.
void quantizeFloats(const float* x, uint8_t* q, int64_t n, Byte e);

// quantizeFloats from `c` planes of `pixels` floats (NCHW, one image) into NHWC bytes
// y[p * c + k]; the vector path interleaves up to 4 planes in registers.
void quantizePlanes(const float* x, int64_t c, int64_t pixels, uint8_t* y, Byte e);

// Copies `rows` runs of `width` bytes: row r from x + r * xStride to y + r * yStride (xStride 0
// repeats one run).
void copyRows(const uint8_t* x, int64_t xStride, uint8_t* y, int64_t yStride, int64_t rows,
              int64_t width);

// True when the AVX-512 versions run (for tests that want to know which path they checked).
bool vectorPath();

} // namespace lb::backends::onednn::vec
