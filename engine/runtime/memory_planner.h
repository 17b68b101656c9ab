#pragma once

#include <cstdint>
#include <vector>

namespace lb::runtime {

// A buffer that must exist from step `first` to step `last` (inclusive).
struct BufferRequest {
    int64_t bytes = 0;
    int32_t first = 0;
    int32_t last = 0;
};

struct MemoryPlan {
    std::vector<int64_t> offsets; // per request, into one arena
    int64_t arenaBytes = 0;
    int64_t naiveBytes = 0; // sum of all requests (each rounded to the alignment)
};

// Greedy by size: the largest buffers are placed first at the lowest offset that does not
// overlap, in time and space, any buffer already placed. Offsets are aligned to `alignment`.
MemoryPlan planMemory(const std::vector<BufferRequest>& requests, int64_t alignment = 64);

} // namespace lb::runtime
