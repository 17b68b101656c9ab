#include "onnx/importer.h"
#include "widget_test_graphs.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_view.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <catch2/catch.hpp>
#include <chrono>

using lb::widgets::GraphScene;
using lb::widgets::GraphView;

namespace {
std::shared_ptr<const GraphScene> sceneOf(const lb::ir::Graph& g) {
    return std::make_shared<const GraphScene>(lb::widgets::buildGraphScene(g));
}

QPoint centreOfNode(const GraphView& view, lb::ir::NodeId id) {
    const auto index = view.scene()->indexOfNode(id);
    REQUIRE(index);
    return view.mapFromScene(view.scene()->node(*index).rect.center()).toPoint();
}
} // namespace

TEST_CASE("graph view shows a scene, selects by click and centres on double-click", "[view]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(300);
    GraphView view;
    view.resize(800, 600);
    view.show();
    view.setScene(sceneOf(*g));
    CHECK(view.nodeCount() == g->nodeCount());
    view.setZoom(1.0);

    QSignalSpy selected(&view, &GraphView::nodeSelected);
    const lb::ir::NodeId first = *g->findNode("block0/Relu");
    view.centreOn(first);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, centreOfNode(view, first));
    CHECK(view.selectedNode() == first);
    REQUIRE(selected.count() == 1);
    CHECK(selected.at(0).at(0).value<lb::ir::NodeId>() == first);

    // Clicking empty space (above the first layer) clears the selection.
    const QPoint empty =
        view.mapFromScene(view.scene()->boundingRect().topLeft() - QPointF(10, 10)).toPoint();
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, empty);
    CHECK(view.selectedNode() == lb::ir::kNoNode);

    // Double-click selects and centres.
    const lb::ir::NodeId other = *g->findNode("block1/Conv_b");
    const QPoint at = centreOfNode(view, other);
    QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, at);
    CHECK(view.selectedNode() == other);
    const QPoint centred = centreOfNode(view, other);
    const QPoint middle = view.viewport()->rect().center();
    // Vertically centred; the graph is narrower than the view, so x stays where the graph is.
    CHECK(std::abs(centred.y() - middle.y()) <= 2);
    CHECK(view.viewport()->rect().contains(centred));
}

TEST_CASE("graph view zooms around the cursor and by key", "[view]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(300);
    GraphView view;
    view.resize(200, 300); // narrower than the graph, so both axes scroll
    view.show();
    view.setScene(sceneOf(*g));
    view.setZoom(1.0);
    REQUIRE(view.horizontalScrollBar()->maximum() > view.horizontalScrollBar()->minimum());
    const QPointF cursor(60, 150);
    const QPointF before = view.mapToScene(cursor);
    view.setZoom(2.0, cursor);
    CHECK(view.zoom() == Approx(2.0));
    const QPointF after = view.mapToScene(cursor);
    CHECK(std::abs(after.x() - before.x()) < 1.0);
    CHECK(std::abs(after.y() - before.y()) < 1.0);
    CHECK(view.detail() == GraphView::Detail::Full);

    QTest::keyClick(&view, Qt::Key_Minus, Qt::ControlModifier);
    CHECK(view.zoom() < 2.0);
    QTest::keyClick(&view, Qt::Key_Equal, Qt::ControlModifier);
    CHECK(view.zoom() == Approx(2.0));

    // Whole, this 300-node stack would be boxes two pixels high in a 200x300 view: fitting
    // shows its width at a readable zoom from the top instead (see the fit test below).
    REQUIRE(view.wholeSceneZoom() < 0.05);
    view.fitToView();
    CHECK(view.detail() != GraphView::Detail::Outline);
    const QRectF visible = view.visibleSceneRect();
    const QRectF bounds = view.scene()->boundingRect();
    CHECK(visible.left() <= bounds.left());
    CHECK(visible.right() >= bounds.right());
    CHECK(visible.top() <= bounds.top());
}

