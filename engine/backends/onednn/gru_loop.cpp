#include "backends/onednn/gru_loop.h"

#include "backends/onednn/rnn_loop_simd.h"
#include "backends/onednn/simd.h"

#include <cstring>
#include <omp.h>

namespace lb::backends::onednn {

using namespace rnnloop;

namespace {

constexpr int64_t kGates = 3;                // ONNX's order: z, r, h
constexpr int64_t kStride = kGates * kBlock; // floats per k in a packed block of R

// h = (1 - z) n + z hPrev, written as n + z (hPrev - n).
__attribute__((target("avx512f"))) inline __m512 blend(__m512 z, __m512 n, __m512 hPrev) {
    return _mm512_fmadd_ps(z, _mm512_sub_ps(hPrev, n), n);
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
        m_projections.addDirection(std::move(rows), std::move(bias));
        m_rbh.push_back(std::move(rbh));
        m_r.push_back(packGates(r + d * gh * hidden, kGates, hidden, hidden));
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
    // Every direction's projections first, then the steps.
    m_projections.run(x, rows, m_input, m_gx);
    m_lastSplit = runDirections(m_dirs, threads, m_blocks, [&](int64_t d, int team) {
        runDirection(d, seq, batch, layout1, h0, y, hT, team);
    });
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
                        dot<kGates, 3>(count, r + jb * hs * kStride, hs, vec, acc);
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
                        dot<kGates, 2>(count, r + jb * hs * kStride, hs, vec, acc);
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
                        // The h gate's rows sit two gates into each packed k; dot<kGates, 1> reads
                        // gate 0 of the pointer it gets, so the pointer moves there.
                        for (int v = 0; v < count; ++v) {
                            vec[v] = rhBuf + (n0 + v) * hs;
                            acc[v][0] = _mm512_loadu_ps(gxRow(t, n0 + v) + jb * kStride +
                                                        2 * kBlock);
                        }
                        dot<kGates, 1>(count, r + jb * hs * kStride + 2 * kBlock, hs, vec, acc);
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
