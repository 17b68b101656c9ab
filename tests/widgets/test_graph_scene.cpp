#include "core/error.h"
#include "onnx/importer.h"
#include "widget_test_graphs.h"
#include "widgets/graph_scene_builder.h"

#include <catch2/catch.hpp>

using lb::widgets::GraphScene;
using lb::widgets::SceneNode;

namespace {
uint32_t indexOf(const GraphScene& scene, const lb::ir::Graph& g, const std::string& name) {
    const auto id = g.findNode(name);
    REQUIRE(id);
    const auto index = scene.indexOfNode(*id);
    REQUIRE(index);
    return *index;
}

void requireNoOverlaps(const GraphScene& scene) {
    const auto& nodes = scene.nodes();
    for (size_t i = 0; i < nodes.size(); ++i)
        for (size_t j = i + 1; j < nodes.size(); ++j) {
            INFO(nodes[i].label.toStdString() << " vs " << nodes[j].label.toStdString());
            REQUIRE_FALSE(nodes[i].rect.intersects(nodes[j].rect));
        }
}
} // namespace

TEST_CASE("scene of a small graph has one box per node plus inputs and outputs", "[scene]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    const GraphScene scene = lb::widgets::buildGraphScene(*g);
    CHECK(scene.nodeCount() == 8);
    CHECK(scene.itemCount() == 10); // x and y pills
    CHECK(scene.edges().size() == 10);
    requireNoOverlaps(scene);

    const SceneNode& conv = scene.node(indexOf(scene, *g, "conv1"));
    CHECK(conv.label == QStringLiteral("Conv"));
    CHECK(conv.subLabel == QStringLiteral("conv1"));
    CHECK(conv.category == lb::ops::OpCategory::Convolution);
    CHECK(scene.node(0).kind == SceneNode::Kind::GraphInput);
    CHECK(scene.node(0).label == QStringLiteral("x"));

    // Layered top to bottom: every edge leaves its source's bottom and enters its target's top.
    for (const auto& e : scene.edges()) {
        const QRectF from = scene.node(e.source).rect;
        const QRectF to = scene.node(e.target).rect;
        CHECK(from.bottom() < to.top());
        CHECK(e.points.first().y() == Approx(from.bottom()));
        CHECK(e.points.last().y() == Approx(to.top()));
    }
    const uint32_t relu = indexOf(scene, *g, "relu1");
    int fromRelu = 0;
    for (const auto& e : scene.edges())
        if (e.source == relu) {
            ++fromRelu;
            CHECK(e.tensorName == QStringLiteral("relu1_out"));
            CHECK(e.shapeText == QStringLiteral("1\u00d74\u00d78\u00d78"));
        }
    CHECK(fromRelu == 2); // conv2 and the skip into add1
}

TEST_CASE("scene hit-testing and visible-item queries use the spatial index", "[scene]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(600);
    const GraphScene scene = lb::widgets::buildGraphScene(*g);
    REQUIRE(scene.nodeCount() == g->nodeCount());

    const uint32_t target = indexOf(scene, *g, "block50/Relu");
    const QRectF r = scene.node(target).rect;
    CHECK(scene.hitTest(r.center()) == target);
    CHECK(scene.hitTest(r.topLeft() + QPointF(1, 1)) == target);
    CHECK_FALSE(scene.hitTest(QPointF(r.center().x(), r.top() - 5)).has_value());
    CHECK_FALSE(scene.hitTest(scene.boundingRect().topLeft() - QPointF(100, 100)).has_value());

    // Against a brute-force scan: the index must return exactly the intersecting nodes.
    const QRectF area(r.center() - QPointF(300, 400), QSizeF(600, 800));
    std::vector<uint32_t> expected;
    for (uint32_t i = 0; i < scene.itemCount(); ++i)
        if (scene.node(i).rect.intersects(area))
            expected.push_back(i);
    CHECK(scene.nodesIn(area) == expected);
    CHECK(expected.size() > 3);
    CHECK(expected.size() < scene.itemCount() / 4);
    CHECK(scene.nodesIn(scene.boundingRect()).size() == scene.itemCount());

    std::vector<uint32_t> expectedEdges;
    for (uint32_t e = 0; e < scene.edges().size(); ++e) {
        const QPolygonF& pts = scene.edges()[e].points;
        for (qsizetype i = 0; i + 1 < pts.size(); ++i)
            if (QRectF(pts[i], pts[i + 1]).normalized().adjusted(-1, -1, 1, 1).intersects(area)) {
                expectedEdges.push_back(e);
                break;
            }
    }
    CHECK(scene.edgesIn(area) == expectedEdges);
}

