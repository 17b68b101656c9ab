#include "widgets/graph_view.h"

#include "widgets/graph_minimap.h"
#include "widgets/op_colors.h"

#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <set>

namespace lb::widgets {

namespace {
constexpr double kPad = 40.0; // pixels around the graph
constexpr double kMaxZoom = 4.0;
constexpr double kZoomStep = 1.25;
// From the farthest zoom, this many wheel notches reach the zoom that draws op types.
constexpr double kNotchesFromFarthest = 5.0;
constexpr double kMaxFitZoom = 1.0;
// Fitted below this a box is a few pixels (a 10,000-node chain: a 1-px line); fit the width at
// a readable zoom instead.
constexpr double kMinFitZoom = 0.1;
constexpr double kMaxSelectionZoom = 1.5;
constexpr double kSelectionMargin = 30.0; // scene units around the selection
constexpr int kMinimapMargin = 10;
constexpr double kLegendGap = 6.0; // between the legend and a graph fitted beside or above it
// Fitted below this the text is too small to read; open at kOpeningZoom instead.
constexpr double kMinOpeningFit = 0.6;
constexpr double kOpeningZoom = 0.9;
constexpr int kDragThreshold = 3;
// Exported images stay well inside QImage's limits.
constexpr double kMaxExportSide = 16384.0;
constexpr double kMaxExportPixels = 150.0e6;
const QColor kBackground(0xfb, 0xfb, 0xfa);
} // namespace

GraphView::GraphView(QWidget* parent) : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(false);
    horizontalScrollBar()->setSingleStep(20);
    verticalScrollBar()->setSingleStep(20);
    setAccessibleName(tr("Model graph"));
    m_minimap = new GraphMinimap(this);
    m_minimap->hide();
}

void GraphView::setScene(std::shared_ptr<const GraphScene> scene) {
    m_scene = std::move(scene);
    m_selected = lb::ir::kNoNode;
    m_highlighted.clear();
    m_categoriesInScene.clear();
    if (m_scene) {
        std::set<lb::ops::OpCategory> present;
        for (const SceneNode& n : m_scene->nodes())
            if (n.kind == SceneNode::Kind::Op)
                present.insert(n.category);
        m_categoriesInScene = QList<lb::ops::OpCategory>(present.begin(), present.end());
    }
    m_minimap->invalidateScene();
    // Small graphs open fitted; large ones at a readable zoom with the first input at the top
    // centre, where reading starts.
    const double fit = fitZoom();
    if (fit >= kMinOpeningFit || !m_scene) {
        fitToView();
    } else {
        m_zoom = kOpeningZoom;
        updateScrollBars();
        showSceneTop();
        viewMoved();
        emit zoomChanged(m_zoom);
    }
    viewport()->update();
}

void GraphView::showSceneTop() {
    if (!m_scene)
        return;
    const QRectF b = m_scene->boundingRect();
    QPointF top(b.center().x(), b.top());
    for (const SceneNode& n : m_scene->nodes())
        if (n.kind == SceneNode::Kind::GraphInput) {
            top = QPointF(n.rect.center().x(), n.rect.top());
            break;
        }
    const QPointF at = mapFromScene(top);
    int x = horizontalScrollBar()->value() +
            static_cast<int>(std::lround(at.x() - fitArea().center().x()));
    // A graph as narrow as the viewport stays whole in view, even if that puts part of it beside
    // (under) the legend: the legend folds, a cut-off graph would need scrolling to be seen.
    const double width = b.width() * m_zoom;
    if (width <= viewport()->width()) {
        // A pixel of slack on each side: scroll values are whole pixels, the scene's are not.
        const int lowest = static_cast<int>(std::ceil(kPad + width - viewport()->width())) + 1;
        const int highest = static_cast<int>(kPad) - 1;
        x = lowest <= highest
                ? std::clamp(x, lowest, highest)
                : static_cast<int>(std::lround(kPad + (width - viewport()->width()) / 2.0));
    }
    horizontalScrollBar()->setValue(x);
    verticalScrollBar()->setValue(verticalScrollBar()->value() +
                                  static_cast<int>(std::lround(at.y() - kPad)));
}

