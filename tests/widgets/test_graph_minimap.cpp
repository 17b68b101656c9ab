#include "onnx/exporter.h"
#include "widget_test_graphs.h"
#include "widgets/graph_minimap.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_view.h"

#include <QScrollBar>
#include <QTest>
#include <catch2/catch.hpp>
#include <chrono>

using lb::widgets::GraphMinimap;
using lb::widgets::GraphScene;
using lb::widgets::GraphView;

namespace {
std::shared_ptr<const GraphScene> sceneOf(const lb::ir::Graph& g) {
    return std::make_shared<const GraphScene>(lb::widgets::buildGraphScene(g));
}

// The minimap's marker is the view's visible area mapped into it, within a pixel.
void requireMarkerMatches(const GraphView& view) {
    const GraphMinimap& map = *view.minimap();
    const QRectF visible = view.visibleSceneRect();
    const QRectF expected(map.mapFromScene(visible.topLeft()),
                          map.mapFromScene(visible.bottomRight()));
    const QRectF marker = map.viewportRect();
    CHECK(std::abs(marker.top() - expected.top()) < 1.0);
    CHECK(std::abs(marker.bottom() - expected.bottom()) < 1.0);
    CHECK(std::abs(marker.left() - expected.left()) < 1.0);
    CHECK(std::abs(marker.right() - expected.right()) < 1.0);
}

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
} // namespace

TEST_CASE("the minimap shows where the view is and moves it", "[view][minimap]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(600);
    GraphView view;
    view.resize(1000, 700);
    view.show();
    view.setScene(sceneOf(*g));
    GraphMinimap* map = view.minimap();
    REQUIRE(map);

    // Everything in view: nothing to give an overview of.
    view.setZoom(0.0);
    REQUIRE(view.visibleSceneRect().contains(view.scene()->boundingRect()));
    CHECK_FALSE(map->isVisible());

    view.setZoom(1.0);
    view.centreOn(*g->findNode("block10/Relu"));
    REQUIRE(map->isVisible());
    // In the bottom-right corner of the viewport, whole.
    CHECK(view.viewport()->rect().contains(map->geometry()));
    CHECK(map->geometry().right() > view.viewport()->width() * 3 / 4);
    CHECK(map->geometry().bottom() > view.viewport()->height() * 3 / 4);
    requireMarkerMatches(view);
    const QRectF before = map->viewportRect();

    // Follows scrolling, centring and zooming.
    view.centreOn(*g->findNode("block100/Relu"));
    requireMarkerMatches(view);
    CHECK(map->viewportRect().center().y() > before.center().y() + 10);
    view.verticalScrollBar()->setValue(view.verticalScrollBar()->value() - 300);
    requireMarkerMatches(view);
    view.setZoom(2.0);
    requireMarkerMatches(view);
    CHECK(map->viewportRect().height() < before.height());

    // A click centres the view on the point clicked (away from the scroll range's ends).
    view.setZoom(1.0);
    const QPointF target = map->mapFromScene(
        view.scene()->node(*view.scene()->indexOfNode(*g->findNode("block80/Add"))).rect.center());
    QTest::mouseClick(map, Qt::LeftButton, {}, target.toPoint());
    const QPointF clickedScene = map->mapToScene(QPointF(target.toPoint()));
    const QPointF centre = view.visibleSceneRect().center();
    CHECK(std::abs(centre.y() - clickedScene.y()) <= 2.0);
    requireMarkerMatches(view);
    CHECK(view.selectedNode() == lb::ir::kNoNode); // a click on the minimap selects nothing

    // Dragging the marker moves the view by as much, in scene units.
    const QPoint grab = map->viewportRect().center().toPoint();
    const double sceneYBefore = view.visibleSceneRect().center().y();
    QTest::mousePress(map, Qt::LeftButton, {}, grab);
    QTest::mouseMove(map, grab + QPoint(0, 30));
    QTest::mouseRelease(map, Qt::LeftButton, {}, grab + QPoint(0, 30));
    const double expected =
        map->mapToScene(QPointF(grab + QPoint(0, 30))).y() - map->mapToScene(QPointF(grab)).y();
    CHECK(view.visibleSceneRect().center().y() - sceneYBefore == Approx(expected).margin(2.0));
    requireMarkerMatches(view);

    // Off by choice.
    view.setMinimapEnabled(false);
    CHECK_FALSE(map->isVisible());
    view.setMinimapEnabled(true);
    CHECK(map->isVisible());
}

TEST_CASE("a 10,000-node chain fits, and its minimap draws once and follows the view",
          "[view][minimap]") {
    const auto chain = lb::widgets::test::makeChainGraph(10'000);
    auto t0 = std::chrono::steady_clock::now();
    const auto scene = sceneOf(*chain);
    const double buildMs = msSince(t0);
    GraphView view;
    view.resize(1280, 800);
    view.show();
    t0 = std::chrono::steady_clock::now();
    view.setScene(scene);
    view.fitToView();
    GraphMinimap* map = view.minimap();
    REQUIRE(map->isVisible());
    // The chain is far taller than wide; stretched to a usable strip, not a hairline.
    CHECK(map->width() >= 40);
    CHECK(map->height() > map->width());
    QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
    view.viewport()->render(&frame); // paints the view and, the first time, renders the minimap
    const double firstMs = msSince(t0);
    CHECK(map->renderCount() == 1);

    // Scroll down the chain a page at a time, painting each frame.
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->value() + 700);
        view.viewport()->render(&frame);
        requireMarkerMatches(view);
    }
    const double scrollMs = msSince(t0) / 50;
    CHECK(map->renderCount() == 1); // following the view never draws the scene again
    WARN("10,000-node chain: scene build " << buildMs << " ms; set, fit and first paint " << firstMs
                                           << " ms; a scrolled frame " << scrollMs << " ms");
    // Sanity bounds only (shared, loaded machines): nothing here may take seconds.
    CHECK(firstMs < 5000);
    CHECK(scrollMs < 1000);

    // New colours (a heat map) draw it once more.
    view.setNodeOverlay({{*chain->findNode("node_5"), QColor(Qt::red)}});
    view.viewport()->render(&frame);
    CHECK(map->renderCount() == 2);
}

// For looking at the app: QT_QPA_PLATFORM=offscreen lb_widgets_tests "[.render]" writes
// chain10k.onnx to $LB_RENDER_DIR (default the current folder); open it with build/app/layerbench.
TEST_CASE("write the 10,000-node chain as a model file", "[.render]") {
    const QString dir = qEnvironmentVariableIsEmpty("LB_RENDER_DIR")
                            ? QStringLiteral(".")
                            : qEnvironmentVariable("LB_RENDER_DIR");
    lb::onnx::saveModel(*lb::widgets::test::makeChainGraph(10'000),
                        (dir + QStringLiteral("/chain10k.onnx")).toStdString());
}