TEST_CASE("graph view exports the whole graph as PNG and SVG", "[view]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    GraphView view;
    view.resize(300, 200);
    view.setScene(sceneOf(*g));
    view.selectNode(*g->findNode("add1"));
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("graph.png"));
    REQUIRE(view.exportPng(png, 2.0));
    QImage image(png);
    REQUIRE_FALSE(image.isNull());
    // The whole scene at scale 2, not the 300x200 viewport.
    const QRectF b = view.scene()->boundingRect();
    CHECK(image.width() >= b.width() * 2);
    CHECK(image.height() >= b.height() * 2);
    // Something was drawn: the Conv colour appears somewhere.
    bool sawConvColour = false;
    const QRgb conv = QColor(0x33, 0x6f, 0xb3).rgb();
    for (int y = 0; y < image.height() && !sawConvColour; y += 2)
        for (int x = 0; x < image.width(); x += 2)
            if (image.pixel(x, y) == conv) {
                sawConvColour = true;
                break;
            }
    CHECK(sawConvColour);

    const QString svg = dir.filePath(QStringLiteral("graph.svg"));
    REQUIRE(view.exportSvg(svg));
    QFile file(svg);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    CHECK(text.contains("<svg"));
    CHECK(text.contains("GlobalAveragePool"));
    CHECK(QString::fromUtf8(text).contains(QStringLiteral("1\u00d74\u00d78\u00d78")));

    CHECK_FALSE(view.exportPng(dir.filePath(QStringLiteral("missing/dir/x.png"))));
}

