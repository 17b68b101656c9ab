#include "backends/onednn/int8_vector.h"

#include "backends/onednn/flat_op.h"
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/simd.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 conversion
// intrinsics as "maybe uninitialized" once they are inlined into OpenMP regions.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cmath>
#include <immintrin.h>
#include <vector>

namespace lb::backends::onednn::vec {

namespace {

inline uint8_t quantizeByte(float real, Byte e) {
    return static_cast<uint8_t>(static_cast<int32_t>(
        quantizeRounded(real, e.scale, e.offset, e.offset + 255.0f) - e.offset));
}

inline float realOf(int v, Byte e) {
    return static_cast<float>(v + static_cast<int>(e.offset)) * e.scale;
}

// ---- AVX-512 -------------------------------------------------------------------------------

#define LB_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi")))

// An encoding's constants in vector registers, made once per call (inside the loops the byte
// stores could alias anything the compiler would otherwise reload).
struct Enc16 {
    __m512 scale, inverse, lo, hi;
    __m512i offset;
};

LB_AVX512 inline Enc16 enc16(Byte e) {
    return {_mm512_set1_ps(e.scale), _mm512_set1_ps(1.0f / e.scale), _mm512_set1_ps(e.offset),
            _mm512_set1_ps(e.offset + 255.0f), _mm512_set1_epi32(static_cast<int>(e.offset))};
}

// 16 bytes -> their reals (float(q + offset) * scale).
LB_AVX512 inline __m512 realOf16(__m128i q, const Enc16& e) {
    const __m512i v = _mm512_add_epi32(_mm512_cvtepu8_epi32(q), e.offset);
    return _mm512_mul_ps(_mm512_cvtepi32_ps(v), e.scale);
}

// quantizeRounded(x, scale, offset, offset + 255): q + offset as an integer-valued float. The
// division is a product with 1 / scale, which is within 3 * 2^-24 relative of it: the result can
// round differently only where the product lies that close to a half-integer (|v| <= 512 in the
// clamp's range: 2^-12 covers it), and those lanes take the division itself.
LB_AVX512 inline __m512 rounded16(__m512 x, const Enc16& e) {
    const __m512 magic = _mm512_set1_ps(12582912.0f);
    __m512 v = _mm512_mul_ps(x, e.inverse);
    const __m512 frac =
        _mm512_sub_ps(v, _mm512_roundscale_ps(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
    const __mmask16 near =
        _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(frac, _mm512_set1_ps(0.5f))),
                           _mm512_set1_ps(1.0f / 4096.0f), _CMP_LE_OQ);
    if (near)
        v = _mm512_mask_div_ps(v, near, x, e.scale);
    // min(hi, v): a NaN v stays NaN here (MINPS returns its second operand), and max then gives lo:
    // NaN quantizes to the byte 0, as ops::quantizeValue says.
    v = _mm512_max_ps(_mm512_min_ps(e.hi, v), e.lo);
    return _mm512_sub_ps(_mm512_add_ps(v, magic), magic);
}

// The bytes of 16 rounded values (in 0..255 after the clamp): the low byte of each 32-bit lane,
// gathered with a byte permute (a down-converting store is slow on some AVX-512 CPUs).
LB_AVX512 inline __m128i byte16(__m512 rounded, const Enc16& e) {
    const __m512i q = _mm512_sub_epi32(_mm512_cvtps_epi32(rounded), e.offset);
    const __m512i lowBytes = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3c383430,
                                              0x2c282420, 0x1c181410, 0x0c080400);
    return _mm512_castsi512_si128(_mm512_permutexvar_epi8(lowBytes, q));
}

// The sum's quotient a * (s_a / s_y) + b * (s_b / s_y) + c with two FMAs: within `tolerance` of
// the simulation's fl(fl(real_a + real_b) / s_y) (a bound of 16 ulps of the largest term), so it
// rounds the same way except within that distance of a half-integer, where the lanes compute the
// simulation's own sum and division.
LB_AVX512 void addBytes512(const uint8_t* a, const uint8_t* b, uint8_t* y, int64_t n, Byte ba,
                           Byte bb, Byte by) {
    const Enc16 ea = enc16(ba), eb = enc16(bb), ey = enc16(by);
    const double ka = double(ba.scale) / by.scale, kb = double(bb.scale) / by.scale,
                 c = (double(ba.offset) * ba.scale + double(bb.offset) * bb.scale) / by.scale;
    const float tolerance = static_cast<float>(
        (256.0 * (std::abs(ka) + std::abs(kb)) + std::abs(c) + 512.0) / double(1 << 20));
    const __m512 vka = _mm512_set1_ps(float(ka)), vkb = _mm512_set1_ps(float(kb)),
                 vc = _mm512_set1_ps(float(c)), vtol = _mm512_set1_ps(tolerance),
                 half = _mm512_set1_ps(0.5f), magic = _mm512_set1_ps(12582912.0f);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = lanes(n - i);
        const __m128i qa = _mm_maskz_loadu_epi8(m, a + i), qb = _mm_maskz_loadu_epi8(m, b + i);
        const __m512 fa = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(qa));
        const __m512 fb = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(qb));
        __m512 v = _mm512_fmadd_ps(fa, vka, _mm512_fmadd_ps(fb, vkb, vc));
        const __m512 frac =
            _mm512_sub_ps(v, _mm512_roundscale_ps(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
        const __mmask16 near =
            _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(frac, half)), vtol, _CMP_LE_OQ);
        if (near) {
            const __m512 sum = _mm512_add_ps(realOf16(qa, ea), realOf16(qb, eb));
            v = _mm512_mask_div_ps(v, near, sum, ey.scale);
        }
        v = _mm512_max_ps(_mm512_min_ps(ey.hi, v), ey.lo); // NaN -> lo, as above
        v = _mm512_sub_ps(_mm512_add_ps(v, magic), magic);
        _mm_mask_storeu_epi8(y + i, m, byte16(v, ey));
    }
}

