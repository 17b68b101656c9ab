#include "layout/layered_graph.h"

#include <algorithm>

namespace lb::layout::detail {
namespace {

constexpr int kPlacementPasses = 9; // alternating down/up, ending on a downward pass

struct Block {
    double weight;
    double weightedSum;
    uint32_t count;
    double mean() const { return weightedSum / weight; }
};

// Priority of each vertex when neighbours compete for the same x. Two factors, both with large
// ratios so that the weighted least squares below behaves like a priority method and chains come
// out vertical to well under a pixel:
// - role: nodes inside a chain or with many neighbours, then edge dummies, then leaves;
// - slack: how many real nodes fewer the longest path through the vertex has than the graph's
//   longest path. The main path of a network (slack 0) wins over a projection on a skip edge, so
//   residual stacks do not drift sideways block after block.
std::vector<double> vertexWeights(const LayeredGraph& lg) {
    const uint32_t n = lg.vertexCount();
    std::vector<uint32_t> fromTop(n, 0), toBottom(n, 0);
    for (uint32_t v : lg.order) { // layer by layer, so predecessors come first
        uint32_t best = 0;
        for (uint32_t k = lg.upStart[v]; k < lg.upStart[v + 1]; ++k)
            best = std::max(best, fromTop[lg.up[k]]);
        fromTop[v] = best + (lg.isDummy(v) ? 0 : 1);
    }
    for (auto it = lg.order.rbegin(); it != lg.order.rend(); ++it) {
        const uint32_t v = *it;
        uint32_t best = 0;
        for (uint32_t k = lg.downStart[v]; k < lg.downStart[v + 1]; ++k)
            best = std::max(best, toBottom[lg.down[k]]);
        toBottom[v] = best + (lg.isDummy(v) ? 0 : 1);
    }
    uint32_t longest = 0;
    for (uint32_t v = 0; v < n; ++v)
        longest = std::max(longest, fromTop[v] + toBottom[v]);
    constexpr double kSlackFactor[] = {1.0, 1e-2, 1e-4, 1e-6};
    std::vector<double> weight(n);
    for (uint32_t v = 0; v < n; ++v) {
        const uint32_t slack = std::min<uint32_t>(longest - fromTop[v] - toBottom[v], 3);
        double role = 8.0;
        if (!lg.isDummy(v)) {
            const uint32_t degree =
                lg.downStart[v + 1] - lg.downStart[v] + lg.upStart[v + 1] - lg.upStart[v];
            role = degree <= 1 ? 1.0 : 1000.0 * std::min<uint32_t>(degree - 1, 4);
        }
        weight[v] = role * kSlackFactor[slack];
    }
    return weight;
}

// Where a vertex would like to be: the weighted median x of its neighbours in the reference
// layer; the other side's neighbours when the reference side has none; else where it is.
double desiredX(uint32_t v, const std::vector<uint32_t>& start, const std::vector<uint32_t>& adj,
                const std::vector<uint32_t>& otherStart, const std::vector<uint32_t>& otherAdj,
                const std::vector<double>& x, const std::vector<double>& weight,
                std::vector<std::pair<double, double>>& scratch) {
    const std::vector<uint32_t>* s = &start;
    const std::vector<uint32_t>* a = &adj;
    if (start[v + 1] == start[v]) {
        s = &otherStart;
        a = &otherAdj;
    }
    const uint32_t begin = (*s)[v], end = (*s)[v + 1];
    if (begin == end)
        return x[v];
    if (end - begin == 1)
        return x[(*a)[begin]];
    scratch.clear();
    double total = 0;
    for (uint32_t k = begin; k < end; ++k) {
        const uint32_t u = (*a)[k];
        scratch.push_back({x[u], weight[u]});
        total += weight[u];
    }
    std::sort(scratch.begin(), scratch.end());
    double cumulative = 0;
    for (size_t i = 0; i < scratch.size(); ++i) {
        cumulative += scratch[i].second;
        if (cumulative * 2 > total)
            return scratch[i].first;
        if (cumulative * 2 == total) // exact tie: halfway between the two middle neighbours
            return (scratch[i].first + scratch[i + 1].first) / 2;
    }
    return scratch.back().first;
}

// Places one layer as close to the desired positions as the ordering and separations allow:
// weighted isotonic regression (pool adjacent violators) on x_i - offset_i, where offset_i is
// the minimal left-to-right distance from the first vertex. Exact and linear.
void placeLayer(const LayeredGraph& lg, int32_t l, const std::vector<double>& desired,
                const std::vector<double>& gaps, const std::vector<double>& weight,
                std::vector<double>& x, std::vector<Block>& blocks) {
    const uint32_t begin = lg.layerStart[l], end = lg.layerStart[l + 1];
    blocks.clear();
    double offset = 0;
    for (uint32_t i = begin; i < end; ++i) {
        const uint32_t v = lg.order[i];
        if (i > begin)
            offset += gaps[i];
        const double w = weight[v];
        blocks.push_back({w, w * (desired[v] - offset), 1});
        while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() >= blocks.back().mean()) {
            Block top = blocks.back();
            blocks.pop_back();
            blocks.back().weight += top.weight;
            blocks.back().weightedSum += top.weightedSum;
            blocks.back().count += top.count;
        }
    }
    uint32_t i = begin;
    offset = 0;
    for (const Block& b : blocks) {
        const double y = b.mean();
        for (uint32_t k = 0; k < b.count; ++k, ++i) {
            if (i > begin)
                offset += gaps[i];
            x[lg.order[i]] = y + offset;
        }
    }
}

} // namespace

