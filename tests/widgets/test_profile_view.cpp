#include "project/node_map.h"
#include "widget_test_graphs.h"
#include "widgets/profile_charts.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <catch2/catch.hpp>
#include <qcustomplot.h>

using lb::widgets::ProfileTableModel;

namespace {
std::shared_ptr<lb::report::ProfileReport> makeReport() {
    auto r = std::make_shared<lb::report::ProfileReport>();
    r->backend = "reference";
    r->iterations = 4;
    r->runsMs = {2.0, 2.2, 2.1, 3.0};
    r->latencyMs = lb::report::latencyStats(r->runsMs);
    r->throughputPerS = 1000.0 / r->latencyMs.mean;
    auto node = [](uint32_t id, const char* name, const char* op, double ms, double share,
                   int64_t macs) {
        lb::report::NodeProfile n;
        n.id = id;
        n.name = name;
        n.op = op;
        n.backend = "reference";
        n.timeMs = ms;
        n.share = share;
        n.macs = macs;
        n.gflops = macs > 0 ? 2.0 * static_cast<double>(macs) / (ms * 1e6) : 0.0;
        return n;
    };
    r->nodes = {node(0, "conv0", "FusedConv", 1.2, 0.6, 1000000),
                node(3, "relu", "Relu", 0.2, 0.03, -1), node(5, "fc", "Gemm", 0.6, 0.37, 50000)};
    return r;
}
// Two fallback rows and one that ran as asked, as a oneDNN int8 run reports them: a Reshape the
// oneDNN table lacks (two declines, both texts kept), a Gemm the int8 kernels left simulated.
std::shared_ptr<lb::report::ProfileReport> makeFallbackReport() {
    auto r = makeReport();
    r->backend = "onednn";
    auto& conv = r->nodes[0];
    conv.backend = "onednn";
    conv.precision = "int8";
    auto& reshape = r->nodes[1];
    reshape.name = "reshape";
    reshape.op = "Reshape";
    reshape.precision = "fp32";
    reshape.fallback = {"unsupported-op",
                        "onednn: op Reshape is not in the oneDNN backend's kernel table; xnnpack: "
                        "op Reshape needs a constant shape"};
    auto& fc = r->nodes[2];
    fc.backend = "onednn";
    fc.precision = "fp16";
    fc.fallback = {"int8-declined", "weights of 'fc' are not per-channel <int8>"};
    return r;
}

QStringList column(const QAbstractItemModel& model, int col) {
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, col).data().toString();
    return out;
}
} // namespace

TEST_CASE("profile table model shows whole reports and sorts by the raw numbers", "[profile]") {
    ProfileTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    CHECK(model.rowCount() == 0);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setReport(makeReport());
    CHECK(reset.size() == 1);
    REQUIRE(model.rowCount() == 3);
    CHECK(model.columnCount() == ProfileTableModel::ColumnCount);
    CHECK(model.index(0, ProfileTableModel::NodeColumn).data().toString() ==
          QStringLiteral("conv0"));
    CHECK(model.index(0, ProfileTableModel::ShareColumn).data().toString() ==
          QStringLiteral("60.0"));
    CHECK(model.index(1, ProfileTableModel::MacsColumn).data().toString() == QStringLiteral("?"));
    CHECK(model.index(2, ProfileTableModel::TimeColumn)
              .data(ProfileTableModel::SortRole)
              .toDouble() == Approx(0.6));

    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(ProfileTableModel::SortRole);
    proxy.sort(ProfileTableModel::TimeColumn, Qt::DescendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row)
        order << proxy.index(row, 0).data().toString();
    CHECK(order ==
          QStringList{QStringLiteral("conv0"), QStringLiteral("fc"), QStringLiteral("relu")});

    model.setReport(nullptr);
    CHECK(model.rowCount() == 0);
}