double GraphView::fitZoom() const {
    if (!m_scene)
        return 1.0;
    const QRectF b = m_scene->boundingRect();
    const QRectF area = fitArea();
    const double zx = (area.width() - 2 * kPad) / std::max(1.0, b.width());
    const double zy = (area.height() - 2 * kPad) / std::max(1.0, b.height());
    return std::max(1e-6, std::min(zx, zy));
}

double GraphView::fitWidthZoom() const {
    if (!m_scene)
        return 1.0;
    // A long chain's fit area is the part beside the legend's column (see fitArea), so the chain
    // scrolls past the legend and never under it.
    return std::max(1e-6, (fitArea().width() - 2 * kPad) /
                              std::max(1.0, m_scene->boundingRect().width()));
}

QRectF GraphView::fitArea() const {
    const QRectF all(viewport()->rect());
    const QRect legend = legendRect();
    if (legend.isEmpty() || !m_scene)
        return all;
    // The legend's column on the left or its band at the bottom, whichever costs the graph less
    // zoom. The padding around the graph already clears a legend that lies inside it.
    const double right = std::max(0.0, legend.right() + 1 + kLegendGap - kPad);
    const double top = std::max(0.0, all.bottom() - legend.top() + 1 + kLegendGap - kPad);
    const QRectF beside = all.adjusted(right, 0, 0, 0);
    const QRectF above = all.adjusted(0, 0, 0, -top);
    const QRectF b = m_scene->boundingRect();
    const auto zoomIn = [&b](const QRectF& area) {
        return std::min((area.width() - 2 * kPad) / std::max(1.0, b.width()),
                        (area.height() - 2 * kPad) / std::max(1.0, b.height()));
    };
    return zoomIn(beside) >= zoomIn(above) ? beside : above;
}

double GraphView::minZoom() const {
    return std::min(fitZoom() * 0.5, 0.1);
}

void GraphView::updateScrollBars() {
    if (!m_scene) {
        horizontalScrollBar()->setRange(0, 0);
        verticalScrollBar()->setRange(0, 0);
        return;
    }
    const QRectF b = m_scene->boundingRect();
    const QRectF area = fitArea();
    // from, size: the stretch of the viewport the content is centred in when it does not scroll.
    // Content that scrolls may also scroll clear of the legend: the range reaches as far past
    // the content's edge as the legend's column (left) or band (bottom) takes, so a node under
    // the legend can always be brought out, and the opening view starts beside it.
    auto setup = [](QScrollBar* bar, double content, int page, double from, double size) {
        bar->setPageStep(page);
        if (content <= page) {
            // Too small to scroll: a single negative offset centres the content in the fit area,
            // or puts it as near that centre as the viewport allows.
            const double centred = content / 2.0 - from - size / 2.0;
            const int v = static_cast<int>(std::lround(std::clamp(centred, content - page, 0.0)));
            bar->setRange(v, v);
        } else {
            const double before = std::max(0.0, from);
            const double after = std::max(0.0, page - (from + size));
            bar->setRange(-static_cast<int>(std::ceil(before)),
                          static_cast<int>(std::ceil(content - page + after)));
        }
    };
    setup(horizontalScrollBar(), b.width() * m_zoom + 2 * kPad, viewport()->width(), area.left(),
          area.width());
    setup(verticalScrollBar(), b.height() * m_zoom + 2 * kPad, viewport()->height(), area.top(),
          area.height());
}

QPointF GraphView::mapFromScene(QPointF scenePos) const {
    const QPointF topLeft = m_scene ? m_scene->boundingRect().topLeft() : QPointF();
    return (scenePos - topLeft) * m_zoom + QPointF(kPad, kPad) -
           QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
}

QPointF GraphView::mapToScene(QPointF viewportPos) const {
    const QPointF topLeft = m_scene ? m_scene->boundingRect().topLeft() : QPointF();
    return (viewportPos - QPointF(kPad, kPad) +
            QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value())) /
               m_zoom +
           topLeft;
}

QRectF GraphView::visibleSceneRect() const {
    return QRectF(mapToScene(QPointF(0, 0)), mapToScene(QPointF(viewport()->rect().bottomRight())))
        .normalized();
}

