#include "widgets/graph_scene_builder.h"

#include "core/shape.h"
#include "layout/layered_layout.h"
#include "widgets/edge_routing.h"
#include "widgets/ui_format.h"
#include "widgets/weight_inputs.h"

#include <QCoreApplication>
#include <algorithm>
#include <unordered_map>

namespace lb::widgets {

namespace {

// Sizes in scene units (pixels at zoom 1); the view draws text to fit these estimates.
constexpr double kLabelCharWidth = 7.5; // bold 12 px label
constexpr double kSubCharWidth = 6.2;   // 10 px sub-label and weight rows
constexpr double kPadding = 20.0;
constexpr double kMinNodeWidth = 72.0;
constexpr double kOpNodeHeight = 38.0;
constexpr double kWeightRowHeight = 14.0;
constexpr double kIoNodeHeight = 24.0;
constexpr int kMaxSubLabelChars = 26;
constexpr int kMaxIoLabelChars = 30;
constexpr int kMaxWeightRows = 6;
constexpr int kMaxSymbolChars = 4;

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

QString dimsText(const lb::Shape& shape) {
    QStringList dims;
    for (int64_t d : shape)
        dims << QString::number(d);
    return dims.join(QChar(0x00d7));
}

// "W ⟨16×3×3×3⟩", or "B = 0.5" for a single element whose value is known.
QString weightRow(const lb::ir::Graph& graph, const lb::ir::Node& consumer, size_t slot,
                  lb::ir::ValueId v) {
    const QString name = inputLabel(consumer.opType, slot);
    const lb::Tensor* t = weightTensor(graph, v);
    if (t && t->numel() == 1 && t->dtype() != lb::DataType::String)
        return QStringLiteral("%1 = %2").arg(name, UiFormat::significant(t->valueAsDouble(0), 4));
    QString shape;
    if (t)
        shape = dimsText(t->shape());
    else if (graph.value(v).shape)
        shape = shortShapeText(*graph.value(v).shape);
    else
        shape = QStringLiteral("?");
    return QStringLiteral("%1 %2%3%4").arg(name, QChar(0x27e8), shape, QChar(0x27e9));
}

struct PendingEdge {
    uint32_t source;
    uint32_t target;
    lb::ir::ValueId value;
};

bool folds(const lb::ir::Graph& graph, lb::ir::NodeId id, const GraphSceneOptions& options) {
    return !options.showConstantNodes && foldedConstantConsumer(graph, id) != lb::ir::kNoNode;
}

} // namespace

bool isGeneratedSymbol(const std::string& name) {
    return name.rfind("unk__", 0) == 0 || name.find("DynamicDimension") != std::string::npos;
}

QString shortShapeText(const lb::SymbolicShape& shape) {
    if (shape.empty())
        return QCoreApplication::translate("lb::widgets::GraphScene", "scalar");
    QStringList dims;
    for (const lb::Dim& d : shape) {
        if (d.isKnown())
            dims << QString::number(d.value);
        else if (d.param.empty() || isGeneratedSymbol(d.param))
            dims << QStringLiteral("?");
        else
            dims << elided(d.param, kMaxSymbolChars);
    }
    return dims.join(QChar(0x00d7));
}

GraphScene buildGraphScene(const lb::ir::Graph& graph, const lb::TaskContext& task) {
    return buildGraphScene(graph, GraphSceneOptions{}, task);
}

GraphScene buildGraphScene(const lb::ir::Graph& graph, const GraphSceneOptions& options,
                           const lb::TaskContext& task) {
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
        if (folds(graph, order[k], options))
            continue; // drawn as a row of its consumer
        const lb::ir::Node& node = graph.node(order[k]);
        SceneNode n;
        n.nodeId = node.id;
        n.label = QString::fromStdString(node.opType);
        n.subLabel = elided(node.name, kMaxSubLabelChars);
        n.category = lb::ops::opCategory(node.opType);
        const auto index = static_cast<uint32_t>(items.size());
        std::vector<lb::ir::ValueId> seen;
        int weightCount = 0;
        for (size_t slot = 0; slot < node.inputs.size(); ++slot) {
            const lb::ir::ValueId in = node.inputs[slot];
            if (in == lb::ir::kNoValue)
                continue;
            const lb::ir::NodeId producer = graph.value(in).producer;
            const bool foldedConstant =
                producer != lb::ir::kNoNode && folds(graph, producer, options);
            if (graph.isInitializer(in) || foldedConstant) {
                if (foldedConstant)
                    n.foldedConstants.push_back(producer);
                if (++weightCount <= kMaxWeightRows)
                    n.weightRows << weightRow(graph, node, slot, in);
                continue;
            }
            if (std::find(seen.begin(), seen.end(), in) != seen.end())
                continue;
            seen.push_back(in);
            if (auto it = producerBox.find(in); it != producerBox.end())
                pending.push_back({it->second, index, in});
        }
        if (weightCount > kMaxWeightRows)
            n.weightRows.last() = QCoreApplication::translate("lb::widgets::GraphScene", "+%1 more")
                                      .arg(weightCount - kMaxWeightRows + 1);
        double width = widthFor(n.label, kLabelCharWidth, n.subLabel, kSubCharWidth);
        for (const QString& row : n.weightRows)
            width = std::max(width, row.size() * kSubCharWidth + kPadding);
        const double rows =
            n.weightRows.isEmpty() ? 0.0 : n.weightRows.size() * kWeightRowHeight + 3;
        n.rect = QRectF(0, 0, width, kOpNodeHeight + rows);
        items.push_back(std::move(n));
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

    for (size_t i = 0; i < items.size(); ++i)
        items[i].rect.moveCenter(QPointF(layout.centers.at(i).x, layout.centers.at(i).y));
    std::vector<SceneEdge> edges;
    edges.reserve(pending.size());
    for (const PendingEdge& pe : pending) {
        SceneEdge e;
        e.source = pe.source;
        e.target = pe.target;
        const lb::ir::Value& value = graph.value(pe.value);
        e.tensorName = QString::fromStdString(value.name);
        if (value.shape) {
            e.shapeText = shortShapeText(*value.shape);
            e.shapeFull = QString::fromStdString(lb::shapeToString(*value.shape));
        }
        edges.push_back(std::move(e));
    }
    routeEdges(edges, items, layout.edges);
    placeEdgeLabels(edges, items);
    for (SceneNode& n : items)
        scene.addNode(std::move(n));
    for (SceneEdge& e : edges)
        scene.addEdge(std::move(e));
    task.report(0.95, "index");
    scene.finalize();
    task.report(1.0, "scene");
    return scene;
}

} // namespace lb::widgets
