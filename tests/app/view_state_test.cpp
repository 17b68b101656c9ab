// The window shows the state it claims (issue #10 item 6), driven as a user meets it on the real
// classifier: the status bar after an edit and a handle drag, and the charts after another model
// is opened.
#include "app/document_controller.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "app/run_controller.h"
#include "widgets/empty_chart.h"
#include "widgets/encodings_table_model.h"
#include "widgets/histogram_plot.h"
#include "widgets/profile_view.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <catch2/catch.hpp>
#include <cmath>
#include <qcustomplot.h>

using lb::app::MainWindow;
using lb::widgets::EmptyChart;
using lb::widgets::EncodingsTableModel;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");
const QString kConvModel =
    QStringLiteral(LB_ONNX_TESTDATA_DIR "/node/test_basic_conv_with_padding/model.onnx");

lb::app::QuantizeRequest quantizeCls() {
    lb::app::QuantizeRequest r;
    r.modelPath = kClsModel;
    r.inputShapes["x"] = {1, 3, 48, 192};
    r.randomSamples = 2;
    r.maxIsolated = 4;
    return r;
}

QString statusText(const MainWindow& window) {
    const auto* label = window.statusBar()->findChild<QLabel*>(QStringLiteral("statusMessage"));
    REQUIRE(label);
    return label->text();
}

QString db(double value) {
    return QString::fromStdString(lb::report::formatDb(value));
}

// A tensor of the analysis with a finite SQNR and a per-tensor integer encoding, other than
// `besides`: clipping its range changes the output error.
QString editableTensor(const lb::widgets::QuantView& view, const QString& besides = {}) {
    const EncodingsTableModel* model = view.encodingsModel();
    for (const auto& t : view.report()->tensors) {
        const QString name = QString::fromStdString(t.tensor);
        const auto e = model->encodingOf(name);
        if (name != besides && t.kind == "activation" && t.op != "input" && t.cumulative &&
            std::isfinite(t.cumulative->sqnrDb) && e && e->channels.size() == 1 &&
            !e->isPerChannel() && e->channels.front().max > 0.5)
            return name;
    }
    FAIL("no editable tensor in the report");
    return {};
}
} // namespace

TEST_CASE("after a typed edit and a handle drag the status bar and the info line show the new "
          "output SQNR of the edited tensor",
          "[quant][window][state]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, quantizeCls().inputShapes);
    REQUIRE(shown.wait(120000));
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(quantizeCls());
    REQUIRE(quantized.wait(300000));
    lb::widgets::QuantView* view = window.quantView();
    const double calibrated = view->report()->outputError.sqnrDb;
    CHECK(statusText(window).contains(db(calibrated)));

    // A typed edit: a quarter of the range clips the tensor and costs output SQNR.
    const QString typed = editableTensor(*view);
    EncodingsTableModel* model = view->encodingsModel();
    QSignalSpy remeasured(window.quantization(), &lb::app::QuantController::remeasureShown);
    view->showTensor(typed);
    const double max = model->encodingOf(typed)->channels.front().max;
    REQUIRE(model->setData(model->indexOf(typed, EncodingsTableModel::MaxColumn),
                           QString::number(max / 4, 'g', 8)));
    CHECK(statusText(window).contains(typed)); // measuring it, not the calibration's numbers
    CHECK_FALSE(statusText(window).contains(db(calibrated)));
    REQUIRE(remeasured.wait(60000));
    const double afterTyped = view->report()->outputError.sqnrDb;
    REQUIRE(db(afterTyped) != db(calibrated));
    CHECK(statusText(window).contains(typed));
    CHECK(statusText(window).contains(db(afterTyped)));
    CHECK(view->headlineText().contains(db(afterTyped)));
    CHECK(view->remeasureText().contains(typed));
    CHECK(view->remeasureText().contains(QStringLiteral("output SQNR %1 dB").arg(db(afterTyped))));

    // A drag of another tensor's max handle, with the mouse, to a third of its range.
    const QString dragged = editableTensor(*view, typed);
    view->tabs()->setCurrentIndex(0);
    view->showTensor(dragged);
    CHECK_FALSE(view->remeasureText().contains(typed)); // not beside another tensor's histogram
    lb::widgets::HistogramPlot* plot = view->histogram();
    REQUIRE(plot->tensor() == dragged);
    plot->replot();
    REQUIRE(plot->hasHandles());
    const lb::quant::ChannelParams range = plot->encoding().channels.front();
    const int y = plot->height() / 2;
    const QPoint from(static_cast<int>(std::lround(plot->pixelOf(range.max))), y);
    const QPoint to(static_cast<int>(std::lround(plot->pixelOf(range.min + range.max / 3))), y);
    QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, from);
    for (int step = 1; step <= 4; ++step) {
        const QPointF at = QPointF(from) + (QPointF(to) - QPointF(from)) * step / 4.0;
        QMouseEvent move(QEvent::MouseMove, at, plot->mapToGlobal(at), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
    }
    QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, to);
    REQUIRE(model->encodingOf(dragged)->channels.front().max < range.max * 0.6);
    CHECK(view->remeasureText().contains(dragged));
    const QString edited = QStringLiteral("%1 edited").arg(dragged);
    REQUIRE(QTest::qWaitFor([&] { return statusText(window).startsWith(edited); }, 60000));
    const double afterDrag = view->report()->outputError.sqnrDb;
    CHECK(statusText(window).contains(db(afterDrag)));
    CHECK(view->headlineText().contains(db(afterDrag)));
    CHECK(view->remeasureText().contains(dragged));
    CHECK_FALSE(view->remeasureText().contains(typed));
}

