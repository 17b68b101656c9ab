// Input shapes (issue #10 item 5): set once for the Run and the Quantize panels, remembered per
// model file (a --shape wins), and a missing one is an error worded for the GUI, translated, in
// the panel that was used.
#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/input_shapes_editor.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "app/quant_panel.h"
#include "app/run_controller.h"
#include "app/run_panel.h"

#include <QApplication>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <catch2/catch.hpp>

using lb::app::MainWindow;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

// QSettings in a folder of the test's own while it lives (app_test_main's afterwards).
class TemporarySettings {
public:
    TemporarySettings() {
        REQUIRE(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    }
    ~TemporarySettings() {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           qApp->property("lbTestSettingsDir").toString());
    }

private:
    QTemporaryDir m_dir;
};

void openAndWait(MainWindow& window, const QString& path,
                 const std::map<std::string, lb::Shape>& shapes = {}) {
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(path, shapes);
    REQUIRE(shown.wait(120000));
}

QLineEdit* shapeLine(lb::app::InputShapesEditor* editor) {
    QLineEdit* line = editor->lineFor("x");
    REQUIRE(line);
    return line;
}

QPushButton* button(QWidget* panel, const char* name) {
    auto* b = panel->findChild<QPushButton*>(QString::fromLatin1(name));
    REQUIRE(b);
    return b;
}
} // namespace

TEST_CASE("the shape typed in the Run panel is the Quantize panel's and reaches the quantize "
          "request",
          "[shapes][window]") {
    TemporarySettings settings;
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    openAndWait(window, kClsModel); // x is ?x3x?x?, nothing remembered yet
    REQUIRE(window.documents()->document()->inputShapes().empty());

    QLineEdit* runLine = shapeLine(window.runPanel()->shapesEditor());
    QLineEdit* quantLine = shapeLine(window.quantPanel()->shapesEditor());
    CHECK(runLine != quantLine);
    QTest::keyClicks(runLine, QStringLiteral("1x3x48x192"));
    CHECK(quantLine->text() == QStringLiteral("1x3x48x192"));

    const auto request = window.quantPanel()->request();
    REQUIRE(request);
    REQUIRE(request->inputShapes.count("x") == 1);
    CHECK(request->inputShapes.at("x") == lb::Shape{1, 3, 48, 192});

    // The Quantize button calibrates with it: the worker imports cls with x fixed.
    window.quantPanel()->setRandomSamples(2);
    window.quantPanel()->setIsolatedRuns(0);
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    QSignalSpy failed(window.quantization(), &lb::app::QuantController::quantizeFailed);
    QTest::mouseClick(button(window.quantPanel(), "quantizeButton"), Qt::LeftButton);
    CHECK(window.quantPanel()->errorText().isEmpty());
    REQUIRE(quantized.wait(300000));
    CHECK(failed.isEmpty());

    // And typed in the Quantize panel, it is the Run panel's.
    quantLine->clear();
    QTest::keyClicks(quantLine, QStringLiteral("1x3x32x100"));
    CHECK(runLine->text() == QStringLiteral("1x3x32x100"));
    const auto run = window.runPanel()->request();
    REQUIRE(run);
    CHECK(run->inputShapes.at("x") == lb::Shape{1, 3, 32, 100});
}

