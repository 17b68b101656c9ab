#include "core/error.h"
#include "layout/layered_layout.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using namespace lb;
using namespace lb::layout;

namespace {

LayoutGraph makeGraph(uint32_t n, std::vector<std::pair<uint32_t, uint32_t>> edges) {
    LayoutGraph g;
    for (uint32_t i = 0; i < n; ++i) {
        g.widths.push_back(40.0 + 13.0 * (i % 5)); // varied widths catch overlap mistakes
        g.heights.push_back(28.0);
    }
    g.edges = std::move(edges);
    return g;
}

// A residual network: blocks of conv -> relu -> conv -> add with a skip edge into add, plus a
// "weight" source per conv, and a three-way fan-out every third block.
LayoutGraph residualGraph(int blocks) {
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    uint32_t next = 1, prev = 0;
    for (int b = 0; b < blocks; ++b) {
        const uint32_t conv1 = next++, relu = next++, conv2 = next++, add = next++;
        const uint32_t w1 = next++, w2 = next++;
        edges.insert(edges.end(), {{prev, conv1},
                                   {conv1, relu},
                                   {relu, conv2},
                                   {conv2, add},
                                   {prev, add},
                                   {w1, conv1},
                                   {w2, conv2}});
        if (b % 3 == 0) {
            const uint32_t side1 = next++, side2 = next++;
            edges.insert(edges.end(), {{add, side1}, {add, side2}, {side1, side2}});
        }
        prev = add;
    }
    return makeGraph(next, edges);
}

bool isOnBoundary(const Point& p, const Point& c, double w, double h) {
    const double eps = 1e-6;
    const bool inside = std::abs(p.x - c.x) <= w / 2 + eps && std::abs(p.y - c.y) <= h / 2 + eps;
    const bool onEdge =
        std::abs(std::abs(p.x - c.x) - w / 2) < eps || std::abs(std::abs(p.y - c.y) - h / 2) < eps;
    return inside && onEdge;
}

void checkNoOverlap(const LayoutGraph& g, const LayoutResult& r, double sep) {
    std::map<int32_t, std::vector<uint32_t>> byLayer;
    for (uint32_t v = 0; v < g.widths.size(); ++v)
        byLayer[r.layers[v]].push_back(v);
    for (auto& [layer, nodes] : byLayer) {
        std::sort(nodes.begin(), nodes.end(),
                  [&](uint32_t a, uint32_t b) { return r.centers[a].x < r.centers[b].x; });
        for (size_t i = 1; i < nodes.size(); ++i) {
            const uint32_t a = nodes[i - 1], b = nodes[i];
            INFO("layer " << layer << " nodes " << a << " and " << b);
            REQUIRE(r.centers[b].x - r.centers[a].x >=
                    (g.widths[a] + g.widths[b]) / 2 + sep - 1e-6);
            REQUIRE(r.centers[a].y == r.centers[b].y);
        }
    }
}

void checkEdges(const LayoutGraph& g, const LayoutResult& r) {
    REQUIRE(r.edges.size() == g.edges.size());
    for (size_t e = 0; e < g.edges.size(); ++e) {
        const auto [a, b] = g.edges[e];
        INFO("edge " << a << " -> " << b);
        REQUIRE(r.edges[e].size() >= 2);
        CHECK(isOnBoundary(r.edges[e].front(), r.centers[a], g.widths[a], g.heights[a]));
        CHECK(isOnBoundary(r.edges[e].back(), r.centers[b], g.widths[b], g.heights[b]));
    }
}

} // namespace

TEST_CASE("layered layout: empty graph and single node", "[layout]") {
    const LayoutResult empty = layeredLayout(LayoutGraph{});
    CHECK(empty.centers.empty());
    CHECK(empty.edges.empty());
    CHECK(empty.width == 0);
    CHECK(empty.height == 0);

    const LayoutResult one = layeredLayout(makeGraph(1, {}));
    REQUIRE(one.centers.size() == 1);
    CHECK(one.layers[0] == 0);
    CHECK(one.width == Approx(40.0));
    CHECK(one.height == Approx(28.0));
    CHECK(one.centers[0].x == Approx(20.0));
    CHECK(one.centers[0].y == Approx(14.0));
}

