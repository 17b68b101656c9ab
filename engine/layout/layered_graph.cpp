#include "layout/layered_graph.h"

#include "core/error.h"

#include <algorithm>

namespace lb::layout::detail {
namespace {

using EdgeList = std::vector<std::pair<uint32_t, uint32_t>>;

// CSR of `edges` grouped by first (or second, when `bySource` is false) endpoint.
void buildCsr(uint32_t n, const EdgeList& edges, bool bySource, std::vector<uint32_t>& start,
              std::vector<uint32_t>& adj) {
    start.assign(n + 1, 0);
    for (const auto& [a, b] : edges)
        ++start[(bySource ? a : b) + 1];
    for (uint32_t i = 0; i < n; ++i)
        start[i + 1] += start[i];
    adj.resize(edges.size());
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const auto& [a, b] : edges)
        adj[fill[bySource ? a : b]++] = bySource ? b : a;
}

// Marks the DFS back edges of the input graph (self loops excluded) so reversing them leaves a
// DAG. Roots are the nodes without predecessors first, then whatever remains, in index order.
std::vector<bool> findBackEdges(uint32_t n, const EdgeList& edges, const TaskContext& task) {
    std::vector<uint32_t> start(n + 1, 0), edgeIds(edges.size());
    std::vector<uint32_t> indegree(n, 0);
    for (const auto& [a, b] : edges) {
        ++start[a + 1];
        if (a != b)
            ++indegree[b];
    }
    for (uint32_t i = 0; i < n; ++i)
        start[i + 1] += start[i];
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (uint32_t e = 0; e < edges.size(); ++e)
        edgeIds[fill[edges[e].first]++] = e;

    std::vector<bool> back(edges.size(), false);
    std::vector<uint8_t> state(n, 0);                 // 0 new, 1 on stack, 2 done
    std::vector<std::pair<uint32_t, uint32_t>> stack; // node, next edge slot
    auto visit = [&](uint32_t root) {
        state[root] = 1;
        stack.push_back({root, start[root]});
        while (!stack.empty()) {
            auto& [v, next] = stack.back();
            if (next == start[v + 1]) {
                state[v] = 2;
                stack.pop_back();
                continue;
            }
            const uint32_t e = edgeIds[next++];
            const uint32_t w = edges[e].second;
            if (w == v)
                continue;
            if (state[w] == 1)
                back[e] = true;
            else if (state[w] == 0) {
                state[w] = 1;
                stack.push_back({w, start[w]});
            }
        }
    };
    for (int pass = 0; pass < 2; ++pass) {
        for (uint32_t v = 0; v < n; ++v) {
            if (state[v] == 0 && (pass == 1 || indegree[v] == 0))
                visit(v);
            if ((v & 0xfff) == 0)
                task.checkCancelled();
        }
    }
    return back;
}

// Longest path from the sources, then (reverse topological order) each node whose out-degree is
// at least its in-degree moves down to just above its highest consumer: that never lengthens the
// total edge span and puts weights/constants right above their users.
std::vector<int32_t> assignLayers(uint32_t n, const EdgeList& dag, const TaskContext& task) {
    std::vector<uint32_t> outStart, outAdj, inStart, inAdj;
    buildCsr(n, dag, true, outStart, outAdj);
    buildCsr(n, dag, false, inStart, inAdj);
    std::vector<uint32_t> indegree(n), topo;
    topo.reserve(n);
    for (uint32_t v = 0; v < n; ++v) {
        indegree[v] = inStart[v + 1] - inStart[v];
        if (indegree[v] == 0)
            topo.push_back(v);
    }
    for (size_t head = 0; head < topo.size(); ++head) {
        const uint32_t v = topo[head];
        for (uint32_t i = outStart[v]; i < outStart[v + 1]; ++i)
            if (--indegree[outAdj[i]] == 0)
                topo.push_back(outAdj[i]);
    }
    if (topo.size() != n)
        fail("layered layout: cycle left after reversing back edges (", n - topo.size(), " nodes)");
    task.checkCancelled();

    std::vector<int32_t> layer(n, 0);
    for (uint32_t v : topo)
        for (uint32_t i = outStart[v]; i < outStart[v + 1]; ++i)
            layer[outAdj[i]] = std::max(layer[outAdj[i]], layer[v] + 1);
    for (auto it = topo.rbegin(); it != topo.rend(); ++it) {
        const uint32_t v = *it;
        const uint32_t outs = outStart[v + 1] - outStart[v];
        const uint32_t ins = inStart[v + 1] - inStart[v];
        if (outs == 0 || outs < ins)
            continue;
        int32_t lowest = INT32_MAX;
        for (uint32_t i = outStart[v]; i < outStart[v + 1]; ++i)
            lowest = std::min(lowest, layer[outAdj[i]]);
        layer[v] = lowest - 1;
    }
    return layer;
}

// Pre-order DFS from the sources along downward edges: each vertex joins the right end of its
// layer when first reached, which keeps chains and branches together from the start.
void initialOrder(LayeredGraph& lg) {
    const uint32_t n = lg.vertexCount();
    lg.layerStart.assign(lg.layerCount + 1, 0);
    for (uint32_t v = 0; v < n; ++v)
        ++lg.layerStart[lg.layer[v] + 1];
    for (int32_t l = 0; l < lg.layerCount; ++l)
        lg.layerStart[l + 1] += lg.layerStart[l];
    std::vector<uint32_t> fill(lg.layerStart.begin(), lg.layerStart.end() - 1);
    lg.order.assign(n, 0);
    lg.pos.assign(n, 0);
    std::vector<bool> seen(n, false);
    std::vector<uint32_t> stack;
    auto place = [&](uint32_t v) {
        seen[v] = true;
        const uint32_t slot = fill[lg.layer[v]]++;
        lg.order[slot] = v;
        lg.pos[v] = slot - lg.layerStart[lg.layer[v]];
    };
    for (uint32_t root = 0; root < lg.realCount; ++root) {
        if (seen[root] || lg.upStart[root + 1] != lg.upStart[root])
            continue;
        stack.push_back(root);
        while (!stack.empty()) {
            const uint32_t v = stack.back();
            stack.pop_back();
            if (seen[v])
                continue;
            place(v);
            for (uint32_t i = lg.downStart[v + 1]; i-- > lg.downStart[v];)
                if (!seen[lg.down[i]])
                    stack.push_back(lg.down[i]);
        }
    }
}

} // namespace