TEST_CASE("profile view maps layers to original nodes: selection and heat overlay", "[profile]") {
    lb::widgets::ProfileView view;
    view.resize(1200, 400);
    // The engine's node map: conv0 stands for two nodes of the graph (Conv + Relu fused), relu
    // for one, fc for none (it names a node this graph does not have).
    const std::shared_ptr<const lb::ir::Graph> graph = lb::widgets::test::makeSmallGraph();
    auto report = makeReport();
    report->nodes[0].covers = {"conv1", "relu1"};
    report->nodes[1].covers = {"conv2"};
    report->nodes[2].covers = {"fc_gone"};
    const lb::ir::NodeId conv1 = *graph->findNode("conv1"), relu1 = *graph->findNode("relu1"),
                         conv2 = *graph->findNode("conv2");
    view.setReport(report, std::make_shared<const lb::project::NodeMap>(graph, report));
    CHECK(view.headlineText().contains(QStringLiteral("inferences/s")));
    QSignalSpy requested(&view, &lb::widgets::ProfileView::nodesRequested);
    view.activateReportNode(0);
    REQUIRE(requested.size() == 1);
    CHECK(requested.at(0).at(0).value<QList<lb::ir::NodeId>>() ==
          QList<lb::ir::NodeId>{conv1, relu1});
    view.activateReportNode(2); // nothing to select in the graph
    view.activateReportNode(7); // no such row
    CHECK(requested.size() == 1);

    const auto overlay = view.heatOverlay();
    CHECK(overlay.size() == 3);
    CHECK(overlay.value(conv1) == lb::widgets::ProfileCharts::heatColour(0.6));
    CHECK(overlay.value(conv1) == overlay.value(relu1));
    CHECK(overlay.value(conv1) != overlay.value(conv2)); // 60 % vs 3 % of the time
    CHECK(lb::widgets::ProfileCharts::heatColour(0.001) ==
          lb::widgets::ProfileCharts::heatLegend().last().second);
}

TEST_CASE("profile table shows each row's precision and why a row fell back", "[profile]") {
    ProfileTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setReport(makeFallbackReport());
    REQUIRE(model.rowCount() == 3);
    CHECK(model.fallbackCount() == 2);
    CHECK(model.headerData(ProfileTableModel::PrecisionColumn, Qt::Horizontal).toString() ==
          QStringLiteral("Precision"));
    CHECK(column(model, ProfileTableModel::PrecisionColumn) ==
          QStringList{QStringLiteral("int8"), QStringLiteral("fp32"), QStringLiteral("fp16")});
    // The code as the engine spells it, after the backend the row ran on.
    CHECK(column(model, ProfileTableModel::BackendColumn) ==
          QStringList{QStringLiteral("onednn"), QStringLiteral("reference (unsupported-op)"),
                      QStringLiteral("onednn (int8-declined)")});
    for (int col = 0; col < ProfileTableModel::ColumnCount; ++col)
        CHECK(model.index(1, col).data(ProfileTableModel::FallbackCodeRole).toString() ==
              QStringLiteral("unsupported-op"));
    CHECK(model.index(0, 0).data(ProfileTableModel::FallbackCodeRole).toString().isEmpty());

    // Only the fallback rows' Backend cells are marked and explained.
    const QModelIndex normal = model.index(0, ProfileTableModel::BackendColumn);
    const QModelIndex reshape = model.index(1, ProfileTableModel::BackendColumn);
    const QModelIndex fc = model.index(2, ProfileTableModel::BackendColumn);
    CHECK_FALSE(normal.data(Qt::BackgroundRole).isValid());
    CHECK_FALSE(normal.data(Qt::DecorationRole).isValid());
    CHECK_FALSE(normal.data(Qt::ToolTipRole).isValid());
    for (const QModelIndex& cell : {reshape, fc}) {
        CHECK(cell.data(Qt::BackgroundRole).isValid());
        CHECK(cell.data(Qt::DecorationRole).isValid());
    }
    CHECK_FALSE(model.index(1, ProfileTableModel::OpColumn).data(Qt::BackgroundRole).isValid());
    // The whole text, one decline a line.
    const QString tip = reshape.data(Qt::ToolTipRole).toString();
    CHECK(tip.contains(
        QStringLiteral("<b>Fell back to reference</b>: a preferred backend declined this node.")));
    CHECK(tip.contains(QStringLiteral("Code: <code>unsupported-op</code>")));
    CHECK(tip.contains(
        QStringLiteral("<br>onednn: op Reshape is not in the oneDNN backend's kernel table<br>")));
    CHECK(tip.endsWith(QStringLiteral("<br>xnnpack: op Reshape needs a constant shape")));
    const QString int8Tip = fc.data(Qt::ToolTipRole).toString();
    CHECK(int8Tip.contains(QStringLiteral("<b>Not run in int8</b>")));
    CHECK(int8Tip.contains(QStringLiteral("runs simulated on onednn")));
    CHECK(int8Tip.contains(QStringLiteral("weights of 'fc' are not per-channel &lt;int8&gt;")));

    model.setReport(makeReport());
    CHECK(model.fallbackCount() == 0);
    model.clear();
    CHECK(model.fallbackCount() == 0);
}

