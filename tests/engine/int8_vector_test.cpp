// The int8 data kernels' vector loops (backends/onednn/int8_vector.h) against the scalar rule
// they must reproduce bit for bit: quantizeRounded (float32 division, round half to even,
// saturate) of float32 sums and products of dequantized bytes. Inputs cover every byte value and
// encodings chosen so that many results land exactly on or next to half-integers, where the
// vector code's product-with-the-inverse shortcut has to fall back to the division.
#include "backends/onednn/int8_layout.h"
#include "backends/onednn/int8_vector.h"
#include "backends/onednn/simd.h"

#include <catch2/catch.hpp>
#include <random>
#include <vector>

using namespace lb::backends::onednn;
using vec::Byte;

namespace {

uint8_t quantizeByte(float real, Byte e) {
    return static_cast<uint8_t>(static_cast<int32_t>(
        quantizeRounded(real, e.scale, e.offset, e.offset + 255.0f) - e.offset));
}
float realOf(int v, Byte e) {
    return static_cast<float>(v + static_cast<int>(e.offset)) * e.scale;
}

// Encodings: random ones, and ones whose scales are simple ratios of each other (sums then fall
// on exact half-steps of the output grid).
std::vector<Byte> encodings(std::mt19937& rng) {
    std::uniform_real_distribution<float> scale(0.001f, 0.2f);
    std::uniform_int_distribution<int> offset(-255, 0);
    std::vector<Byte> out{{0.1f, -128}, {0.05f, -100}, {0.2f, 0}, {0.025f, -255}, {0.3f, -7}};
    for (int k = 0; k < 12; ++k)
        out.push_back({scale(rng), static_cast<float>(offset(rng))});
    return out;
}

// Each case runs twice: the AVX-512 loops (where the CPU has them) and the portable ones.
struct Paths {
    explicit Paths(bool portable) { usePortableLoops(portable); }
    ~Paths() { usePortableLoops(false); }
};

} // namespace

TEST_CASE("int8 vector: add, lookup and quantize give the scalar rule's bytes") {
    const bool portable = GENERATE(false, true);
    const Paths paths(portable);
    INFO("AVX-512 path: " << vec::vectorPath());
    if (portable)
        REQUIRE_FALSE(vec::vectorPath());
    std::mt19937 rng(11);
    const std::vector<Byte> enc = encodings(rng);
    // All 65536 byte pairs, plus an odd tail length.
    std::vector<uint8_t> a(65536 + 13), b(a.size()), y(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
        a[i] = static_cast<uint8_t>(i >> 8);
        b[i] = static_cast<uint8_t>(i);
    }
    size_t checked = 0;
    for (size_t i = 0; i + 2 < enc.size(); ++i) {
        const Byte ea = enc[i], eb = enc[i + 1], ey = enc[i + 2];
        std::vector<uint8_t> table(65536);
        for (int u = 0; u < 256; ++u)
            for (int v = 0; v < 256; ++v)
                table[u * 256 + v] = quantizeByte(realOf(u, ea) + realOf(v, eb), ey);
        vec::addBytes(a.data(), b.data(), y.data(), static_cast<int64_t>(a.size()), ea, eb, ey,
                      table.data());
        for (size_t k = 0; k < a.size(); ++k) {
            const uint8_t want = table[a[k] * 256 + b[k]];
            if (y[k] != want)
                FAIL_CHECK("add " << int(a[k]) << " + " << int(b[k]) << ": " << int(y[k])
                                  << " != " << int(want) << " (encodings " << i << ")");
            ++checked;
        }
    }
    CHECK(checked > 900000);

    // quantizeFloats: values exactly on, just below and just above half-steps of the grid.
    for (const Byte& e : enc) {
        std::vector<float> x;
        for (int q = -300; q < 600; ++q) {
            const float h = (static_cast<float>(q) + 0.5f) * e.scale;
            x.insert(x.end(), {h, std::nextafter(h, -1e9f), std::nextafter(h, 1e9f),
                               static_cast<float>(q) * e.scale});
        }
        std::vector<uint8_t> got(x.size());
        vec::quantizeFloats(x.data(), got.data(), static_cast<int64_t>(x.size()), e);
        for (size_t k = 0; k < x.size(); ++k)
            REQUIRE(int(got[k]) == int(quantizeByte(x[k], e)));
    }

    // quantizePlanes: NCHW planes to NHWC bytes, 1-4 planes in registers, 5 the portable way.
    std::uniform_real_distribution<float> value(-3.0f, 20.0f);
    for (int64_t c = 1; c <= 5; ++c)
        for (int64_t pixels : {1, 16, 37, 300}) {
            std::vector<float> planes(c * pixels);
            for (auto& v : planes)
                v = value(rng);
            std::vector<uint8_t> got(c * pixels + 1, 77);
            vec::quantizePlanes(planes.data(), c, pixels, got.data(), enc[c]);
            for (int64_t p = 0; p < pixels; ++p)
                for (int64_t k = 0; k < c; ++k)
                    REQUIRE(int(got[p * c + k]) ==
                            int(quantizeByte(planes[k * pixels + p], enc[c])));
            REQUIRE(got.back() == 77);
        }

    // lookup: a random table over every byte, unaligned lengths.
    std::vector<uint8_t> table(256), x(1000), out(1000);
    for (auto& t : table)
        t = static_cast<uint8_t>(rng());
    for (size_t k = 0; k < x.size(); ++k)
        x[k] = static_cast<uint8_t>(k * 7);
    for (int64_t n : {1, 63, 64, 65, 1000}) {
        std::fill(out.begin(), out.end(), 0);
        vec::lookup(table.data(), x.data(), out.data(), n);
        for (int64_t k = 0; k < n; ++k)
            REQUIRE(out[k] == table[x[k]]);
        if (n < 1000)
            REQUIRE(out[n] == 0); // nothing written past the end
    }
}