TEST_CASE("input shapes are remembered per model file, and a shape given at open wins",
          "[shapes][window]") {
    TemporarySettings settings;
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("cls_copy.onnx"));
    REQUIRE(QFile::copy(kClsModel, copy));
    {
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        openAndWait(window, kClsModel);
        QTest::keyClicks(shapeLine(window.quantPanel()->shapesEditor()),
                         QStringLiteral("1x3x48x192"));
    }
    {
        // A fresh window (as after a restart) opens the same file with the shape it last had.
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        openAndWait(window, kClsModel);
        const std::map<std::string, lb::Shape> expected{{"x", {1, 3, 48, 192}}};
        CHECK(window.documents()->document()->inputShapes() == expected);
        CHECK(shapeLine(window.runPanel()->shapesEditor())->text() == QStringLiteral("1x3x48x192"));
        CHECK(shapeLine(window.quantPanel()->shapesEditor())->text() ==
              QStringLiteral("1x3x48x192"));
        const auto run = window.runPanel()->request();
        REQUIRE(run);
        CHECK(run->inputShapes == expected);
        // Shape inference ran with it: the graph's input is concrete.
        const lb::ir::Graph& graph = *window.documents()->document()->graph();
        CHECK(lb::concreteShape(*graph.value(graph.inputs().front()).shape) ==
              std::optional<lb::Shape>(lb::Shape{1, 3, 48, 192}));

        // Another file (the same model elsewhere) has nothing remembered.
        openAndWait(window, copy);
        CHECK(window.documents()->document()->inputShapes().empty());
        CHECK(shapeLine(window.runPanel()->shapesEditor())->text().isEmpty());
    }
    {
        // A shape given at open (the command line's --shape) wins, and is the one kept.
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        openAndWait(window, kClsModel, {{"x", {1, 3, 32, 96}}});
        CHECK(shapeLine(window.quantPanel()->shapesEditor())->text() ==
              QStringLiteral("1x3x32x96"));
        CHECK(lb::app::AppSettings().inputShapes(kClsModel).at("x") == QStringLiteral("1x3x32x96"));
    }
    {
        // Kept shapes that no longer fit the file (rank 3 for a rank-4 input) do not stop it from
        // opening: it opens as declared and they are forgotten.
        lb::app::AppSettings().setInputShapes(copy, {{"x", QStringLiteral("1x3x7")}});
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        QSignalSpy openFailed(window.documents(), &lb::app::DocumentController::openFailed);
        openAndWait(window, copy);
        CHECK(openFailed.isEmpty());
        CHECK(window.documents()->document()->inputShapes().empty());
        CHECK(lb::app::AppSettings().inputShapes(copy).empty());
    }
}

TEST_CASE("a missing input shape is a GUI-worded error in the panel that was used, in Spanish "
          "too",
          "[shapes][window][i18n]") {
    TemporarySettings settings;
    const QString english = QStringLiteral("Input 'x' has symbolic dimensions; set its shape in "
                                           "Input shapes (e.g. 1x3x224x224)");
    {
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        openAndWait(window, kClsModel);
        QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
        QTest::mouseClick(button(window.quantPanel(), "quantizeButton"), Qt::LeftButton);
        CHECK(window.quantPanel()->errorText() == english);
        CHECK(window.runPanel()->errorText().isEmpty()); // not the panel the user used
        CHECK(shapeLine(window.quantPanel()->shapesEditor())
                  ->styleSheet()
                  .contains(QStringLiteral("#b00020")));

        QTest::mouseClick(button(window.runPanel(), "runButton"), Qt::LeftButton);
        CHECK(window.runPanel()->errorText() == english);
        CHECK_FALSE(window.runs()->isRunning());

        // Tools > Quantize from the command line (--quantize) shows it in the panel too.
        window.quantPanel()->showError({});
        QSignalSpy failed(window.quantization(), &lb::app::QuantController::quantizeFailed);
        window.quantization()->quantize();
        REQUIRE(failed.size() == 1);
        CHECK(failed.at(0).at(0).toString() == english);
        CHECK(window.quantPanel()->errorText() == english);
        CHECK(quantized.isEmpty());
        // Other calibration data (whose files fix the shape): the error was about the old one.
        window.quantPanel()->setData(lb::app::QuantizeRequest::Data::InputList);
        CHECK(window.quantPanel()->errorText().isEmpty());

        // A shape that is not one names the input and what was expected.
        QTest::keyClicks(shapeLine(window.runPanel()->shapesEditor()), QStringLiteral("1x3x48"));
        QTest::mouseClick(button(window.runPanel(), "runButton"), Qt::LeftButton);
        CHECK(window.runPanel()->errorText().toStdString() ==
              QStringLiteral("Input 'x' has 4 dimensions (p2o.DynamicDimension.0x3x"
                             "p2o.DynamicDimension.1xp2o.DynamicDimension.2); '1x3x48' has 3.")
                  .toStdString());
    }
    {
        QTranslator spanish;
        REQUIRE(spanish.load(QStringLiteral(":/layerbench/translations/layerbench_es.qm")));
        QApplication::installTranslator(&spanish);
        lb::app::AppSettings().setInputShapes(kClsModel, {});
        MainWindow window(/*restoreSession=*/false);
        window.setInteractive(false);
        window.show();
        openAndWait(window, kClsModel);
        QTest::mouseClick(button(window.quantPanel(), "quantizeButton"), Qt::LeftButton);
        const QString message = window.quantPanel()->errorText();
        QApplication::removeTranslator(&spanish);
        INFO(message.toStdString());
        CHECK(message.toStdString() == "La entrada 'x' tiene dimensiones simbólicas; indique su "
                                       "forma en Formas de entrada (p. ej. 1x3x224x224)");
    }
}
