#include "app/document_controller.h"
#include "app/engine_worker.h"
#include "app/main_window.h"
#include "app/quant_autosave.h"
#include "app/quant_controller.h"
#include "project/project_json.h"
#include "quant/encoding.h"
#include "quant/encodings_json.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"
#include "widgets/ui_format.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

using lb::app::EngineWorker;
using lb::app::QuantResult;
using lb::app::RemeasureResult;
using lb::widgets::EncodingsTableModel;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

lb::app::QuantizeRequest clsRequest() {
    lb::app::QuantizeRequest r;
    r.modelPath = kClsModel;
    r.inputShapes["x"] = {1, 3, 48, 192};
    r.randomSamples = 2;
    r.maxIsolated = 4;
    return r;
}
} // namespace

TEST_CASE("the quantize job calibrates and analyses cls, and a re-measure follows an edit",
          "[quant][worker]") {
    EngineWorker worker;
    QSignalSpy finished(&worker, &EngineWorker::quantizeFinished);
    QSignalSpy failed(&worker, &EngineWorker::jobFailed);
    QSignalSpy progress(&worker, &EngineWorker::jobProgress);
    worker.quantizeModel(clsRequest());
    REQUIRE(finished.wait(300000));
    REQUIRE(failed.isEmpty());
    CHECK_FALSE(progress.isEmpty());
    const auto result = finished.at(0).at(1).value<QuantResult>();
    REQUIRE(result.report);
    REQUIRE(result.encodings);
    REQUIRE(result.probe);
    CHECK(result.randomData);
    CHECK(result.report->isolatedRuns == 4);
    CHECK(result.report->tensors.size() > 20);
    CHECK(result.encodings->activations.size() > 10);
    // Histograms for activations (observed) and weights (their values).
    const std::string act = result.encodings->activations.begin()->first;
    CHECK(result.histograms->count(act) == 1);

    // The tensor with the widest range: re-measuring its calibrated encoding reproduces the
    // analysis; halving its max clips and costs SQNR.
    const lb::report::TensorQuantStats* chosen = nullptr;
    for (const auto& t : result.report->tensors)
        if (t.kind == "activation" && !t.op.empty() && t.op != "input" && t.cumulative &&
            std::isfinite(t.cumulative->sqnrDb) && !chosen)
            chosen = &t;
    REQUIRE(chosen);
    const QString tensor = QString::fromStdString(chosen->tensor);
    QSignalSpy remeasured(&worker, &EngineWorker::remeasured);
    worker.remeasure(result.probe, result.encodings, tensor);
    REQUIRE(remeasured.wait(60000));
    auto same = remeasured.at(0).at(1).value<RemeasureResult>();
    REQUIRE(same.probe.tensor.cumulative);
    CHECK(same.probe.tensor.cumulative->sqnrDb == Approx(chosen->cumulative->sqnrDb).margin(1e-6));
    // Same graph, backends, samples and encodings as the analysis: the same output error.
    CHECK(same.probe.outputError.sqnrDb == Approx(result.report->outputError.sqnrDb).margin(0.1));
    CHECK(same.probe.top1Agreement == Approx(result.report->top1Agreement));
    if (chosen->isolated) {
        REQUIRE(same.probe.tensor.isolated);
        CHECK(same.probe.tensor.isolated->sqnrDb == Approx(chosen->isolated->sqnrDb).margin(0.1));
    }

    auto edited = std::make_shared<lb::quant::EncodingSet>(*result.encodings);
    lb::quant::Encoding& e = edited->activations.at(chosen->tensor);
    const lb::quant::ChannelParams c = e.channels.front();
    e.channels.front() = lb::quant::paramsFromMinMax(c.min / 4, c.max / 4, e.bitwidth, false);
    // Two requests in a row: the first is replaced (or cancelled while running).
    QSignalSpy cancelled(&worker, &EngineWorker::jobCancelled);
    worker.remeasure(result.probe, result.encodings, tensor, true);
    worker.remeasure(result.probe, edited, tensor);
    REQUIRE(remeasured.wait(60000));
    CHECK(remeasured.size() == 2); // only the newer one delivered
    CHECK(cancelled.size() == 1);
    const auto clipped = remeasured.at(1).at(1).value<RemeasureResult>();
    CHECK_FALSE(clipped.preview);
    REQUIRE(clipped.probe.tensor.cumulative);
    CHECK(clipped.probe.tensor.cumulative->sqnrDb < chosen->cumulative->sqnrDb - 3.0);
    REQUIRE(clipped.probe.tensor.isolated);
    std::fprintf(stderr, "re-measure of %s on cls (2 samples): %.0f ms\n", chosen->tensor.c_str(),
                 clipped.elapsedMs);
    CHECK(clipped.elapsedMs < 5000);

    // Requests for two different tensors in a row (an edit, then a quick undo of another): both
    // are measured, neither replaces the other.
    const lb::report::TensorQuantStats* other = nullptr;
    for (const auto& t : result.report->tensors)
        if (t.kind == "activation" && t.tensor != chosen->tensor && t.cumulative && !other)
            other = &t;
    REQUIRE(other);
    remeasured.clear();
    cancelled.clear();
    worker.remeasure(result.probe, edited, tensor);
    worker.remeasure(result.probe, result.encodings, QString::fromStdString(other->tensor));
    while (remeasured.size() < 2)
        REQUIRE(remeasured.wait(60000));
    CHECK(cancelled.isEmpty());
    std::set<QString> measured;
    for (const auto& signal : remeasured)
        measured.insert(signal.at(1).value<RemeasureResult>().tensor);
    CHECK(measured == std::set<QString>{tensor, QString::fromStdString(other->tensor)});

    // The whole model measured again under the edited encodings (as after an import) agrees with
    // the re-measure of the edited tensor.
    QSignalSpy reanalyzed(&worker, &EngineWorker::reanalyzed);
    worker.reanalyze(result.probe, edited);
    REQUIRE(reanalyzed.wait(120000));
    const auto again = reanalyzed.at(0).at(1).value<lb::app::ReanalysisResult>();
    REQUIRE(again.report);
    CHECK(again.encodings == edited);
    CHECK(again.report->outputError.sqnrDb == Approx(clipped.probe.outputError.sqnrDb).margin(0.1));
    CHECK(again.report->outputError.sqnrDb < result.report->outputError.sqnrDb);
    const auto row = std::find_if(again.report->tensors.begin(), again.report->tensors.end(),
                                  [&](const auto& t) { return t.tensor == chosen->tensor; });
    REQUIRE(row != again.report->tensors.end());
    REQUIRE(row->cumulative);
    CHECK(row->cumulative->sqnrDb == Approx(clipped.probe.tensor.cumulative->sqnrDb).margin(1e-6));
}