GraphPainter::Frame GraphView::viewFrame() const {
    GraphPainter::Frame f;
    f.zoom = m_zoom;
    f.origin = mapToScene(QPointF(0, 0));
    // A margin so arrow heads and shape labels of items just outside still show.
    const double margin = 20.0 / m_zoom;
    f.sceneArea = visibleSceneRect().adjusted(-margin, -margin, margin, margin);
    f.detail = GraphPainter::detailFor(m_zoom);
    return f;
}

void GraphView::setZoom(double zoom, std::optional<QPointF> anchorViewportPos) {
    const QPointF anchor = anchorViewportPos.value_or(QRectF(viewport()->rect()).center());
    const QPointF sceneAnchor = mapToScene(anchor);
    m_zoom = std::clamp(zoom, minZoom(), kMaxZoom);
    updateScrollBars();
    const QPointF now = mapFromScene(sceneAnchor);
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() +
                                    static_cast<int>(std::lround(now.x() - anchor.x())));
    verticalScrollBar()->setValue(verticalScrollBar()->value() +
                                  static_cast<int>(std::lround(now.y() - anchor.y())));
    viewMoved();
    viewport()->update();
    emit zoomChanged(m_zoom);
}

double GraphView::zoomAfterSteps(double zoom, double steps) const {
    // Positions in notches, 0 at the readable zoom: kZoomStep apart above it, and below it as
    // far apart as it takes to cross from minZoom() in kNotchesFromFarthest.
    const double readable = GraphPainter::minLabelZoom();
    const double far =
        std::max(kZoomStep, std::pow(readable / minZoom(), 1.0 / kNotchesFromFarthest));
    const double ratio = std::max(zoom, 1e-9) / readable;
    const double at = std::log(ratio) / std::log(ratio >= 1.0 ? kZoomStep : far);
    double to = at + steps;
    // Whole notches land on whole positions, exactly (0 is the readable zoom itself).
    if (std::abs(to - std::round(to)) < 1e-6)
        to = std::round(to);
    return readable * std::pow(to >= 0.0 ? kZoomStep : far, to);
}

void GraphView::zoomIn() {
    setZoom(zoomAfterSteps(m_zoom, 1.0));
}
void GraphView::zoomOut() {
    setZoom(zoomAfterSteps(m_zoom, -1.0));
}
void GraphView::zoomToActualSize() {
    setZoom(1.0);
}

QRectF GraphView::selectionRect() const {
    if (!m_scene)
        return {};
    const auto selected = m_scene->indexOfNode(m_selected);
    if (!selected)
        return {};
    QRectF area = m_scene->node(*selected).rect;
    if (m_highlighted.contains(m_selected))
        for (lb::ir::NodeId id : m_highlighted)
            if (const auto index = m_scene->indexOfNode(id))
                area = area.united(m_scene->node(*index).rect);
    return area;
}

void GraphView::zoomToSelection() {
    const QRectF selection = selectionRect();
    if (selection.isNull())
        return;
    const QRectF area = selection.adjusted(-kSelectionMargin, -kSelectionMargin, kSelectionMargin,
                                           kSelectionMargin);
    const double zx = (viewport()->width() - 2 * kPad) / area.width();
    const double zy = (viewport()->height() - 2 * kPad) / area.height();
    m_zoom = std::clamp(std::min({zx, zy, kMaxSelectionZoom}), minZoom(), kMaxZoom);
    updateScrollBars();
    centreOnScenePoint(area.center());
    viewMoved();
    emit zoomChanged(m_zoom);
}

void GraphView::fitToView() {
    const double whole = std::min(fitZoom(), kMaxFitZoom);
    if (!m_scene || whole >= kMinFitZoom) {
        m_zoom = whole;
        updateScrollBars();
        if (m_scene) {
            // Centred in the part of the viewport the legend leaves free, not in all of it.
            const QPointF c = mapFromScene(m_scene->boundingRect().center());
            const QPointF centre = fitArea().center();
            horizontalScrollBar()->setValue(horizontalScrollBar()->value() +
                                            static_cast<int>(std::lround(c.x() - centre.x())));
            verticalScrollBar()->setValue(verticalScrollBar()->value() +
                                          static_cast<int>(std::lround(c.y() - centre.y())));
        }
    } else {
        m_zoom = std::clamp(fitWidthZoom(), GraphPainter::minLabelZoom(), kMaxFitZoom);
        updateScrollBars();
        showSceneTop();
    }
    viewMoved();
    viewport()->update();
    emit zoomChanged(m_zoom);
}

