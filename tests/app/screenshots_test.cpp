// Not a check: writes the screenshots of docs/screenshots (every view, 1280x800 and 1920x1080,
// English and Spanish) after opening, running and quantizing cls. Hidden from the default run:
//   LB_SCREENSHOT_DIR=docs/screenshots QT_QPA_PLATFORM=offscreen build/tests/app/app_test
//   "[.screenshots]"
#include "app/compare_controller.h"
#include "app/document_controller.h"
#include "app/input_shapes_dialog.h"
#include "app/language.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "run/targets.h"
#include "widgets/compare_view.h"
#include "widgets/graph_view.h"
#include "widgets/quant_view.h"

#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTest>
#include <catch2/catch.hpp>

using lb::app::MainWindow;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

void save(QWidget* widget, const QString& name) {
    QTest::qWait(150); // docks take their sizes, charts replot
    const QString dir = qEnvironmentVariable("LB_SCREENSHOT_DIR");
    QDir().mkpath(dir);
    // Highest PNG compression: docs/screenshots keeps each under 200 KB.
    REQUIRE(widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")), "PNG", 0));
}

void raise(MainWindow& window, const char* dock) {
    auto* d = window.findChild<QDockWidget*>(QString::fromLatin1(dock));
    d->show();
    d->raise();
}
} // namespace

TEST_CASE("screenshots of every view", "[.screenshots]") {
    REQUIRE_FALSE(qEnvironmentVariable("LB_SCREENSHOT_DIR").isEmpty());
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    QSignalSpy profiled(window.runs(), &lb::app::RunController::profileShown);
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    REQUIRE(shown.wait(120000));
    window.runs()->run(*window.runPanel()->request());
    REQUIRE(profiled.wait(120000));
    window.quantization()->quantize();
    REQUIRE(quantized.wait(300000));

    for (const char* language : {"en", "es"}) {
        lb::app::installTranslators(*QCoreApplication::instance(), QString::fromLatin1(language));
        QTest::qWait(300); // LanguageChange, and the graph drawn again in the new words
        for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
            window.resize(size);
            const QString tag =
                QStringLiteral("_%1_%2").arg(QString::fromLatin1(language)).arg(size.width());
            raise(window, "summaryDock");
            raise(window, "profileDock");
            save(&window, QStringLiteral("summary_profile") + tag);
            raise(window, "runDock");
            save(&window, QStringLiteral("run_panel") + tag);
            // A Conv with weights: its histograms in Properties.
            window.graphView()->selectNode(
                *window.documents()->document()->graph()->findNode("p2o.Conv.0"), true);
            raise(window, "propertiesDock");
            save(&window, QStringLiteral("properties") + tag);
            raise(window, "quantPanelDock");
            raise(window, "quantDock");
            window.quantView()->tabs()->setCurrentIndex(0);
            save(&window, QStringLiteral("quantization") + tag);
            window.quantView()->tabs()->setCurrentIndex(1);
            save(&window, QStringLiteral("encodings") + tag);
            window.quantView()->tabs()->setCurrentIndex(0);
        }
        lb::app::InputShapesDialog dialog({{"x", QStringLiteral("?x3x48x?"), QString()}}, &window);
        dialog.show();
        save(&dialog, QStringLiteral("dialog_input_shapes_") + QString::fromLatin1(language));
    }
    lb::app::installTranslators(*QCoreApplication::instance(), QStringLiteral("en"));
}

// The Compare view (issue #12): cls quantized on random data, then every named target this build
// has benchmarked (2 rounds of 10 runs), each tab in both languages with the graph coloured by the
// fastest target, and by the ratio of two. Run under Xvfb at 1280x800:
//   LB_SCREENSHOT_DIR=docs/screenshots xvfb-run -s "-screen 0 1280x800x24"
//   build/tests/app/app_test "[.compare_screenshots]"
TEST_CASE("screenshots of the Compare view", "[.compare_screenshots]") {
    REQUIRE_FALSE(qEnvironmentVariable("LB_SCREENSHOT_DIR").isEmpty());
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    QSignalSpy compared(window.comparisons(), &lb::app::CompareController::comparisonShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    REQUIRE(shown.wait(120000));
    lb::widgets::CompareView* view = window.compareView();
    raise(window, "compareDock");
    save(&window, QStringLiteral("compare_empty_en_1280x800"));
    window.quantization()->quantize();
    REQUIRE(quantized.wait(300000));

    lb::widgets::CompareView::Settings settings;
    settings.targets = lb::run::availableTargetNames();
    settings.rounds = 2;
    settings.iterations = 10;
    view->setSettings(settings);
    raise(window, "compareDock");
    view->compareButton()->click();
    REQUIRE(compared.wait(600000));
    REQUIRE(view->errorText().isEmpty());
    window.graphView()->fitToView();

    for (const char* language : {"en", "es"}) {
        lb::app::installTranslators(*QCoreApplication::instance(), QString::fromLatin1(language));
        QTest::qWait(300);
        const QString tag = QStringLiteral("_%1_1280x800").arg(QString::fromLatin1(language));
        raise(window, "compareDock");
        view->setGraphColours(lb::widgets::CompareView::FastestColours);
        const char* tabs[] = {"table", "latency", "layers", "op_types", "accuracy"};
        for (int i = 0; i < 5; ++i) {
            view->tabs()->setCurrentIndex(i);
            save(&window, QStringLiteral("compare_%1").arg(QString::fromLatin1(tabs[i])) + tag);
        }
        view->logTimeAxis()->setChecked(true);
        view->tabs()->setCurrentIndex(1);
        save(&window, QStringLiteral("compare_latency_log") + tag);
        view->tabs()->setCurrentIndex(2);
        save(&window, QStringLiteral("compare_layers_log") + tag);
        view->setGraphColours(lb::widgets::CompareView::RatioColours, 2, 0);
        save(&window, QStringLiteral("compare_ratio") + tag);
        view->logTimeAxis()->setChecked(false);
    }
    lb::app::installTranslators(*QCoreApplication::instance(), QStringLiteral("en"));
}
