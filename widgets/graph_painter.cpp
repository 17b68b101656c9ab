#include "widgets/graph_painter.h"

#include "widgets/op_colors.h"

#include <QFont>
#include <QPainter>
#include <QPainterPath>
#include <QVarLengthArray>
#include <cmath>

namespace lb::widgets {

namespace {
constexpr double kOutlineBelow = 0.5; // zoom under which nodes are plain boxes
constexpr double kFullFrom = 0.8;     // zoom from which names and shapes are drawn
constexpr double kLabelPx = 12.0;     // sizes in scene units, scaled by zoom
constexpr double kSubLabelPx = 10.0;
constexpr double kShapePx = 9.5;
constexpr double kCornerRadius = 5.0;
const QColor kEdgeColour(0x7a, 0x7f, 0x87);
const QColor kShapeTextColour(0x55, 0x5b, 0x63);
const QColor kSelectColour(0xff, 0x9f, 0x1a);
const QColor kWeightTextColour(0x30, 0x34, 0x3a);
constexpr double kHeaderHeight = 38.0; // the builder's box height without weight rows

QFont pixelFont(double px, bool bold) {
    QFont f;
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(px))));
    f.setBold(bold);
    return f;
}
} // namespace

GraphPainter::Detail GraphPainter::detailFor(double zoom) {
    if (zoom < kOutlineBelow)
        return Detail::Outline;
    return zoom < kFullFrom ? Detail::Labels : Detail::Full;
}

double GraphPainter::minLabelZoom() {
    return kOutlineBelow;
}

QColor GraphPainter::fillFor(const SceneNode& node, const QHash<lb::ir::NodeId, QColor>& overlay) {
    if (node.kind == SceneNode::Kind::Op) {
        auto it = overlay.constFind(node.nodeId);
        if (it != overlay.constEnd())
            return *it;
    }
    return OpColors::fill(node.category);
}

GraphPainter::GraphPainter(const GraphScene& scene, const QHash<lb::ir::NodeId, QColor>& overlay,
                           lb::ir::NodeId selected, const QSet<lb::ir::NodeId>* highlighted)
    : m_scene(scene), m_overlay(overlay), m_selected(selected), m_highlighted(highlighted) {}

QColor GraphPainter::fillOf(const SceneNode& node) const {
    return fillFor(node, m_overlay);
}

void GraphPainter::paint(QPainter& painter, const Frame& frame) const {
    painter.save();
    if (frame.detail == Detail::Outline) {
        paintOutline(painter, frame);
    } else {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setRenderHint(QPainter::TextAntialiasing, true);
        paintEdges(painter, frame);
        paintNodes(painter, frame);
    }
    painter.restore();
}

// Far out: straight edges and unlabelled boxes, batched per colour, no antialiasing.
void GraphPainter::paintOutline(QPainter& painter, const Frame& frame) const {
    painter.setRenderHint(QPainter::Antialiasing, false);
    auto toDevice = [&frame](QPointF p) { return (p - frame.origin) * frame.zoom; };
    const std::vector<uint32_t> edges = m_scene.edgesIn(frame.sceneArea);
    QList<QLineF> lines;
    lines.reserve(static_cast<qsizetype>(edges.size()));
    for (uint32_t e : edges) {
        const QPolygonF& pts = m_scene.edges()[e].points;
        if (pts.size() >= 2)
            lines.append(QLineF(toDevice(pts.first()), toDevice(pts.last())));
    }
    painter.setPen(QPen(kEdgeColour.lighter(120), 0));
    painter.drawLines(lines);

    QHash<QRgb, QList<QRectF>> byColour;
    const std::vector<uint32_t> nodes = m_scene.nodesIn(frame.sceneArea);
    for (uint32_t i : nodes) {
        const SceneNode& n = m_scene.node(i);
        QRectF r(toDevice(n.rect.topLeft()), n.rect.size() * frame.zoom);
        byColour[fillOf(n).rgba()].append(r);
    }
    painter.setPen(Qt::NoPen);
    for (auto it = byColour.cbegin(); it != byColour.cend(); ++it) {
        painter.setBrush(QColor::fromRgba(it.key()));
        painter.drawRects(it.value());
    }
    if (auto sel = m_scene.indexOfNode(m_selected)) {
        const SceneNode& n = m_scene.node(*sel);
        QRectF r(toDevice(n.rect.topLeft()), n.rect.size() * frame.zoom);
        // Keep the selection findable even when the box is smaller than a pixel.
        r = r.adjusted(-3, -3, 3, 3);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(kSelectColour, 2));
        painter.drawRect(r);
    }
}