void GraphView::centreOn(lb::ir::NodeId id) {
    if (!m_scene)
        return;
    if (const auto index = m_scene->indexOfNode(id))
        centreOnScenePoint(m_scene->node(*index).rect.center());
}

void GraphView::centreOnScenePoint(QPointF scenePos) {
    const QPointF at = mapFromScene(scenePos);
    const QPointF centre = QRectF(viewport()->rect()).center();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() +
                                    static_cast<int>(std::lround(at.x() - centre.x())));
    verticalScrollBar()->setValue(verticalScrollBar()->value() +
                                  static_cast<int>(std::lround(at.y() - centre.y())));
    viewport()->update();
}

void GraphView::setMinimapEnabled(bool enabled) {
    m_minimapEnabled = enabled;
    viewMoved();
}

void GraphView::viewMoved() {
    const QSize size = m_minimap->sizeFor(viewport()->size());
    // Hidden when it would show nothing new (the whole scene is in view) or crowd a small view.
    const bool show = m_minimapEnabled && m_scene && !size.isEmpty() &&
                      !visibleSceneRect().contains(m_scene->boundingRect()) &&
                      viewport()->width() >= 2 * size.width() &&
                      viewport()->height() >= size.height() + 2 * kMinimapMargin;
    const QRect where(QPoint(viewport()->width() - size.width() - kMinimapMargin,
                             viewport()->height() - size.height() - kMinimapMargin),
                      size);
    // The legend has the bottom-left corner; in a view too narrow for both, it keeps it.
    const bool fits = show && !where.intersects(legendRect());
    if (fits) {
        m_minimap->setGeometry(where);
        m_minimap->viewChanged();
    }
    m_minimap->setVisible(fits);
}

void GraphView::selectNode(lb::ir::NodeId id, bool centre) {
    // A constant folded into its consumer's box selects that box.
    const lb::ir::NodeId shown = m_scene ? m_scene->displayedNode(id) : lb::ir::kNoNode;
    const bool changed = shown != m_selected;
    m_selected = shown;
    if (centre && m_selected != lb::ir::kNoNode) {
        // Zoomed far out a centred node is still invisible; come close enough to read it.
        if (GraphPainter::detailFor(m_zoom) == Detail::Outline)
            setZoom(1.0);
        centreOn(m_selected);
    }
    viewport()->update();
    if (changed)
        emit nodeSelected(m_selected);
}

void GraphView::clearSelection() {
    selectNode(lb::ir::kNoNode);
}

void GraphView::setNodeOverlay(const QHash<lb::ir::NodeId, QColor>& colours,
                               const QList<QPair<QString, QColor>>& legend) {
    m_overlay = colours;
    m_overlayLegend = legend;
    m_minimap->invalidateScene();
    updateScrollBars(); // the legend's size may have changed
    viewport()->update();
}

void GraphView::setHighlightedNodes(const QList<lb::ir::NodeId>& nodes) {
    m_highlighted.clear();
    for (lb::ir::NodeId id : nodes)
        if (m_scene && m_scene->displayedNode(id) != lb::ir::kNoNode)
            m_highlighted.insert(m_scene->displayedNode(id));
    viewport()->update();
}

void GraphView::setLegendVisible(bool visible) {
    m_legendVisible = visible;
    updateScrollBars(); // as when folding it: the fit area changed
    viewport()->update();
}

void GraphView::setLegendCollapsed(bool collapsed) {
    m_legendCollapsed = collapsed;
    updateScrollBars(); // a graph too small to scroll is centred beside the legend
    viewport()->update();
}

QList<QPair<QString, QColor>> GraphView::legendEntries() const {
    QList<QPair<QString, QColor>> entries = m_overlayLegend;
    if (entries.isEmpty())
        for (lb::ops::OpCategory c : m_categoriesInScene)
            entries.append({OpColors::categoryName(c), OpColors::fill(c)});
    return entries;
}

