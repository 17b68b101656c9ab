// Crash recovery of encoding edits (issue #10): the recovered encodings are the autosaved ones,
// exactly, whether recovery is accepted before the model has loaded, after, or with no model open;
// the first edit is autosaved; the title carries the modified mark.
#include "app/document_controller.h"
#include "app/main_window.h"
#include "app/quant_autosave.h"
#include "app/quant_controller.h"
#include "quant/encoding.h"
#include "quant/encodings_json.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QWindow>
#include <catch2/catch.hpp>

using lb::app::MainWindow;
using lb::widgets::EncodingsTableModel;

namespace {
const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");

// The size of cls's calibrated set (78 activations, 72 params), with per-channel params and
// values that do not survive a careless round trip (many digits, large offsets).
lb::quant::EncodingSet editedSet() {
    lb::quant::EncodingSet set;
    set.version = "1.0.0";
    for (int i = 0; i < 78; ++i)
        set.activations["act_" + std::to_string(i)] = lb::quant::perTensorEncoding(
            -0.1 * i - 1e-3 / 7.0, 1.0 + i / 3.0, i % 3 ? 8 : 16, false);
    for (int i = 0; i < 72; ++i) {
        lb::quant::Encoding e;
        e.symmetric = true;
        e.axis = 0;
        for (int c = 0; c < 8; ++c)
            e.channels.push_back(
                lb::quant::paramsFromMinMax(-(c + 1) / 9.0, (i + 1) / 11.0, 8, true));
        set.params["w_" + std::to_string(i)] = e;
    }
    return set;
}

// Qt's warnings while it lives (a setWindowModified() with no [*] in the title, ...).
class WarningLog {
public:
    WarningLog() : m_previous(qInstallMessageHandler(&WarningLog::handle)) { messages().clear(); }
    ~WarningLog() { qInstallMessageHandler(m_previous); }
    static QStringList& messages() {
        static QStringList list;
        return list;
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type != QtDebugMsg && type != QtInfoMsg)
            messages() << message;
    }
    QtMessageHandler m_previous;
};

// What a crashed session leaves behind: an autosave in the window's own autosave folder. Returns
// what it holds (1.0.0 JSON keeps no per-channel axis, so not quite `set`).
lb::quant::EncodingSet leaveAutosave(const MainWindow& window, const lb::quant::EncodingSet& set) {
    lb::app::QuantAutosave crashed(
        QFileInfo(window.quantization()->autosave()->filePath()).absolutePath());
    crashed.schedule(kClsModel, set);
    REQUIRE(crashed.flush());
    const auto pending = window.quantization()->autosave()->pending();
    REQUIRE(pending);
    return pending->encodings;
}

// Recovery as offerEncodingsRecovery() does on Yes.
void acceptRecovery(MainWindow& window) {
    const auto pending = window.quantization()->autosave()->pending();
    REQUIRE(pending);
    window.quantization()->recoverEncodings(pending->modelPath, pending->encodings);
}

// The window shows `expected` as unsaved edits, and the autosave it writes again holds them too.
void checkRecovered(MainWindow& window, const lb::quant::EncodingSet& expected) {
    REQUIRE(window.documents()->document());
    CHECK(QFileInfo(window.documents()->document()->path()) == QFileInfo(kClsModel));
    EncodingsTableModel* model = window.quantView()->encodingsModel();
    CHECK(model->isModified());
    CHECK(window.windowHandle()->title() ==
          QStringLiteral("ch_ppocr_mobile_v2.0_cls_infer.onnx* - LayerBench"));
    CHECK(WarningLog::messages().filter(QStringLiteral("[*]")).isEmpty());
    CHECK(model->rowCount() == 78 + 72);
    CHECK(model->encodings() == expected);
    CHECK(lb::quant::writeEncodingsJson(model->encodings(), lb::quant::EncodingsFormat::V100) ==
          lb::quant::writeEncodingsJson(expected, lb::quant::EncodingsFormat::V100));
    REQUIRE(window.quantization()->autosave()->flush());
    const auto again = window.quantization()->autosave()->pending();
    REQUIRE(again);
    CHECK(again->encodings == expected);
    window.quantization()->autosave()->clear();
}

void waitShown(QSignalSpy& shown) {
    if (shown.isEmpty())
        REQUIRE(shown.wait(120000));
}
} // namespace

TEST_CASE("recovery accepted while the model is still loading gives the autosaved encodings",
          "[recovery]") {
    const WarningLog warnings;
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    const lb::quant::EncodingSet expected = leaveAutosave(window, editedSet());

    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    acceptRecovery(window);
    CHECK_FALSE(window.documents()->document()); // still loading
    waitShown(shown);
    checkRecovered(window, expected);
}

TEST_CASE("recovery accepted after the model has loaded gives the autosaved encodings",
          "[recovery]") {
    const WarningLog warnings;
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    const lb::quant::EncodingSet expected = leaveAutosave(window, editedSet());

    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    waitShown(shown);
    acceptRecovery(window);
    checkRecovered(window, expected);
}

TEST_CASE("recovery accepted with no model open opens the model and gives the autosaved "
          "encodings",
          "[recovery]") {
    const WarningLog warnings;
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    const lb::quant::EncodingSet expected = leaveAutosave(window, editedSet());

    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    acceptRecovery(window);
    waitShown(shown);
    checkRecovered(window, expected);
}

TEST_CASE("the first encoding edit is autosaved and marks the title modified", "[recovery]") {
    // Qt warns when setWindowModified() has no [*] to show: that warning is a failure here.
    const WarningLog warnings;
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(false);
    window.show();
    window.quantization()->autosave()->clear();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, {{"x", {1, 3, 48, 192}}});
    waitShown(shown);
    EncodingsTableModel* model = window.quantView()->encodingsModel();
    model->setEncodings(editedSet()); // as a calibration or an import leaves them: saved
    CHECK_FALSE(window.isWindowModified());
    CHECK_FALSE(window.windowHandle()->title().contains(QLatin1Char('*')));

    // One edit, typed into the table as a user does.
    const QModelIndex max = model->indexOf(QStringLiteral("act_5"), EncodingsTableModel::MaxColumn);
    REQUIRE(model->setData(max, QStringLiteral("4.5")));
    CHECK(model->isModified());
    CHECK(window.quantization()->autosave()->isScheduled());
    REQUIRE(window.quantization()->autosave()->flush());
    const auto pending = window.quantization()->autosave()->pending();
    REQUIRE(pending);
    CHECK(lb::quant::writeEncodingsJson(pending->encodings, lb::quant::EncodingsFormat::V100) ==
          lb::quant::writeEncodingsJson(model->encodings(), lb::quant::EncodingsFormat::V100));
    CHECK(pending->encodings.activations.at("act_5").channels.front().max ==
          model->encodings().activations.at("act_5").channels.front().max);
    CHECK(window.isWindowModified());
    CHECK(window.windowHandle()->title() ==
          QStringLiteral("ch_ppocr_mobile_v2.0_cls_infer.onnx* - LayerBench"));

    // Undone to the saved state: not modified, nothing to recover.
    model->undoStack()->undo();
    CHECK_FALSE(model->isModified());
    CHECK_FALSE(window.isWindowModified());
    CHECK(window.windowHandle()->title() ==
          QStringLiteral("ch_ppocr_mobile_v2.0_cls_infer.onnx - LayerBench"));
    CHECK_FALSE(window.quantization()->autosave()->pending());
    CHECK(WarningLog::messages().filter(QStringLiteral("[*]")).isEmpty());
}