namespace {
double medianPaintMs(GraphView& view, int frames = 5) {
    QImage target(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    std::vector<double> ms;
    for (int i = 0; i < frames; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        view.viewport()->render(&target);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}
} // namespace

TEST_CASE("paint time of one frame at 10k and 100k nodes", "[.bench]") {
    for (int n : {10'000, 100'000}) {
        const auto g = lb::widgets::test::makeSyntheticGraph(n);
        const auto t0 = std::chrono::steady_clock::now();
        auto scene = sceneOf(*g);
        const double buildMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        GraphView view;
        view.resize(1280, 800);
        view.show();
        view.setScene(scene);
        view.fitToView();
        const double fitMs = medianPaintMs(view);
        const double fitZoom = view.zoom();
        view.setZoom(1.0);
        view.centreOn(*g->findNode("block" + std::to_string(n / 20) + "/Relu"));
        const double oneMs = medianPaintMs(view);
        WARN(n << " nodes: scene build " << buildMs << " ms; paint at fit (zoom " << fitZoom << ") "
               << fitMs << " ms; paint at 1:1 " << oneMs << " ms");
        CHECK(oneMs < 100);
    }
}

// Writes pictures to look at by eye: QT_QPA_PLATFORM=offscreen lb_widgets_tests "[.render]"
// (files go to $LB_RENDER_DIR, default the current folder).
TEST_CASE("render the classifier and a synthetic graph for inspection", "[.render]") {
    const QString dir = qEnvironmentVariableIsEmpty("LB_RENDER_DIR")
                            ? QStringLiteral(".")
                            : qEnvironmentVariable("LB_RENDER_DIR");
    lb::onnx::ImportOptions options;
    options.inputShapes["x"] = {1, 3, 48, 192};
    const auto imported = lb::onnx::importModel(
        std::string(LB_MODELS_DIR) + "/ch_ppocr_mobile_v2.0_cls_infer.onnx", options);
    GraphView view;
    view.resize(1000, 700);
    view.show();
    view.setScene(sceneOf(imported.graph));
    CHECK(view.exportPng(dir + QStringLiteral("/cls.png"), 1.0));
    CHECK(view.exportSvg(dir + QStringLiteral("/cls.svg")));
    view.selectNode(view.scene()->node(5).nodeId, true);
    for (double z : {0.3, 0.6, 1.0, 1.6}) {
        view.setZoom(z);
        view.centreOn(view.selectedNode());
        CHECK(view.grab().save(dir + QStringLiteral("/cls_view_%1.png").arg(z)));
    }
    const auto g = lb::widgets::test::makeSyntheticGraph(3000);
    view.setScene(sceneOf(*g));
    view.fitToView();
    CHECK(view.grab().save(dir + QStringLiteral("/synthetic_fit.png")));
}

namespace {
QRectF nodeRect(const GraphView& view, lb::ir::NodeId id) {
    const auto index = view.scene()->indexOfNode(id);
    REQUIRE(index);
    return view.scene()->node(*index).rect;
}

void wheel(GraphView& view, int notches, QPoint at) {
    for (int i = 0; i < std::abs(notches); ++i) {
        QWheelEvent event(QPointF(at), QPointF(view.viewport()->mapToGlobal(at)), QPoint(),
                          QPoint(0, notches > 0 ? 120 : -120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(view.viewport(), &event);
    }
}
} // namespace

TEST_CASE("actual size draws one pixel per scene unit, zoom to selection shows the selection",
          "[view][zoom]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(600);
    GraphView view;
    view.resize(800, 600);
    view.show();
    view.setScene(sceneOf(*g));
    view.fitToView();
    view.setZoom(0.05);
    REQUIRE(view.zoom() == Approx(0.05));

    view.zoomToActualSize();
    CHECK(view.zoom() == Approx(1.0));
    const QPointF a = view.mapFromScene(QPointF(100, 200));
    CHECK(view.mapFromScene(QPointF(250, 280)) - a == QPointF(150, 80));
    // The key does the same from any zoom.
    view.setZoom(2.5);
    QTest::keyClick(&view, Qt::Key_1, Qt::ControlModifier);
    CHECK(view.zoom() == Approx(1.0));

    // Nothing selected: zoom to selection leaves the view alone.
    view.setZoom(0.05);
    view.zoomToSelection();
    CHECK(view.zoom() == Approx(0.05));

    // A node far from the visible area, selected without centring (as a click in a list would).
    const lb::ir::NodeId far = *g->findNode("block100/Conv_b");
    view.selectNode(far);
    REQUIRE_FALSE(view.visibleSceneRect().contains(nodeRect(view, far)));
    view.zoomToSelection();
    CHECK(view.visibleSceneRect().contains(nodeRect(view, far)));
    CHECK(view.detail() == GraphView::Detail::Full); // close enough to read its name and shapes
    CHECK(view.zoom() <= 1.5 + 1e-9);
    const QPointF centre = view.mapFromScene(nodeRect(view, far).center());
    CHECK(std::abs(centre.y() - view.viewport()->rect().center().y()) <= 2);
    // By key, from far out again.
    view.setZoom(0.05);
    QTest::keyClick(&view, Qt::Key_2, Qt::ControlModifier);
    CHECK(view.visibleSceneRect().contains(nodeRect(view, far)));

    // Highlighted nodes that include the selection (a fused layer's originals) are shown with it.
    const lb::ir::NodeId first = *g->findNode("block95/Conv_a");
    view.setHighlightedNodes({first, far});
    view.setZoom(0.05);
    view.zoomToSelection();
    CHECK(view.visibleSceneRect().contains(nodeRect(view, first)));
    CHECK(view.visibleSceneRect().contains(nodeRect(view, far)));
}

TEST_CASE("fit shows a compact graph whole and a long chain readable from its top",
          "[view][zoom]") {
    GraphView view;
    view.resize(1280, 800);
    view.show();
    const auto small = lb::widgets::test::makeSmallGraph();
    view.setScene(sceneOf(*small));
    view.setZoom(3.0);
    view.fitToView();
    CHECK(view.visibleSceneRect().contains(view.scene()->boundingRect()));

    const auto chain = lb::widgets::test::makeChainGraph(10'000);
    view.setScene(sceneOf(*chain));
    // Whole, the chain is about a pixel per node: a hairline.
    REQUIRE(view.wholeSceneZoom() < 0.01);
    view.setZoom(0.001);
    view.fitToView();
    CHECK(view.detail() != GraphView::Detail::Outline);
    const QRectF visible = view.visibleSceneRect();
    const QRectF bounds = view.scene()->boundingRect();
    CHECK(visible.left() <= bounds.left());
    CHECK(visible.right() >= bounds.right());
    CHECK(visible.contains(nodeRect(view, *chain->findNode("node_0"))));
    CHECK(visible.contains(nodeRect(view, *chain->findNode("node_3"))));
}

TEST_CASE("wheel notches reach readable text from the farthest zoom in a few steps",
          "[view][zoom]") {
    const auto chain = lb::widgets::test::makeChainGraph(10'000);
    GraphView view;
    view.resize(1280, 800);
    view.show();
    view.setScene(sceneOf(*chain));
    const QPoint middle = view.viewport()->rect().center();
    view.setZoom(0.0); // clamped to the farthest zoom: the whole chain, a hairline
    REQUIRE(view.detail() == GraphView::Detail::Outline);
    const double farthest = view.zoom();
    REQUIRE(farthest < 0.001);
    wheel(view, 5, middle);
    CHECK(view.detail() != GraphView::Detail::Outline);
    // The notches are even steps: back out as many lands where it started.
    wheel(view, -5, middle);
    CHECK(view.zoom() == Approx(farthest).epsilon(1e-6));
    // Where text is drawn the steps stay fine: a notch is a quarter more.
    view.setZoom(1.0);
    wheel(view, 1, middle);
    CHECK(view.zoom() == Approx(1.25));
    wheel(view, -2, middle);
    CHECK(view.zoom() == Approx(0.8));
}
