#include "layout/layered_layout.h"

#include "layout/layered_graph.h"

#include <algorithm>
#include <limits>

namespace lb::layout {
namespace {

using detail::LayeredGraph;

// Polyline of one dag edge, top to bottom: source's bottom centre, each dummy's passage through
// its layer band (vertical inside the band), target's top centre.
std::vector<Point> dagPolyline(const LayeredGraph& lg, size_t dagEdge, const std::vector<double>& x,
                               const std::vector<double>& layerTop,
                               const std::vector<double>& layerHeight) {
    const auto [a, b] = lg.dagEdges[dagEdge];
    auto centreY = [&](uint32_t v) { return layerTop[lg.layer[v]] + layerHeight[lg.layer[v]] / 2; };
    std::vector<Point> points;
    points.reserve(2 + 2 * lg.dummyCount[dagEdge]);
    points.push_back({x[a], centreY(a) + lg.height[a] / 2});
    for (uint32_t k = 0; k < lg.dummyCount[dagEdge]; ++k) {
        const uint32_t d = lg.firstDummy[dagEdge] + k;
        const int32_t l = lg.layer[d];
        points.push_back({x[d], layerTop[l]});
        if (layerHeight[l] > 0)
            points.push_back({x[d], layerTop[l] + layerHeight[l]});
    }
    points.push_back({x[b], centreY(b) - lg.height[b] / 2});
    return points;
}

} // namespace

LayoutResult layeredLayout(const LayoutGraph& graph, const LayoutOptions& options,
                           const TaskContext& task) {
    task.checkCancelled();
    task.report(0.0, "layout");
    LayoutResult result;
    const uint32_t n = static_cast<uint32_t>(graph.widths.size());
    LayeredGraph lg = detail::buildLayeredGraph(graph, task);
    task.checkCancelled();
    detail::reduceCrossings(lg, options.crossingSweeps, task);
    task.checkCancelled();
    std::vector<double> x = detail::assignX(lg, options.nodeSeparation, task);
    task.checkCancelled();

    // Shift so the leftmost box edge is at 0.
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -std::numeric_limits<double>::infinity();
    for (uint32_t v = 0; v < lg.vertexCount(); ++v) {
        minX = std::min(minX, x[v] - lg.width[v] / 2);
        maxX = std::max(maxX, x[v] + lg.width[v] / 2);
    }
    if (lg.vertexCount() == 0)
        minX = maxX = 0;
    for (double& value : x)
        value -= minX;

    // Layer bands: as tall as their tallest node, rankSeparation apart.
    std::vector<double> layerHeight(lg.layerCount, 0.0), layerTop(lg.layerCount, 0.0);
    for (uint32_t v = 0; v < n; ++v)
        layerHeight[lg.layer[v]] = std::max(layerHeight[lg.layer[v]], lg.height[v]);
    double top = 0;
    for (int32_t l = 0; l < lg.layerCount; ++l) {
        layerTop[l] = top;
        top += layerHeight[l] + (l + 1 < lg.layerCount ? options.rankSeparation : 0.0);
    }

    result.width = maxX - minX;
    result.height = top;
    result.centers.resize(n);
    result.layers.resize(n);
    for (uint32_t v = 0; v < n; ++v) {
        const int32_t l = lg.layer[v];
        result.centers[v] = {x[v], layerTop[l] + layerHeight[l] / 2};
        result.layers[v] = l;
    }

    result.edges.resize(graph.edges.size());
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        const uint32_t dagEdge = lg.inputToDag[e];
        if (dagEdge == detail::kNoEdge) {
            // Self loop: a small hook on the node's right side.
            const uint32_t v = graph.edges[e].first;
            const Point c = result.centers[v];
            const double right = c.x + graph.widths[v] / 2;
            const double dy = graph.heights[v] / 4;
            const double out = options.nodeSeparation / 2;
            result.edges[e] = {{right, c.y - dy},
                               {right + out, c.y - dy},
                               {right + out, c.y + dy},
                               {right, c.y + dy}};
            continue;
        }
        result.edges[e] = dagPolyline(lg, dagEdge, x, layerTop, layerHeight);
        if (lg.inputReversed[e])
            std::reverse(result.edges[e].begin(), result.edges[e].end());
        if ((e & 0xffff) == 0)
            task.checkCancelled();
    }
    task.report(1.0, "layout");
    return result;
}

} // namespace lb::layout
