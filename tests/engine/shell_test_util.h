// Helpers the tests that drive outside tools (onnxruntime-node, python3) through a shell share.
#pragma once

#include "core/tensor.h"

#include <cstdint>
#include <random>
#include <string>

namespace lb::test {

// One shell word: single-quoted, with embedded single quotes closed, escaped and reopened.
inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// A float32 tensor of uniform values in [-1, 1), the same for the same seed.
inline Tensor randomTensor(const Shape& shape, uint32_t seed) {
    Tensor t(DataType::Float32, shape);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float& v : t.span<float>())
        v = dist(rng);
    return t;
}

} // namespace lb::test
