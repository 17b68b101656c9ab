#include "backends/onednn/simd.h"

#include <atomic>

namespace lb::backends::onednn {

namespace {

std::atomic<bool> g_portableOnly{false};

bool detect(Simd level) {
    __builtin_cpu_init();
    const bool f = __builtin_cpu_supports("avx512f");
    if (level == Simd::Avx512)
        return f;
    return f && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512vbmi");
}

} // namespace

bool simdAvailable(Simd level) {
    static const bool f = detect(Simd::Avx512), bytes = detect(Simd::Avx512Byte);
    if (g_portableOnly.load(std::memory_order_relaxed))
        return false;
    return level == Simd::Avx512 ? f : bytes;
}

void usePortableLoops(bool portable) {
    g_portableOnly.store(portable);
}

} // namespace lb::backends::onednn
