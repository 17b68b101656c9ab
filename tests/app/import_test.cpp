// Importing another model's encodings (issue #10 item 4) as a user meets it: the real window,
// the real dialogs answered as a user would. Entries that match nothing never reach the
// encodings; a file that matches nothing is refused; the list of problems fits the screen and
// speaks the UI's language.
#include "app/document_controller.h"
#include "app/encodings_import_dialog.h"
#include "app/main_window.h"
#include "app/quant_controller.h"
#include "onnx/importer.h"
#include "quant/encodings_json.h"
#include "widgets/encodings_check_model.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTranslator>
#include <catch2/catch.hpp>
#include <functional>

using lb::app::EncodingsImportDialog;
using lb::app::MainWindow;
using lb::widgets::EncodingsCheckModel;

namespace {

const QString kClsModel = QStringLiteral(LB_MODELS_DIR "/ch_ppocr_mobile_v2.0_cls_infer.onnx");
const std::string kRecModel = LB_MODELS_DIR "/ch_PP-OCRv4_rec_infer.onnx";

lb::app::QuantizeRequest clsRequest() {
    lb::app::QuantizeRequest r;
    r.modelPath = kClsModel;
    r.inputShapes["x"] = {1, 3, 48, 192};
    r.randomSamples = 2;
    r.maxIsolated = 0;
    return r;
}

// Answers the next modal dialog as a user would: `respond` gets it once it is up.
class ModalAnswer : public QObject {
public:
    explicit ModalAnswer(std::function<void(QWidget*)> respond) : m_respond(std::move(respond)) {
        m_timer.setInterval(20);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            QWidget* modal = QApplication::activeModalWidget();
            if (!modal || !modal->isVisible())
                return;
            m_timer.stop();
            ++m_answered;
            m_respond(modal);
        });
        m_timer.start();
    }
    int answered() const { return m_answered; }

private:
    QTimer m_timer;
    std::function<void(QWidget*)> m_respond;
    int m_answered = 0;
};

// What the user saw in the import dialog.
struct Seen {
    bool importDialog = false;
    QString className, summary, importText;
    QRect geometry, screen;
    bool buttonsInside = false;
    QStringList leftOut; // tensors the list marks as left out
    int rows = 0;
};

// Records the dialog and presses Import (or Cancel).
std::function<void(QWidget*)> recordAndPress(Seen& seen, bool import) {
    return [&seen, import](QWidget* modal) {
        seen.className = QString::fromLatin1(modal->metaObject()->className());
        seen.geometry = modal->geometry();
        seen.screen = modal->screen()->availableGeometry();
        auto* dialog = qobject_cast<EncodingsImportDialog*>(modal);
        seen.importDialog = dialog != nullptr;
        if (!dialog) {
            if (auto* box = qobject_cast<QMessageBox*>(modal))
                seen.summary = box->text();
            qobject_cast<QDialog*>(modal)->reject();
            return;
        }
        seen.summary = dialog->summaryLabel()->text();
        seen.importText = dialog->importButton()->text();
        seen.buttonsInside = true;
        for (QPushButton* b : {dialog->importButton(), dialog->cancelButton()})
            seen.buttonsInside =
                seen.buttonsInside && b->isVisible() &&
                dialog->rect().contains(QRect(b->mapTo(dialog, QPoint(0, 0)), b->size()));
        const QAbstractItemModel* model = dialog->view()->model();
        seen.rows = model->rowCount();
        for (int r = 0; r < model->rowCount(); ++r)
            if (model->index(r, EncodingsCheckModel::ImportColumn).data().toString() ==
                EncodingsCheckModel::tr("left out"))
                seen.leftOut
                    << model->index(r, EncodingsCheckModel::TensorColumn).data().toString();
        (import ? dialog->importButton() : dialog->cancelButton())->click();
    };
}

void writeSet(const QString& path, const lb::quant::EncodingSet& set) {
    lb::quant::writeEncodingsFile(path.toStdString(), set, lb::quant::EncodingsFormat::V100);
}

} // namespace

