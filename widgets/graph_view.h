#pragma once

#include "ir/graph.h"
#include "widgets/graph_painter.h"
#include "widgets/graph_scene.h"

#include <QAbstractScrollArea>
#include <QColor>
#include <QHash>
#include <QList>
#include <QPair>
#include <QPoint>
#include <QSet>
#include <memory>
#include <optional>

namespace lb::widgets {

class GraphMinimap;

// Custom-painted view of a GraphScene: pan, zoom around the cursor, level of detail, selection,
// optional per-node colour overlay, whole-graph PNG/SVG export, a minimap in the corner. Draws
// only the items the spatial index reports as visible, so it stays usable at 100k nodes.
class GraphView : public QAbstractScrollArea {
    Q_OBJECT

public:
    using Detail = GraphPainter::Detail;

    explicit GraphView(QWidget* parent = nullptr);

    void setScene(std::shared_ptr<const GraphScene> scene);
    std::shared_ptr<const GraphScene> scene() const { return m_scene; }
    size_t nodeCount() const { return m_scene ? m_scene->nodeCount() : 0; }

    double zoom() const { return m_zoom; }
    void setZoom(double zoom, std::optional<QPointF> anchorViewportPos = std::nullopt);
    Detail detail() const { return GraphPainter::detailFor(m_zoom); }
    // The zoom `steps` wheel notches away from `zoom` (negative: out). Notches are fine steps
    // where text is drawn and coarse below it, so that from the farthest zoom a few notches reach
    // readable text even on a 10,000-node chain.
    double zoomAfterSteps(double zoom, double steps) const;
    // The zoom at which the whole scene fits the viewport.
    double wholeSceneZoom() const { return fitZoom(); }

    // The selected box's node (a folded constant selects the box it is drawn in).
    lb::ir::NodeId selectedNode() const { return m_selected; }
    void centreOn(lb::ir::NodeId id);
    void centreOnScenePoint(QPointF scenePos);
    // The scene area zoomToSelection() shows: the selected box, with the highlighted boxes when
    // the selection is one of them (e.g. the nodes a fused layer covers); null when none.
    QRectF selectionRect() const;

    QPointF mapToScene(QPointF viewportPos) const;
    QPointF mapFromScene(QPointF scenePos) const;
    // The scene area currently visible in the viewport.
    QRectF visibleSceneRect() const;

    // Colours that replace the category colour of listed nodes (e.g. a latency heat map), with the
    // legend entries drawn in the corner. An empty map removes the overlay.
    void setNodeOverlay(const QHash<lb::ir::NodeId, QColor>& colours,
                        const QList<QPair<QString, QColor>>& legend = {});
    const QHash<lb::ir::NodeId, QColor>& nodeOverlay() const { return m_overlay; }
    void setLegendVisible(bool visible);
    // The overview in the bottom-right corner, shown while enabled and the scene does not fit.
    GraphMinimap* minimap() const { return m_minimap; }
    void setMinimapEnabled(bool enabled);
    bool minimapEnabled() const { return m_minimapEnabled; }
    // The legend sits in the bottom-left corner; a click on it folds it to its title and back.
    // Fitting keeps the graph clear of it (the strip it needs, beside or above it, is left out).
    void setLegendCollapsed(bool collapsed);
    bool legendCollapsed() const { return m_legendCollapsed; }
    // Where the legend is drawn in the viewport (empty: none).
    QRect legendRect() const;
    // Nodes outlined besides the selection (folded constants map to their box); empty: none.
    void setHighlightedNodes(const QList<lb::ir::NodeId>& nodes);
    const QSet<lb::ir::NodeId>& highlightedNodes() const { return m_highlighted; }

    // Paints the whole scene scaled to fit `target` (aspect ratio kept).
    void renderTo(QPainter& painter, const QRectF& target) const;
    // Whole graph at `scale` pixels per scene unit. Return false when the file cannot be written.
    bool exportPng(const QString& path, double scale = 1.0) const;
    bool exportSvg(const QString& path) const;

public slots:
    void selectNode(lb::ir::NodeId id, bool centre = false);
    void clearSelection();
    void zoomIn();
    void zoomOut();
    // 100%: one device pixel per scene unit, around the viewport's centre.
    void zoomToActualSize();
    // Zooms (up to 150%) and centres so selectionRect() fills the view; nothing without one.
    void zoomToSelection();
    // The whole scene when its boxes stay recognisable; otherwise (a long chain would be a 1-px
    // line) the scene's width at a readable zoom from its top, with the minimap for the rest.
    void fitToView();

signals:
    // The user clicked a node (kNoNode: clicked empty space or an input/output).
    void nodeSelected(lb::ir::NodeId id);
    void nodeActivated(lb::ir::NodeId id);
    void zoomChanged(double zoom);

protected:
    bool viewportEvent(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void paintLegend(QPainter& painter) const;
    QList<QPair<QString, QColor>> legendEntries() const;
    QFont legendFont() const;
    // The part of the viewport a fitted graph may use: all of it but the legend's strip.
    QRectF fitArea() const;
    GraphPainter::Frame viewFrame() const;
    void updateScrollBars();
    // After every change of the visible area: place, show or hide the minimap and move its marker.
    void viewMoved();
    // Scrolls so the scene's first input is at the top centre, where reading starts.
    void showSceneTop();
    double fitZoom() const;
    double fitWidthZoom() const;
    double minZoom() const;
    std::optional<lb::ir::NodeId> nodeAt(QPoint viewportPos) const;

    std::shared_ptr<const GraphScene> m_scene;
    double m_zoom = 1.0;
    lb::ir::NodeId m_selected = lb::ir::kNoNode;
    QHash<lb::ir::NodeId, QColor> m_overlay;
    QSet<lb::ir::NodeId> m_highlighted;
    QList<QPair<QString, QColor>> m_overlayLegend;
    bool m_legendVisible = true;
    GraphMinimap* m_minimap = nullptr;
    bool m_minimapEnabled = true;
    bool m_legendCollapsed = false;
    QList<lb::ops::OpCategory> m_categoriesInScene;
    QPoint m_pressPos;
    QPoint m_lastDragPos;
    bool m_dragging = false;
    bool m_pressed = false;
};

} // namespace lb::widgets