LayeredGraph buildLayeredGraph(const LayoutGraph& graph, const TaskContext& task) {
    const uint32_t n = static_cast<uint32_t>(graph.widths.size());
    if (graph.heights.size() != n)
        fail("layered layout: ", n, " widths but ", graph.heights.size(), " heights");
    for (const auto& [a, b] : graph.edges)
        if (a >= n || b >= n)
            fail("layered layout: edge ", a, " -> ", b, " names a node outside 0..", n);

    LayeredGraph lg;
    lg.realCount = n;
    const std::vector<bool> back = findBackEdges(n, graph.edges, task);
    task.report(0.1, "layout");

    // Orient, drop self loops, de-duplicate.
    EdgeList oriented;
    oriented.reserve(graph.edges.size());
    lg.inputReversed.resize(graph.edges.size());
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        auto [a, b] = graph.edges[e];
        lg.inputReversed[e] = back[e];
        if (back[e])
            std::swap(a, b);
        if (a != b)
            oriented.push_back({a, b});
    }
    lg.dagEdges = oriented;
    std::sort(lg.dagEdges.begin(), lg.dagEdges.end());
    lg.dagEdges.erase(std::unique(lg.dagEdges.begin(), lg.dagEdges.end()), lg.dagEdges.end());
    lg.inputToDag.assign(graph.edges.size(), kNoEdge);
    for (size_t e = 0; e < graph.edges.size(); ++e) {
        auto [a, b] = graph.edges[e];
        if (a == b)
            continue;
        if (lg.inputReversed[e])
            std::swap(a, b);
        auto it = std::lower_bound(lg.dagEdges.begin(), lg.dagEdges.end(), std::pair{a, b});
        lg.inputToDag[e] = static_cast<uint32_t>(it - lg.dagEdges.begin());
    }

    std::vector<int32_t> layers = assignLayers(n, lg.dagEdges, task);
    task.report(0.2, "layout");

    // Split long edges with dummies.
    lg.layer = std::move(layers);
    lg.width = graph.widths;
    lg.height = graph.heights;
    lg.firstDummy.resize(lg.dagEdges.size());
    lg.dummyCount.resize(lg.dagEdges.size());
    EdgeList proper;
    proper.reserve(lg.dagEdges.size() * 2);
    for (size_t e = 0; e < lg.dagEdges.size(); ++e) {
        const auto [a, b] = lg.dagEdges[e];
        const int32_t span = lg.layer[b] - lg.layer[a];
        lg.firstDummy[e] = static_cast<uint32_t>(lg.layer.size());
        lg.dummyCount[e] = static_cast<uint32_t>(span - 1);
        uint32_t prev = a;
        for (int32_t l = lg.layer[a] + 1; l < lg.layer[b]; ++l) {
            const uint32_t d = static_cast<uint32_t>(lg.layer.size());
            lg.layer.push_back(l);
            lg.width.push_back(0.0);
            lg.height.push_back(0.0);
            proper.push_back({prev, d});
            prev = d;
        }
        proper.push_back({prev, b});
    }
    lg.layerCount = 0;
    for (int32_t l : lg.layer)
        lg.layerCount = std::max(lg.layerCount, l + 1);
    buildCsr(lg.vertexCount(), proper, true, lg.downStart, lg.down);
    buildCsr(lg.vertexCount(), proper, false, lg.upStart, lg.up);
    task.checkCancelled();
    initialOrder(lg);
    task.report(0.3, "layout");
    return lg;
}

} // namespace lb::layout::detail
