// What the CLI does, reachable from the GUI (issue #10, "Parity with the CLI"): calibration on a
// folder of images with their preprocessing, the mixed-precision planner, the QDQ export, and the
// profile report and Chrome trace of a run.
#include "app/document_controller.h"
#include "app/engine_worker.h"
#include "app/export_controller.h"
#include "app/image_preprocess_box.h"
#include "app/input_shapes.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "app/quant_panel.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "onnx/importer.h"
#include "report/profile_report.h"
#include "widgets/encodings_table_model.h"
#include "widgets/profile_view.h"
#include "widgets/quant_view.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

using lb::app::EngineWorker;
using lb::app::MainWindow;
using lb::app::QuantizeRequest;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");
const std::map<std::string, lb::Shape> kClsShape{{"x", {1, 3, 48, 192}}};

// `count` noisy RGB images (not of the model's size: the preprocessing resizes them).
QString writeImages(const QTemporaryDir& dir, int count) {
    const QString folder = dir.filePath(QStringLiteral("images"));
    REQUIRE(QDir().mkpath(folder));
    std::mt19937 rng(7);
    for (int i = 0; i < count; ++i) {
        QImage image(100, 30, QImage::Format_RGB888);
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                image.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
        REQUIRE(image.save(QDir(folder).filePath(QStringLiteral("line%1.png").arg(i))));
    }
    return folder;
}

void openAndWait(MainWindow& window, const std::map<std::string, lb::Shape>& shapes = kClsShape) {
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, shapes);
    REQUIRE(shown.wait(120000));
}

QString readFile(const QString& path) {
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    return QString::fromUtf8(f.readAll());
}

int countOps(const lb::ir::Graph& graph, const std::string& op) {
    int n = 0;
    for (lb::ir::NodeId id : graph.nodeIds())
        n += graph.node(id).opType == op;
    return n;
}
} // namespace

TEST_CASE("the Quantize panel calibrates on a folder of images with the preprocessing it shows",
          "[parity][quant][images]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString folder = writeImages(dir, 3);
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    // Symbolic x: the resize (not an input shape) fixes H and W, as --resize does in the CLI.
    openAndWait(window, {});
    lb::app::QuantPanel* panel = window.quantPanel();
    panel->setData(QuantizeRequest::Data::Images, folder);
    panel->setIsolatedRuns(0);
    lb::app::ImagePreprocessBox* box = panel->preprocessBox();
    box->resizeEdit()->setText(QStringLiteral("48x192"));
    box->meanEdit()->setText(QStringLiteral("0.5, 0.5, 0.5"));
    box->stdEdit()->setText(QStringLiteral("0.25"));
    auto request = panel->request();
    REQUIRE(request);
    CHECK(request->data == QuantizeRequest::Data::Images);
    CHECK(request->preprocess.height == std::optional<int64_t>(48));
    CHECK(request->preprocess.width == std::optional<int64_t>(192));
    CHECK(request->preprocess.mean == std::vector<double>{0.5, 0.5, 0.5});
    CHECK(request->preprocess.std == std::vector<double>{0.25});

    // In a decimal-comma locale "0,5" is a half, and ';' or spaces separate the channels'.
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::Spanish, QLocale::Spain));
    box->meanEdit()->setText(QStringLiteral("0,5"));
    box->stdEdit()->setText(QStringLiteral("0,229; 0,224; 0,225"));
    const auto spanish = panel->request();
    QLocale::setDefault(previous);
    REQUIRE(spanish);
    CHECK(spanish->preprocess.mean == std::vector<double>{0.5});
    CHECK(spanish->preprocess.std == std::vector<double>{0.229, 0.224, 0.225});
    box->meanEdit()->setText(QStringLiteral("0.5, 0.5, 0.5"));

    // A field that is not a number says which and what it expected.
    box->stdEdit()->setText(QStringLiteral("a lot"));
    QString error;
    CHECK_FALSE(panel->request(&error));
    CHECK(error.startsWith(QStringLiteral("Std: 'a lot'")));
    box->stdEdit()->setText(QStringLiteral("0.25"));

    // Through the window: the input tensor's encoding is that of (p / 255 - 0.5) / 0.25, which
    // spans [-2, 2]; without mean and std it is p / 255, in [0, 1].
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    QTest::mouseClick(panel->findChild<QPushButton*>(QStringLiteral("quantizeButton")),
                      Qt::LeftButton);
    REQUIRE(quantized.wait(300000));
    CHECK(window.quantView()->report()->calibrationData == folder.toStdString());
    const auto& normalised = window.quantView()->encodingsModel()->encodings().activations.at("x");
    CHECK(normalised.channels.front().min < -1.5);
    CHECK(normalised.channels.front().max > 1.5);

    EngineWorker worker;
    QSignalSpy finished(&worker, &EngineWorker::quantizeFinished);
    QSignalSpy failed(&worker, &EngineWorker::jobFailed);
    request->preprocess.mean.clear();
    request->preprocess.std.clear();
    request->maxIsolated = 0;
    worker.quantizeModel(*request);
    REQUIRE(finished.wait(300000));
    REQUIRE(failed.isEmpty());
    const auto plain = finished.at(0).at(1).value<lb::app::QuantResult>();
    CHECK(plain.probe->sampleCount() == 3);
    const auto& unit = plain.encodings->activations.at("x").channels.front();
    CHECK(unit.min >= -0.01);
    CHECK(unit.max <= 1.01);
    CHECK(unit.max > 0.9);
}