TEST_CASE("autosaved encoding edits are offered after a crash and gone once saved",
          "[quant][autosave]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    lb::quant::EncodingSet set;
    set.version = "1.0.0";
    set.activations["conv1/Relu:0"] = lb::quant::perTensorEncoding(0.0, 6.0, 8, false);
    {
        lb::app::QuantAutosave autosave(dir.path());
        autosave.setDelayMs(20);
        CHECK_FALSE(autosave.pending());
        QSignalSpy written(&autosave, &lb::app::QuantAutosave::written);
        autosave.schedule(QStringLiteral("/models/m.onnx"), set);
        CHECK(autosave.isScheduled());
        REQUIRE(written.wait(2000));
        // The "crash": the object goes away without clear().
    }
    lb::app::QuantAutosave next(dir.path());
    const auto pending = next.pending();
    REQUIRE(pending);
    CHECK(pending->modelPath == QStringLiteral("/models/m.onnx"));
    CHECK(pending->encodings == set);
    CHECK(pending->savedAt.isValid());
    next.clear(); // saved or discarded
    CHECK_FALSE(next.pending());
}

TEST_CASE("a start removes what a write killed midway left beside the autosave, and keeps the "
          "autosave",
          "[quant][autosave]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    lb::quant::EncodingSet set;
    set.version = "1.0.0";
    set.activations["a"] = lb::quant::perTensorEncoding(0.0, 1.0, 8, false);
    {
        lb::app::QuantAutosave autosave(dir.path());
        autosave.setDelayMs(10);
        autosave.schedule(QStringLiteral("/models/m.onnx"), set);
        REQUIRE(autosave.flush());
    }
    // QSaveFile's temporary of a session killed while writing, and a file that is not one.
    const QString stale =
        QDir(dir.path()).filePath(QStringLiteral("unsaved-encodings.json.Ab3xYz"));
    const QString other = QDir(dir.path()).filePath(QStringLiteral("notes.txt"));
    for (const QString& path : {stale, other}) {
        QFile f(path);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("partial");
    }
    lb::app::QuantAutosave next(dir.path());
    CHECK_FALSE(QFile::exists(stale));
    CHECK(QFile::exists(other));
    const auto pending = next.pending();
    REQUIRE(pending);
    CHECK(pending->encodings == set);
}