std::vector<double> assignX(const LayeredGraph& lg, double nodeSeparation,
                            const TaskContext& task) {
    const uint32_t n = lg.vertexCount();
    // gaps[i]: minimal centre distance between order[i-1] and order[i] in the same layer.
    std::vector<double> gaps(n, 0.0);
    std::vector<double> x(n, 0.0);
    for (int32_t l = 0; l < lg.layerCount; ++l) {
        double cursor = 0;
        for (uint32_t i = lg.layerStart[l]; i < lg.layerStart[l + 1]; ++i) {
            const uint32_t v = lg.order[i];
            if (i > lg.layerStart[l]) {
                const uint32_t u = lg.order[i - 1];
                const bool bothReal = !lg.isDummy(u) && !lg.isDummy(v);
                gaps[i] = (lg.width[u] + lg.width[v]) / 2 +
                          (bothReal ? nodeSeparation : nodeSeparation / 2);
                cursor += gaps[i];
            }
            x[v] = cursor;
        }
        // Centre each layer so the first pass starts from a symmetric picture.
        const double shift = cursor / 2;
        for (uint32_t i = lg.layerStart[l]; i < lg.layerStart[l + 1]; ++i)
            x[lg.order[i]] -= shift;
    }

    std::vector<double> desired(n, 0.0);
    const std::vector<double> weight = vertexWeights(lg);
    std::vector<std::pair<double, double>> scratch;
    std::vector<Block> blocks;
    for (int pass = 0; pass < kPlacementPasses; ++pass) {
        const bool downward = pass % 2 == 0;
        for (int32_t step = 0; step < lg.layerCount; ++step) {
            const int32_t l = downward ? step : lg.layerCount - 1 - step;
            for (uint32_t i = lg.layerStart[l]; i < lg.layerStart[l + 1]; ++i) {
                const uint32_t v = lg.order[i];
                desired[v] =
                    downward
                        ? desiredX(v, lg.upStart, lg.up, lg.downStart, lg.down, x, weight, scratch)
                        : desiredX(v, lg.downStart, lg.down, lg.upStart, lg.up, x, weight, scratch);
            }
            placeLayer(lg, l, desired, gaps, weight, x, blocks);
            if ((step & 0x3ff) == 0)
                task.checkCancelled();
        }
        task.report(0.7 + 0.25 * (pass + 1) / kPlacementPasses, "layout");
    }
    return x;
}

} // namespace lb::layout::detail