QFont GraphView::legendFont() const {
    QFont font = viewport()->font();
    font.setPixelSize(11);
    return font;
}

QRect GraphView::legendRect() const {
    const QList<QPair<QString, QColor>> entries = legendEntries();
    if (!m_legendVisible || !m_scene || entries.isEmpty())
        return {};
    const QFontMetrics fm(legendFont());
    const int row = fm.height() + 4;
    int textWidth = fm.horizontalAdvance(tr("Legend")) + fm.horizontalAdvance(QChar(0x25be)) + 6;
    if (m_legendCollapsed)
        return QRect(8, viewport()->height() - 8 - row - 8, textWidth + 16, row + 8);
    for (const auto& e : entries)
        textWidth = std::max(textWidth, fm.horizontalAdvance(e.first) + 22);
    const int rows = static_cast<int>(entries.size()) + 1; // and the title
    return QRect(8, viewport()->height() - 8 - row * rows - 8, textWidth + 18, row * rows + 8);
}

std::optional<lb::ir::NodeId> GraphView::nodeAt(QPoint viewportPos) const {
    if (!m_scene)
        return std::nullopt;
    const auto hit = m_scene->hitTest(mapToScene(QPointF(viewportPos)));
    if (!hit || m_scene->node(*hit).kind != SceneNode::Kind::Op)
        return std::nullopt;
    return m_scene->node(*hit).nodeId;
}

bool GraphView::viewportEvent(QEvent* event) {
    if (event->type() != QEvent::ToolTip || !m_scene)
        return QAbstractScrollArea::viewportEvent(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const QPointF at = mapToScene(QPointF(help->pos()));
    QString text;
    if (const auto e = m_scene->edgeLabelAt(at)) {
        const SceneEdge& edge = m_scene->edges()[*e];
        text = QStringLiteral("%1\n%2").arg(edge.tensorName, edge.shapeFull);
    } else if (const auto hit = m_scene->hitTest(at)) {
        const SceneNode& n = m_scene->node(*hit);
        QStringList lines{n.label};
        if (!n.subLabel.isEmpty())
            lines << n.subLabel;
        lines << n.weightRows;
        text = lines.join(QLatin1Char('\n'));
    }
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, viewport());
    return true;
}

void GraphView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    painter.fillRect(viewport()->rect(), kBackground);
    if (!m_scene)
        return;
    GraphPainter(*m_scene, m_overlay, m_selected, &m_highlighted).paint(painter, viewFrame());
    if (m_legendVisible)
        paintLegend(painter);
}

void GraphView::paintLegend(QPainter& painter) const {
    const QRect box = legendRect();
    if (box.isEmpty())
        return;
    const QList<QPair<QString, QColor>> entries = legendEntries();
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setFont(legendFont());
    const int row = QFontMetrics(painter.font()).height() + 4;
    painter.setPen(QColor(0xd0, 0xd0, 0xd0));
    painter.setBrush(QColor(255, 255, 255, 230));
    painter.drawRoundedRect(box, 4, 4);
    // The title folds the legend: a triangle pointing down while open, right while folded.
    painter.setPen(QColor(0x60, 0x60, 0x60));
    painter.drawText(QRect(box.left() + 8, box.top() + 4, box.width() - 12, row), Qt::AlignVCenter,
                     tr("Legend") + QLatin1Char(' ') + QChar(m_legendCollapsed ? 0x25b8 : 0x25be));
    if (!m_legendCollapsed) {
        for (int i = 0; i < entries.size(); ++i) {
            const int y = box.top() + 4 + (i + 1) * row;
            painter.setPen(entries[i].second.darker(140));
            painter.setBrush(entries[i].second);
            painter.drawRoundedRect(QRect(box.left() + 8, y + 3, 16, row - 6), 2, 2);
            painter.setPen(QColor(0x30, 0x30, 0x30));
            painter.drawText(QRect(box.left() + 30, y, box.width() - 34, row), Qt::AlignVCenter,
                             entries[i].first);
        }
    }
    painter.restore();
}

