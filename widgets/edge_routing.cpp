#include "widgets/edge_routing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace lb::widgets {

namespace {
constexpr double kLabelCharWidth = 6.2; // 9.5 px digits; '×' is wider, letters about the same
constexpr double kLabelHeight = 12.0;
constexpr double kLabelGap = 4.0;  // between the line and its label
constexpr double kPortInset = 8.0; // keeps entry points off the rounded corners
constexpr double kCell = 64.0;

// A uniform hash grid of rectangles for "does this overlap anything placed so far".
class RectGrid {
public:
    void add(const QRectF& r) {
        const auto index = static_cast<uint32_t>(m_rects.size());
        m_rects.push_back(r);
        forCells(r, [&](int64_t key) { m_cells[key].push_back(index); });
    }
    bool overlaps(const QRectF& r) const {
        bool hit = false;
        forCells(r, [&](int64_t key) {
            if (hit)
                return;
            auto it = m_cells.find(key);
            if (it == m_cells.end())
                return;
            for (uint32_t i : it->second)
                if (m_rects[i].intersects(r)) {
                    hit = true;
                    return;
                }
        });
        return hit;
    }

private:
    template <typename F> void forCells(const QRectF& r, F&& f) const {
        const auto x0 = static_cast<int64_t>(std::floor(r.left() / kCell));
        const auto x1 = static_cast<int64_t>(std::floor(r.right() / kCell));
        const auto y0 = static_cast<int64_t>(std::floor(r.top() / kCell));
        const auto y1 = static_cast<int64_t>(std::floor(r.bottom() / kCell));
        for (int64_t y = y0; y <= y1; ++y)
            for (int64_t x = x0; x <= x1; ++x)
                f((y << 32) ^ (x & 0xffffffff));
    }
    std::vector<QRectF> m_rects;
    std::unordered_map<int64_t, std::vector<uint32_t>> m_cells;
};

double clampInto(double x, const QRectF& r) {
    const double inset = std::min(kPortInset, r.width() / 2);
    return std::clamp(x, r.left() + inset, r.right() - inset);
}
} // namespace

QSizeF edgeLabelSize(const QString& text) {
    return QSizeF(text.size() * kLabelCharWidth, kLabelHeight);
}

void routeEdges(std::vector<SceneEdge>& edges, const std::vector<SceneNode>& nodes,
                const std::vector<std::vector<lb::layout::Point>>& routes) {
    // The points strictly between the two boxes (the layout's dummy nodes).
    std::vector<QPolygonF> inner(edges.size());
    std::vector<double> comesFrom(edges.size());
    std::unordered_map<uint32_t, std::vector<size_t>> byTarget;
    for (size_t i = 0; i < edges.size(); ++i) {
        const QRectF from = nodes[edges[i].source].rect;
        const QRectF to = nodes[edges[i].target].rect;
        if (i < routes.size())
            for (const lb::layout::Point& p : routes[i]) {
                const QPointF q(p.x, p.y);
                if (!from.contains(q) && !to.contains(q))
                    inner[i].append(q);
            }
        comesFrom[i] = inner[i].isEmpty() ? from.center().x() : inner[i].last().x();
        byTarget[edges[i].target].push_back(i);
    }
    std::vector<double> entryX(edges.size());
    for (auto& [target, list] : byTarget) {
        const QRectF to = nodes[target].rect;
        if (list.size() == 1) {
            entryX[list[0]] = clampInto(comesFrom[list[0]], to);
            continue;
        }
        std::stable_sort(list.begin(), list.end(),
                         [&](size_t a, size_t b) { return comesFrom[a] < comesFrom[b]; });
        const double left = to.left() + std::min(kPortInset, to.width() / 4);
        const double span = to.width() - 2 * (left - to.left());
        for (size_t k = 0; k < list.size(); ++k)
            entryX[list[k]] = left + span * (static_cast<double>(k) + 0.5) / list.size();
    }
    for (size_t i = 0; i < edges.size(); ++i) {
        const QRectF from = nodes[edges[i].source].rect;
        const QRectF to = nodes[edges[i].target].rect;
        const double nextX = inner[i].isEmpty() ? entryX[i] : inner[i].first().x();
        QPolygonF out;
        out.reserve(inner[i].size() + 2);
        out.append(QPointF(clampInto(nextX, from), from.bottom()));
        out += inner[i];
        out.append(QPointF(entryX[i], to.top()));
        edges[i].points = std::move(out);
    }
}

void placeEdgeLabels(std::vector<SceneEdge>& edges, const std::vector<SceneNode>& nodes) {
    RectGrid taken;
    for (const SceneNode& n : nodes)
        taken.add(n.rect);
    for (SceneEdge& e : edges) {
        e.labelRect = QRectF();
        if (e.shapeText.isEmpty() || e.points.size() < 2)
            continue;
        const QSizeF size = edgeLabelSize(e.shapeText);
        // Segments by vertical extent, longest first; the label sits at the segment's middle.
        std::vector<qsizetype> order;
        for (qsizetype s = 0; s + 1 < e.points.size(); ++s)
            if (std::abs(e.points[s + 1].y() - e.points[s].y()) >= size.height() + 4)
                order.push_back(s);
        std::stable_sort(order.begin(), order.end(), [&e](qsizetype a, qsizetype b) {
            return std::abs(e.points[a + 1].y() - e.points[a].y()) >
                   std::abs(e.points[b + 1].y() - e.points[b].y());
        });
        for (qsizetype s : order) {
            const QPointF mid = (e.points[s] + e.points[s + 1]) / 2;
            const QRectF right(QPointF(mid.x() + kLabelGap, mid.y() - size.height() / 2), size);
            const QRectF left(QPointF(mid.x() - kLabelGap - size.width(), right.top()), size);
            for (const QRectF& candidate : {right, left})
                if (!taken.overlaps(candidate)) {
                    e.labelRect = candidate;
                    break;
                }
            if (!e.labelRect.isNull())
                break;
        }
        if (!e.labelRect.isNull())
            taken.add(e.labelRect);
    }
}

} // namespace lb::widgets
