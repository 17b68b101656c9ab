#include "backends/onednn/lstm_loop.h"

#include "backends/onednn/rnn_loop_simd.h"
#include "backends/onednn/simd.h"

#include <cstring>
#include <omp.h>

namespace lb::backends::onednn {

using namespace rnnloop;

namespace {

constexpr int64_t kGates = 4; // ONNX's order: i, o, f, c

} // namespace

bool LstmLoop::available(int64_t hidden) {
    return hidden > 0 && hidden % kBlock == 0 && simdAvailable(Simd::Avx512);
}

LstmLoop::LstmLoop(int64_t directions, bool reverse, int64_t hidden, int64_t input, const float* w,
                   const float* r, const float* b, const float* p)
    : m_dirs(directions), m_hidden(hidden), m_input(input), m_blocks(hidden / kBlock),
      m_reverse(reverse) {
    const int64_t gh = kGates * hidden;
    for (int64_t d = 0; d < directions; ++d) {
        // W's rows and the summed biases in the order of the packed gates: output column
        // (block, gate, lane) of the projection is ONNX's row gate * H + block * 16 + lane.
        std::vector<float> rows(static_cast<size_t>(gh * input)), bias(static_cast<size_t>(gh));
        for (int64_t jb = 0; jb < m_blocks; ++jb)
            for (int64_t g = 0; g < kGates; ++g)
                for (int64_t l = 0; l < kBlock; ++l) {
                    const int64_t to = (jb * kGates + g) * kBlock + l,
                                  from = g * hidden + jb * kBlock + l;
                    std::memcpy(&rows[static_cast<size_t>(to * input)], w + (d * gh + from) * input,
                                static_cast<size_t>(input) * sizeof(float));
                    bias[static_cast<size_t>(to)] =
                        b ? b[d * 2 * gh + from] + b[d * 2 * gh + gh + from] : 0.0f;
                }
        m_projections.addDirection(std::move(rows), std::move(bias));
        m_r.push_back(packGates(r + d * gh * hidden, kGates, hidden, hidden));
        m_peep.push_back(p ? std::vector<float>(p + d * 3 * hidden, p + (d + 1) * 3 * hidden)
                           : std::vector<float>());
    }
}

void LstmLoop::run(const float* x, int64_t seq, int64_t batch, bool layout1, const float* h0,
                   const float* c0, float* y, float* hT, float* cT, int threads) {
    m_gx.resize(static_cast<size_t>(m_dirs));
    m_h.resize(static_cast<size_t>(m_dirs));
    for (int64_t d = 0; d < m_dirs; ++d) {
        m_gx[static_cast<size_t>(d)].reserve(static_cast<size_t>(seq * batch * kGates * m_hidden) *
                                             sizeof(float));
        m_h[static_cast<size_t>(d)].reserve(static_cast<size_t>(2 * batch * m_hidden) *
                                            sizeof(float));
    }
    // Every direction's projections first, then the steps.
    m_projections.run(x, seq * batch, m_input, m_gx);
    m_lastSplit = runDirections(m_dirs, threads, m_blocks, [&](int64_t d, int team) {
        runDirection(d, seq, batch, layout1, h0, c0, y, hT, cT, team);
    });
}

__attribute__((target("avx512f"))) void
LstmLoop::runDirection(int64_t d, int64_t seq, int64_t batch, bool layout1, const float* h0,
                       const float* c0, float* y, float* hT, float* cT, int team) {
    const int64_t hs = m_hidden, blocks = m_blocks, state = batch * hs;
    const bool reverse = m_dirs == 2 ? d == 1 : m_reverse;
    const float* r = static_cast<const float*>(m_r[static_cast<size_t>(d)].data());
    const float* peep =
        m_peep[static_cast<size_t>(d)].empty() ? nullptr : m_peep[static_cast<size_t>(d)].data();
    float* gx = static_cast<float*>(m_gx[static_cast<size_t>(d)].data());
    float* hBuf = static_cast<float*>(m_h[static_cast<size_t>(d)].data());
    float* c = cT + d * state; // the running cell state
    if (h0)
        std::memcpy(hBuf, h0 + d * state, static_cast<size_t>(state) * sizeof(float));
    else
        std::fill_n(hBuf, state, 0.0f);
    if (c0)
        std::memcpy(c, c0 + d * state, static_cast<size_t>(state) * sizeof(float));
    else
        std::fill_n(c, state, 0.0f);
    // The projections' rows follow x's: [T, N] for layout 0, [N, T] for layout 1.
    const auto gxRow = [&](int64_t t, int64_t n) {
        return gx + (layout1 ? n * seq + t : t * batch + n) * blocks * kGates * kBlock;
    };
    const int64_t dirs = m_dirs;
    const auto yAt = [&](int64_t t, int64_t n) {
        return y + (layout1 ? (n * seq + t) * dirs + d : (t * dirs + d) * batch + n) * hs;
    };
#pragma omp parallel num_threads(team) if (team > 1)
    {
        const int64_t nthr = omp_get_num_threads(), ithr = omp_get_thread_num();
        const int64_t first = ithr * blocks / nthr, last = (ithr + 1) * blocks / nthr;
        __m512 acc[kRows][4];
        const float* vec[kRows];
        // The steps: this thread's units of h and c, then a barrier before anyone reads h.
        for (int64_t s = 0; s < seq; ++s) {
            const int64_t t = reverse ? seq - 1 - s : s;
            const float* hPrev = hBuf + (s % 2) * state;
            float* hNext = hBuf + ((s + 1) % 2) * state;
            for (int64_t jb = first; jb < last; ++jb) {
                const int64_t j = jb * kBlock;
                for (int64_t n0 = 0; n0 < batch; n0 += kRows) {
                    const int count = static_cast<int>(std::min(kRows, batch - n0));
                    for (int v = 0; v < count; ++v) {
                        vec[v] = hPrev + (n0 + v) * hs;
                        const float* g0 = gxRow(t, n0 + v) + jb * kGates * kBlock;
                        for (int64_t g = 0; g < kGates; ++g)
                            acc[v][g] = _mm512_loadu_ps(g0 + g * kBlock);
                    }
                    dot<kGates>(count, r + jb * hs * kGates * kBlock, hs, vec, acc);
                    for (int v = 0; v < count; ++v) {
                        const int64_t n = n0 + v;
                        float* cn = c + n * hs + j;
                        const __m512 cPrev = _mm512_loadu_ps(cn);
                        __m512 ai = acc[v][0], ao = acc[v][1], af = acc[v][2];
                        if (peep) {
                            ai = _mm512_fmadd_ps(_mm512_loadu_ps(peep + j), cPrev, ai);
                            af = _mm512_fmadd_ps(_mm512_loadu_ps(peep + 2 * hs + j), cPrev, af);
                        }
                        const __m512 cNew =
                            _mm512_add_ps(_mm512_mul_ps(sigmoid(af), cPrev),
                                          _mm512_mul_ps(sigmoid(ai), tanh512(acc[v][3])));
                        if (peep)
                            ao = _mm512_fmadd_ps(_mm512_loadu_ps(peep + hs + j), cNew, ao);
                        const __m512 h = _mm512_mul_ps(sigmoid(ao), tanh512(cNew));
                        _mm512_storeu_ps(cn, cNew);
                        _mm512_storeu_ps(hNext + n * hs + j, h);
                        if (y)
                            _mm512_storeu_ps(yAt(t, n) + j, h);
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
