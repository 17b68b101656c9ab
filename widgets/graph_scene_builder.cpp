#include "widgets/graph_scene_builder.h"

#include "core/shape.h"
#include "layout/layered_layout.h"

#include <algorithm>
#include <unordered_map>

namespace lb::widgets {

namespace {

// Sizes in scene units (pixels at zoom 1); the view draws text to fit these estimates.
constexpr double kLabelCharWidth = 7.5; // bold 12 px label
constexpr double kSubCharWidth = 6.2;   // 10 px sub-label
constexpr double kPadding = 20.0;
constexpr double kMinNodeWidth = 72.0;
constexpr double kOpNodeHeight = 38.0;
constexpr double kIoNodeHeight = 24.0;
constexpr int kMaxSubLabelChars = 26;
constexpr int kMaxIoLabelChars = 30;
constexpr int kMaxShapeChars = 28;

QString elided(const std::string& text, int maxChars) {
    QString s = QString::fromStdString(text);
    if (s.size() > maxChars)
        s = s.left(maxChars - 1) + QChar(0x2026);
    return s;
}

double widthFor(const QString& label, double charWidth, const QString& sub, double subWidth) {
    return std::max(
        {kMinNodeWidth, label.size() * charWidth + kPadding, sub.size() * subWidth + kPadding});
}

QString shapeText(const lb::ir::Value& value) {
    // Exporters' symbol names can be long ("p2o.DynamicDimension.0"); the tooltip-free edge label
    // keeps the start, the properties pane shows the whole shape.
    return value.shape ? elided(lb::shapeToString(*value.shape), kMaxShapeChars) : QString();
}

struct PendingEdge {
    uint32_t source;
    uint32_t target;
    lb::ir::ValueId value;
};

// Replaces the layout's end points with points on the boxes' borders: leaving the source at its
// bottom, entering the target at its top, so arrows never start or end inside a box.
QPolygonF clipToBoxes(const std::vector<lb::layout::Point>& route, const QRectF& from,
                      const QRectF& to) {
    QPolygonF inner;
    for (const lb::layout::Point& p : route) {
        const QPointF q(p.x, p.y);
        if (!from.contains(q) && !to.contains(q))
            inner.append(q);
    }
    const double nextX = inner.isEmpty() ? to.center().x() : inner.first().x();
    const double prevX = inner.isEmpty() ? from.center().x() : inner.last().x();
    auto clampX = [](double x, const QRectF& r) {
        const double inset = std::min(8.0, r.width() / 2);
        return std::clamp(x, r.left() + inset, r.right() - inset);
    };
    QPolygonF out;
    out.reserve(inner.size() + 2);
    out.append(QPointF(clampX(nextX, from), from.bottom()));
    out += inner;
    out.append(QPointF(clampX(prevX, to), to.top()));
    return out;
}

} // namespace

GraphScene buildGraphScene(const lb::ir::Graph& graph, const lb::TaskContext& task) {
    task.report(0.0, "scene");
    GraphScene scene;
    std::vector<SceneNode> items;
    std::vector<PendingEdge> pending;
    // Scene index of the box that produces each value (graph input pill or op node).
    std::unordered_map<lb::ir::ValueId, uint32_t> producerBox;

    for (lb::ir::ValueId v : graph.inputs()) {
        if (graph.isInitializer(v))
            continue;
        SceneNode n;
        n.kind = SceneNode::Kind::GraphInput;
        n.valueId = v;
        n.label = elided(graph.value(v).name, kMaxIoLabelChars);
        n.category = lb::ops::OpCategory::Data;
        n.rect = QRectF(0, 0, widthFor(n.label, kSubCharWidth + 0.6, {}, 0), kIoNodeHeight);
        producerBox[v] = static_cast<uint32_t>(items.size());
        items.push_back(std::move(n));
    }

    const std::vector<lb::ir::NodeId> order = graph.topologicalOrder();
    const size_t checkEvery = 4096;
    for (size_t k = 0; k < order.size(); ++k) {
        if (k % checkEvery == 0) {
            task.checkCancelled();
            task.report(0.2 * static_cast<double>(k) / order.size(), "scene");
        }
        const lb::ir::Node& node = graph.node(order[k]);
        SceneNode n;
        n.nodeId = node.id;
        n.label = QString::fromStdString(node.opType);
        n.subLabel = elided(node.name, kMaxSubLabelChars);
        n.category = lb::ops::opCategory(node.opType);
        n.rect = QRectF(0, 0, widthFor(n.label, kLabelCharWidth, n.subLabel, kSubCharWidth),
                        kOpNodeHeight);
        const auto index = static_cast<uint32_t>(items.size());
        items.push_back(std::move(n));
        std::vector<lb::ir::ValueId> seen;
        for (lb::ir::ValueId in : node.inputs) {
            if (in == lb::ir::kNoValue || graph.isInitializer(in) ||
                std::find(seen.begin(), seen.end(), in) != seen.end())
                continue;
            seen.push_back(in);
            if (auto it = producerBox.find(in); it != producerBox.end())
                pending.push_back({it->second, index, in});
        }
        for (lb::ir::ValueId out : node.outputs)
            if (out != lb::ir::kNoValue)
                producerBox[out] = index;
    }

    for (lb::ir::ValueId v : graph.outputs()) {
        SceneNode n;
        n.kind = SceneNode::Kind::GraphOutput;
        n.valueId = v;
        n.label = elided(graph.value(v).name, kMaxIoLabelChars);
        n.category = lb::ops::OpCategory::Data;
        n.rect = QRectF(0, 0, widthFor(n.label, kSubCharWidth + 0.6, {}, 0), kIoNodeHeight);
        const auto index = static_cast<uint32_t>(items.size());
        items.push_back(std::move(n));
        if (auto it = producerBox.find(v); it != producerBox.end())
            pending.push_back({it->second, index, v});
    }

    lb::layout::LayoutGraph lg;
    lg.widths.reserve(items.size());
    lg.heights.reserve(items.size());
    for (const SceneNode& n : items) {
        lg.widths.push_back(n.rect.width());
        lg.heights.push_back(n.rect.height());
    }
    lg.edges.reserve(pending.size());
    for (const PendingEdge& e : pending)
        lg.edges.emplace_back(e.source, e.target);

    // The layout reports its own progress; map it into the middle of ours.
    lb::TaskContext layoutTask{
        task.token, [&task](double f, std::string_view) { task.report(0.2 + 0.7 * f, "layout"); }};
    const lb::layout::LayoutResult layout = lb::layout::layeredLayout(lg, {}, layoutTask);
    task.checkCancelled();

    for (size_t i = 0; i < items.size(); ++i) {
        QRectF& r = items[i].rect;
        r.moveCenter(QPointF(layout.centers.at(i).x, layout.centers.at(i).y));
        scene.addNode(std::move(items[i]));
    }
    for (size_t i = 0; i < pending.size(); ++i) {
        const PendingEdge& pe = pending[i];
        SceneEdge e;
        e.source = pe.source;
        e.target = pe.target;
        const lb::ir::Value& value = graph.value(pe.value);
        e.tensorName = QString::fromStdString(value.name);
        e.shapeText = shapeText(value);
        const std::vector<lb::layout::Point> route =
            i < layout.edges.size() ? layout.edges[i] : std::vector<lb::layout::Point>{};
        e.points = clipToBoxes(route, scene.node(pe.source).rect, scene.node(pe.target).rect);
        scene.addEdge(std::move(e));
    }
    task.report(0.95, "index");
    scene.finalize();
    task.report(1.0, "scene");
    return scene;
}

} // namespace lb::widgets
