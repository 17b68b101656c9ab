#include "widgets/graph_scene.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::widgets {

namespace {
constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
// Keeps the grid near one cell per item and bounded for degenerate (very wide/tall) scenes.
constexpr double kMinCellSize = 128.0;
constexpr int kMaxCellsPerAxis = 8192;
} // namespace

uint32_t GraphScene::addNode(SceneNode node) {
    const auto index = static_cast<uint32_t>(m_nodes.size());
    if (node.kind == SceneNode::Kind::Op) {
        ++m_opCount;
        if (node.nodeId >= m_indexByNodeId.size())
            m_indexByNodeId.resize(static_cast<size_t>(node.nodeId) + 1, kNone);
        m_indexByNodeId[node.nodeId] = index;
        for (lb::ir::NodeId folded : node.foldedConstants) {
            if (folded >= m_foldedInto.size())
                m_foldedInto.resize(static_cast<size_t>(folded) + 1, kNone);
            m_foldedInto[folded] = index;
            ++m_foldedCount;
        }
    }
    m_nodes.push_back(std::move(node));
    return index;
}

void GraphScene::addEdge(SceneEdge edge) {
    m_edges.push_back(std::move(edge));
}

void GraphScene::finalize() {
    m_bounds = QRectF();
    m_nodeRects.clear();
    m_nodeRects.reserve(m_nodes.size());
    for (const SceneNode& n : m_nodes) {
        m_nodeRects.push_back(n.rect);
        m_bounds = m_bounds.isNull() ? n.rect : m_bounds.united(n.rect);
    }
    m_segmentRects.clear();
    m_segmentEdge.clear();
    for (uint32_t e = 0; e < m_edges.size(); ++e) {
        const QPolygonF& pts = m_edges[e].points;
        for (qsizetype i = 0; i + 1 < pts.size(); ++i) {
            // Normalized, and at least a hair wide so vertical segments still intersect.
            QRectF r = QRectF(pts[i], pts[i + 1]).normalized().adjusted(-1, -1, 1, 1);
            m_segmentRects.push_back(r);
            m_segmentEdge.push_back(e);
            m_bounds = m_bounds.isNull() ? r : m_bounds.united(r);
        }
    }
    if (m_bounds.isNull())
        m_bounds = QRectF(0, 0, 1, 1);

    const double area = m_bounds.width() * m_bounds.height();
    const double items = static_cast<double>(std::max<size_t>(1, m_nodes.size()));
    m_cellSize = std::max(kMinCellSize, std::sqrt(area / items) * 2.0);
    m_cellSize = std::max(
        {m_cellSize, m_bounds.width() / kMaxCellsPerAxis, m_bounds.height() / kMaxCellsPerAxis});
    m_cols = std::max(1, static_cast<int>(std::ceil(m_bounds.width() / m_cellSize)));
    m_rows = std::max(1, static_cast<int>(std::ceil(m_bounds.height() / m_cellSize)));
    fillGrid(m_nodeGrid, m_nodeRects);
    fillGrid(m_edgeGrid, m_segmentRects);
}

void GraphScene::cellRange(const QRectF& r, int& c0, int& r0, int& c1, int& r1) const {
    auto clampCol = [this](double v) {
        return std::clamp(static_cast<int>(std::floor(v / m_cellSize)), 0, m_cols - 1);
    };
    auto clampRow = [this](double v) {
        return std::clamp(static_cast<int>(std::floor(v / m_cellSize)), 0, m_rows - 1);
    };
    c0 = clampCol(r.left() - m_bounds.left());
    c1 = clampCol(r.right() - m_bounds.left());
    r0 = clampRow(r.top() - m_bounds.top());
    r1 = clampRow(r.bottom() - m_bounds.top());
}

void GraphScene::fillGrid(Grid& grid, const std::vector<QRectF>& rects) const {
    const size_t cells = static_cast<size_t>(m_cols) * static_cast<size_t>(m_rows);
    grid.cellStart.assign(cells + 1, 0);
    int c0, r0, c1, r1;
    // Two passes (count, then place) keep the grid in two flat arrays.
    for (const QRectF& r : rects) {
        cellRange(r, c0, r0, c1, r1);
        for (int row = r0; row <= r1; ++row)
            for (int col = c0; col <= c1; ++col)
                ++grid.cellStart[static_cast<size_t>(row) * m_cols + col + 1];
    }
    for (size_t c = 0; c < cells; ++c)
        grid.cellStart[c + 1] += grid.cellStart[c];
    grid.items.assign(grid.cellStart[cells], 0);
    std::vector<uint32_t> fill(grid.cellStart.begin(), grid.cellStart.end() - 1);
    for (uint32_t i = 0; i < rects.size(); ++i) {
        cellRange(rects[i], c0, r0, c1, r1);
        for (int row = r0; row <= r1; ++row)
            for (int col = c0; col <= c1; ++col)
                grid.items[fill[static_cast<size_t>(row) * m_cols + col]++] = i;
    }
}

std::vector<uint32_t> GraphScene::query(const Grid& grid, const std::vector<QRectF>& rects,
                                        const QRectF& area) const {
    std::vector<uint32_t> out;
    if (rects.empty() || !area.intersects(m_bounds))
        return out;
    int c0, r0, c1, r1;
    cellRange(area, c0, r0, c1, r1);
    for (int row = r0; row <= r1; ++row) {
        const size_t base = static_cast<size_t>(row) * m_cols;
        for (uint32_t k = grid.cellStart[base + c0]; k < grid.cellStart[base + c1 + 1]; ++k) {
            const uint32_t i = grid.items[k];
            if (rects[i].intersects(area))
                out.push_back(i);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<uint32_t> GraphScene::nodesIn(const QRectF& area) const {
    return query(m_nodeGrid, m_nodeRects, area);
}

std::vector<uint32_t> GraphScene::edgesIn(const QRectF& area) const {
    std::vector<uint32_t> out = query(m_edgeGrid, m_segmentRects, area);
    for (uint32_t& s : out)
        s = m_segmentEdge[s];
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<uint32_t> GraphScene::indexOfNode(lb::ir::NodeId id) const {
    if (id >= m_indexByNodeId.size() || m_indexByNodeId[id] == kNone)
        return std::nullopt;
    return m_indexByNodeId[id];
}

lb::ir::NodeId GraphScene::displayedNode(lb::ir::NodeId id) const {
    if (indexOfNode(id))
        return id;
    if (id < m_foldedInto.size() && m_foldedInto[id] != kNone)
        return m_nodes[m_foldedInto[id]].nodeId;
    return lb::ir::kNoNode;
}

std::optional<uint32_t> GraphScene::edgeLabelAt(QPointF scenePoint) const {
    // Labels sit beside their edge's segments, so a small area around the point finds them.
    const QRectF probe(scenePoint - QPointF(120, 20), QSizeF(240, 40));
    for (uint32_t e : edgesIn(probe))
        if (m_edges[e].labelRect.contains(scenePoint))
            return e;
    return std::nullopt;
}

std::optional<uint32_t> GraphScene::hitTest(QPointF scenePoint) const {
    const QRectF probe(scenePoint, QSizeF(0.01, 0.01));
    const std::vector<uint32_t> hits = nodesIn(probe);
    for (auto it = hits.rbegin(); it != hits.rend(); ++it)
        if (m_nodes[*it].rect.contains(scenePoint))
            return *it;
    return std::nullopt;
}

} // namespace lb::widgets