TEST_CASE("importing another model's encodings: nothing that matches nothing gets in, the "
          "problem list fits the screen, in the UI's language",
          "[quant][window][import]") {
    MainWindow window(/*restoreSession=*/false);
    window.setInteractive(true); // the dialogs a user meets, answered by ModalAnswer
    window.show();
    QSignalSpy shown(window.documents(), &lb::app::DocumentController::documentShown);
    window.documents()->open(kClsModel, clsRequest().inputShapes);
    REQUIRE(shown.wait(120000));
    QSignalSpy quantized(window.quantization(), &lb::app::QuantController::quantizeShown);
    window.quantization()->quantize(clsRequest());
    REQUIRE(quantized.wait(300000));
    lb::widgets::EncodingsTableModel* live = window.quantView()->encodingsModel();
    const lb::quant::EncodingSet calibrated = live->encodings();
    REQUIRE(calibrated.activations.size() > 20);
    REQUIRE_FALSE(live->isModified());

    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    // rec's tensors that cls does not have: 300 entries of a file made for rec.
    lb::onnx::ImportOptions recShapes;
    recShapes.inputShapes["x"] = {1, 3, 48, 320};
    const lb::ir::Graph rec = lb::onnx::importModel(kRecModel, recShapes).graph;
    lb::quant::EncodingSet foreign;
    foreign.version = "1.0.0";
    for (lb::ir::ValueId v = 0;
         v < rec.valueCount() && foreign.activations.size() + foreign.params.size() < 300; ++v) {
        const std::string& name = rec.value(v).name;
        if (name.empty() || window.documents()->document()->graph()->findValue(name))
            continue;
        (rec.isInitializer(v) ? foreign.params : foreign.activations)[name] =
            lb::quant::perTensorEncoding(-1.0, 1.0, 8, rec.isInitializer(v));
    }
    REQUIRE(foreign.activations.size() + foreign.params.size() == 300);

    { // A file none of whose entries names a tensor of the model is refused.
        const QString path = dir.filePath(QStringLiteral("rec_encodings.json"));
        writeSet(path, foreign);
        QSignalSpy failed(window.quantization(), &lb::app::QuantController::importFailed);
        Seen seen;
        ModalAnswer answer(recordAndPress(seen, true));
        CHECK_FALSE(window.quantization()->importEncodings(path));
        CHECK(answer.answered() == 1);
        CHECK_FALSE(seen.importDialog); // an error, not a choice
        CHECK(seen.summary.contains(QStringLiteral("rec_encodings.json")));
        CHECK(seen.summary.contains(QStringLiteral("None of the 300 entries")));
        CHECK(seen.geometry.height() < 400);
        REQUIRE(failed.size() == 1);
        CHECK(failed.at(0).at(0).toString() == seen.summary);
        CHECK(live->encodings() == calibrated);
        CHECK_FALSE(live->isModified());
        REQUIRE(window.quantization()->lastImportCheck());
        CHECK(window.quantization()->lastImportCheck()->unmatched == 300);
    }

    // Half of cls's own encodings, beside the 300 of rec's.
    lb::quant::EncodingSet mixed = foreign;
    size_t k = 0;
    for (const auto& [name, e] : calibrated.activations)
        if (k++ % 2 == 0)
            mixed.activations[name] = lb::quant::perTensorEncoding(-2.0, 2.0, 8, false);
    for (const auto& [name, e] : calibrated.params)
        mixed.params[name] = e;
    const size_t ours = mixed.activations.size() + mixed.params.size() - 300;
    const QString mixedPath = dir.filePath(QStringLiteral("mixed_encodings.json"));
    writeSet(mixedPath, mixed);

    { // Cancelling the list of problems leaves the encodings as they were.
        Seen seen;
        ModalAnswer answer(recordAndPress(seen, false));
        CHECK_FALSE(window.quantization()->importEncodings(mixedPath));
        REQUIRE(answer.answered() == 1);
        INFO("modal: " << seen.className.toStdString());
        REQUIRE(seen.importDialog);
        // The summary says how many match and how many match nothing.
        CHECK(seen.summary.startsWith(QStringLiteral("%1 of %2 entries in mixed_encodings.json "
                                                     "match ch_ppocr_mobile_v2.0_cls_infer.onnx; "
                                                     "300 match nothing.")
                                          .arg(ours)
                                          .arg(ours + 300)));
        CHECK(seen.importText == QStringLiteral("Import Matching Entries (%1)").arg(ours));
        // Every one of rec's entries is listed as left out.
        CHECK(seen.leftOut.size() == 300);
        for (const auto* section : {&foreign.activations, &foreign.params})
            for (const auto& [name, e] : *section)
                CHECK(seen.leftOut.contains(QString::fromStdString(name)));
        // 300+ rows in a dialog that fits the screen (the message box was 3,208 px tall), with
        // its buttons on it.
        INFO("dialog " << seen.geometry.x() << "," << seen.geometry.y() << " "
                       << seen.geometry.width() << "x" << seen.geometry.height() << " on "
                       << seen.screen.width() << "x" << seen.screen.height());
        CHECK(seen.rows >= 300);
        CHECK(seen.geometry.height() <= 800);
        CHECK(seen.screen.contains(seen.geometry));
        CHECK(seen.buttonsInside);
        CHECK(live->encodings() == calibrated);
        CHECK_FALSE(live->isModified());
    }

    { // In the Spanish UI the list and its buttons are Spanish.
        QTranslator spanish;
        REQUIRE(spanish.load(QLocale(QStringLiteral("es")), QStringLiteral("layerbench"),
                             QStringLiteral("_"), QStringLiteral(":/layerbench/translations")));
        QApplication::installTranslator(&spanish);
        Seen seen;
        ModalAnswer answer(recordAndPress(seen, false));
        CHECK_FALSE(window.quantization()->importEncodings(mixedPath));
        QApplication::removeTranslator(&spanish);
        REQUIRE(seen.importDialog);
        CHECK(seen.summary.startsWith(
            QStringLiteral("%1 de %2 entradas de mixed_encodings.json coinciden con "
                           "ch_ppocr_mobile_v2.0_cls_infer.onnx; 300 no coinciden con nada.")
                .arg(ours)
                .arg(ours + 300)));
        CHECK(seen.importText ==
              QStringLiteral("Importar las entradas que coinciden (%1)").arg(ours));
        CHECK(seen.leftOut.size() == 300);
        CHECK(live->encodings() == calibrated);
    }

    { // Importing the matching entries takes those and nothing else.
        Seen seen;
        ModalAnswer answer(recordAndPress(seen, true));
        CHECK(window.quantization()->importEncodings(mixedPath));
        REQUIRE(seen.importDialog);
        const lb::quant::EncodingSet& now = live->encodings();
        CHECK(now.activations.size() + now.params.size() == ours);
        for (const auto& [name, e] : now.activations) {
            INFO(name);
            CHECK(mixed.activations.at(name) == e);
            CHECK_FALSE(foreign.activations.count(name));
        }
        for (const auto& [name, e] : now.params) {
            INFO(name);
            CHECK(mixed.params.at(name) == e);
            CHECK_FALSE(foreign.params.count(name));
        }
        CHECK(window.quantization()->lastImportCheck()->unmatched == 300);
    }

    { // Without a user to ask, only the matching entries are imported.
        live->setEncodings(calibrated);
        window.setInteractive(false);
        CHECK(window.quantization()->importEncodings(mixedPath));
        const lb::quant::EncodingSet& now = live->encodings();
        CHECK(now.activations.size() + now.params.size() == ours);
        for (const auto* section : {&foreign.activations, &foreign.params})
            for (const auto& [name, e] : *section) {
                CHECK_FALSE(now.activations.count(name));
                CHECK_FALSE(now.params.count(name));
            }
    }
}
