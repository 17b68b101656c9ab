#include "app/document_controller.h"
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "onnx/importer.h"
#include "project/node_map.h"
#include "widgets/graph_view.h"
#include "widgets/profile_table_model.h"
#include "widgets/profile_view.h"

#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <catch2/catch.hpp>
#include <set>

using lb::app::EngineWorker;
using lb::app::MainWindow;
using lb::app::RunResult;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

lb::run::RunSpec clsRequest() {
    lb::run::RunSpec spec;
    spec.model = kClsModel.toStdString();
    spec.inputShapes["x"] = {1, 3, 48, 192};
    spec.target = "reference";
    spec.warmup = 1;
    spec.iterations = 3;
    spec.seed = 1;
    return spec;
}
} // namespace

TEST_CASE("the run command profiles the real classifier on the worker", "[run][worker]") {
    EngineWorker worker;
    QSignalSpy finished(&worker, &EngineWorker::runFinished);
    QSignalSpy failed(&worker, &EngineWorker::jobFailed);
    QSignalSpy progress(&worker, &EngineWorker::jobProgress);
    const EngineWorker::JobId job = worker.runModel(clsRequest());
    REQUIRE(finished.wait(300000));
    REQUIRE(failed.isEmpty());
    CHECK(finished.at(0).at(0).value<EngineWorker::JobId>() == job);
    const auto result = finished.at(0).at(1).value<RunResult>();
    REQUIRE(result.report);
    const lb::report::ProfileReport& r = *result.report;
    CHECK(r.iterations == 3);
    CHECK(r.runsMs.size() == 3);
    CHECK(r.latencyMs.mean > 0);
    REQUIRE(!r.nodes.empty());
    CHECK(result.spec == clsRequest());
    CHECK_FALSE(progress.isEmpty());

    // Every report row maps onto nodes of the graph as the user opens it (the engine's map).
    auto imported =
        std::make_shared<const lb::ir::Graph>(lb::onnx::importModel(kClsModel.toStdString()).graph);
    const lb::project::NodeMap map(imported, result.report);
    CHECK(map.unmatchedNames().empty());
    std::set<lb::ir::NodeId> covered;
    for (size_t i = 0; i < r.nodes.size(); ++i) {
        INFO(r.nodes[i].name);
        REQUIRE_FALSE(map.nodesOfRow(i).empty());
        covered.insert(map.nodesOfRow(i).begin(), map.nodesOfRow(i).end());
    }
    // The passes fuse (e.g. BatchNormalization into Conv): more original nodes than layers.
    CHECK(covered.size() > r.nodes.size());
}

TEST_CASE("a run table row selects its node in the graph and a bad shape is a one-line error",
          "[run][window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    std::map<std::string, lb::Shape> shapes{{"x", {1, 3, 48, 192}}};
    window.documents()->open(kClsModel, shapes);
    REQUIRE(shown.wait(120000));

    QSignalSpy profiled(window.runs(), &lb::app::RunController::profileShown);
    auto request = window.runPanel()->request();
    REQUIRE(request);
    CHECK(request->inputShapes.at("x") == lb::Shape{1, 3, 48, 192});
    request->target = "reference";
    request->iterations = 3;
    window.runs()->run(*request);
    CHECK(window.runs()->isRunning());
    REQUIRE(profiled.wait(300000));
    lb::widgets::ProfileView* profile = window.profileView();
    REQUIRE(profile->report());
    CHECK(profile->headlineText().contains(QStringLiteral("inferences/s")));

    // Sorted by time, slowest first; clicking the first row selects that layer's first node.
    QTableView* table = profile->table();
    const QModelIndex first = table->model()->index(0, 0);
    const int reportRow =
        table->model()->data(first, lb::widgets::ProfileTableModel::ReportIndexRole).toInt();
    const std::string layer = profile->report()->nodes.at(static_cast<size_t>(reportRow)).name;
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
    const lb::ir::NodeId selected = window.graphView()->selectedNode();
    REQUIRE(selected != lb::ir::kNoNode);
    const lb::ir::Graph& graph = *window.documents()->document()->graph();
    INFO(layer << " selected " << graph.node(selected).name);
    // The selected node is the layer itself or one of the originals fused into it.
    CHECK(window.graphView()->highlightedNodes().contains(selected));
    CHECK(
        (graph.node(selected).name == layer || window.graphView()->highlightedNodes().size() > 1));

    // The heat map colours timed nodes and goes when switched off.
    CHECK_FALSE(profile->heatOverlay().isEmpty());

    QSignalSpy failed(window.runs(), &lb::app::RunController::runFailed);
    request->inputShapes["x"] = {1, 3, 7};
    window.runs()->run(*request);
    REQUIRE(failed.wait(300000));
    const QString message = failed.at(0).at(0).toString();
    INFO(message.toStdString());
    CHECK_FALSE(message.isEmpty());
    CHECK_FALSE(message.contains(QLatin1Char('\n')));
}
