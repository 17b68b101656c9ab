// Every view shows the state it claims (issue #10 item 6): the quantization view after an edit,
// selection kept in step between charts and tables, charts emptied with their report, a search
// that stops matching; and the graph legend and bias histograms of item 9.
#include "quant/encoding.h"
#include "quant/histogram_observer.h"
#include "widget_test_graphs.h"
#include "widgets/encodings_editor.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_scene_builder.h"
#include "widgets/graph_view.h"
#include "widgets/histogram_plot.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"
#include "widgets/search_bar.h"

#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>
#include <random>

using lb::widgets::EncodingsTableModel;
using lb::widgets::QuantView;

TEST_CASE("search: a query that stops matching clears the hit an earlier prefix selected",
          "[search][state]") {
    const auto g = lb::widgets::test::makeSmallGraph();
    lb::widgets::GraphView view;
    view.resize(800, 600);
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    lb::widgets::SearchBar bar;
    bar.setGraph(g);
    QObject::connect(&bar, &lb::widgets::SearchBar::nodeRequested, &view,
                     [&view](lb::ir::NodeId id) { view.selectNode(id, true); });
    QSignalSpy selected(&view, &lb::widgets::GraphView::nodeSelected);
    bar.activate();
    auto* edit = bar.findChild<QLineEdit*>(QStringLiteral("searchEdit"));
    REQUIRE(edit);

    QTest::keyClicks(edit, QStringLiteral("soft"));
    REQUIRE(bar.hitCount() == 1);
    CHECK(view.selectedNode() == *g->findNode("prob"));
    QTest::keyClicks(edit, QStringLiteral("xq")); // "softxq": nothing
    CHECK(bar.statusText() == QStringLiteral("No matches"));
    CHECK(view.selectedNode() == lb::ir::kNoNode);
    REQUIRE_FALSE(selected.isEmpty());
    CHECK(selected.last().at(0).value<lb::ir::NodeId>() == lb::ir::kNoNode); // properties follow

    // A node the user picked while the query matched nothing is theirs: more letters keep it.
    view.selectNode(*g->findNode("fc"));
    QTest::keyClicks(edit, QStringLiteral("z"));
    CHECK(bar.statusText() == QStringLiteral("No matches"));
    CHECK(view.selectedNode() == *g->findNode("fc"));

    // Matching again selects the new hit.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("pool"));
    CHECK(view.selectedNode() == *g->findNode("pool"));
}

namespace {
// `chains` parallel chains of `length` Relus from x, joined by a Concat: a block of boxes that a
// fit spreads over the whole viewport, corners included.
std::shared_ptr<lb::ir::Graph> gridGraph(int chains, int length) {
    auto g = std::make_shared<lb::ir::Graph>();
    auto value = [&g](const std::string& name) {
        const lb::ir::ValueId v = g->addValue(name);
        g->value(v).dtype = lb::DataType::Float32;
        g->value(v).shape = lb::symbolicShape(lb::Shape{1, 8});
        return v;
    };
    auto node = [&g](const std::string& name, const std::string& op,
                     std::vector<lb::ir::ValueId> inputs, std::vector<lb::ir::ValueId> outputs) {
        lb::ir::Node n;
        n.name = name;
        n.opType = op;
        n.inputs = std::move(inputs);
        n.outputs = std::move(outputs);
        g->addNode(std::move(n));
    };
    const lb::ir::ValueId x = value("x");
    g->inputs().push_back(x);
    std::vector<lb::ir::ValueId> ends;
    for (int c = 0; c < chains; ++c) {
        lb::ir::ValueId in = x;
        for (int i = 0; i < length; ++i) {
            const std::string name = "c" + std::to_string(c) + "_" + std::to_string(i);
            const lb::ir::ValueId out = value(name + "_out");
            node(name, "Relu", {in}, {out});
            in = out;
        }
        ends.push_back(in);
    }
    const lb::ir::ValueId y = value("y");
    node("concat", "Concat", ends, {y});
    g->outputs().push_back(y);
    return g;
}

// Every node box of the scene, in viewport pixels.
QList<QRectF> nodeRects(const lb::widgets::GraphView& view) {
    QList<QRectF> rects;
    for (const lb::widgets::SceneNode& n : view.scene()->nodes())
        rects.append(
            QRectF(view.mapFromScene(n.rect.topLeft()), view.mapFromScene(n.rect.bottomRight())));
    return rects;
}
} // namespace

TEST_CASE("graph view: a fitted graph stays clear of the legend, and a click folds the legend",
          "[view][legend]") {
    const auto g = gridGraph(6, 6);
    lb::widgets::GraphView view;
    view.show();
    view.setScene(
        std::make_shared<const lb::widgets::GraphScene>(lb::widgets::buildGraphScene(*g)));
    // The SQNR overlay's legend: six rows.
    QHash<lb::ir::NodeId, QColor> colours;
    for (lb::ir::NodeId id : g->nodeIds())
        colours.insert(id, Qt::green);
    view.setNodeOverlay(colours, {{QStringLiteral("SQNR < 10 dB"), Qt::red},
                                  {QStringLiteral("10 - 20 dB"), Qt::red},
                                  {QStringLiteral("20 - 30 dB"), Qt::yellow},
                                  {QStringLiteral("30 - 40 dB"), Qt::green},
                                  {QStringLiteral(">= 40 dB"), Qt::green},
                                  {QStringLiteral("no quantized tensor"), Qt::gray}});
    // Wide, tall and square viewports, so the fit is bound by either side.
    QList<QSize> sizes;
    for (int w = 300; w <= 1300; w += 100)
        for (int h = 200; h <= 900; h += 100)
            sizes.append(QSize(w, h));
    int coveredSizes = 0; // viewport sizes where the legend hides a node
    for (const QSize& size : sizes) {
        view.resize(size);
        view.fitToView();
        const QRect legend = view.legendRect();
        REQUIRE_FALSE(legend.isEmpty());
        INFO(size.width() << "x" << size.height() << ", legend " << legend.width() << "x"
                          << legend.height());
        int covered = 0;
        for (const QRectF& r : nodeRects(view)) {
            covered += r.intersects(QRectF(legend));
            // The whole graph is still in view.
            CHECK(QRectF(view.viewport()->rect()).adjusted(-1, -1, 1, 1).contains(r));
        }
        CHECK(covered == 0);
        coveredSizes += covered > 0;
    }
    INFO("sizes where the legend hid a node: " << coveredSizes << " of " << sizes.size());
    CHECK(coveredSizes == 0);

    // A click on the legend folds it to its title (and selects nothing under it); another opens
    // it again.
    view.resize(700, 700);
    view.fitToView();
    const QRect open = view.legendRect();
    QSignalSpy selected(&view, &lb::widgets::GraphView::nodeSelected);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, open.center());
    CHECK(view.legendCollapsed());
    CHECK(view.legendRect().height() < open.height() / 2);
    CHECK(selected.isEmpty());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.legendRect().center());
    CHECK_FALSE(view.legendCollapsed());
    CHECK(view.legendRect() == open);
}
