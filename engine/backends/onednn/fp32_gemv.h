#pragma once

// Y[M, N] = A[M, K] * W + bias for a few rows (M <= kMaxRows) against a constant W: the classifier
// Gemm at batch 1 (ResNet-50's 2048 -> 1000, 8 MB that arrive from memory every inference). W is
// stored once as N rows of K (zero-padded to 16), so each output is a dot product over one
// contiguous row and the M rows of A share one pass over the weights; oneDNN 2.6's matmul spends
// 1.14 ms on ResNet-50's where ONNX Runtime spends 0.55-0.65 (bench/RESULTS.md). AVX-512 only:
// available() says whether this CPU can run it.

#include "backends/onednn/op_attrs.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace lb::backends::onednn {

class PackedGemv {
public:
    static constexpr int64_t kMaxRows = 4;

    static bool available();
    // Whether applyActivation() computes every step (the activations FusedGemm / FusedMatMul
    // carry).
    static bool supports(const std::vector<EltwiseStep>& steps);

    // w scaled by alpha: K x N row-major when !wIsNxK (ONNX's B), N x K row-major when wIsNxK
    // (Gemm with transB = 1).
    PackedGemv(const float* w, int64_t k, int64_t n, bool wIsNxK, float alpha);

    // y[r, :] = steps(a[r, :] * W + bias[:]) for r < m (m <= kMaxRows); y: m x N, a: m x K, both
    // row-major; bias N values or null. N is split across `threads` (OpenMP).
    void run(const float* a, int64_t m, float* y, const float* bias,
             const std::vector<EltwiseStep>& steps, int threads) const;

    int64_t k() const { return m_k; }
    int64_t n() const { return m_n; }

private:
    int64_t m_k, m_n, m_ldw;      // m_ldw: K rounded up to 16
    std::shared_ptr<float[]> m_w; // N x m_ldw, zero-padded
};

// Applies the eltwise steps to y[0, n) as oneDNN's post-ops would (PackedGemv::supports()).
void applyActivation(float* y, int64_t n, const std::vector<EltwiseStep>& steps);

} // namespace lb::backends::onednn