TEST_CASE("scene building can be cancelled and reports progress", "[scene]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(2000);
    lb::TaskContext task;
    double last = -1;
    task.progress = [&last](double f, std::string_view) { last = f; };
    lb::widgets::buildGraphScene(*g, task);
    CHECK(last == Approx(1.0));

    lb::TaskContext cancelled;
    cancelled.token.cancel();
    CHECK_THROWS_AS(lb::widgets::buildGraphScene(*g, cancelled), lb::Cancelled);
}

TEST_CASE("scene of the real PaddleOCR direction classifier", "[scene][model]") {
    lb::onnx::ImportOptions options;
    options.inputShapes["x"] = {1, 3, 48, 192};
    const auto imported = lb::onnx::importModel(
        std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx", options);
    const GraphScene scene = lb::widgets::buildGraphScene(imported.graph);
    CHECK(scene.nodeCount() + scene.foldedConstantCount() == imported.graph.nodeCount());
    CHECK(scene.nodeCount() > 50);
    requireNoOverlaps(scene);
    CHECK(scene.node(0).kind == SceneNode::Kind::GraphInput);
    CHECK(scene.node(0).label == QStringLiteral("x"));
    // The input edge carries the declared input shape.
    bool found = false;
    for (const auto& e : scene.edges())
        if (e.source == 0) {
            UNSCOPED_INFO(e.tensorName.toStdString() << ": " << e.shapeText.toStdString());
            found = found || e.shapeText == QStringLiteral("1\u00d73\u00d748\u00d7192");
        }
    CHECK(found);
    // The classifier's output is rank 2 (N x 2 classes); its dims are left to shape inference,
    // which currently reports them as unknown ("?x?").
    const auto& last = scene.edges().back();
    INFO(last.shapeText.toStdString());
    CHECK(last.shapeText.count(QChar(0x00d7)) == 1);
}

TEST_CASE("single-use Constants are drawn as weight rows inside their consumer's box",
          "[scene][constants]") {
    const auto g = lb::widgets::test::makeConstantGraph();
    REQUIRE(g->nodeCount() == 7);
    const GraphScene scene = lb::widgets::buildGraphScene(*g);
    // Drawn boxes: conv, mul, add, shared_const (two consumers), out_const (a graph output).
    CHECK(scene.nodeCount() == 5);
    CHECK(scene.foldedConstantCount() == 2);
    CHECK(scene.nodeCount() + scene.foldedConstantCount() == g->nodeCount());
    CHECK_FALSE(scene.indexOfNode(*g->findNode("w_const")));
    CHECK(scene.indexOfNode(*g->findNode("shared_const")));
    CHECK(scene.indexOfNode(*g->findNode("out_const")));

    const lb::ir::NodeId conv = *g->findNode("conv");
    const SceneNode& box = scene.node(indexOf(scene, *g, "conv"));
    CHECK(box.weightRows == QStringList{QStringLiteral("W \u27e84\u00d73\u00d73\u00d73\u27e9"),
                                        QStringLiteral("B = 0.5")});
    CHECK(box.rect.height() > scene.node(indexOf(scene, *g, "add")).rect.height());
    CHECK(scene.displayedNode(*g->findNode("w_const")) == conv);
    CHECK(scene.displayedNode(*g->findNode("b_const")) == conv);
    CHECK(scene.displayedNode(conv) == conv);
    // No edge comes out of a folded constant; the shared one feeds two boxes.
    const uint32_t shared = indexOf(scene, *g, "shared_const");
    int fromShared = 0;
    for (const auto& e : scene.edges())
        fromShared += e.source == shared ? 1 : 0;
    CHECK(fromShared == 2);
    requireNoOverlaps(scene);

    lb::widgets::GraphSceneOptions all;
    all.showConstantNodes = true;
    const GraphScene full = lb::widgets::buildGraphScene(*g, all);
    CHECK(full.nodeCount() == g->nodeCount());
    CHECK(full.foldedConstantCount() == 0);
    CHECK(full.node(*full.indexOfNode(conv)).weightRows.isEmpty());
}

TEST_CASE("edges entering one box get distinct entry points ordered by where they come from",
          "[scene][edges]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    const GraphScene scene = lb::widgets::buildGraphScene(*g);
    const uint32_t add = indexOf(scene, *g, "add1");
    std::vector<const lb::widgets::SceneEdge*> into;
    for (const auto& e : scene.edges())
        if (e.target == add)
            into.push_back(&e);
    REQUIRE(into.size() == 2);
    const QPointF a = into[0]->points.last();
    const QPointF b = into[1]->points.last();
    CHECK(std::abs(a.x() - b.x()) > 10);
    // The edge coming from further left enters further left.
    auto from = [](const lb::widgets::SceneEdge* e) { return e->points[e->points.size() - 2].x(); };
    CHECK((from(into[0]) < from(into[1])) == (a.x() < b.x()));
    const QRectF box = scene.node(add).rect;
    for (const QPointF& p : {a, b})
        CHECK((p.x() > box.left() && p.x() < box.right()));
}

TEST_CASE("shape labels never overlap boxes or each other, long symbols are cut short",
          "[scene][edges][model]") {
    lb::onnx::ImportOptions options;
    options.inputShapes["x"] = {1, 3, 640, 640};
    const auto imported =
        lb::onnx::importModel(std::string(LB_MODELS_DIR) + "/ch_PP-OCRv4_det_infer.onnx", options);
    const GraphScene scene = lb::widgets::buildGraphScene(imported.graph);
    CHECK(scene.nodeCount() + scene.foldedConstantCount() == imported.graph.nodeCount());
    CHECK(scene.foldedConstantCount() > 300); // PaddleOCR keeps its weights in Constants
    std::vector<QRectF> labels;
    for (const auto& e : scene.edges())
        if (!e.labelRect.isNull())
            labels.push_back(e.labelRect);
    CHECK(labels.size() * 2 > scene.edges().size()); // most edges still get a label
    for (size_t i = 0; i < labels.size(); ++i) {
        for (size_t j = i + 1; j < labels.size(); ++j)
            REQUIRE_FALSE(labels[i].intersects(labels[j]));
        for (const SceneNode& n : scene.nodes())
            REQUIRE_FALSE(labels[i].intersects(n.rect));
    }
    for (const auto& e : scene.edges())
        if (!e.labelRect.isNull())
            CHECK(scene.edgeLabelAt(e.labelRect.center()).has_value());

    lb::SymbolicShape symbolic{lb::Dim::symbol("p2o.DynamicDimension.0"),
                               lb::Dim::known(3),
                               lb::Dim{},
                               lb::Dim::symbol("N"),
                               lb::Dim::symbol("sequence"),
                               lb::Dim::symbol("unk__7")};
    CHECK(lb::widgets::shortShapeText(symbolic) ==
          QStringLiteral("?\u00d73\u00d7?\u00d7N\u00d7seq\u2026\u00d7?"));
    CHECK(lb::widgets::shortShapeText({}) == QStringLiteral("scalar"));
}