void GraphView::renderTo(QPainter& painter, const QRectF& target) const {
    if (!m_scene)
        return;
    const QRectF b = m_scene->boundingRect().adjusted(-kPad / 2, -kPad / 2, kPad / 2, kPad / 2);
    GraphPainter::Frame f;
    f.zoom = std::min(target.width() / b.width(), target.height() / b.height());
    // Centre the scaled scene inside target.
    const QPointF slack((target.width() - b.width() * f.zoom) / 2,
                        (target.height() - b.height() * f.zoom) / 2);
    f.origin = b.topLeft() - (target.topLeft() + slack) / f.zoom;
    f.sceneArea = b;
    f.detail = GraphPainter::detailFor(f.zoom);
    GraphPainter(*m_scene, m_overlay, m_selected).paint(painter, f);
}

bool GraphView::exportPng(const QString& path, double scale) const {
    if (!m_scene)
        return false;
    const QRectF b = m_scene->boundingRect().adjusted(-kPad / 2, -kPad / 2, kPad / 2, kPad / 2);
    double s = std::min({scale, kMaxExportSide / b.width(), kMaxExportSide / b.height(),
                         std::sqrt(kMaxExportPixels / (b.width() * b.height()))});
    const QSize size(std::max(1, static_cast<int>(std::ceil(b.width() * s))),
                     std::max(1, static_cast<int>(std::ceil(b.height() * s))));
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return false;
    image.fill(kBackground);
    {
        QPainter painter(&image);
        renderTo(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    }
    return image.save(path, "PNG");
}

bool GraphView::exportSvg(const QString& path) const {
    if (!m_scene)
        return false;
    const QRectF b = m_scene->boundingRect().adjusted(-kPad / 2, -kPad / 2, kPad / 2, kPad / 2);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(b.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), b.size()));
    svg.setTitle(tr("Model graph"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    renderTo(painter, QRectF(QPointF(0, 0), b.size()));
    return painter.end();
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    viewMoved();
}

void GraphView::changeEvent(QEvent* event) {
    // The legend's title and category names are painted in the UI language; their width sets the
    // legend's, and so the area a fitted graph keeps clear of it.
    if (event->type() == QEvent::LanguageChange) {
        updateScrollBars();
        viewMoved();
        viewport()->update();
    }
    QAbstractScrollArea::changeEvent(event);
}

void GraphView::scrollContentsBy(int, int) {
    viewMoved();
    viewport()->update();
}

void GraphView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0.0) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    setZoom(zoomAfterSteps(m_zoom, steps), event->position());
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    if (legendRect().contains(event->position().toPoint())) {
        setLegendCollapsed(!m_legendCollapsed);
        event->accept();
        return;
    }
    m_pressed = true;
    m_dragging = false;
    m_pressPos = m_lastDragPos = event->position().toPoint();
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_pressed)
        return;
    const QPoint pos = event->position().toPoint();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() > kDragThreshold) {
        m_dragging = true;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    if (m_dragging) {
        const QPoint delta = pos - m_lastDragPos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        m_lastDragPos = pos;
    }
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_pressed)
        return;
    m_pressed = false;
    if (m_dragging) {
        m_dragging = false;
        viewport()->unsetCursor();
        return;
    }
    selectNode(nodeAt(event->position().toPoint()).value_or(lb::ir::kNoNode));
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (legendRect().contains(event->position().toPoint())) {
        setLegendCollapsed(!m_legendCollapsed); // the second click of a quick double toggle
        event->accept();
        return;
    }
    if (const auto id = nodeAt(event->position().toPoint())) {
        selectNode(*id, true);
        emit nodeActivated(*id);
    }
}

void GraphView::keyPressEvent(QKeyEvent* event) {
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (event->matches(QKeySequence::ZoomIn) || (ctrl && event->key() == Qt::Key_Equal)) {
        zoomIn();
    } else if (event->matches(QKeySequence::ZoomOut)) {
        zoomOut();
    } else if (ctrl && event->key() == Qt::Key_0) {
        fitToView();
    } else if (ctrl && event->key() == Qt::Key_1) {
        zoomToActualSize();
    } else if (ctrl && event->key() == Qt::Key_2) {
        zoomToSelection();
    } else {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace lb::widgets