void GraphPainter::paintEdges(QPainter& painter, const Frame& frame) const {
    const double z = frame.zoom;
    auto toDevice = [&frame](QPointF p) { return (p - frame.origin) * frame.zoom; };
    const bool full = frame.detail == Detail::Full;
    const QFont shapeFont = pixelFont(kShapePx * z, false);
    const double arrow = std::max(3.0, 6.0 * z);
    QPen pen(kEdgeColour, std::max(0.8, 1.2 * z));
    pen.setJoinStyle(Qt::RoundJoin);
    for (uint32_t e : m_scene.edgesIn(frame.sceneArea)) {
        const SceneEdge& edge = m_scene.edges()[e];
        if (edge.points.size() < 2)
            continue;
        QPolygonF pts;
        pts.reserve(edge.points.size());
        for (const QPointF& p : edge.points)
            pts.append(toDevice(p));
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        // Stop the line at the arrow's base so the tip stays sharp.
        const QPointF tip = pts.last();
        QLineF last(pts[pts.size() - 2], tip);
        const double len = last.length();
        QPolygonF line = pts;
        if (len > arrow)
            line.last() = last.pointAt((len - arrow) / len);
        painter.drawPolyline(line);
        if (len > 0) {
            const QPointF dir = (tip - last.p1()) / len;
            const QPointF normal(-dir.y(), dir.x());
            const QPointF base = tip - dir * arrow;
            const QPointF head[3] = {tip, base + normal * arrow * 0.5, base - normal * arrow * 0.5};
            painter.setPen(Qt::NoPen);
            painter.setBrush(kEdgeColour);
            painter.drawPolygon(head, 3);
        }
        if (full && !edge.labelRect.isNull()) {
            // Placed by the scene builder where it collides with no box and no other label.
            const QRectF at((edge.labelRect.topLeft() - frame.origin) * z,
                            edge.labelRect.size() * z);
            painter.setFont(shapeFont);
            painter.setPen(kShapeTextColour);
            painter.drawText(at, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextDontClip,
                             edge.shapeText);
        }
    }
}

void GraphPainter::paintNodes(QPainter& painter, const Frame& frame) const {
    const double z = frame.zoom;
    const bool full = frame.detail == Detail::Full;
    const QFont labelFont = pixelFont(kLabelPx * z, true);
    const QFont subFont = pixelFont(kSubLabelPx * z, false);
    const QFont ioFont = pixelFont(kSubLabelPx * z + 1, false);
    for (uint32_t i : m_scene.nodesIn(frame.sceneArea)) {
        const SceneNode& n = m_scene.node(i);
        const QRectF r((n.rect.topLeft() - frame.origin) * z, n.rect.size() * z);
        const QColor fill = fillOf(n);
        const QColor text = OpColors::textOn(fill);
        const bool selected = n.kind == SceneNode::Kind::Op && n.nodeId == m_selected;
        const double radius = n.kind == SceneNode::Kind::Op ? kCornerRadius * z : r.height() / 2;
        const bool highlighted = !selected && n.kind == SceneNode::Kind::Op && m_highlighted &&
                                 m_highlighted->contains(n.nodeId);
        if (selected || highlighted) {
            painter.setPen(QPen(kSelectColour, std::max(2.0, 3.0 * z),
                                selected ? Qt::SolidLine : Qt::DashLine));
            painter.setBrush(Qt::NoBrush);
            const double grow = 2.5 * z;
            painter.drawRoundedRect(r.adjusted(-grow, -grow, grow, grow), radius + grow,
                                    radius + grow);
        }
        painter.setPen(QPen(fill.darker(140), std::max(0.6, 1.0 * z)));
        painter.setBrush(fill);
        painter.drawRoundedRect(r, radius, radius);
        QRectF head = r;
        if (!n.weightRows.isEmpty()) {
            head.setHeight(kHeaderHeight * z);
            if (frame.detail != Detail::Outline)
                paintWeightRows(painter, n, r, head, z, full);
        }
        painter.setPen(text);
        if (n.kind != SceneNode::Kind::Op) {
            painter.setFont(ioFont);
            painter.drawText(r, Qt::AlignCenter, n.label);
        } else if (full && !n.subLabel.isEmpty()) {
            const QRectF top(head.left(), head.top() + 3 * z, head.width(), head.height() * 0.5);
            const QRectF bottom(head.left(), head.center().y() + 1 * z, head.width(),
                                head.height() * 0.5 - 4 * z);
            painter.setFont(labelFont);
            painter.drawText(top, Qt::AlignHCenter | Qt::AlignVCenter, n.label);
            QColor sub = text;
            sub.setAlphaF(0.8f);
            painter.setPen(sub);
            painter.setFont(subFont);
            painter.drawText(bottom, Qt::AlignHCenter | Qt::AlignVCenter, n.subLabel);
        } else {
            painter.setFont(labelFont);
            painter.drawText(head, Qt::AlignCenter, n.label);
        }
    }
}

// The weight rows under the header, on a light band so they read as the box's contents.
void GraphPainter::paintWeightRows(QPainter& painter, const SceneNode& n, const QRectF& box,
                                   const QRectF& head, double z, bool withText) const {
    const QRectF band(box.left() + 1 * z, head.bottom(), box.width() - 2 * z,
                      box.bottom() - head.bottom() - 1 * z);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 215));
    painter.drawRoundedRect(band, kCornerRadius * z * 0.6, kCornerRadius * z * 0.6);
    if (withText) {
        painter.setFont(pixelFont(kSubLabelPx * z, false));
        painter.setPen(kWeightTextColour);
        const double rowHeight = band.height() / n.weightRows.size();
        for (int i = 0; i < n.weightRows.size(); ++i) {
            const QRectF row(band.left() + 6 * z, band.top() + i * rowHeight, band.width() - 8 * z,
                             rowHeight);
            painter.drawText(row, Qt::AlignLeft | Qt::AlignVCenter, n.weightRows[i]);
        }
    }
    painter.restore();
}

} // namespace lb::widgets