TEST_CASE("layered layout: DAG edges point down, layers do not overlap", "[layout]") {
    const LayoutGraph g = residualGraph(40);
    const LayoutOptions options;
    const LayoutResult r = layeredLayout(g, options);
    REQUIRE(r.centers.size() == g.widths.size());
    for (const auto& [a, b] : g.edges) {
        INFO("edge " << a << " -> " << b);
        CHECK(r.layers[a] < r.layers[b]);
        CHECK(r.centers[a].y + g.heights[a] / 2 + options.rankSeparation <=
              r.centers[b].y - g.heights[b] / 2 + 1e-6);
    }
    checkNoOverlap(g, r, options.nodeSeparation);
    checkEdges(g, r);
    // Weights sit right above the conv that reads them.
    CHECK(r.layers[5] == r.layers[1] - 1);
    CHECK(r.layers[6] == r.layers[3] - 1);
    for (const Point& c : r.centers) {
        CHECK(c.x >= 0);
        CHECK(c.x <= r.width);
        CHECK(c.y <= r.height);
    }
}

TEST_CASE("layered layout: chains are vertical", "[layout]") {
    SECTION("a plain chain of different widths") {
        const LayoutGraph g = makeGraph(12, {{0, 1},
                                             {1, 2},
                                             {2, 3},
                                             {3, 4},
                                             {4, 5},
                                             {5, 6},
                                             {6, 7},
                                             {7, 8},
                                             {8, 9},
                                             {9, 10},
                                             {10, 11}});
        const LayoutResult r = layeredLayout(g);
        for (uint32_t v = 1; v < 12; ++v) {
            CHECK(r.centers[v].x == Approx(r.centers[0].x));
            CHECK(r.layers[v] == static_cast<int32_t>(v));
        }
        for (const auto& poly : r.edges) {
            REQUIRE(poly.size() == 2);
            CHECK(poly[0].x == Approx(poly[1].x));
        }
    }
    SECTION("the main path of residual blocks stays straight past the skip edges") {
        const LayoutGraph g = residualGraph(6);
        const LayoutResult r = layeredLayout(g);
        // Blocks 1 and 2 (no side branch): conv1 -> relu -> conv2 -> add share one x, to well
        // under a pixel, although weights and the skip edge compete for the same places.
        for (uint32_t conv1 : {9u, 15u}) {
            const uint32_t relu = conv1 + 1, conv2 = conv1 + 2, add = conv1 + 3;
            INFO("block starting at node " << conv1);
            CHECK(std::abs(r.centers[relu].x - r.centers[conv1].x) < 0.5);
            CHECK(std::abs(r.centers[conv2].x - r.centers[relu].x) < 0.5);
            CHECK(std::abs(r.centers[add].x - r.centers[conv2].x) < 0.5);
        }
    }
}

TEST_CASE("layered layout: cycles, self loops and parallel edges still lay out", "[layout]") {
    const LayoutGraph g = makeGraph(5, {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 3}, {3, 4}, {3, 4}});
    const LayoutResult r = layeredLayout(g);
    REQUIRE(r.centers.size() == 5);
    checkNoOverlap(g, r, LayoutOptions{}.nodeSeparation);
    checkEdges(g, r);
    // Only the back edge 2 -> 0 may point upwards.
    CHECK(r.layers[0] < r.layers[1]);
    CHECK(r.layers[1] < r.layers[2]);
    CHECK(r.layers[2] < r.layers[3]);
    CHECK(r.layers[3] < r.layers[4]);
}

TEST_CASE("layered layout: deterministic", "[layout]") {
    const LayoutGraph g = residualGraph(25);
    const LayoutResult a = layeredLayout(g);
    const LayoutResult b = layeredLayout(g);
    REQUIRE(a.centers.size() == b.centers.size());
    for (size_t v = 0; v < a.centers.size(); ++v) {
        CHECK(a.centers[v].x == b.centers[v].x);
        CHECK(a.centers[v].y == b.centers[v].y);
    }
}

TEST_CASE("layered layout: cancellation and progress", "[layout]") {
    const LayoutGraph g = residualGraph(200);
    TaskContext task;
    double last = -1;
    bool monotonic = true;
    task.progress = [&](double f, std::string_view stage) {
        monotonic = monotonic && f >= last && stage == "layout";
        last = f;
    };
    layeredLayout(g, {}, task);
    CHECK(monotonic);
    CHECK(last == 1.0);

    TaskContext cancelled;
    cancelled.token.cancel();
    CHECK_THROWS_AS(layeredLayout(g, {}, cancelled), Cancelled);

    // Cancelled mid-way from the progress callback.
    TaskContext midway;
    midway.progress = [&](double f, std::string_view) {
        if (f >= 0.3)
            midway.token.cancel();
    };
    CHECK_THROWS_AS(layeredLayout(g, {}, midway), Cancelled);
}

TEST_CASE("layered layout: invalid edges are rejected", "[layout]") {
    LayoutGraph g = makeGraph(2, {{0, 5}});
    CHECK_THROWS_AS(layeredLayout(g), Error);
}
