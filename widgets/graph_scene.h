#pragma once

#include "ir/graph.h"
#include "ops/cost.h"

#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace lb::widgets {

// One box of the drawn graph: an ONNX node, or a graph input/output shown as a small pill.
struct SceneNode {
    enum class Kind { Op, GraphInput, GraphOutput };
    Kind kind = Kind::Op;
    QRectF rect;
    QString label;    // op type, or the tensor name for inputs/outputs
    QString subLabel; // node name (elided); empty for inputs/outputs
    // Weight inputs drawn inside the box, Netron style: "W ⟨16×3×3×3⟩", "B = 0.5".
    QStringList weightRows;
    // Constant nodes drawn as weight rows of this box instead of boxes of their own.
    std::vector<lb::ir::NodeId> foldedConstants;
    lb::ops::OpCategory category = lb::ops::OpCategory::Other;
    lb::ir::NodeId nodeId = lb::ir::kNoNode;    // Kind::Op only
    lb::ir::ValueId valueId = lb::ir::kNoValue; // Kind::GraphInput/GraphOutput only
};

struct SceneEdge {
    QPolygonF points; // source exit .. target entry
    QString tensorName;
    QString shapeText; // "1×3×48×192", symbols cut short; empty when unknown
    QString shapeFull; // the whole declared shape, for tooltips
    // Where the shape label is drawn (scene units); null when it would collide and is skipped.
    QRectF labelRect;
    uint32_t source = 0; // scene node indices
    uint32_t target = 0;
};

// The drawable form of a graph: plain data, built off the GUI thread, shared read-only with views.
// Items keep the builder's order (topological for ops), which is also the order of query results.
class GraphScene {
public:
    uint32_t addNode(SceneNode node);
    void addEdge(SceneEdge edge);
    // Builds the spatial index and bounding rect; call once after the last add.
    void finalize();

    const std::vector<SceneNode>& nodes() const { return m_nodes; }
    const std::vector<SceneEdge>& edges() const { return m_edges; }
    const SceneNode& node(uint32_t index) const { return m_nodes.at(index); }
    QRectF boundingRect() const { return m_bounds; }
    // Nodes drawn as boxes: ONNX nodes minus the Constants folded into their consumer's box
    // (graph input/output pills are not counted). nodeCount() + foldedConstantCount() is the
    // graph's node count.
    size_t nodeCount() const { return m_opCount; }
    size_t foldedConstantCount() const { return m_foldedCount; }
    size_t itemCount() const { return m_nodes.size(); }

    // The box drawing node `id` itself (nullopt for folded constants and unknown ids).
    std::optional<uint32_t> indexOfNode(lb::ir::NodeId id) const;
    // The node whose box shows `id`: itself, or the consumer a folded constant is drawn in.
    lb::ir::NodeId displayedNode(lb::ir::NodeId id) const;
    // The edge whose shape label contains the point, or nullopt.
    std::optional<uint32_t> edgeLabelAt(QPointF scenePoint) const;
    // Topmost item containing the point, or nullopt.
    std::optional<uint32_t> hitTest(QPointF scenePoint) const;
    // Items whose rect (nodes) or some polyline segment's bounds (edges) intersect `area`, in scene
    // order.
    std::vector<uint32_t> nodesIn(const QRectF& area) const;
    std::vector<uint32_t> edgesIn(const QRectF& area) const;

private:
    // Uniform grid in compressed form: cell c holds items[cellStart[c] .. cellStart[c+1]).
    struct Grid {
        std::vector<uint32_t> cellStart;
        std::vector<uint32_t> items;
    };
    void fillGrid(Grid& grid, const std::vector<QRectF>& rects) const;
    std::vector<uint32_t> query(const Grid& grid, const std::vector<QRectF>& rects,
                                const QRectF& area) const;
    void cellRange(const QRectF& r, int& c0, int& r0, int& c1, int& r1) const;

    std::vector<SceneNode> m_nodes;
    std::vector<SceneEdge> m_edges;
    std::vector<QRectF> m_nodeRects;
    // Edges are indexed per polyline segment so a long skip edge does not cover a huge box.
    std::vector<QRectF> m_segmentRects;
    std::vector<uint32_t> m_segmentEdge;
    std::vector<uint32_t> m_indexByNodeId; // ir NodeId -> scene index (UINT32_MAX: none)
    std::vector<uint32_t> m_foldedInto;    // ir NodeId -> scene index of the consumer's box
    size_t m_opCount = 0;
    size_t m_foldedCount = 0;
    QRectF m_bounds;
    double m_cellSize = 256.0;
    int m_cols = 1;
    int m_rows = 1;
    Grid m_nodeGrid;
    Grid m_edgeGrid;
};

} // namespace lb::widgets
