#include "runtime/memory_planner.h"

#include <algorithm>
#include <numeric>

namespace lb::runtime {

MemoryPlan planMemory(const std::vector<BufferRequest>& requests, int64_t alignment) {
    MemoryPlan plan;
    plan.offsets.assign(requests.size(), 0);
    auto rounded = [&](int64_t bytes) { return (bytes + alignment - 1) / alignment * alignment; };

    std::vector<size_t> order(requests.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return requests[a].bytes > requests[b].bytes; });

    struct Placed {
        int64_t offset;
        int64_t end;
        int32_t first;
        int32_t last;
    };
    std::vector<Placed> placed; // kept sorted by offset
    placed.reserve(requests.size());
    for (size_t idx : order) {
        const BufferRequest& r = requests[idx];
        const int64_t size = rounded(r.bytes);
        plan.naiveBytes += size;
        // Walk placed buffers that live at the same time, in offset order, and take the first
        // gap large enough.
        int64_t candidate = 0;
        for (const Placed& p : placed) {
            if (p.last < r.first || p.first > r.last)
                continue;
            if (p.offset - candidate >= size)
                break;
            candidate = std::max(candidate, p.end);
        }
        plan.offsets[idx] = candidate;
        plan.arenaBytes = std::max(plan.arenaBytes, candidate + size);
        Placed entry{candidate, candidate + size, r.first, r.last};
        auto pos =
            std::upper_bound(placed.begin(), placed.end(), entry,
                             [](const Placed& a, const Placed& b) { return a.offset < b.offset; });
        placed.insert(pos, entry);
    }
    return plan;
}

} // namespace lb::runtime