TEST_CASE("int8 vector: the squeeze-excitation gate and channel sums") {
    const bool portable = GENERATE(false, true);
    const Paths paths(portable);
    INFO("AVX-512 path: " << vec::vectorPath());
    std::mt19937 rng(5);
    const std::vector<Byte> enc = encodings(rng);
    for (int64_t c : {16, 24, 96, 7}) {
        for (int64_t pixels : {3, 300, 2000}) { // both the direct and the table path
            std::vector<uint8_t> x(pixels * c), y(x.size());
            for (auto& v : x)
                v = static_cast<uint8_t>(rng());
            std::vector<float> gate(c);
            for (int64_t k = 0; k < c; ++k)
                gate[k] = realOf(static_cast<int>(rng() % 256), {1.0f / 255, 0});
            for (bool residual : {false, true}) {
                const Byte ex = enc[c % enc.size()], em = enc[(c + 1) % enc.size()],
                           ey = enc[(c + 2) % enc.size()];
                vec::gateRows(x.data(), y.data(), pixels, c, gate.data(), ex, em, ey, residual);
                for (int64_t p = 0; p < pixels; ++p)
                    for (int64_t k = 0; k < c; ++k) {
                        const float xr = realOf(x[p * c + k], ex), prod = xr * gate[k];
                        const float m =
                            quantizeRounded(prod, em.scale, em.offset, em.offset + 255.0f);
                        const uint8_t want =
                            residual ? quantizeByte(xr + m * em.scale, ey) : quantizeByte(prod, ey);
                        REQUIRE(int(y[p * c + k]) == int(want));
                    }
            }
            std::vector<int32_t> sums(c, 5), want(c, 5);
            vec::channelSums(x.data(), pixels, c, sums.data());
            for (int64_t p = 0; p < pixels; ++p)
                for (int64_t k = 0; k < c; ++k)
                    want[k] += x[p * c + k];
            REQUIRE(sums == want);
        }
    }
}

TEST_CASE("int8 vector: copyRows copies strided runs and repeats one") {
    const bool portable = GENERATE(false, true);
    const Paths paths(portable);
    std::vector<uint8_t> x(200), y(400, 0);
    for (size_t k = 0; k < x.size(); ++k)
        x[k] = static_cast<uint8_t>(k + 1);
    vec::copyRows(x.data(), 24, y.data(), 96, 3, 24);
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 96; ++k)
            REQUIRE(y[r * 96 + k] == (k < 24 ? x[r * 24 + k] : 0));
    std::fill(y.begin(), y.end(), 0);
    vec::copyRows(x.data(), 0, y.data(), 70, 4, 70); // one 70-byte run, 4 times
    for (int r = 0; r < 4; ++r)
        for (int k = 0; k < 70; ++k)
            REQUIRE(y[r * 70 + k] == x[k]);
    REQUIRE(y[280] == 0);
}
