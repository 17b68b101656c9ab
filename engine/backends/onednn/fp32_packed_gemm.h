#pragma once

// C[M, N] = A[M, K] * B[K, N] for a constant B much larger than the cache (the PaddleOCR rec
// head: 40x120 by 120x6625, 3.2 MB of weights that arrive cold from memory every inference).
// B is packed once into 48-column panels; each panel is computed for all rows (8-row register
// blocks) while later ones are prefetched, which oneDNN 2.6's matmul does not do. AVX-512 only:
// available() says whether this CPU can run it.

#include <cstdint>
#include <memory>

namespace lb::backends::onednn {

class PackedGemm {
public:
    static bool available();
    // b: K x N row-major.
    PackedGemm(const float* b, int64_t k, int64_t n);
    // c: M x N row-major, a: M x K row-major. Panels are split across `threads` (OpenMP).
    void run(const float* a, int64_t m, float* c, int threads) const;

    int64_t k() const { return m_k; }
    int64_t n() const { return m_n; }

    static constexpr int64_t kPanel = 48;

private:
    int64_t m_k, m_n, m_panels;
    std::shared_ptr<float[]> m_packed; // m_panels x K x kPanel, zero-padded past N
};

} // namespace lb::backends::onednn
