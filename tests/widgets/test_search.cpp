#include "widget_test_graphs.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_search.h"
#include "widgets/graph_view.h"
#include "widgets/search_bar.h"
#include "widgets/search_results_model.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>
#include <catch2/catch.hpp>

using lb::widgets::GraphSearch;

namespace {
std::vector<std::string> names(const lb::ir::Graph& g,
                               const std::vector<lb::widgets::GraphSearch::Hit>& hits) {
    std::vector<std::string> out;
    for (const auto& hit : hits)
        out.push_back(g.node(hit.id).name);
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

namespace {
using Kind = GraphSearch::Kind;
constexpr GraphSearch::Kinds bit(Kind kind) {
    return static_cast<GraphSearch::Kinds>(kind);
}
} // namespace

TEST_CASE("graph search says which kind matched and filters by kind", "[search]") {
    // node_i is Conv, Relu, HardSwish in turn and writes "<op>_<i>.out": for "conv" the Conv
    // nodes match by op type (and their output), the Relu after each by its input tensor.
    const auto g = lb::widgets::test::makeChainGraph(30);
    GraphSearch search;
    search.setGraph(*g);
    REQUIRE(search.setQuery("CONV") == 20);
    CHECK(search.countOf(Kind::OpType) == 10);
    CHECK(search.countOf(Kind::Tensor) == 20);
    CHECK(search.countOf(Kind::NodeName) == 0);
    CHECK(search.unfilteredCount() == 20);
    // All kinds: Conv and Relu nodes alternate, each saying why it is there.
    REQUIRE(search.hits().size() == 20);
    CHECK(g->node(search.hits()[0].id).opType == "Conv");
    CHECK(search.hits()[0].kinds == (bit(Kind::OpType) | bit(Kind::Tensor)));
    CHECK(search.hits()[0].tensor == "conv_0.w"); // the first matching tensor: its weight
    CHECK(g->node(search.hits()[1].id).opType == "Relu");
    CHECK(search.hits()[1].kinds == bit(Kind::Tensor));
    CHECK(search.hits()[1].tensor == "conv_0.out");

    // Op types only: the Conv nodes, nothing reached through a tensor name.
    search.setKinds(bit(Kind::OpType));
    REQUIRE(search.hits().size() == 10);
    for (const auto& hit : search.hits()) {
        CHECK(g->node(hit.id).opType == "Conv");
        CHECK(hit.kinds == bit(Kind::OpType));
        CHECK(hit.tensor.empty());
    }
    CHECK(search.current() == -1);
    CHECK(g->node(search.next()).name == "node_0");
    CHECK(g->node(search.next()).name == "node_3");
    // The counts per kind do not depend on the filter; a new query keeps the filter.
    CHECK(search.countOf(Kind::Tensor) == 20);
    CHECK(search.setQuery("relu") == 10);
    CHECK(search.setQuery("node_2") == 0); // a node name, not an op type
    search.setKinds(bit(Kind::NodeName));
    REQUIRE(search.setQuery("node_2") == 11); // node_2 and node_20 .. node_29
    CHECK(names(*g, search.hits())[0] == "node_2");
    CHECK(names(*g, search.hits())[1] == "node_20");
    CHECK(search.hits()[0].kinds == bit(Kind::NodeName));
    CHECK(search.hits()[0].name == "node_2");

    search.setKinds(bit(Kind::Tensor));
    REQUIRE(search.setQuery("hardswish_5.out") == 2);
    CHECK(names(*g, search.hits()) == std::vector<std::string>{"node_5", "node_6"});
    CHECK(search.setCurrent(1) == *g->findNode("node_6"));
    CHECK(search.current() == 1);
    CHECK(search.setCurrent(2) == lb::ir::kNoNode);

    // A folded Constant's name is a node name of the box it is drawn in.
    const auto constants = lb::widgets::test::makeConstantGraph();
    GraphSearch folded;
    folded.setGraph(*constants);
    REQUIRE(folded.setQuery("w_const") == 1);
    CHECK(folded.hits()[0].kinds == (bit(Kind::NodeName) | bit(Kind::Tensor)));
    CHECK(folded.hits()[0].name == "w_const");
    CHECK(folded.hits()[0].tensor == "w_const_out");
}

TEST_CASE("search bar lists the hits with their kinds and filters them by kind", "[search][view]") {
    const auto g = lb::widgets::test::makeChainGraph(300);
    lb::widgets::GraphView view;
    view.resize(900, 600);
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    view.setZoom(1.0);
    lb::widgets::SearchBar bar;
    bar.resize(900, 300);
    bar.show();
    bar.setGraph(g);
    QObject::connect(&bar, &lb::widgets::SearchBar::nodeRequested, &view,
                     [&view](lb::ir::NodeId id) { view.selectNode(id, true); });
    QSignalSpy requested(&bar, &lb::widgets::SearchBar::nodeRequested);
    const lb::widgets::SearchResultsModel* model = bar.resultsModel();
    REQUIRE(model);
    QAbstractItemModelTester tester(const_cast<lb::widgets::SearchResultsModel*>(model),
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    auto* edit = bar.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    auto* kind = bar.findChild<QComboBox*>(QStringLiteral("searchKind"));
    QTreeView* list = bar.resultsView();
    REQUIRE(edit);
    REQUIRE(kind);
    REQUIRE(list);
    CHECK_FALSE(list->isVisible()); // no query, no list

    QTest::keyClicks(edit, QStringLiteral("conv"));
    // 100 Conv nodes by op type, 200 nodes (each Conv and the Relu after it) by tensor name.
    REQUIRE(bar.hitCount() == 200);
    CHECK(list->isVisible());
    CHECK(model->rowCount() == 200);
    using M = lb::widgets::SearchResultsModel;
    auto text = [model](int row, int column) {
        return model->index(row, column).data().toString();
    };
    CHECK(text(0, M::NodeColumn) == QStringLiteral("node_0"));
    CHECK(text(0, M::OpColumn) == QStringLiteral("Conv"));
    CHECK(text(0, M::MatchColumn) == QStringLiteral("op type, tensor conv_0.w"));
    CHECK(text(1, M::NodeColumn) == QStringLiteral("node_1"));
    CHECK(text(1, M::MatchColumn) == QStringLiteral("tensor conv_0.out"));
    CHECK(model->index(1, 0).data(M::kNodeIdRole).value<lb::ir::NodeId>() ==
          *g->findNode("node_1"));
    // The filter shows each kind's count.
    CHECK(kind->itemText(0) == QStringLiteral("All kinds (200)"));
    CHECK(kind->itemText(1) == QStringLiteral("Node names (0)"));
    CHECK(kind->itemText(2) == QStringLiteral("Op types (100)"));
    CHECK(kind->itemText(3) == QStringLiteral("Tensors (200)"));

    // Op types only, chosen in the combo box as a user would: Enter walks Conv nodes only.
    kind->setFocus();
    kind->setCurrentIndex(2);
    emit kind->activated(2);
    CHECK(bar.kindFilter() == bit(Kind::OpType));
    REQUIRE(bar.hitCount() == 100);
    CHECK(model->rowCount() == 100);
    for (int row = 0; row < model->rowCount(); ++row) {
        CHECK(text(row, M::OpColumn) == QStringLiteral("Conv"));
        CHECK(text(row, M::MatchColumn) == QStringLiteral("op type"));
    }
    CHECK(view.selectedNode() == *g->findNode("node_0"));
    CHECK(bar.statusText() == QStringLiteral("1 of 100"));
    for (int i = 0; i < 5; ++i) {
        QTest::keyClick(edit, Qt::Key_Return);
        CHECK(g->node(view.selectedNode()).opType == "Conv");
    }
    CHECK(view.selectedNode() == *g->findNode("node_15"));
    CHECK(bar.statusText() == QStringLiteral("6 of 100"));
    // The list's current row follows Enter.
    CHECK(list->currentIndex().row() == 5);

    // Clicking a hit selects and centres it, once.
    requested.clear();
    const QModelIndex row20 = model->index(20, M::NodeColumn);
    list->scrollTo(row20);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row20).center());
    REQUIRE(requested.count() == 1);
    const lb::ir::NodeId clicked = *g->findNode("node_60");
    CHECK(view.selectedNode() == clicked);
    CHECK(bar.statusText() == QStringLiteral("21 of 100"));
    const QPointF at =
        view.mapFromScene(view.scene()->node(*view.scene()->indexOfNode(clicked)).rect.center());
    CHECK(std::abs(at.y() - view.viewport()->rect().center().y()) <= 2);
    // Clicking it again (after panning away) goes there again.
    view.verticalScrollBar()->setValue(0);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row20).center());
    CHECK(requested.count() == 2);
    const QPointF again =
        view.mapFromScene(view.scene()->node(*view.scene()->indexOfNode(clicked)).rect.center());
    CHECK(std::abs(again.y() - view.viewport()->rect().center().y()) <= 2);

    // Tensors only; a later query keeps the filter.
    bar.setKindFilter(bit(Kind::Tensor));
    CHECK(kind->currentIndex() == 3);
    CHECK(bar.hitCount() == 200);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("relu_1.out"));
    CHECK(bar.kindFilter() == bit(Kind::Tensor));
    REQUIRE(bar.hitCount() == 2);
    CHECK(text(0, M::MatchColumn) == QStringLiteral("tensor relu_1.out"));
    // The list can be turned off; it is also gone with the query.
    bar.setResultsListEnabled(false);
    CHECK_FALSE(list->isVisible());
    bar.setResultsListEnabled(true);
    CHECK(list->isVisible());
    edit->clear();
    CHECK_FALSE(list->isVisible());
    CHECK(model->rowCount() == 0);
}