TEST_CASE("imported encodings are measured again on the calibration samples, or said to be "
          "unmeasured",
          "[quant][window]") {
    lb::app::MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, clsRequest().inputShapes);
    REQUIRE(shown.wait(120000));
    lb::widgets::QuantView* view = window.quantView();

    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(clsRequest());
    REQUIRE(quantized.wait(300000));
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("cls_encodings.json"));
    REQUIRE(window.quantization()->exportEncodings(path, lb::quant::EncodingsFormat::V100));
    const double calibrated = view->report()->outputError.sqnrDb;

    // Narrow every activation range to a quarter: the import replaces the calibration's numbers.
    lb::quant::EncodingSet set = lb::quant::readEncodingsFile(path.toStdString());
    for (auto& [name, e] : set.activations) {
        if (e.dtype != lb::quant::EncodingDtype::Int || e.channels.size() != 1)
            continue;
        const lb::quant::ChannelParams c = e.channels.front();
        e = lb::quant::perTensorEncoding(c.min / 4, c.max / 4, e.bitwidth, e.symmetric);
    }
    const QString narrowed = dir.filePath(QStringLiteral("narrowed.json"));
    lb::quant::writeEncodingsFile(narrowed.toStdString(), set, lb::quant::EncodingsFormat::V100);
    QSignalSpy reanalysed(window.quantization(), &lb::app::QuantController::reanalysisShown);
    REQUIRE(window.quantization()->importEncodings(narrowed));
    CHECK_FALSE(view->hasResult()); // no stale numbers while measuring
    REQUIRE(reanalysed.wait(120000));
    REQUIRE(view->hasResult());
    CHECK(view->report()->outputError.sqnrDb < calibrated - 3.0);
    CHECK(view->headlineText().contains(QStringLiteral("Output SQNR")));

    // Open the model again (no calibration): an import has no numbers, and says why.
    window.documents()->open(kClsModel, clsRequest().inputShapes);
    REQUIRE(shown.wait(120000));
    REQUIRE(window.quantization()->importEncodings(path));
    CHECK_FALSE(view->hasResult());
    CHECK(view->headlineText().contains(QStringLiteral("No calibration data")));
}

TEST_CASE("the quantization flow records each set of encodings as a version of the model",
          "[quant][window][project]") {
    lb::app::MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    lb::app::QuantController* quant = window.quantization();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, clsRequest().inputShapes);
    REQUIRE(shown.wait(120000));
    const std::shared_ptr<lb::project::ModelVersion> version = window.documents()->version();
    const auto& history = version->encodingsVersions();
    CHECK(history.empty());
    CHECK_FALSE(version->probe());

    QSignalSpy quantized(quant, &lb::app::QuantController::quantizeShown);
    quant->quantize(clsRequest());
    REQUIRE(quantized.wait(300000));
    lb::widgets::EncodingsTableModel* table = window.quantView()->encodingsModel();
    REQUIRE(history.size() == 1);
    CHECK(history[0].origin == lb::project::EncodingsOrigin::Calibrated);
    CHECK(*history[0].encodings == table->encodings());
    CHECK(history[0].report);
    CHECK(history[0].file.empty());
    CHECK(version->probe()); // re-measures run against the version's calibration

    // Edits typed into the table: one Edited version, however many edits, holding the table's.
    auto edit = [table](int step) {
        for (int row = 0; row < table->rowCount(); ++row) {
            const QModelIndex max =
                table->index((row + step) % table->rowCount(), EncodingsTableModel::MaxColumn);
            if (!(table->flags(max) & Qt::ItemIsEditable))
                continue;
            const double value =
                lb::widgets::UiFormat::parseDouble(max.data().toString()).value_or(0.0);
            if (table->setData(max, QString::number(value * 1.5 + 0.25, 'g', 8)))
                return true;
        }
        return false;
    };
    REQUIRE(edit(0));
    REQUIRE(edit(3));
    REQUIRE(history.size() == 2);
    CHECK(history[1].origin == lb::project::EncodingsOrigin::Edited);
    CHECK(*history[1].encodings == table->encodings());

    // A save: the version remembers where (a later save writes there), the next edit is new.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("cls_encodings.json"));
    REQUIRE(quant->exportEncodings(path, lb::quant::EncodingsFormat::V061));
    CHECK(history[1].file == path.toStdString());
    CHECK(history[1].format == lb::quant::EncodingsFormat::V061);
    REQUIRE(edit(5));
    REQUIRE(history.size() == 3);
    CHECK(history[2].file == path.toStdString());

    // An import of the saved file (every entry fits): its version may be saved over that file.
    QSignalSpy reanalysed(quant, &lb::app::QuantController::reanalysisShown);
    REQUIRE(quant->importEncodings(path));
    REQUIRE(history.size() == 4);
    CHECK(history[3].origin == lb::project::EncodingsOrigin::Imported);
    CHECK(history[3].source == path.toStdString());
    CHECK(history[3].file == path.toStdString());
    CHECK(*history[3].encodings == table->encodings());
    REQUIRE(reanalysed.wait(120000));
    CHECK(history[3].report); // measured on the calibration samples

    // The project file holds the whole history.
    const nlohmann::json json = lb::project::toJson(window.documents()->project());
    REQUIRE(json.at("versions").size() == 1);
    CHECK(json["versions"][0]["encodings"].size() == 4);
    CHECK(json["versions"][0]["encodings"][3]["origin"] == "imported");
}
