#include "widget_test_graphs.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_search.h"
#include "widgets/graph_view.h"
#include "widgets/search_bar.h"

#include <QLineEdit>
#include <QScrollBar>
#include <QTest>
#include <catch2/catch.hpp>

using lb::widgets::GraphSearch;

namespace {
std::vector<std::string> names(const lb::ir::Graph& g, const std::vector<lb::ir::NodeId>& ids) {
    std::vector<std::string> out;
    for (auto id : ids)
        out.push_back(g.node(id).name);
    return out;
}
} // namespace

TEST_CASE("graph search matches names, op types and tensor names in topological order",
          "[search]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    GraphSearch search;
    search.setGraph(*g);
    using V = std::vector<std::string>;
    // conv1/conv2 by name, relu1 and add1 through their inputs conv1_out / conv2_out.
    CHECK(search.setQuery("CONV") == 4);
    CHECK(names(*g, search.hits()) == V{"conv1", "relu1", "conv2", "add1"});
    search.setQuery("softmax");
    CHECK(names(*g, search.hits()) == V{"prob"});
    search.setQuery("fc.weight");
    CHECK(names(*g, search.hits()) == V{"fc"});
    CHECK(search.setQuery("nothing-like-this") == 0);
    CHECK(search.next() == lb::ir::kNoNode);
    CHECK(search.setQuery("") == 0);

    search.setQuery("pool");
    REQUIRE(names(*g, search.hits()) == V{"pool", "flatten"});
    CHECK(g->node(search.next()).name == "pool");
    CHECK(g->node(search.next()).name == "flatten");
    CHECK(g->node(search.next()).name == "pool"); // wraps
    CHECK(g->node(search.previous()).name == "flatten");
    CHECK(search.current() == 1);
}

TEST_CASE("search bar selects and centres the hit in the graph view", "[search][view]") {
    const auto g = lb::widgets::test::makeSyntheticGraph(600);
    lb::widgets::GraphView view;
    view.resize(800, 600);
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    view.setZoom(1.0);
    lb::widgets::SearchBar bar;
    bar.setGraph(g);
    QObject::connect(&bar, &lb::widgets::SearchBar::nodeRequested, &view,
                     [&view](lb::ir::NodeId id) { view.selectNode(id, true); });
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    REQUIRE(edit);

    auto requireCentred = [&view](const std::string& name, const lb::ir::Graph& graph) {
        const lb::ir::NodeId id = *graph.findNode(name);
        REQUIRE(view.selectedNode() == id);
        const QRectF rect = view.scene()->node(*view.scene()->indexOfNode(id)).rect;
        const QPointF c = view.mapFromScene(rect.center());
        const QPointF middle = QRectF(view.viewport()->rect()).center();
        // The graph is taller than the viewport: centred vertically. It is narrower than the
        // viewport at this zoom, so horizontally the whole graph (and the node) is in view.
        CHECK(std::abs(c.y() - middle.y()) <= 2);
        REQUIRE(view.horizontalScrollBar()->minimum() == view.horizontalScrollBar()->maximum());
        CHECK(QRectF(view.viewport()->rect())
                  .contains(QRectF(view.mapFromScene(rect.topLeft()),
                                   view.mapFromScene(rect.bottomRight()))));
    };

    // "block90/relu" is the Relu's name and the tensor Conv_b reads: two hits, in that order.
    QTest::keyClicks(edit, QStringLiteral("Block90/RELU"));
    CHECK(bar.hitCount() == 2);
    requireCentred("block90/Relu", *g);
    CHECK(bar.statusText() == QStringLiteral("1 of 2"));
    QTest::keyClick(edit, Qt::Key_Return);
    requireCentred("block90/Conv_b", *g);
    CHECK(bar.statusText() == QStringLiteral("2 of 2"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
    requireCentred("block90/Relu", *g);

    // A node far away, after zooming out to the outline level.
    view.fitToView();
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("block6/SidePool"));
    CHECK(bar.hitCount() == 1);
    requireCentred("block6/SidePool", *g);

    QTest::keyClick(edit, Qt::Key_Escape);
    CHECK_FALSE(bar.isVisible());
}

TEST_CASE("a search hit on a folded Constant selects the box it is drawn in",
          "[search][constants]") {
    const auto g = lb::widgets::test::makeConstantGraph();
    using V = std::vector<std::string>;
    GraphSearch search;
    search.setGraph(*g);
    search.setQuery("W_CONST");
    CHECK(names(*g, search.hits()) == V{"conv"}); // by the Constant's name and by its tensor
    search.setGraph(*g, /*foldConstants=*/false);
    search.setQuery("w_const");
    CHECK(names(*g, search.hits()) == V{"w_const", "conv"});

    lb::widgets::GraphView view;
    view.resize(800, 600);
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    lb::widgets::SearchBar bar;
    bar.setGraph(g);
    QObject::connect(&bar, &lb::widgets::SearchBar::nodeRequested, &view,
                     [&view](lb::ir::NodeId id) { view.selectNode(id, true); });
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    REQUIRE(edit);
    QTest::keyClicks(edit, QStringLiteral("w_const"));
    CHECK(bar.hitCount() == 1);
    CHECK(view.selectedNode() == *g->findNode("conv"));

    // A Constant with two consumers is a box of its own and is selected itself.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("shared_const"));
    REQUIRE(bar.hitCount() >= 1);
    CHECK(view.selectedNode() == *g->findNode("shared_const"));
}