LB_AVX512 void lookup512(const uint8_t* table, const uint8_t* x, uint8_t* y, int64_t n) {
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64),
                  t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i += 64) {
        const __mmask64 m = n - i >= 64 ? ~__mmask64(0) : (__mmask64(1) << (n - i)) - 1;
        const __m512i idx = _mm512_maskz_loadu_epi8(m, x + i);
        const __m512i low = _mm512_permutex2var_epi8(t0, idx, t1);
        const __m512i high = _mm512_permutex2var_epi8(t2, idx, t3);
        _mm512_mask_storeu_epi8(y + i, m,
                                _mm512_mask_blend_epi8(_mm512_movepi8_mask(idx), low, high));
    }
}

LB_AVX512 void gateRows512(const uint8_t* x, uint8_t* y, int64_t pixels, int64_t c,
                           const float* gate, Byte bx, Byte bm, Byte by, bool residual) {
    const Enc16 ex = enc16(bx), em = enc16(bm), ey = enc16(by);
#pragma omp parallel for schedule(static)
    for (int64_t p = 0; p < pixels; ++p)
        for (int64_t k = 0; k < c; k += 16) {
            const __mmask16 m = lanes(c - k);
            const __m512 xr = realOf16(_mm_maskz_loadu_epi8(m, x + p * c + k), ex);
            const __m512 prod = _mm512_mul_ps(xr, _mm512_maskz_loadu_ps(m, gate + k));
            const __m512 out =
                residual
                    ? rounded16(_mm512_add_ps(xr, _mm512_mul_ps(rounded16(prod, em), em.scale)), ey)
                    : rounded16(prod, ey);
            _mm_mask_storeu_epi8(y + p * c + k, m, byte16(out, ey));
        }
}

