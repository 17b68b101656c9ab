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

