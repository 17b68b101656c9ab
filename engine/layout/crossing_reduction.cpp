#include "layout/layered_graph.h"

#include <algorithm>

namespace lb::layout::detail {
namespace {

// Crossings between layer l and l+1: edges sorted by upper position, then count inversions of
// the lower positions with a Fenwick tree (Barth, Juenger, Mutzel). O(E log V).
uint64_t countLayerPair(const LayeredGraph& lg, int32_t l, std::vector<uint32_t>& lower,
                        std::vector<uint32_t>& tree) {
    const uint32_t upperBegin = lg.layerStart[l], upperEnd = lg.layerStart[l + 1];
    const uint32_t width = lg.layerStart[l + 2] - lg.layerStart[l + 1];
    lower.clear();
    for (uint32_t i = upperBegin; i < upperEnd; ++i) {
        const uint32_t v = lg.order[i];
        const size_t first = lower.size();
        for (uint32_t k = lg.downStart[v]; k < lg.downStart[v + 1]; ++k)
            lower.push_back(lg.pos[lg.down[k]]);
        std::sort(lower.begin() + static_cast<std::ptrdiff_t>(first), lower.end());
    }
    tree.assign(width + 1, 0);
    uint64_t crossings = 0;
    for (size_t i = 0; i < lower.size(); ++i) {
        // Edges seen so far whose lower end lies strictly right of this one cross it.
        uint64_t notGreater = 0;
        for (uint32_t j = lower[i] + 1; j > 0; j -= j & (~j + 1))
            notGreater += tree[j];
        crossings += i - notGreater;
        for (uint32_t j = lower[i] + 1; j <= width; j += j & (~j + 1))
            ++tree[j];
    }
    return crossings;
}

// Reorders one layer by the median position of each vertex's neighbours in the adjacent layer
// (`start`/`adj` pick which one). Vertices without such neighbours keep their slot.
void sortLayer(LayeredGraph& lg, int32_t l, const std::vector<uint32_t>& start,
               const std::vector<uint32_t>& adj, std::vector<std::pair<double, uint32_t>>& keyed,
               std::vector<uint32_t>& scratch) {
    const uint32_t begin = lg.layerStart[l], end = lg.layerStart[l + 1];
    keyed.clear();
    for (uint32_t i = begin; i < end; ++i) {
        const uint32_t v = lg.order[i];
        const uint32_t count = start[v + 1] - start[v];
        if (count == 0)
            continue;
        scratch.clear();
        for (uint32_t k = start[v]; k < start[v + 1]; ++k)
            scratch.push_back(lg.pos[adj[k]]);
        const auto mid = scratch.begin() + count / 2;
        std::nth_element(scratch.begin(), mid, scratch.end());
        double median = *mid;
        if (count % 2 == 0)
            median = (median + *std::max_element(scratch.begin(), mid)) / 2.0;
        keyed.push_back({median, v});
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    size_t next = 0;
    for (uint32_t i = begin; i < end; ++i) {
        const uint32_t v = lg.order[i];
        if (start[v + 1] == start[v])
            continue; // fixed vertex keeps slot i
        lg.order[i] = keyed[next++].second;
    }
    for (uint32_t i = begin; i < end; ++i)
        lg.pos[lg.order[i]] = i - begin;
}

} // namespace

uint64_t countCrossings(const LayeredGraph& lg) {
    std::vector<uint32_t> lower, tree;
    uint64_t total = 0;
    for (int32_t l = 0; l + 1 < lg.layerCount; ++l)
        total += countLayerPair(lg, l, lower, tree);
    return total;
}

uint64_t reduceCrossings(LayeredGraph& lg, int sweeps, const TaskContext& task) {
    uint64_t best = countCrossings(lg);
    std::vector<uint32_t> bestOrder = lg.order;
    std::vector<std::pair<double, uint32_t>> keyed;
    std::vector<uint32_t> scratch;
    for (int sweep = 0; sweep < sweeps && best > 0; ++sweep) {
        const bool downward = sweep % 2 == 0;
        for (int32_t step = 1; step < lg.layerCount; ++step) {
            if (downward)
                sortLayer(lg, step, lg.upStart, lg.up, keyed, scratch);
            else
                sortLayer(lg, lg.layerCount - 1 - step, lg.downStart, lg.down, keyed, scratch);
            if ((step & 0x3ff) == 0)
                task.checkCancelled();
        }
        const uint64_t crossings = countCrossings(lg);
        if (crossings < best) {
            best = crossings;
            bestOrder = lg.order;
        }
        task.checkCancelled();
        task.report(0.3 + 0.4 * (sweep + 1) / sweeps, "layout");
    }
    lg.order = std::move(bestOrder);
    for (int32_t l = 0; l < lg.layerCount; ++l)
        for (uint32_t i = lg.layerStart[l]; i < lg.layerStart[l + 1]; ++i)
            lg.pos[lg.order[i]] = i - lg.layerStart[l];
    return best;
}

} // namespace lb::layout::detail
