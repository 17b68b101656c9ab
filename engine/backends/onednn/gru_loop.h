#pragma once

// ONNX's GRU (default activations, no clip, every sequence whole, linear_before_reset 0 or 1) as
// our own AVX-512 loop, for hidden sizes that are whole 16-unit blocks. Internal to the backend.
//
// Why not oneDNN's gru_forward / lbr_gru_forward at 2 threads: at batch 1 each step is a
// matrix-vector product with R plus the gates' elementwise part, too little work to split anew
// every step; oneDNN 2.6's cell ran a bidirectional GRU (hidden 128, 100 steps) slower at 2
// threads than at 1. Here the parallel work is split once per run:
//  - two directions and two threads or more: each direction runs on a thread of its own, start
//    to end, with no synchronisation at all (the directions are independent);
//  - otherwise the hidden units are split across the threads in 16-unit blocks, each thread
//    keeping its rows of R in its own core's cache, with one barrier per step
//    (linear_before_reset 1) or two (0: the reset gate scales h before the product with R_h).
// The input projections of all steps (W x + b) are one oneDNN matmul first, as in lstm_loop.h.
// The measured numbers are in rnn_kernel.cpp, where the loop is chosen.

#include "backends/onednn/rnn_loop_common.h"

#include <cstdint>
#include <vector>

namespace lb::backends::onednn {

class GruLoop {
public:
    static bool available(int64_t hidden);

    // ONNX's W [D, 3H, I], R [D, 3H, H], B [D, 6H] (or null), gates z, r, h.
    GruLoop(int64_t directions, bool reverse, bool linearBeforeReset, int64_t hidden,
            int64_t input, const float* w, const float* r, const float* b);

    // x in ONNX's layout (0: [T, N, I], 1: [N, T, I]); h0 [D, N, H] (or null for zeros); y (or
    // null) in ONNX's Y layout; hT [D, N, H].
    void run(const float* x, int64_t seq, int64_t batch, bool layout1, const float* h0, float* y,
             float* hT, int threads);

    // How the last run split its threads: "directions" (one thread per direction), "units" (the
    // hidden blocks across threads) or "serial".
    const char* lastSplit() const { return m_lastSplit; }

private:
    // The steps of direction d with `team` threads splitting its hidden blocks.
    void runDirection(int64_t d, int64_t seq, int64_t batch, bool layout1, const float* h0,
                      float* y, float* hT, int team);

    int64_t m_dirs, m_hidden, m_input, m_blocks;
    bool m_reverse, m_lbr;
    // The input projections (W's rows and the biases per direction, in packed gate order); per
    // direction R as [block][k][gate][16] and R's h-gate bias (lbr only) [H].
    rnnloop::StepProjections m_projections;
    std::vector<std::vector<float>> m_rbh;
    std::vector<Buffer> m_r;
    // Per direction: input projections [T*N][block][gate][16]; h double buffer [2][N][H]; z and
    // r * h of the current step [2][N][H] (linear_before_reset 0 only).
    std::vector<Buffer> m_gx, m_h, m_zrh;
    const char* m_lastSplit = "serial";
};

} // namespace lb::backends::onednn