// Up to 64 channels at a time with their sums in registers across all pixels.
LB_AVX512 void channelSums512(const uint8_t* x, int64_t pixels, int64_t c, int32_t* sums) {
    for (int64_t k0 = 0; k0 < c; k0 += 64) {
        __mmask16 m[4];
        __m512i acc[4];
        for (int j = 0; j < 4; ++j) {
            m[j] = lanes(std::max<int64_t>(0, c - k0 - 16 * j));
            acc[j] = _mm512_maskz_loadu_epi32(m[j], sums + k0 + 16 * j);
        }
        const int blocks = static_cast<int>(std::min<int64_t>(4, (c - k0 + 15) / 16));
        const uint8_t* src = x + k0;
        if (blocks == 4 && c - k0 >= 64) {
            __m512i a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
            for (int64_t p = 0; p < pixels; ++p, src += c) {
                a0 = _mm512_add_epi32(a0,
                                      _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)src)));
                a1 = _mm512_add_epi32(
                    a1, _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)(src + 16))));
                a2 = _mm512_add_epi32(
                    a2, _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)(src + 32))));
                a3 = _mm512_add_epi32(
                    a3, _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i*)(src + 48))));
            }
            acc[0] = a0, acc[1] = a1, acc[2] = a2, acc[3] = a3;
        } else {
            for (int64_t p = 0; p < pixels; ++p, src += c)
                for (int j = 0; j < blocks; ++j)
                    acc[j] = _mm512_add_epi32(
                        acc[j], _mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(m[j], src + 16 * j)));
        }
        for (int j = 0; j < blocks; ++j)
            _mm512_mask_storeu_epi32(sums + k0 + 16 * j, m[j], acc[j]);
    }
}

LB_AVX512 void quantizeFloats512(const float* x, uint8_t* q, int64_t n, Byte b) {
    const Enc16 e = enc16(b);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = lanes(n - i);
        _mm_mask_storeu_epi8(q + i, m, byte16(rounded16(_mm512_maskz_loadu_ps(m, x + i), e), e));
    }
}

// c <= 4 planes: 16 pixels of each plane quantized into one register's 16-byte lanes, then one
// byte permute puts them in pixel order.
LB_AVX512 void quantizePlanes512(const float* x, int64_t c, int64_t pixels, uint8_t* y, Byte b) {
    const Enc16 e = enc16(b);
    alignas(64) uint8_t order[64] = {};
    for (int j = 0; j < 16 * c; ++j)
        order[j] = static_cast<uint8_t>((j % c) * 16 + j / c);
    const __m512i perm = _mm512_load_si512(order);
#pragma omp parallel for schedule(static)
    for (int64_t p = 0; p < pixels; p += 16) {
        const __mmask16 m = lanes(pixels - p);
        __m512i all = _mm512_setzero_si512();
        for (int64_t k = 0; k < c; ++k) {
            const __m128i q = byte16(rounded16(_mm512_maskz_loadu_ps(m, x + k * pixels + p), e), e);
            switch (k) { // the lane index must be a constant
            case 0:
                all = _mm512_inserti32x4(all, q, 0);
                break;
            case 1:
                all = _mm512_inserti32x4(all, q, 1);
                break;
            case 2:
                all = _mm512_inserti32x4(all, q, 2);
                break;
            default:
                all = _mm512_inserti32x4(all, q, 3);
            }
        }
        const int64_t n = std::min<int64_t>(16, pixels - p) * c;
        const __mmask64 store = n >= 64 ? ~__mmask64(0) : (__mmask64(1) << n) - 1;
        _mm512_mask_storeu_epi8(y + p * c, store, _mm512_permutexvar_epi8(perm, all));
    }
}

LB_AVX512 void copyRows512(const uint8_t* x, int64_t xStride, uint8_t* y, int64_t yStride,
                           int64_t rows, int64_t width) {
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t i = 0; i < width; i += 64) {
            const __mmask64 m = width - i >= 64 ? ~__mmask64(0) : (__mmask64(1) << (width - i)) - 1;
            _mm512_mask_storeu_epi8(y + r * yStride + i, m,
                                    _mm512_maskz_loadu_epi8(m, x + r * xStride + i));
        }
}

} // namespace

