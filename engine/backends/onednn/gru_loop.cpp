#include "backends/onednn/gru_loop.h"

#include "backends/onednn/flat_op.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/simd.h"

// GCC 12 reports the deliberately undefined pass-through operand inside the AVX-512 intrinsics as
// "maybe uninitialized" once they are inlined (as in fp32_rows.cpp).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <algorithm>
#include <cstring>
#include <immintrin.h>
#include <omp.h>

namespace lb::backends::onednn {

namespace {

constexpr int64_t kBlock = 16; // hidden units per block (one AVX-512 vector per gate)
constexpr int64_t kGates = 3;  // ONNX's order: z, r, h
constexpr int64_t kRows = 4;   // vectors (batch entries) per pass over the weights
constexpr int64_t kStride = kGates * kBlock; // floats per k in a packed block of R

// acc[v][g] += sum_k w[k][first + g][:] * x[v][k] for G gates of one 16-unit block of packed R.
template <int rows, int G>
__attribute__((target("avx512f"))) void dotBlock(const float* w, int64_t k, const float* const* x,
                                                 __m512 (&out)[kRows][kGates]) {
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
            const float* wk = w + i * kStride;
            const __m512 a = _mm512_set1_ps(xv[i]), b = _mm512_set1_ps(xv[i + 1]);
            for (int g = 0; g < G; ++g) {
                acc[0][g] = _mm512_fmadd_ps(_mm512_load_ps(wk + g * kBlock), a, acc[0][g]);
                odd[g] = _mm512_fmadd_ps(_mm512_load_ps(wk + kStride + g * kBlock), b, odd[g]);
            }
        }
        for (; i < k; ++i) {
            const __m512 a = _mm512_set1_ps(xv[i]);
            for (int g = 0; g < G; ++g)
                acc[0][g] = _mm512_fmadd_ps(_mm512_load_ps(w + i * kStride + g * kBlock), a,
                                            acc[0][g]);
        }
        for (int g = 0; g < G; ++g)
            acc[0][g] = _mm512_add_ps(acc[0][g], odd[g]);
    } else {
        for (int64_t i = 0; i < k; ++i) {
            const float* wk = w + i * kStride;
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

template <int G>
__attribute__((target("avx512f"))) void dot(int rows, const float* w, int64_t k,
                                            const float* const* x, __m512 (&acc)[kRows][kGates]) {
    switch (rows) {
    case 1:
        return dotBlock<1, G>(w, k, x, acc);
    case 2:
        return dotBlock<2, G>(w, k, x, acc);
    case 3:
        return dotBlock<3, G>(w, k, x, acc);
    default:
        return dotBlock<4, G>(w, k, x, acc);
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

// h = (1 - z) n + z hPrev, written as n + z (hPrev - n).
__attribute__((target("avx512f"))) inline __m512 blend(__m512 z, __m512 n, __m512 hPrev) {
    return _mm512_fmadd_ps(z, _mm512_sub_ps(hPrev, n), n);
}

// [gate rows of 3H][cols] (ONNX, one direction) -> [block][col][gate][16], 64-byte aligned.
Buffer packGates(const float* from, int64_t hidden, int64_t cols) {
    const int64_t blocks = hidden / kBlock;
    Buffer packed;
    float* out = static_cast<float*>(
        packed.reserve(static_cast<size_t>(blocks * cols * kStride) * sizeof(float)));
    for (int64_t jb = 0; jb < blocks; ++jb)
        for (int64_t k = 0; k < cols; ++k)
            for (int64_t g = 0; g < kGates; ++g)
                for (int64_t l = 0; l < kBlock; ++l)
                    out[static_cast<size_t>((jb * cols + k) * kStride + g * kBlock + l)] =
                        from[(g * hidden + jb * kBlock + l) * cols + k];
    return packed;
}

} // namespace

bool GruLoop::available(int64_t hidden) {
    return hidden > 0 && hidden % kBlock == 0 && simdAvailable(Simd::Avx512);
}

GruLoop::GruLoop(int64_t directions, bool reverse, bool linearBeforeReset, int64_t hidden,
                 int64_t input, const float* w, const float* r, const float* b)
    : m_dirs(directions), m_hidden(hidden), m_input(input), m_blocks(hidden / kBlock),
      m_reverse(reverse), m_lbr(linearBeforeReset) {
    const int64_t gh = kGates * hidden;
    for (int64_t d = 0; d < directions; ++d) {
        // W's rows and the biases in the order of the packed gates: output column (block, gate,
        // lane) of the projection is ONNX's row gate * H + block * 16 + lane. B = [Wb, Rb]: Rb's
        // z and r parts always join the projection's bias, its h part only without
        // linear_before_reset (with it, Rbh is added inside r * (R_h h + Rbh)).
        std::vector<float> rows(static_cast<size_t>(gh * input)), bias(static_cast<size_t>(gh));
        std::vector<float> rbh(m_lbr ? static_cast<size_t>(hidden) : 0, 0.0f);
        const float* wb = b ? b + d * 2 * gh : nullptr;
        const float* rb = b ? wb + gh : nullptr;
        for (int64_t jb = 0; jb < m_blocks; ++jb)
            for (int64_t g = 0; g < kGates; ++g)
                for (int64_t l = 0; l < kBlock; ++l) {
                    const int64_t to = (jb * kGates + g) * kBlock + l,
                                  from = g * hidden + jb * kBlock + l;
                    std::memcpy(&rows[static_cast<size_t>(to * input)], w + (d * gh + from) * input,
                                static_cast<size_t>(input) * sizeof(float));
                    const bool rInside = m_lbr && g == 2;
                    bias[static_cast<size_t>(to)] =
                        b ? wb[from] + (rInside ? 0.0f : rb[from]) : 0.0f;
                    if (rInside)
                        rbh[static_cast<size_t>(jb * kBlock + l)] = b ? rb[from] : 0.0f;
                }
        m_wRows.push_back(std::move(rows));
        m_bias.push_back(std::move(bias));
        m_rbh.push_back(std::move(rbh));
        m_r.push_back(packGates(r + d * gh * hidden, hidden, hidden));
    }
    m_gx.resize(static_cast<size_t>(directions));
    m_h.resize(static_cast<size_t>(directions));
    m_zrh.resize(static_cast<size_t>(directions));
}

void GruLoop::run(const float* x, int64_t seq, int64_t batch, bool layout1, const float* h0,
                  float* y, float* hT, int threads) {
    const int64_t rows = seq * batch, gh = kGates * m_hidden;
    for (int64_t d = 0; d < m_dirs; ++d) {
        const size_t i = static_cast<size_t>(d);
        m_gx[i].reserve(static_cast<size_t>(rows * gh) * sizeof(float));
        m_h[i].reserve(static_cast<size_t>(2 * batch * m_hidden) * sizeof(float));
        m_zrh[i].reserve(static_cast<size_t>(2 * batch * m_hidden) * sizeof(float));
    }
    if (rows != m_projRows) {
        // W x + b for every step as one oneDNN matmul (rows = x's rows in its own order); its
        // columns come out in the packed gate order, ready for the steps.
        const auto f32 = memory::data_type::f32;
        using tag = memory::format_tag;
        const dnnl::matmul::desc desc(
            memory::desc({rows, m_input}, f32, tag::ab), memory::desc({m_input, gh}, f32, tag::any),
            memory::desc({1, gh}, f32, tag::ab), memory::desc({rows, gh}, f32, tag::ab));
        m_projPd = dnnl::matmul::primitive_desc(desc, cpuEngine());
        m_proj = dnnl::matmul(m_projPd);
        m_wPacked.resize(static_cast<size_t>(m_dirs));
        for (int64_t d = 0; d < m_dirs; ++d)
            packWeights(m_wPacked[static_cast<size_t>(d)], m_projPd.weights_desc(),
                        memory::desc({m_input, gh}, f32, tag::ba),
                        m_wRows[static_cast<size_t>(d)].data());
        m_projRows = rows;
    }
    // Every direction's projections first (oneDNN threads them itself), then the steps.
    dnnl::engine& eng = cpuEngine();
    for (int64_t d = 0; d < m_dirs; ++d) {
        const size_t i = static_cast<size_t>(d);
        m_proj.execute(cpuStream(),
                       {{DNNL_ARG_SRC, memory(m_projPd.src_desc(), eng, const_cast<float*>(x))},
                        {DNNL_ARG_WEIGHTS, m_wPacked[i]},
                        {DNNL_ARG_BIAS, memory(memory::desc({1, gh}, memory::data_type::f32,
                                                            memory::format_tag::ab),
                                               eng, m_bias[i].data())},
                        {DNNL_ARG_DST, memory(m_projPd.dst_desc(), eng, m_gx[i].data())}});
    }
    cpuStream().wait();
    if (m_dirs == 2 && threads >= 2) {
        // The directions share nothing but x (read) and y (disjoint units), so each runs on its
        // own thread with no barrier; more threads than directions would only add barriers to
        // steps this short.
        m_lastSplit = "directions";
#pragma omp parallel for num_threads(2) schedule(static)
        for (int64_t d = 0; d < 2; ++d)
            runDirection(d, seq, batch, layout1, h0, y, hT, 1);
        return;
    }
    const int team = static_cast<int>(std::clamp<int64_t>(threads, 1, m_blocks));
    m_lastSplit = team > 1 ? "units" : "serial";
    for (int64_t d = 0; d < m_dirs; ++d)
        runDirection(d, seq, batch, layout1, h0, y, hT, team);
}

__attribute__((target("avx512f"))) void GruLoop::runDirection(int64_t d, int64_t seq,
                                                              int64_t batch, bool layout1,
                                                              const float* h0, float* y, float* hT,
                                                              int team) {
    const size_t di = static_cast<size_t>(d);
    const int64_t hs = m_hidden, blocks = m_blocks, state = batch * hs;
    const bool reverse = m_dirs == 2 ? d == 1 : m_reverse;
    const bool lbr = m_lbr;
    const float* r = static_cast<const float*>(m_r[di].data());
    const float* rbh = m_rbh[di].data();
    const float* gx = static_cast<const float*>(m_gx[di].data());
    float* hBuf = static_cast<float*>(m_h[di].data());
    float* zBuf = static_cast<float*>(m_zrh[di].data()); // z [N][H], then r * hPrev [N][H]
    float* rhBuf = zBuf + state;
    if (h0)
        std::memcpy(hBuf, h0 + d * state, static_cast<size_t>(state) * sizeof(float));
    else
        std::fill_n(hBuf, state, 0.0f);
    // The projections' rows follow x's: [T, N] for layout 0, [N, T] for layout 1.
    const auto gxRow = [&](int64_t t, int64_t n) {
        return gx + (layout1 ? n * seq + t : t * batch + n) * blocks * kStride;
    };
    const int64_t dirs = m_dirs;
    const auto yAt = [&](int64_t t, int64_t n) {
        return y + (layout1 ? (n * seq + t) * dirs + d : (t * dirs + d) * batch + n) * hs;
    };

#pragma omp parallel num_threads(team) if (team > 1)
    {
        const int64_t nthr = omp_get_num_threads(), ithr = omp_get_thread_num();
        const int64_t first = ithr * blocks / nthr, last = (ithr + 1) * blocks / nthr;
        __m512 acc[kRows][kGates];
        const float* vec[kRows];
        for (int64_t s = 0; s < seq; ++s) {
            const int64_t t = reverse ? seq - 1 - s : s;
            const float* hPrev = hBuf + (s % 2) * state;
            float* hNext = hBuf + ((s + 1) % 2) * state;
            if (lbr) {
                // n = tanh(Wh x + Wbh + r * (R_h h + Rbh)): all three products read h alone.
                for (int64_t jb = first; jb < last; ++jb) {
                    const int64_t j = jb * kBlock;
                    const __m512 bh = _mm512_loadu_ps(rbh + j);
                    for (int64_t n0 = 0; n0 < batch; n0 += kRows) {
                        const int count = static_cast<int>(std::min(kRows, batch - n0));
                        for (int v = 0; v < count; ++v) {
                            vec[v] = hPrev + (n0 + v) * hs;
                            const float* g0 = gxRow(t, n0 + v) + jb * kStride;
                            acc[v][0] = _mm512_loadu_ps(g0);
                            acc[v][1] = _mm512_loadu_ps(g0 + kBlock);
                            acc[v][2] = bh;
                        }
                        dot<3>(count, r + jb * hs * kStride, hs, vec, acc);
                        for (int v = 0; v < count; ++v) {
                            const int64_t n = n0 + v;
                            const __m512 z = sigmoid(acc[v][0]), rg = sigmoid(acc[v][1]);
                            const __m512 xh = _mm512_loadu_ps(gxRow(t, n) + jb * kStride + 2 * kBlock);
                            const __m512 nn = tanh512(_mm512_fmadd_ps(rg, acc[v][2], xh));
                            const __m512 h = blend(z, nn, _mm512_loadu_ps(hPrev + n * hs + j));
                            _mm512_storeu_ps(hNext + n * hs + j, h);
                            if (y)
                                _mm512_storeu_ps(yAt(t, n) + j, h);
                        }
                    }
                }
            } else {
                // n = tanh(Wh x + Wbh + Rbh + R_h (r * h)): z and r * h of every unit first.
                for (int64_t jb = first; jb < last; ++jb) {
                    const int64_t j = jb * kBlock;
                    for (int64_t n0 = 0; n0 < batch; n0 += kRows) {
                        const int count = static_cast<int>(std::min(kRows, batch - n0));
                        for (int v = 0; v < count; ++v) {
                            vec[v] = hPrev + (n0 + v) * hs;
                            const float* g0 = gxRow(t, n0 + v) + jb * kStride;
                            acc[v][0] = _mm512_loadu_ps(g0);
                            acc[v][1] = _mm512_loadu_ps(g0 + kBlock);
                        }
                        dot<2>(count, r + jb * hs * kStride, hs, vec, acc);
                        for (int v = 0; v < count; ++v) {
                            const int64_t n = n0 + v;
                            _mm512_storeu_ps(zBuf + n * hs + j, sigmoid(acc[v][0]));
                            _mm512_storeu_ps(rhBuf + n * hs + j,
                                             _mm512_mul_ps(sigmoid(acc[v][1]),
                                                           _mm512_loadu_ps(hPrev + n * hs + j)));
                        }
                    }
                }
#pragma omp barrier
                for (int64_t jb = first; jb < last; ++jb) {
                    const int64_t j = jb * kBlock;
                    for (int64_t n0 = 0; n0 < batch; n0 += kRows) {
                        const int count = static_cast<int>(std::min(kRows, batch - n0));
                        // The h gate's rows sit two gates into each packed k; dot<1> reads
                        // gate 0 of the pointer it gets, so the pointer moves there.
                        for (int v = 0; v < count; ++v) {
                            vec[v] = rhBuf + (n0 + v) * hs;
                            acc[v][0] = _mm512_loadu_ps(gxRow(t, n0 + v) + jb * kStride +
                                                        2 * kBlock);
                        }
                        dot<1>(count, r + jb * hs * kStride + 2 * kBlock, hs, vec, acc);
                        for (int v = 0; v < count; ++v) {
                            const int64_t n = n0 + v;
                            const __m512 h =
                                blend(_mm512_loadu_ps(zBuf + n * hs + j), tanh512(acc[v][0]),
                                      _mm512_loadu_ps(hPrev + n * hs + j));
                            _mm512_storeu_ps(hNext + n * hs + j, h);
                            if (y)
                                _mm512_storeu_ps(yAt(t, n) + j, h);
                        }
                    }
                }
            }
#pragma omp barrier
        }
    }
    std::memcpy(hT + d * state, hBuf + (seq % 2) * state,
                static_cast<size_t>(state) * sizeof(float));
}

} // namespace lb::backends::onednn
