#pragma once

// What our LSTM and GRU loops (lstm_loop.h, gru_loop.h) share: R packed in 16-unit blocks, the
// input projections of every step as one oneDNN matmul per direction, and how a run splits its
// threads (the vector code they share is in rnn_loop_simd.h). Internal to the backend.

#include "backends/onednn/layout.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace lb::backends::onednn::rnnloop {

constexpr int64_t kBlock = 16; // hidden units per block (one AVX-512 vector per gate)

// [gate rows of gates * H][cols] (ONNX, one direction) -> [block][col][gate][16], 64-byte aligned
// (an unaligned vector load spans two cache lines).
Buffer packGates(const float* from, int64_t gates, int64_t hidden, int64_t cols);

// W x + b of every step as one oneDNN matmul per direction, its columns in the packed gate order
// the steps read ([T*N][block][gate][16]).
class StepProjections {
public:
    // One direction: W's rows [columns][input] and the bias [columns], both in packed gate order.
    void addDirection(std::vector<float> wRows, std::vector<float> bias);
    // out[d] = x W_d^T + b_d for x [rows][input] (rows = x's rows in its own order); out[d] must
    // hold rows * columns floats. oneDNN threads the products itself.
    void run(const float* x, int64_t rows, int64_t input, std::vector<Buffer>& out);

private:
    std::vector<std::vector<float>> m_wRows, m_bias;
    std::vector<memory> m_wPacked;
    int64_t m_rows = -1;
    dnnl::matmul::primitive_desc m_pd;
    dnnl::matmul m_prim;
};

// Runs direction(d, team) for every direction and says how the threads were split: two
// directions with two threads or more run on a thread each ("directions": they share nothing but
// x, read, and y, disjoint units, so no barrier at all); otherwise one after the other, each with
// min(threads, blocks) threads splitting its hidden blocks ("units", or "serial" for one).
template <class Direction>
const char* runDirections(int64_t directions, int threads, int64_t blocks, Direction&& direction) {
    if (directions == 2 && threads >= 2) {
#pragma omp parallel for num_threads(2) schedule(static)
        for (int64_t d = 0; d < 2; ++d)
            direction(d, 1);
        return "directions";
    }
    const int team = static_cast<int>(std::clamp<int64_t>(threads, 1, blocks));
    for (int64_t d = 0; d < directions; ++d)
        direction(d, team);
    return team > 1 ? "units" : "serial";
}

} // namespace lb::backends::onednn::rnnloop
