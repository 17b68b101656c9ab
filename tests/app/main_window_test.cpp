#include "app/main_window.h"
#include "widgets/graph_view.h"

#include <QAction>
#include <QMenuBar>
#include <QSignalSpy>
#include <catch2/catch.hpp>

using lb::app::MainWindow;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

QAction* findAction(QWidget& window, const QString& text) {
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}
} // namespace

TEST_CASE("main window shows an opened model and names it in the title", "[window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    CHECK_FALSE(findAction(window, QStringLiteral("Export Graph as &PNG..."))->isEnabled());

    QSignalSpy shown(&window, &MainWindow::documentShown);
    window.openModel(kClsModel);
    REQUIRE(shown.wait(120000));
    REQUIRE(window.document());
    CHECK(window.windowTitle().startsWith(QStringLiteral("ch_ppocr_mobile_v2.0_cls_infer.onnx")));
    CHECK(window.graphView()->nodeCount() == window.document()->graph->nodeCount());
    CHECK(shown.at(0).at(1).toDouble() >= 0);
    CHECK(shown.at(0).at(2).toDouble() >= shown.at(0).at(1).toDouble());
    CHECK(findAction(window, QStringLiteral("Export Graph as &PNG..."))->isEnabled());
}

TEST_CASE("main window keeps its document when a later open fails", "[window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(&window, &MainWindow::documentShown);
    QSignalSpy failed(&window, &MainWindow::openFailed);
    window.openModel(kClsModel);
    REQUIRE(shown.wait(120000));
    window.openModel(QStringLiteral("/nonexistent/model.onnx"));
    REQUIRE(failed.wait(120000));
    CHECK(failed.at(0).at(1).toString().contains(QStringLiteral("/nonexistent/model.onnx")));
    REQUIRE(window.document());
    CHECK(window.document()->path == kClsModel);
}
