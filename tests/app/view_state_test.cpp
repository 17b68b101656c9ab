// The window shows the state it claims (issue #10 item 6), driven as a user meets it on the real
// classifier: the charts after another model is opened.
#include "app/main_window.h"
#include "widgets/empty_chart.h"
#include "widgets/encodings_table_model.h"
#include "widgets/histogram_plot.h"
#include "widgets/profile_view.h"
#include "widgets/quant_sqnr_chart.h"
#include "widgets/quant_view.h"

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

} // namespace

TEST_CASE("opening another model leaves none of the previous model's charts behind",
          "[window][state]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.resize(1280, 800);
    window.show();
    QSignalSpy shown(&window, &MainWindow::documentShown);
    window.openModel(kClsModel, quantizeCls().inputShapes);
    REQUIRE(shown.wait(120000));

    lb::app::RunRequest run;
    run.modelPath = kClsModel;
    run.inputShapes["x"] = {1, 3, 48, 192};
    run.options.backend = "reference";
    run.options.warmup = 1;
    run.options.iterations = 3;
    QSignalSpy profiled(&window, &MainWindow::profileShown);
    window.runProfile(run);
    REQUIRE(profiled.wait(300000));
    QSignalSpy quantized(&window, &MainWindow::quantizeShown);
    window.quantize(quantizeCls());
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

    window.openModel(kConvModel);
    REQUIRE(shown.wait(120000));
    REQUIRE(window.document()->path == kConvModel);
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
