#include "project/node_map.h"
#include "widget_test_graphs.h"
#include "widgets/profile_charts.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <catch2/catch.hpp>

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
