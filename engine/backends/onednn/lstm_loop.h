#pragma once

// ONNX's LSTM (default activations, optional peepholes, no clip, every sequence whole) as our own
// AVX-512 loop, for hidden sizes that are whole 16-unit blocks. Internal to the backend.
//
// Why not oneDNN's lstm_forward at 2 threads: at batch 1 each step is a matrix-vector product
// with R plus the gates' elementwise part, and oneDNN 2.6's gemm-based cell ("ref") splits each
// step's calls anew; it scaled worse than ONNX Runtime from 1 to 2 threads. Here the hidden units
// are split across the threads once: each thread keeps its rows of R (the gates of its units,
// 16-unit blocks) in its own core's cache for the whole sequence, computes their gates and states,
// and the steps run with one barrier each. Two directions with two threads or more run on a
// thread each instead, with no barrier at all. The input projections of all steps (W x + b) are one
// oneDNN matmul first. The measured numbers are in rnn_kernel.cpp, where the loop is chosen.

#include "backends/onednn/rnn_loop_common.h"

#include <cstdint>
#include <vector>

namespace lb::backends::onednn {

class LstmLoop {
public:
    static bool available(int64_t hidden);

    // ONNX's W [D, 4H, I], R [D, 4H, H], B [D, 8H] (or null), P [D, 3H] (or null), gates i, o, f,
    // c.
    LstmLoop(int64_t directions, bool reverse, int64_t hidden, int64_t input, const float* w,
             const float* r, const float* b, const float* p);

    // x in ONNX's layout (0: [T, N, I], 1: [N, T, I]); h0, c0 [D, N, H] (or null for zeros);
    // y (or null) in ONNX's Y layout; hT, cT [D, N, H].
    void run(const float* x, int64_t seq, int64_t batch, bool layout1, const float* h0,
             const float* c0, float* y, float* hT, float* cT, int threads);

    // How the last run split its threads: "directions" (one thread per direction), "units" (the
    // hidden blocks across threads) or "serial".
    const char* lastSplit() const { return m_lastSplit; }

private:
    // The steps of direction d, its input projections in m_gx[d], `team` threads splitting its
    // hidden blocks.
    void runDirection(int64_t d, int64_t seq, int64_t batch, bool layout1, const float* h0,
                      const float* c0, float* y, float* hT, float* cT, int team);

    int64_t m_dirs, m_hidden, m_input, m_blocks;
    bool m_reverse;
    // The input projections (W's rows and the summed biases per direction, in packed gate
    // order); per direction R as [block][k][gate][16] and P [3][H].
    rnnloop::StepProjections m_projections;
    std::vector<std::vector<float>> m_peep;
    std::vector<Buffer> m_r;
    // Per direction: input projections [T*N][block][gate][16]; h double buffer [2][N][H].
    std::vector<Buffer> m_gx, m_h;
    const char* m_lastSplit = "serial";
};

} // namespace lb::backends::onednn