TEST_CASE("profile view lists only the fallback rows on request, sorted by any column",
          "[profile]") {
    lb::widgets::ProfileView view;
    view.resize(1200, 400);
    QCheckBox* only = view.fallbacksOnly();
    REQUIRE(only);
    CHECK_FALSE(only->isEnabled()); // no report yet
    view.setReport(makeFallbackReport(), nullptr);
    const QAbstractItemModel& table = *view.table()->model();
    CHECK(only->text() == QStringLiteral("Fallbacks only (2)"));
    CHECK(only->isEnabled());
    CHECK_FALSE(only->isChecked());
    CHECK(view.headlineText().contains(QStringLiteral("2 nodes fell back")));
    CHECK(table.rowCount() == 3);

    view.table()->sortByColumn(ProfileTableModel::PrecisionColumn, Qt::AscendingOrder);
    CHECK(column(table, ProfileTableModel::NodeColumn) ==
          QStringList{QStringLiteral("fc"), QStringLiteral("reshape"), QStringLiteral("conv0")});
    only->setChecked(true);
    REQUIRE(table.rowCount() == 2);
    CHECK(column(table, ProfileTableModel::NodeColumn) ==
          QStringList{QStringLiteral("fc"), QStringLiteral("reshape")});
    view.table()->sortByColumn(ProfileTableModel::PrecisionColumn, Qt::DescendingOrder);
    CHECK(column(table, ProfileTableModel::NodeColumn) ==
          QStringList{QStringLiteral("reshape"), QStringLiteral("fc")});
    // Every column still sorts the filtered rows.
    for (int col = 0; col < ProfileTableModel::ColumnCount; ++col) {
        view.table()->sortByColumn(col, Qt::AscendingOrder);
        const QStringList up = column(table, ProfileTableModel::NodeColumn);
        view.table()->sortByColumn(col, Qt::DescendingOrder);
        const QStringList down = column(table, ProfileTableModel::NodeColumn);
        INFO("column " << col);
        REQUIRE(up.size() == 2);
        CHECK(up == QStringList{down[1], down[0]}); // the two rows differ in every column
    }
    // A row picked in the filtered table is the report's row.
    view.table()->sortByColumn(ProfileTableModel::NodeColumn, Qt::AscendingOrder);
    view.table()->setCurrentIndex(table.index(1, 0));
    CHECK(view.selectedReportNode() == 1); // reshape
    only->setChecked(false);
    CHECK(table.rowCount() == 3);

    // A report without fallbacks: the filter is off, disabled and says so.
    only->setChecked(true);
    view.setReport(makeReport(), nullptr);
    CHECK_FALSE(only->isChecked());
    CHECK_FALSE(only->isEnabled());
    CHECK(only->text() == QStringLiteral("Fallbacks only (0)"));
    CHECK(table.rowCount() == 3);
    CHECK_FALSE(view.headlineText().contains(QStringLiteral("fell back")));
}