bool vectorPath() {
    return simdAvailable(Simd::Avx512Byte);
}

void addBytes(const uint8_t* a, const uint8_t* b, uint8_t* y, int64_t n, Byte ea, Byte eb, Byte ey,
              const uint8_t* table) {
    if (vectorPath())
        return addBytes512(a, b, y, n, ea, eb, ey);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i)
        y[i] = table[a[i] * 256 + b[i]];
}

void lookup(const uint8_t* table, const uint8_t* x, uint8_t* y, int64_t n) {
    if (vectorPath())
        return lookup512(table, x, y, n);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i)
        y[i] = table[x[i]];
}

void gateRows(const uint8_t* x, uint8_t* y, int64_t pixels, int64_t c, const float* gate, Byte ex,
              Byte em, Byte ey, bool residual) {
    // Few pixels: the arithmetic directly. Many: each channel's 256 results once, then a byte
    // lookup per element, which measured 1.6x faster than the arithmetic on 160x160x96.
    if (vectorPath() && pixels <= 1024)
        return gateRows512(x, y, pixels, c, gate, ex, em, ey, residual);
    std::vector<uint8_t> tables(static_cast<size_t>(c) * 256); // [k * 256 + v]
    if (vectorPath()) {
        std::vector<uint8_t> ramp(tables.size()), byPixel(tables.size());
        for (int v = 0; v < 256; ++v)
            std::fill_n(ramp.begin() + v * c, c, static_cast<uint8_t>(v));
        gateRows512(ramp.data(), byPixel.data(), 256, c, gate, ex, em, ey, residual);
        for (int v = 0; v < 256; ++v)
            for (int64_t k = 0; k < c; ++k)
                tables[k * 256 + v] = byPixel[v * c + k];
    } else {
        for (int64_t k = 0; k < c; ++k)
            for (int v = 0; v < 256; ++v) {
                const float xr = realOf(v, ex), prod = xr * gate[k];
                const float m = quantizeRounded(prod, em.scale, em.offset, em.offset + 255.0f);
                tables[k * 256 + v] =
                    residual ? quantizeByte(xr + m * em.scale, ey) : quantizeByte(prod, ey);
            }
    }
    const uint8_t* t = tables.data();
#pragma omp parallel for schedule(static)
    for (int64_t p = 0; p < pixels; ++p) {
        const uint8_t* src = x + p * c;
        uint8_t* dst = y + p * c;
        for (int64_t k = 0; k < c; ++k)
            dst[k] = t[k * 256 + src[k]];
    }
}

void channelSums(const uint8_t* x, int64_t pixels, int64_t c, int32_t* sums) {
    if (vectorPath())
        return channelSums512(x, pixels, c, sums);
    for (int64_t p = 0; p < pixels; ++p)
        for (int64_t k = 0; k < c; ++k)
            sums[k] += x[p * c + k];
}

void copyRows(const uint8_t* x, int64_t xStride, uint8_t* y, int64_t yStride, int64_t rows,
              int64_t width) {
    if (vectorPath())
        return copyRows512(x, xStride, y, yStride, rows, width);
    for (int64_t r = 0; r < rows; ++r)
        std::copy_n(x + r * xStride, width, y + r * yStride);
}

void quantizePlanes(const float* x, int64_t c, int64_t pixels, uint8_t* y, Byte e) {
    if (vectorPath() && c <= 4)
        return quantizePlanes512(x, c, pixels, y, e);
#pragma omp parallel for schedule(static)
    for (int64_t p = 0; p < pixels; ++p)
        for (int64_t k = 0; k < c; ++k)
            y[p * c + k] = quantizeByte(x[k * pixels + p], e);
}

void quantizeFloats(const float* x, uint8_t* q, int64_t n, Byte e) {
    if (vectorPath())
        return quantizeFloats512(x, q, n, e);
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; ++i)
        q[i] = quantizeByte(x[i], e);
}

} // namespace lb::backends::onednn::vec