TEST_CASE("opening another model leaves none of the previous model's charts behind",
          "[window][state]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, quantizeCls().inputShapes);
    REQUIRE(shown.wait(120000));

    lb::run::RunSpec run;
    run.model = kClsModel.toStdString();
    run.inputShapes["x"] = {1, 3, 48, 192};
    run.target = "reference";
    run.warmup = 1;
    run.iterations = 3;
    QSignalSpy profiled(window.runs(), &lb::app::RunController::profileShown);
    window.runs()->run(run);
    REQUIRE(profiled.wait(300000));
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(quantizeCls());
    REQUIRE(quantized.wait(300000));

    lb::widgets::ProfileView* profile = window.profileView();
    lb::widgets::QuantView* quant = window.quantView();
    QList<QCustomPlot*> charts = profile->findChildren<QCustomPlot*>();
    charts << quant->chart() << quant->histogram();
    REQUIRE(charts.size() == 5);
    for (QCustomPlot* chart : charts) {
        INFO(chart->objectName().toStdString() << " " << chart->metaObject()->className());
        CHECK_FALSE(EmptyChart::isShown(chart));
    }

    window.documents()->open(kConvModel);
    REQUIRE(shown.wait(120000));
    REQUIRE(window.documents()->document()->path() == kConvModel);
    CHECK_FALSE(profile->report());
    CHECK_FALSE(quant->hasResult());
    for (QCustomPlot* chart : charts) {
        INFO(chart->objectName().toStdString() << " " << chart->metaObject()->className());
        CHECK(EmptyChart::isShown(chart));
        for (int i = 0; i < chart->plottableCount(); ++i)
            CHECK(chart->plottable(i)->interface1D()->dataCount() == 0);
    }
    CHECK(quant->chart()->shownTensors().isEmpty());
    CHECK(quant->chart()->selectedTensor().isEmpty());
    CHECK(quant->histogram()->tensor().isEmpty());
    CHECK(quant->remeasureText().isEmpty());
}

TEST_CASE("a run that finishes after another model was opened stays with the model it ran",
          "[window][state]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    lb::app::DocumentController* documents = window.documents();
    QSignalSpy shown(documents, &lb::app::DocumentController::documentShown);
    documents->open(kClsModel, quantizeCls().inputShapes);
    REQUIRE(shown.wait(120000));
    const std::shared_ptr<lb::project::ModelVersion> cls = documents->version();

    lb::run::RunSpec run;
    run.model = kClsModel.toStdString();
    run.inputShapes["x"] = {1, 3, 48, 192};
    run.target = "reference";
    run.warmup = 1;
    run.iterations = 3;
    QSignalSpy profiled(window.runs(), &lb::app::RunController::profileShown);
    QSignalSpy opened(documents, &lb::app::DocumentController::documentOpened);
    // The worker opens the other model first; cls's run, posted while cls is still shown,
    // finishes once the other model is on screen.
    documents->open(kConvModel);
    window.runs()->run(run);
    REQUIRE(opened.wait(120000));
    REQUIRE(documents->document()->path() == kConvModel);
    QElapsedTimer waited;
    waited.start();
    while (window.runs()->isRunning() && waited.elapsed() < 300000)
        QTest::qWait(20);
    REQUIRE_FALSE(window.runs()->isRunning());

    CHECK(profiled.isEmpty());
    CHECK_FALSE(window.profileView()->report()); // not cls's report on the other model's graph
    CHECK_FALSE(window.runs()->shownRun());
    REQUIRE(cls->runs().size() == 1); // the run is cls's, mapped onto cls's graph
    CHECK(cls->runs()[0].report->modelSha256 == cls->sha256());
    REQUIRE(cls->runs()[0].nodes);
    CHECK(cls->runs()[0].nodes->unmatchedNames().empty());
    CHECK(documents->version()->runs().empty());
}
