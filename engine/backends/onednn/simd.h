#pragma once

// Which of the backend's hand-written AVX-512 loops may run (fp32_rows, fp32_packed_gemm,
// int8_vector): the CPU's features, unless a test asked for the portable loops, which must give
// the same results and which an AVX-512 machine would otherwise never execute.

namespace lb::backends::onednn {

enum class Simd {
    Avx512,     // AVX-512 F (the float loops)
    Avx512Byte, // AVX-512 F, BW, VL and VBMI (the uint8 loops)
};

bool simdAvailable(Simd level);

// For tests: true makes simdAvailable() false everywhere until called again with false.
void usePortableLoops(bool portable);

} // namespace lb::backends::onednn
