#pragma once

#include "ir/graph.h"
#include "widgets/graph_scene.h"

#include <QColor>
#include <QHash>
#include <QPointF>
#include <QRectF>
#include <QSet>

class QPainter;

namespace lb::widgets {

// Draws a GraphScene onto any QPainter (widget, image, SVG) at one zoom, with level of detail.
// Works in device coordinates (no painter scaling) so text is hinted at its drawn size.
class GraphPainter {
public:
    enum class Detail { Outline, Labels, Full };
    static Detail detailFor(double zoom);
    // The lowest zoom that draws op types (Detail::Labels): where a graph starts to read.
    static double minLabelZoom();
    // A node's fill: its overlay colour if it has one, else its category's.
    static QColor fillFor(const SceneNode& node, const QHash<lb::ir::NodeId, QColor>& overlay);

    // device = (scene - origin) * zoom; only items intersecting sceneArea are drawn.
    struct Frame {
        QPointF origin;
        double zoom = 1.0;
        QRectF sceneArea;
        Detail detail = Detail::Full;
    };

    // highlighted: nodes outlined besides the selection (e.g. the originals of a fused layer).
    GraphPainter(const GraphScene& scene, const QHash<lb::ir::NodeId, QColor>& overlay,
                 lb::ir::NodeId selected, const QSet<lb::ir::NodeId>* highlighted = nullptr);
    void paint(QPainter& painter, const Frame& frame) const;

private:
    void paintOutline(QPainter& painter, const Frame& frame) const;
    void paintEdges(QPainter& painter, const Frame& frame) const;
    void paintNodes(QPainter& painter, const Frame& frame) const;
    void paintWeightRows(QPainter& painter, const SceneNode& node, const QRectF& box,
                         const QRectF& head, double zoom, bool withText) const;
    QColor fillOf(const SceneNode& node) const;

    const GraphScene& m_scene;
    const QHash<lb::ir::NodeId, QColor>& m_overlay;
    lb::ir::NodeId m_selected;
    const QSet<lb::ir::NodeId>* m_highlighted;
};

} // namespace lb::widgets
