#include "backends/onednn/lstm_loop.h"

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
constexpr int64_t kGates = 4;  // ONNX's order: i, o, f, c
constexpr int64_t kRows = 4;   // vectors (steps or batch entries) per pass over the weights

// acc[v][g] += sum_k w[k][g][:] * x[v][k] for one 16-unit block of packed weights.
template <int rows>
__attribute__((target("avx512f"))) void dotBlock(const float* w, int64_t k, const float* const* x,
                                                 __m512 (&out)[kRows][4]) {
    // Local accumulators: __m512 may alias float, so updating `out` in the loop would keep it in
    // memory.
    __m512 acc[rows][4];
    for (int v = 0; v < rows; ++v)
        for (int g = 0; g < 4; ++g)
            acc[v][g] = out[v][g];
    for (int64_t i = 0; i < k; ++i) {
        const float* wk = w + i * kGates * kBlock;
        const __m512 w0 = _mm512_load_ps(wk), w1 = _mm512_load_ps(wk + 16),
                     w2 = _mm512_load_ps(wk + 32), w3 = _mm512_load_ps(wk + 48);
        for (int v = 0; v < rows; ++v) {
            const __m512 xv = _mm512_set1_ps(x[v][i]);
            acc[v][0] = _mm512_fmadd_ps(w0, xv, acc[v][0]);
            acc[v][1] = _mm512_fmadd_ps(w1, xv, acc[v][1]);
            acc[v][2] = _mm512_fmadd_ps(w2, xv, acc[v][2]);
            acc[v][3] = _mm512_fmadd_ps(w3, xv, acc[v][3]);
        }
    }
    for (int v = 0; v < rows; ++v)
        for (int g = 0; g < 4; ++g)
            out[v][g] = acc[v][g];
}

// One vector (batch 1's steps): two sets of accumulators over even and odd k, so that eight
// FMA chains rather than four hide the FMA latency.
template <>
__attribute__((target("avx512f"))) void
dotBlock<1>(const float* w, int64_t k, const float* const* x, __m512 (&out)[kRows][4]) {
    __m512 acc[1][4] = {{out[0][0], out[0][1], out[0][2], out[0][3]}};
    __m512 odd[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    const float* xv = x[0];
    int64_t i = 0;
    for (; i + 1 < k; i += 2) {
        const float* wk = w + i * kGates * kBlock;
        const __m512 a = _mm512_set1_ps(xv[i]), b = _mm512_set1_ps(xv[i + 1]);
        for (int g = 0; g < 4; ++g) {
            acc[0][g] = _mm512_fmadd_ps(_mm512_load_ps(wk + g * kBlock), a, acc[0][g]);
            odd[g] = _mm512_fmadd_ps(_mm512_load_ps(wk + 64 + g * kBlock), b, odd[g]);
        }
    }
    for (; i < k; ++i) {
        const float* wk = w + i * kGates * kBlock;
        const __m512 a = _mm512_set1_ps(xv[i]);
        for (int g = 0; g < 4; ++g)
            acc[0][g] = _mm512_fmadd_ps(_mm512_load_ps(wk + g * kBlock), a, acc[0][g]);
    }
    for (int g = 0; g < 4; ++g)
        out[0][g] = _mm512_add_ps(acc[0][g], odd[g]);
}

__attribute__((target("avx512f"))) void dot(int rows, const float* w, int64_t k,
                                            const float* const* x, __m512 (&acc)[kRows][4]) {
    switch (rows) {
    case 1:
        return dotBlock<1>(w, k, x, acc);
    case 2:
        return dotBlock<2>(w, k, x, acc);
    case 3:
        return dotBlock<3>(w, k, x, acc);
    default:
        return dotBlock<4>(w, k, x, acc);
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

// [gate rows of 4H][cols] (ONNX, one direction) -> [block][col][gate][16], 64-byte aligned (an
// unaligned vector load spans two cache lines).
Buffer packGates(const float* from, int64_t hidden, int64_t cols) {
    const int64_t blocks = hidden / kBlock;
    Buffer packed;
    float* out = static_cast<float*>(
        packed.reserve(static_cast<size_t>(blocks * cols * kGates * kBlock) * sizeof(float)));
    for (int64_t jb = 0; jb < blocks; ++jb)
        for (int64_t k = 0; k < cols; ++k)
            for (int64_t g = 0; g < kGates; ++g)
                for (int64_t l = 0; l < kBlock; ++l)
                    out[static_cast<size_t>(((jb * cols + k) * kGates + g) * kBlock + l)] =
                        from[(g * hidden + jb * kBlock + l) * cols + k];
    return packed;
}

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
        m_wRows.push_back(std::move(rows));
        m_bias.push_back(std::move(bias));
        m_r.push_back(packGates(r + d * gh * hidden, hidden, hidden));
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
    const int64_t rows = seq * batch, gh = kGates * m_hidden;
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
    for (int64_t d = 0; d < m_dirs; ++d)
        m_proj.execute(cpuStream(),
                       {{DNNL_ARG_SRC, memory(m_projPd.src_desc(), eng, const_cast<float*>(x))},
                        {DNNL_ARG_WEIGHTS, m_wPacked[static_cast<size_t>(d)]},
                        {DNNL_ARG_BIAS, memory(memory::desc({1, gh}, memory::data_type::f32,
                                                            memory::format_tag::ab),
                                               eng, m_bias[static_cast<size_t>(d)].data())},
                        {DNNL_ARG_DST,
                         memory(m_projPd.dst_desc(), eng, m_gx[static_cast<size_t>(d)].data())}});
    cpuStream().wait();
    if (m_dirs == 2 && threads >= 2) {
        // Independent directions: each on a thread of its own, no barrier (as gru_loop.cpp).
        // bench/make_rnn_models.py's bilstm (hidden 256, 64 steps) at 2 threads on a loaded
        // machine, best runs: 1.05 ms against 1.11-1.13 with the units split.
        m_lastSplit = "directions";
#pragma omp parallel for num_threads(2) schedule(static)
        for (int64_t d = 0; d < 2; ++d)
            runDirection(d, seq, batch, layout1, h0, c0, y, hT, cT, 1);
        return;
    }
    const int team = static_cast<int>(std::clamp<int64_t>(threads, 1, m_blocks));
    m_lastSplit = team > 1 ? "units" : "serial";
    for (int64_t d = 0; d < m_dirs; ++d)
        runDirection(d, seq, batch, layout1, h0, c0, y, hT, cT, team);
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
                    dot(count, r + jb * hs * kGates * kBlock, hs, vec, acc);
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
