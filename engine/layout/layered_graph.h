#pragma once

#include "core/progress.h"
#include "layout/layered_layout.h"

#include <cstdint>
#include <vector>

namespace lb::layout::detail {

// The proper layered graph the layout phases work on: the input's real nodes first (same
// indices), then dummy nodes splitting long edges, so that every edge joins adjacent layers.
struct LayeredGraph {
    uint32_t realCount = 0;
    int32_t layerCount = 0;
    std::vector<int32_t> layer; // per vertex
    std::vector<double> width;  // per vertex; 0 for dummies
    std::vector<double> height; // per vertex; 0 for dummies

    // Neighbours in the layer below (down) and above (up), CSR.
    std::vector<uint32_t> downStart, down;
    std::vector<uint32_t> upStart, up;

    // Vertices grouped by layer: order[layerStart[l] .. layerStart[l+1]) left to right.
    std::vector<uint32_t> layerStart;
    std::vector<uint32_t> order;
    std::vector<uint32_t> pos; // per vertex: index inside its layer

    // Acyclic, de-duplicated edges without self loops, and the dummies of each (consecutive ids).
    std::vector<std::pair<uint32_t, uint32_t>> dagEdges;
    std::vector<uint32_t> firstDummy; // per dag edge
    std::vector<uint32_t> dummyCount; // per dag edge
    // Per input edge: its dag edge (or kNoEdge for self loops), and whether it was reversed.
    std::vector<uint32_t> inputToDag;
    std::vector<bool> inputReversed;

    uint32_t vertexCount() const { return static_cast<uint32_t>(layer.size()); }
    bool isDummy(uint32_t v) const { return v >= realCount; }
};

inline constexpr uint32_t kNoEdge = 0xffffffffu;

// Breaks cycles, assigns layers (longest path, then sources and thin nodes pulled down toward
// their consumers), splits long edges and builds an initial DFS order.
LayeredGraph buildLayeredGraph(const LayoutGraph& graph, const TaskContext& task);

// Median-heuristic sweeps; keeps the order with the fewest crossings. Returns that count.
uint64_t reduceCrossings(LayeredGraph& lg, int sweeps, const TaskContext& task);
uint64_t countCrossings(const LayeredGraph& lg);

// x per vertex: iterative weighted-median placement with ordering constraints solved per layer by
// isotonic regression (so no overlaps); chain nodes outweigh dummies and leaves, so chains stay
// straight.
std::vector<double> assignX(const LayeredGraph& lg, double nodeSeparation, const TaskContext& task);

} // namespace lb::layout::detail