// A Loop row and the two rows of its body (report schema v4: parent, subgraph, calls), whose time
// is inside the Loop's: the body's Add is slower than the model's own Relu, so a chart that took
// every row would list it as a layer and count its time twice.
TEST_CASE("control-flow child rows are not layers of their own: top-layers chart, heat map, "
          "node map, table",
          "[profile]") {
    auto report = makeReport();
    auto loop = report->nodes[0];
    loop.name = "loop";
    loop.op = "Loop";
    loop.backend = "control-flow";
    loop.timeMs = 1.0;
    loop.share = 0.5;
    loop.covers = {"conv2"}; // the graph's node this row stands for
    auto add = loop, mul = loop;
    add.name = "conv1"; // a body node may carry a top-level node's name
    add.op = "Add";
    add.backend = "reference";
    add.timeMs = 0.7;
    add.share = 0.35;
    add.covers.clear();
    add.parent = 3;
    add.subgraph = "body";
    add.calls = 5;
    mul = add;
    mul.name = "mul";
    mul.op = "Mul";
    mul.timeMs = 0.25;
    mul.share = 0.125;
    report->nodes[0].covers = {"conv1", "relu1"};
    report->nodes[1].covers = {"relu1"};
    report->nodes[2].covers = {"fc_gone"};
    report->nodes.push_back(loop); // row 3
    report->nodes.push_back(add);  // row 4
    report->nodes.push_back(mul);  // row 5

    QCustomPlot plot;
    const std::vector<int> bars = lb::widgets::ProfileCharts::fillTopLayers(&plot, *report, 10);
    CHECK(bars == std::vector<int>{1, 2, 3, 0}); // fastest first; rows 4 and 5 are not layers

    const std::shared_ptr<const lb::ir::Graph> graph = lb::widgets::test::makeSmallGraph();
    const auto nodes = std::make_shared<const lb::project::NodeMap>(graph, report);
    const lb::ir::NodeId conv1 = *graph->findNode("conv1"), conv2 = *graph->findNode("conv2");
    // The body's "conv1" is not the graph's conv1: its row shows the Loop's node.
    CHECK(nodes->nodesOfRow(4) == std::vector<lb::ir::NodeId>{conv2});
    CHECK(nodes->rowsOfNode(conv1) == std::vector<size_t>{0});
    CHECK(nodes->rowsOfNode(conv2) == std::vector<size_t>{3});
    CHECK(nodes->unmatchedNames() == std::vector<std::string>{"fc_gone"});

    lb::widgets::ProfileView view;
    view.resize(1200, 400);
    view.setReport(report, nodes);
    const auto overlay = view.heatOverlay();
    // conv1 keeps its own row's colour (60 %), not the body Add's (35 %); the Loop's node its own.
    CHECK(overlay.value(conv1) == lb::widgets::ProfileCharts::heatColour(0.6));
    CHECK(overlay.value(conv2) == lb::widgets::ProfileCharts::heatColour(0.5));
    QSignalSpy requested(&view, &lb::widgets::ProfileView::nodesRequested);
    view.activateReportNode(5); // a body row selects its control-flow node in the graph
    REQUIRE(requested.size() == 1);
    CHECK(requested.at(0).at(0).value<QList<lb::ir::NodeId>>() == QList<lb::ir::NodeId>{conv2});

    ProfileTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setReport(report);
    REQUIRE(model.rowCount() == 6); // the table lists every row, the children marked
    const QModelIndex child = model.index(4, ProfileTableModel::NodeColumn);
    CHECK(child.data().toString() == QStringLiteral("  \u21b3 body/conv1"));
    CHECK(child.data(Qt::ToolTipRole).toString().contains(QStringLiteral("loop (Loop)")));
    CHECK(child.data(Qt::ForegroundRole).isValid());
    CHECK(!model.index(3, ProfileTableModel::NodeColumn).data(Qt::ForegroundRole).isValid());
}
