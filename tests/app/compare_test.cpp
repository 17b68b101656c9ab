#include "app/compare_controller.h"
#include "app/document_controller.h"
#include "app/engine_worker.h"
#include "app/input_shapes.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "project/node_map.h"
#include "report/comparison.h"
#include "widgets/compare_view.h"
#include "widgets/comparison_table_model.h"
#include "widgets/graph_view.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

using lb::app::MainWindow;
using lb::widgets::CompareView;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

void openCls(MainWindow& window) {
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    REQUIRE(shown.wait(120000));
}
} // namespace

TEST_CASE("the Compare view benchmarks cls on two targets through the worker",
          "[compare][window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    openCls(window);
    CompareView* view = window.compareView();
    CHECK(view->headlineText().startsWith(QStringLiteral("No comparison yet")));
    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("compareDock"));
    CHECK_FALSE(dock->isVisible()); // until Tools > Compare Targets or a comparison
    dock->show();

    CompareView::Settings settings;
    settings.targets = {"cpu-fp32", "gpu-fp16"};
    settings.rounds = 2;
    settings.iterations = 3;
    view->setSettings(settings);
    QSignalSpy shown(window.comparisons(), &lb::app::CompareController::comparisonShown);
    QSignalSpy progress(window.findChild<lb::app::EngineWorker*>(),
                        &lb::app::EngineWorker::jobProgress);
    REQUIRE(view->compareButton()->isEnabled());
    view->compareButton()->click();
    CHECK(window.comparisons()->isRunning());
    CHECK(view->progressBar()->isVisible());
    CHECK_FALSE(view->compareButton()->isEnabled());
    CHECK(view->cancelButton()->isEnabled());
    REQUIRE(shown.wait(300000));
    CHECK_FALSE(progress.isEmpty());
    REQUIRE(QTest::qWaitFor([&] { return !view->isRunning(); }, 10000));
    CHECK(view->errorText().isEmpty());
    CHECK(dock->isVisible());

    const lb::report::Comparison* c = window.comparisons()->comparison();
    REQUIRE(c);
    REQUIRE(c->reports.size() == 2);
    CHECK(c->rounds == 2);
    CHECK(c->reports[0].target == "cpu-fp32");
    CHECK(c->reports[1].target == "gpu-fp16");
    for (const lb::report::ProfileReport& r : c->reports) {
        CHECK(r.runsMs.size() == 6); // every timed run of both rounds
        CHECK(r.latencyMs.p50 > 0);
        CHECK(r.inputShapes.at("x") == "1x3x48x192"); // the shared Input shapes field's
        REQUIRE_FALSE(r.nodes.empty());
    }
    // The reference is exact against itself; fp16 storage is close but not exact.
    CHECK(std::isinf(c->reports[0].accuracy.sqnrDb));
    CHECK(std::isfinite(c->reports[1].accuracy.sqnrDb));
    CHECK(c->reports[1].accuracy.sqnrDb > 20.0);
    CHECK(c->reports[1].accuracy.maxAbsError > 0.0);

    CHECK(view->tableModel()->rowCount() == 2);
    CHECK(view->headlineText().contains(QStringLiteral("2 targets")));
    // Every matched layer names nodes of the graph the user sees.
    const auto& graph = window.documents()->document()->graph();
    const lb::project::NodeMap names(graph);
    REQUIRE_FALSE(view->data().layers().empty());
    for (const auto& layer : view->data().layers())
        for (const std::string& node : layer.nodes) {
            INFO(node);
            CHECK(names.nodeId(node).has_value());
        }

    // The graph takes the fastest target's colour per timed node, grey elsewhere.
    view->setGraphColours(CompareView::FastestColours);
    const auto overlay = window.graphView()->nodeOverlay();
    CHECK(overlay.size() == static_cast<int>(graph->nodeIds().size()));
    CHECK(view->graphOverlay().size() > static_cast<int>(c->reports[0].nodes.size()));

    // Saved, then opened again: the reports come back as they were, added to those shown.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cls_comparison.json"));
    REQUIRE(window.comparisons()->saveComparison(path));
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const lb::report::Comparison read =
        lb::report::comparisonFromJson(nlohmann::json::parse(file.readAll().toStdString()));
    CHECK(read == *c);
    REQUIRE(window.comparisons()->openReports({path}));
    CHECK(window.comparisons()->comparison()->reports.size() == 4);
    CHECK(view->tableModel()->rowCount() == 4);
    CHECK(view->data().targetLabel(2) == QStringLiteral("cpu-fp32 #2"));

    // A file that is not a report: one line naming it, where the user acted; nothing added.
    const QString bad = dir.filePath(QStringLiteral("not_a_report.json"));
    QFile badFile(bad);
    REQUIRE(badFile.open(QIODevice::WriteOnly));
    badFile.write("{\"schema\": \"something else\"}");
    badFile.close();
    CHECK_FALSE(window.comparisons()->openReports({bad}));
    INFO(view->errorText().toStdString());
    CHECK(view->errorText().contains(QStringLiteral("not_a_report.json")));
    CHECK_FALSE(view->errorText().contains(QLatin1Char('\n')));
    CHECK(view->tableModel()->rowCount() == 4);
}