TEST_CASE("the mixed-precision planner runs from the Quantize panel and its encodings export as a "
          "QDQ model",
          "[parity][quant][planner][qdq]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    // Opened as declared (x is ?x3x?x?), the shape typed in the Input shapes field: the export
    // needs it too (it carries Softmax over to opset 13, which takes the input's rank).
    openAndWait(window, {});
    window.documents()->inputShapes()->setText("x", QStringLiteral("1x3x48x192"));
    lb::app::QuantPanel* panel = window.quantPanel();
    panel->setRandomSamples(2);
    panel->setIsolatedRuns(0);
    // Out of reach: the planner stops at the most promotions allowed, two.
    panel->setTargetSqnr(150.0, 2);
    const auto request = panel->request();
    REQUIRE(request);
    CHECK(request->targetSqnrDb == std::optional<double>(150.0));
    CHECK(request->maxPromotions == 2);

    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(*request);
    REQUIRE(quantized.wait(600000));
    // The plan's encodings are the ones in the table: two tensors at 16 bit, the rest at 8.
    const lb::quant::EncodingSet& set = window.quantView()->encodingsModel()->encodings();
    int promoted = 0;
    for (const auto* kind : {&set.activations, &set.params})
        for (const auto& [name, e] : *kind)
            promoted += e.bitwidth == 16;
    CHECK(promoted == 2);
    const QString plan = panel->planText();
    INFO(plan.toStdString());
    CHECK(plan.contains(QStringLiteral("tensors promoted to 16 bit: 2;")));
    CHECK(plan.contains(QStringLiteral("below the target of 150.0 dB")));

    // File > Export QDQ Model: written on the worker, loads in the engine's importer.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("cls_qdq.onnx"));
    QSignalSpy exported(window.quantization(), &lb::app::QuantController::qdqExported);
    QSignalSpy exportFailed(window.quantization(), &lb::app::QuantController::exportFailed);
    REQUIRE(window.quantization()->exportQdq(path));
    REQUIRE(exported.wait(120000));
    CHECK(exportFailed.isEmpty());
    CHECK(exported.at(0).at(0).toString() == path);
    CHECK(exported.at(0).at(1).toString().contains(path));
    const lb::onnx::ImportResult qdq = lb::onnx::importModel(path.toStdString());
    CHECK(countOps(qdq.graph, "QuantizeLinear") > 50);
    CHECK(countOps(qdq.graph, "DequantizeLinear") > countOps(qdq.graph, "QuantizeLinear"));

    // A path that cannot be written is an error, not silence.
    QSignalSpy exported2(window.quantization(), &lb::app::QuantController::qdqExported);
    REQUIRE(window.quantization()->exportQdq(dir.filePath(QStringLiteral("missing/dir/cls.onnx"))));
    REQUIRE(exportFailed.wait(120000));
    CHECK(exported2.isEmpty());
    CHECK(exportFailed.at(0).at(0).toString().contains(QStringLiteral("missing/dir")));

    // Without a shape for x the export says which input needs one, and writes nothing.
    window.documents()->inputShapes()->setText("x", QString());
    exportFailed.clear();
    CHECK_FALSE(window.quantization()->exportQdq(dir.filePath(QStringLiteral("unshaped.onnx"))));
    REQUIRE(exportFailed.size() == 1);
    CHECK(exportFailed.at(0).at(0).toString().startsWith(
        QStringLiteral("Input 'x' has symbolic dimensions")));
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("unshaped.onnx"))));
}

