#include "app/document_controller.h"
#include "app/main_window.h"
#include "widgets/graph_view.h"

#include <QAction>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>
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

    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel);
    REQUIRE(shown.wait(120000));
    REQUIRE(window.documents()->document());
    CHECK(window.windowTitle().startsWith(QStringLiteral("ch_ppocr_mobile_v2.0_cls_infer.onnx")));
    CHECK(window.graphView()->nodeCount() +
              window.documents()->document()->scene->foldedConstantCount() ==
          window.documents()->document()->graph()->nodeCount());
    CHECK(shown.at(0).at(1).toDouble() >= 0);
    CHECK(shown.at(0).at(2).toDouble() >= shown.at(0).at(1).toDouble());
    CHECK(findAction(window, QStringLiteral("Export Graph as &PNG..."))->isEnabled());
}

TEST_CASE("main window keeps its document when a later open fails", "[window]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    QSignalSpy failed(window.documents(), &lb::app::DocumentController::openFailed);
    window.documents()->open(kClsModel);
    REQUIRE(shown.wait(120000));
    window.documents()->open(QStringLiteral("/nonexistent/model.onnx"));
    REQUIRE(failed.wait(120000));
    CHECK(failed.at(0).at(1).toString().contains(QStringLiteral("/nonexistent/model.onnx")));
    REQUIRE(window.documents()->document());
    CHECK(window.documents()->document()->path() == kClsModel);
}

TEST_CASE("View > Show Constant Nodes lays the graph out again with every Constant as a box",
          "[window][constants]") {
    lb::app::AppSettings().setShowConstantNodes(false);
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel);
    REQUIRE(shown.wait(120000));
    const size_t total = window.documents()->document()->graph()->nodeCount();
    REQUIRE(window.documents()->document()->scene->foldedConstantCount() > 0);
    CHECK(window.graphView()->nodeCount() < total);

    QAction* toggle = findAction(window, QStringLiteral("Show &Constant Nodes"));
    REQUIRE(toggle);
    CHECK_FALSE(toggle->isChecked());
    toggle->trigger();
    for (int i = 0; i < 1200 && window.graphView()->nodeCount() != total; ++i)
        QTest::qWait(100);
    CHECK(window.graphView()->nodeCount() == total);
    CHECK(window.documents()->document()->scene->foldedConstantCount() == 0);
    CHECK(lb::app::AppSettings().showConstantNodes());
    toggle->trigger(); // back to the default for the other tests
    CHECK_FALSE(lb::app::AppSettings().showConstantNodes());
}

TEST_CASE("View menu: actual size, zoom to selection and the minimap toggle", "[window][zoom]") {
    lb::app::AppSettings().setShowMinimap(true);
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QAction* actual = findAction(window, QStringLiteral("&Actual Size"));
    QAction* toSelection = findAction(window, QStringLiteral("Zoom to &Selection"));
    QAction* minimap = findAction(window, QStringLiteral("&Minimap"));
    REQUIRE(actual);
    REQUIRE(toSelection);
    REQUIRE(minimap);
    CHECK_FALSE(actual->isEnabled());
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel);
    REQUIRE(shown.wait(120000));
    lb::widgets::GraphView* view = window.graphView();

    REQUIRE(actual->isEnabled());
    view->setZoom(0.3);
    actual->trigger();
    CHECK(view->zoom() == Approx(1.0));

    // Enabled only while a node is selected.
    CHECK_FALSE(toSelection->isEnabled());
    // The last op box: far from the top, where the graph opened.
    const lb::widgets::SceneNode* last = nullptr;
    for (const lb::widgets::SceneNode& n : view->scene()->nodes())
        if (n.kind == lb::widgets::SceneNode::Kind::Op)
            last = &n;
    REQUIRE(last);
    view->setZoom(0.05);
    view->selectNode(last->nodeId);
    REQUIRE(toSelection->isEnabled());
    toSelection->trigger();
    CHECK(view->visibleSceneRect().contains(last->rect));
    CHECK(view->detail() == lb::widgets::GraphView::Detail::Full);
    view->clearSelection();
    CHECK_FALSE(toSelection->isEnabled());

    // The minimap follows the toggle, which is remembered.
    CHECK(minimap->isChecked());
    CHECK(view->minimapEnabled());
    minimap->trigger();
    CHECK_FALSE(view->minimapEnabled());
    CHECK_FALSE(lb::app::AppSettings().showMinimap());
    minimap->trigger();
    CHECK(view->minimapEnabled());
    CHECK(lb::app::AppSettings().showMinimap());
}