TEST_CASE("a comparison is cancelled from the Compare view and a bad shape is one line",
          "[compare][window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    openCls(window);
    CompareView* view = window.compareView();

    CompareView::Settings settings;
    settings.targets = {"cpu-fp32", "reference"};
    settings.rounds = 50;
    settings.iterations = 200;
    view->setSettings(settings);
    auto* worker = window.findChild<lb::app::EngineWorker*>();
    QSignalSpy cancelled(worker, &lb::app::EngineWorker::jobCancelled);
    QSignalSpy progress(worker, &lb::app::EngineWorker::jobProgress);
    view->compareButton()->click();
    REQUIRE(progress.wait(60000)); // running
    // The benchmark's step in words (the engine reports "cpu-fp32 1/50").
    auto* step = view->findChild<QLabel*>(QStringLiteral("compareProgressText"));
    CHECK(step->text().startsWith(QStringLiteral("cpu-fp32, round 1 of 50")));
    view->cancelButton()->click();
    REQUIRE(cancelled.wait(60000));
    REQUIRE(QTest::qWaitFor([&] { return !view->isRunning(); }, 60000));
    CHECK_FALSE(window.comparisons()->comparison());
    CHECK(view->headlineText().startsWith(QStringLiteral("No comparison yet")));

    // The shape comes from the Input shapes field the Run panel shares.
    window.documents()->inputShapes()->setText("x", QStringLiteral("1x3x48"));
    QSignalSpy failed(window.comparisons(), &lb::app::CompareController::compareFailed);
    settings.rounds = 1;
    settings.iterations = 1;
    view->setSettings(settings);
    view->compareButton()->click();
    REQUIRE(QTest::qWaitFor([&] { return !failed.isEmpty(); }, 60000));
    const QString message = view->errorText();
    INFO(message.toStdString());
    CHECK_FALSE(message.isEmpty());
    CHECK_FALSE(message.contains(QLatin1Char('\n')));
}

TEST_CASE("npu-int8 compares with the Encodings table's encodings", "[compare][window][quant]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    openCls(window);
    CompareView* view = window.compareView();
    window.findChild<QDockWidget*>(QStringLiteral("compareDock"))->show();
    REQUIRE_FALSE(view->targetBox("npu-int8")->isEnabled()); // no encodings yet

    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize();
    REQUIRE(quantized.wait(300000));
    CHECK(view->targetBox("npu-int8")->isEnabled());

    CompareView::Settings settings;
    settings.targets = {"cpu-fp32", "npu-int8"};
    settings.rounds = 1;
    settings.iterations = 2;
    view->setSettings(settings);
    QSignalSpy shown(window.comparisons(), &lb::app::CompareController::comparisonShown);
    view->compareButton()->click();
    REQUIRE(shown.wait(300000));
    const lb::report::Comparison* c = window.comparisons()->comparison();
    REQUIRE(c);
    REQUIRE(c->reports.size() == 2);
    const lb::report::ProfileReport& npu = c->reports[1];
    CHECK(npu.target == "npu-int8");
    CHECK(npu.precision == "int8");
    // Real int8 kernels ran (the encodings reached the run), and they cost accuracy.
    CHECK(std::any_of(npu.nodes.begin(), npu.nodes.end(),
                      [](const auto& n) { return n.precision == "int8"; }));
    CHECK(std::isfinite(npu.accuracy.sqnrDb));
    CHECK(npu.accuracy.sqnrDb < 80.0);
    CHECK(view->errorText().isEmpty());
}
