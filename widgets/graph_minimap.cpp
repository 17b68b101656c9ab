#include "widgets/graph_minimap.h"

#include "widgets/graph_painter.h"
#include "widgets/graph_view.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace lb::widgets {

namespace {
constexpr double kInset = 4.0;    // pixels between the border and the drawing
constexpr double kMinSide = 40.0; // a long chain is stretched to this width, not a hairline
constexpr double kMaxWidth = 220.0;
constexpr double kMaxHeight = 260.0;
constexpr double kMinOpacity = 0.08; // of a box far smaller than a pixel
constexpr double kMinMarker = 6.0;   // the visible-area marker stays visible and grabbable
const QColor kBackground(0xff, 0xff, 0xff);
const QColor kBorder(0xb8, 0xbc, 0xc2);
const QColor kEdge(0xc4, 0xc7, 0xcc);
const QColor kMarker(0x1f, 0x6f, 0xd1);
const QColor kSelection(0xff, 0x9f, 0x1a);
} // namespace

GraphMinimap::GraphMinimap(GraphView* view) : QWidget(view->viewport()), m_view(view) {
    setObjectName(QStringLiteral("graphMinimap"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::PointingHandCursor);
    retranslateUi();
}

void GraphMinimap::retranslateUi() {
    setToolTip(tr("Overview of the whole graph: click or drag to move the view"));
    setAccessibleName(tr("Graph overview"));
}

void GraphMinimap::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

QSize GraphMinimap::sizeFor(QSize viewportSize) const {
    if (!m_view->scene())
        return {};
    const QRectF b = m_view->scene()->boundingRect();
    const double maxW = std::clamp(viewportSize.width() * 0.22, 60.0, kMaxWidth);
    const double maxH = std::clamp(viewportSize.height() * 0.35, 60.0, kMaxHeight);
    const double s = std::min(maxW / b.width(), maxH / b.height());
    const double w = std::clamp(b.width() * s, kMinSide, maxW);
    const double h = std::clamp(b.height() * s, kMinSide, maxH);
    return QSize(static_cast<int>(std::ceil(w + 2 * kInset)),
                 static_cast<int>(std::ceil(h + 2 * kInset)));
}

QRectF GraphMinimap::mapArea() const {
    return QRectF(rect()).adjusted(kInset, kInset, -kInset, -kInset);
}

QPointF GraphMinimap::mapFromScene(QPointF scenePos) const {
    if (!m_view->scene())
        return scenePos;
    const QRectF b = m_view->scene()->boundingRect();
    const QRectF a = mapArea();
    return QPointF(a.left() + (scenePos.x() - b.left()) * a.width() / b.width(),
                   a.top() + (scenePos.y() - b.top()) * a.height() / b.height());
}

QPointF GraphMinimap::mapToScene(QPointF minimapPos) const {
    if (!m_view->scene())
        return minimapPos;
    const QRectF b = m_view->scene()->boundingRect();
    const QRectF a = mapArea();
    return QPointF(b.left() + (minimapPos.x() - a.left()) * b.width() / a.width(),
                   b.top() + (minimapPos.y() - a.top()) * b.height() / a.height());
}

QRectF GraphMinimap::viewportRect() const {
    const QRectF visible = m_view->visibleSceneRect();
    return QRectF(mapFromScene(visible.topLeft()), mapFromScene(visible.bottomRight()));
}

QRect GraphMinimap::markerBounds() const {
    QRectF r = viewportRect().intersected(mapArea());
    if (r.isEmpty())
        r = QRectF(viewportRect().center(), QSizeF(0, 0));
    const QPointF c = r.center();
    r.setWidth(std::max(r.width(), kMinMarker));
    r.setHeight(std::max(r.height(), kMinMarker));
    r.moveCenter(c);
    return r.toAlignedRect().adjusted(-2, -2, 2, 2); // the pen's width
}

void GraphMinimap::invalidateScene() {
    m_dirty = true;
    update();
}

void GraphMinimap::viewChanged() {
    const QRect now = markerBounds();
    if (now != m_paintedMarker)
        update(QRegion(m_paintedMarker).united(now));
}

void GraphMinimap::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_dirty = true;
}

