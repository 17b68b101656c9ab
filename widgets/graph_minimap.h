#pragma once

#include <QPixmap>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QWidget>

namespace lb::widgets {

class GraphView;

// Overview of a GraphView's whole scene in a corner of its viewport, with the visible area as a
// rectangle; click or drag to move the view there. The scene is drawn once into a cached pixmap
// (again only when the scene, its colours or the minimap's size change), so following the view
// costs a pixmap blit and a rectangle even at 100k nodes. A scene far taller than wide (a long
// chain) is stretched across a minimum width rather than drawn as a hairline.
class GraphMinimap : public QWidget {
    Q_OBJECT

public:
    // Becomes a child of view's viewport; the view sizes, places and shows it.
    explicit GraphMinimap(GraphView* view);

    // The size to show the current scene at beside a viewport of viewportSize.
    QSize sizeFor(QSize viewportSize) const;
    // Minimap coordinates (widget pixels) <-> scene coordinates.
    QPointF mapFromScene(QPointF scenePos) const;
    QPointF mapToScene(QPointF minimapPos) const;
    // The view's visible scene area in minimap coordinates (not clipped to the scene).
    QRectF viewportRect() const;
    // How often the scene has been drawn into the cache (a test's check that following the view
    // does not draw it again).
    int renderCount() const { return m_renderCount; }

    // The scene or its colours changed: draw it again at the next paint.
    void invalidateScene();
    // The view's visible area moved: repaint where the rectangle was and where it is.
    void viewChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    QRectF mapArea() const;
    void renderScene();
    // The device rectangle the viewport marker is painted in (grown to stay visible and grabbable).
    QRect markerBounds() const;
    void retranslateUi();

    GraphView* m_view;
    QPixmap m_cache;
    bool m_dirty = true;
    int m_renderCount = 0;
    QRect m_paintedMarker;
    bool m_dragging = false;
    QPointF m_grabOffset; // scene offset of the press from the visible area's centre
};

} // namespace lb::widgets