// quantize's "advice:" in the GUI: below 20 dB on real calibration data the panel lists the other
// calibrations measured on the same samples, and its button selects the best one. det on noise
// images at 64x64 sees no text (its map is ~0), so its output SQNR is far below 20 dB.
TEST_CASE("the Quantize panel measures the other calibrations below 20 dB and selects the best",
          "[parity][quant][alternatives]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString folder = writeImages(dir, 2);
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(QStringLiteral(LB_MODELS_DIR "/ch_PP-OCRv4_det_infer.onnx"),
                             {{"x", {1, 3, 64, 64}}});
    REQUIRE(shown.wait(120000));
    lb::app::QuantPanel* panel = window.quantPanel();
    panel->setData(QuantizeRequest::Data::Images, folder);
    panel->setIsolatedRuns(0);
    panel->preprocessBox()->resizeEdit()->setText(QStringLiteral("64x64"));
    auto request = panel->request();
    REQUIRE(request);
    REQUIRE(request->config.activations.method == lb::quant::CalibrationMethod::MinMax);
    REQUIRE_FALSE(request->config.perChannel);
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(*request);
    REQUIRE(quantized.wait(300000));
    const double chosen = window.quantView()->report()->outputError.sqnrDb;
    REQUIRE(chosen < 20.0);
    const QString text = panel->alternativesText();
    INFO(text.toStdString());
    CHECK(text.startsWith(QStringLiteral("Output SQNR")));
    CHECK(text.contains(QStringLiteral("below 20 dB")));
    // The seven settings the user did not choose, one line each.
    CHECK(text.count(QStringLiteral("top-1 agreement")) == 7);
    CHECK(text.contains(QStringLiteral("MSE-optimal, per-channel weights")));
    auto* useBest = panel->findChild<QPushButton*>(QStringLiteral("quantUseBest"));
    REQUIRE(useBest);
    if (useBest->isVisible()) { // a better setting exists: the button selects it
        const QString label = useBest->text();
        QTest::mouseClick(useBest, Qt::LeftButton);
        const auto best = panel->request();
        REQUIRE(best);
        CHECK((best->config.activations.method != lb::quant::CalibrationMethod::MinMax ||
               best->config.perChannel));
        CHECK(label.contains(best->config.perChannel ? QStringLiteral("per-channel")
                                                     : QStringLiteral("per-tensor")));
    } else {
        CHECK(text.contains(QStringLiteral("None reaches 20 dB")));
    }

    // Random data says nothing about which calibrator fits: nothing is measured or shown.
    panel->setData(QuantizeRequest::Data::Random);
    panel->setRandomSamples(2);
    request = panel->request();
    REQUIRE(request);
    quantized.clear();
    window.quantization()->quantize(*request);
    REQUIRE(quantized.wait(300000));
    CHECK(panel->alternativesText().isEmpty());
    CHECK_FALSE(useBest->isVisible());
}

TEST_CASE("a run's profile report and Chrome trace are saved from the window", "[parity][run]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    openAndWait(window);
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString reportPath = dir.filePath(QStringLiteral("profile.json"));
    const QString tracePath = dir.filePath(QStringLiteral("trace.json"));
    CHECK_FALSE(window.exports()->saveProfileReport(reportPath)); // nothing run yet
    CHECK_FALSE(QFile::exists(reportPath));

    auto request = window.runPanel()->request();
    REQUIRE(request);
    request->target = "reference";
    request->warmup = 1;
    request->iterations = 3;
    QSignalSpy profiled(window.runs(), &lb::app::RunController::profileShown);
    window.runs()->run(*request);
    REQUIRE(profiled.wait(300000));
    const lb::report::ProfileReport& shown = *window.profileView()->report();
    // The run is the current model version's; the view shows that very report.
    const auto version = window.documents()->version();
    REQUIRE(version->lastRun());
    CHECK(version->lastRun()->report.get() == &shown);
    CHECK(version->lastRun()->spec == *request);

    REQUIRE(window.exports()->saveProfileReport(reportPath));
    const auto read = lb::report::profileReportFromJson(
        nlohmann::json::parse(readFile(reportPath).toStdString()));
    CHECK(read.iterations == 3);
    CHECK(read.backend == "reference");
    CHECK(read.nodes.size() == shown.nodes.size());
    CHECK(read.latencyMs.mean == Approx(shown.latencyMs.mean));

    REQUIRE(window.exports()->saveChromeTrace(tracePath));
    const nlohmann::json trace = nlohmann::json::parse(readFile(tracePath).toStdString());
    REQUIRE(trace.contains("traceEvents"));
    REQUIRE(trace["traceEvents"].is_array());
    CHECK(trace["traceEvents"].size() >= shown.timeline.size());
    CHECK(!shown.timeline.empty());
    for (const auto& event : trace["traceEvents"])
        CHECK(event.contains("ph"));
}
