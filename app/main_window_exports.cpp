// The export actions and the QDQ model export (quantize --qdq); the profile report and the
// Chrome trace are the ExportController's.
#include "app/document_controller.h"
#include "app/export_controller.h"
#include "app/input_shapes.h"
#include "app/main_window.h"
#include "app/status_reporter.h"
#include "report/profile_report.h"
#include "widgets/encodings_table_model.h"
#include "widgets/profile_view.h"
#include "widgets/quant_view.h"
#include "widgets/tr_label.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <nlohmann/json.hpp>

namespace lb::app {

void MainWindow::retranslateExportActions() {
    m_exportQdqAction->setText(tr("Export &QDQ Model..."));
    m_exportQdqAction->setStatusTip(
        tr("Write the model with the Encodings table's encodings as QuantizeLinear / "
           "DequantizeLinear pairs (ONNX Runtime, QNN's converter)"));
    m_saveReportAction->setText(tr("Save Profile &Report..."));
    m_saveReportAction->setStatusTip(tr("Write the last run's profile report as JSON"));
    m_saveTraceAction->setText(tr("Save Chrome &Trace..."));
    m_saveTraceAction->setStatusTip(
        tr("Write the last run's timeline for chrome://tracing or Perfetto"));
}

void MainWindow::createExportActions(QMenu* file) {
    // Texts: retranslateExportActions (main_window_language.cpp calls it on a language change).
    m_exportQdqAction = new QAction(this);
    connect(m_exportQdqAction, &QAction::triggered, this, &MainWindow::exportQdqDialog);
    m_saveReportAction = new QAction(this);
    connect(m_saveReportAction, &QAction::triggered, m_exports,
            [this] { m_exports->saveProfileDialog(false); });
    m_saveTraceAction = new QAction(this);
    retranslateExportActions();
    connect(m_saveTraceAction, &QAction::triggered, m_exports,
            [this] { m_exports->saveProfileDialog(true); });
    QAction* before = m_exportPngAction;
    file->insertAction(before, m_exportQdqAction);
    file->insertAction(before, m_saveReportAction);
    file->insertAction(before, m_saveTraceAction);
    file->insertSeparator(before);
    connect(m_worker, &EngineWorker::qdqExported, this, &MainWindow::onQdqExported);
    // Encodings arrive by calibration, import or recovery: each resets the table's model.
    connect(m_quantView->encodingsModel(), &QAbstractItemModel::modelReset, this,
            &MainWindow::updateExportActions);
    updateExportActions();
}

void MainWindow::updateExportActions() {
    if (!m_exportQdqAction)
        return; // called while the menus are being made
    const bool hasEncodings =
        m_documents->document() && m_quantView->encodingsModel()->rowCount() > 0 && !m_qdqJob;
    m_exportQdqAction->setEnabled(hasEncodings);
    m_saveReportAction->setEnabled(m_exports->canSaveProfile());
    m_saveTraceAction->setEnabled(m_exports->canSaveProfile());
}

bool MainWindow::exportQdq(const QString& path) {
    if (!m_documents->document() || m_quantView->encodingsModel()->rowCount() == 0)
        return false;
    // The shapes of the Input shapes field, as a quantization uses them: the export carries
    // some ops over to opset 13 and needs their ranks.
    QString error;
    const auto shapes = m_documents->inputShapes()->shapes({}, &error);
    if (!shapes) {
        m_status->setStatus([error] { return error; });
        m_status->showError(tr("QDQ Export Failed"), error);
        emit exportFailed(error);
        return false;
    }
    auto encodings =
        std::make_shared<const quant::EncodingSet>(m_quantView->encodingsModel()->encodings());
    m_qdqJob =
        m_worker->exportQdq(m_documents->document()->path(), *shapes, std::move(encodings), path);
    m_status->setStatus([path] { return tr("Exporting the QDQ model to %1...").arg(path); });
    m_status->trackJob(*m_qdqJob);
    updateExportActions();
    return true;
}

void MainWindow::onQdqExported(EngineWorker::JobId job, const QdqExportSummary& summary) {
    if (job != m_qdqJob)
        return;
    m_settings.setExportDirectory(QFileInfo(summary.path).absolutePath());
    QString text = tr("QDQ model written to %1: %2 QuantizeLinear, %3 DequantizeLinear (%4 "
                      "activations, %5 params)")
                       .arg(summary.path)
                       .arg(summary.quantizeNodes)
                       .arg(summary.dequantizeNodes)
                       .arg(summary.activations)
                       .arg(summary.params);
    if (!summary.skipped.isEmpty())
        text += tr("; encodings not exported: %1 (see the tooltip)").arg(summary.skipped.size());
    m_status->setStatus([text] { return text; });
    m_status->setToolTip((summary.notes + summary.skipped).join(QLatin1Char('\n')));
    emit qdqExported(summary.path, text);
}

void MainWindow::exportQdqDialog() {
    if (!m_documents->document())
        return;
    const QString start =
        QDir(m_settings.exportDirectory(m_documents->document()->path()))
            .filePath(QFileInfo(m_documents->document()->path()).completeBaseName() +
                      QStringLiteral("_qdq.onnx"));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export QDQ Model"), start,
                                                      tr("ONNX models (*.onnx)"));
    if (!path.isEmpty())
        exportQdq(path);
}

} // namespace lb::app
