#pragma once

#include "core/progress.h"

#include <cstdint>
#include <vector>

namespace lb::layout {

struct LayoutGraph {
    // Node sizes in layout units (the GUI passes pixels at zoom 1).
    std::vector<double> widths;
    std::vector<double> heights;
    // Directed edges source -> target (node indices). Parallel edges and self loops allowed.
    std::vector<std::pair<uint32_t, uint32_t>> edges;
};

struct LayoutOptions {
    double rankSeparation = 50.0; // vertical gap between layers
    double nodeSeparation = 24.0; // horizontal gap between nodes in a layer
    int crossingSweeps = 4;       // barycenter sweeps (down+up count as 2)
};

struct Point {
    double x = 0;
    double y = 0;
};

struct LayoutResult {
    std::vector<Point> centers;            // per node
    std::vector<int32_t> layers;           // per node, 0 at the top
    std::vector<std::vector<Point>> edges; // per input edge: polyline from source to target
    double width = 0;
    double height = 0;
};

// Layered (Sugiyama-style) top-to-bottom layout of a DAG: layering, long edges split by dummy
// nodes, barycenter crossing reduction, compact coordinate assignment. Cycles are broken by
// reversing back edges. Polls task for cancellation; reports progress.
LayoutResult layeredLayout(const LayoutGraph& graph, const LayoutOptions& options = {},
                           const TaskContext& task = {});

} // namespace lb::layout