void GraphMinimap::renderScene() {
    const qreal dpr = devicePixelRatioF();
    m_cache = QPixmap((QSizeF(size()) * dpr).toSize());
    m_cache.setDevicePixelRatio(dpr);
    m_cache.fill(kBackground);
    QPainter painter(&m_cache);
    painter.setPen(kBorder);
    painter.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    if (const auto scene = m_view->scene()) {
        painter.setClipRect(mapArea());
        // Edges as straight lines under the boxes: enough to show branches and skips.
        QList<QLineF> lines;
        lines.reserve(static_cast<qsizetype>(scene->edges().size()));
        for (const SceneEdge& e : scene->edges())
            if (e.points.size() >= 2)
                lines.append(QLineF(mapFromScene(e.points.first()), mapFromScene(e.points.last())));
        painter.setPen(QPen(kEdge, 0));
        painter.drawLines(lines);
        const auto& overlay = m_view->nodeOverlay();
        for (const SceneNode& n : scene->nodes()) {
            QRectF r(mapFromScene(n.rect.topLeft()), mapFromScene(n.rect.bottomRight()));
            // A box smaller than a pixel adds its colour in proportion to what it covers, so a
            // pixel that dozens of boxes share shows their mix, not whichever came last.
            const double coverage = std::min(r.width(), 1.0) * std::min(r.height(), 1.0);
            painter.setOpacity(std::max(coverage, kMinOpacity));
            const QPointF c = r.center();
            r.setWidth(std::max(r.width(), 1.0));
            r.setHeight(std::max(r.height(), 1.0));
            r.moveCenter(c);
            painter.fillRect(r, GraphPainter::fillFor(n, overlay));
        }
        painter.setOpacity(1.0);
    }
    m_dirty = false;
    ++m_renderCount;
}

void GraphMinimap::paintEvent(QPaintEvent*) {
    const QSize pixels = (QSizeF(size()) * devicePixelRatioF()).toSize();
    if (m_dirty || m_cache.size() != pixels)
        renderScene();
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_cache);
    const auto scene = m_view->scene();
    if (!scene)
        return;
    painter.setRenderHint(QPainter::Antialiasing, true);
    if (const auto index = scene->indexOfNode(m_view->selectedNode())) {
        painter.setPen(QPen(kSelection, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(mapFromScene(scene->node(*index).rect.center()), 3.5, 3.5);
    }
    const QRectF marker = QRectF(markerBounds()).adjusted(2, 2, -2, -2);
    QColor fill = kMarker;
    fill.setAlpha(40);
    painter.setPen(QPen(kMarker, 1.5));
    painter.setBrush(fill);
    painter.drawRect(marker);
    m_paintedMarker = markerBounds();
}

void GraphMinimap::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_view->scene()) {
        event->ignore();
        return;
    }
    const QPointF pos = event->position();
    const QPointF at = mapToScene(pos);
    // Grabbing the marker moves it by the drag; a press elsewhere centres the view there.
    m_grabOffset =
        QRectF(markerBounds()).contains(pos) ? at - m_view->visibleSceneRect().center() : QPointF();
    m_dragging = true;
    setCursor(Qt::ClosedHandCursor);
    m_view->centreOnScenePoint(at - m_grabOffset);
    event->accept();
}

void GraphMinimap::mouseMoveEvent(QMouseEvent* event) {
    if (m_dragging)
        m_view->centreOnScenePoint(mapToScene(event->position()) - m_grabOffset);
    event->accept();
}

void GraphMinimap::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_dragging) {
        m_dragging = false;
        setCursor(Qt::PointingHandCursor);
    }
    event->accept();
}

} // namespace lb::widgets
