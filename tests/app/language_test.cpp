// Settings > Language switches the whole window at once, without a restart or a dialog.
#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/language.h"
#include "app/main_window.h"
#include "app/progress_stage.h"
#include "app/run_panel.h"
#include "widgets/quant_view.h"

#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <catch2/catch.hpp>

using lb::app::MainWindow;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

QAction* languageAction(MainWindow& window, const QString& code) {
    for (QAction* action : window.findChildren<QAction*>())
        if (action->isCheckable() && action->data().toString() == code)
            return action;
    return nullptr;
}

QString menuTitle(MainWindow& window, int index) {
    return window.menuBar()->actions().value(index)->text();
}

QString dockTitle(MainWindow& window, const QString& objectName) {
    return window.findChild<QDockWidget*>(objectName)->windowTitle();
}

QString runButton(MainWindow& window) {
    return window.runPanel()->findChild<QPushButton*>(QStringLiteral("runButton"))->text();
}

// Picks a language from the menu as a user would, and counts the dialogs that pop up on the way
// (the old "takes effect after a restart" box): each is closed so the test cannot hang on one.
int chooseLanguage(MainWindow& window, const QString& code) {
    int dialogs = 0;
    QTimer closer;
    QObject::connect(&closer, &QTimer::timeout, [&dialogs] {
        if (QWidget* modal = QApplication::activeModalWidget()) {
            ++dialogs;
            modal->close();
        }
    });
    closer.start(50);
    QAction* action = languageAction(window, code);
    REQUIRE(action);
    action->trigger();
    QTest::qWait(100); // LanguageChange is posted to every window
    return dialogs;
}
} // namespace

TEST_CASE("choosing a language retranslates the open window at once", "[window][language]") {
    const QString saved = lb::app::AppSettings().language();
    lb::app::installTranslators(*QCoreApplication::instance(), QStringLiteral("en"));
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    REQUIRE(shown.wait(120000));
    const QString englishStatus = window.statusBar()->findChild<QLabel*>()->text();
    CHECK(englishStatus.contains(QStringLiteral("nodes")));

    CHECK(menuTitle(window, 0) == QStringLiteral("&File"));
    CHECK(dockTitle(window, QStringLiteral("runDock")) == QStringLiteral("Run"));
    CHECK(runButton(window) == QStringLiteral("&Run"));
    CHECK(window.quantView()->tabs()->tabText(0) == QStringLiteral("Per-layer error"));

    CHECK(chooseLanguage(window, QStringLiteral("es")) == 0);
    CHECK(lb::app::AppSettings().language() == QStringLiteral("es"));
    CHECK(menuTitle(window, 0) == QStringLiteral("&Archivo"));
    CHECK(dockTitle(window, QStringLiteral("runDock")) == QStringLiteral("Ejecutar"));
    CHECK(runButton(window) == QStringLiteral("&Ejecutar"));
    CHECK(window.quantView()->tabs()->tabText(0) == QStringLiteral("Error por capa"));
    // The status line is made again in the new words (and numbers).
    const QString spanishStatus = window.statusBar()->findChild<QLabel*>()->text();
    CHECK(spanishStatus.contains(QStringLiteral("nodos")));
    CHECK(QLocale().decimalPoint() == QStringLiteral(","));

    CHECK(chooseLanguage(window, QStringLiteral("en")) == 0);
    CHECK(menuTitle(window, 0) == QStringLiteral("&File"));
    CHECK(runButton(window) == QStringLiteral("&Run"));
    CHECK(window.quantView()->tabs()->tabText(0) == QStringLiteral("Per-layer error"));
    CHECK(window.statusBar()->findChild<QLabel*>()->text() == englishStatus);
    lb::app::AppSettings().setLanguage(saved);
}

// Every stage id the engine reports has words in the GUI: the sources are scanned for the ids
// (task.report(fraction, "id") and graph pass names), so a new stage without words fails here.
TEST_CASE("every engine progress stage has words in the UI language", "[language]") {
    const QRegularExpression reported(
        QString::fromLatin1(R"re(report\([^;]*?,\s*"([^"]+)"\s*\))re"));
    const QRegularExpression pass(
        QString::fromLatin1(R"re(name\(\) const override \{ return "([^"]+)")re"));
    QSet<QString> ids;
    for (const char* dir : {"engine", "widgets", "app"}) {
        QDirIterator it(QStringLiteral(LB_SOURCE_DIR "/") + QLatin1String(dir),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QLatin1String("/app/cli/"))) // the CLI prints its own words
                continue;
            QFile file(path);
            REQUIRE(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            for (const auto* re : {&reported, &pass}) {
                // Graph passes report under their names; other name() overrides (a run target's
                // "local") are no progress stages.
                if (re == &pass && !path.contains(QLatin1String("/engine/passes/")))
                    continue;
                for (auto m = re->globalMatch(text); m.hasNext();)
                    ids.insert(m.next().captured(1));
            }
        }
    }
    // The scan finds the stages the issue named.
    CHECK(ids.contains(QStringLiteral("kernels")));
    CHECK(ids.contains(QStringLiteral("scene")));
    CHECK(ids.contains(QStringLiteral("fuse-conv-activation")));
    for (const QString& id : ids) {
        INFO("stage id without words: " << id.toStdString());
        CHECK(lb::app::ProgressStage::isKnown(id));
    }
    lb::app::installTranslators(*QCoreApplication::instance(), QStringLiteral("es"));
    CHECK(lb::app::ProgressStage::text(QStringLiteral("kernels")) ==
          QStringLiteral("preparando los kernels"));
    CHECK(lb::app::ProgressStage::text(QStringLiteral("scene")) ==
          QStringLiteral("dibujando el grafo"));
    lb::app::installTranslators(*QCoreApplication::instance(), QStringLiteral("en"));
    CHECK(lb::app::ProgressStage::text(QStringLiteral("kernels")) ==
          QStringLiteral("preparing the kernels"));
}
