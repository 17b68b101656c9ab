#include "app/quant_controller.h"

#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/encodings_import_dialog.h"
#include "app/input_shapes.h"
#include "app/quant_autosave.h"
#include "app/quant_panel.h"
#include "app/status_reporter.h"
#include "core/error.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"
#include "widgets/ui_format.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QUndoStack>
#include <algorithm>

namespace lb::app {

QuantController::QuantController(EngineWorker* worker, DocumentController* documents,
                                 StatusReporter* status, AppSettings* settings, QuantPanel* panel,
                                 widgets::QuantView* view, QObject* parent)
    : QObject(parent), m_worker(worker), m_documents(documents), m_status(status),
      m_settings(settings), m_panel(panel), m_view(view),
      m_autosave(new QuantAutosave(QString(), this)) {
    connect(panel, &QuantPanel::quantizeRequested, this,
            qOverload<QuantizeRequest>(&QuantController::quantize));
    connect(view, &widgets::QuantView::remeasureRequested, this,
            &QuantController::onRemeasureRequested);

    widgets::EncodingsTableModel* model = view->encodingsModel();
    // On the undo stack's move rather than on encodingChanged: push() applies an edit (and so
    // emits encodingChanged) before the stack leaves its clean state, so the first edit of a saved
    // set looked unmodified and was never autosaved.
    connect(model->undoStack(), &QUndoStack::indexChanged, this, [this, model] {
        const ModelDocument* document = this->document();
        if (!document)
            return;
        document->version->recordEdit(model->encodings()); // the version's Edited encodings
        if (model->isModified())
            m_autosave->schedule(document->path(), model->encodings());
    });
    connect(model, &widgets::EncodingsTableModel::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            m_autosave->clear();
    });
    // Its model cannot be opened: the recovery applies to no other model; the autosave stays
    // on disk.
    connect(documents, &DocumentController::openFailed, this, [this](const QString& path) {
        if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(path)) {
            m_pendingRecovery.reset();
            m_pendingRecoveryPath.clear();
        }
    });

    connect(worker, &EngineWorker::quantizeFinished, this, &QuantController::onQuantizeFinished);
    connect(worker, &EngineWorker::remeasured, this, &QuantController::onRemeasured);
    connect(worker, &EngineWorker::reanalyzed, this, &QuantController::onReanalyzed);
    connect(worker, &EngineWorker::qdqExported, this, &QuantController::onQdqExported);
    connect(worker, &EngineWorker::jobProgress, this, &QuantController::onJobProgress);
    connect(worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                onJobFailed(job, message);
            });
    connect(worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_quantJob)
                    m_status->setStatus([] { return tr("Quantization cancelled."); });
                if (job == m_qdqJob)
                    m_status->setStatus([] { return tr("QDQ export cancelled."); });
            });
    connect(worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) { onJobFinished(job); });
}

const ModelDocument* QuantController::document() const {
    return m_documents->document();
}

void QuantController::showDocument(const ModelDocument& document) {
    m_panel->setModelPath(document.path());
    m_reanalyzeJob.reset(); // a late result of the previous model's is dropped
    m_view->clear();
    m_view->encodingsModel()->setEncodings({});
    // Moved out before recoverEncodings() runs: it resets m_pendingRecovery, so a reference into
    // it would dangle (issue #10: garbage encodings, runaway allocation).
    if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(document.path())) {
        quant::EncodingSet recovered = std::move(*std::exchange(m_pendingRecovery, std::nullopt));
        recoverEncodings(document.path(), std::move(recovered));
    }
}

void QuantController::quantize() {
    QString error;
    std::string input;
    if (auto request = m_panel->request(&error, &input)) {
        quantize(*request);
    } else {
        m_panel->showError(error, input); // where the user looks, not only the status bar
        m_status->setStatus([error] { return error; });
        emit quantizeFailed(error);
    }
}

void QuantController::quantize(QuantizeRequest request) {
    if (!document())
        return;
    if (hasUnsavedEncodings() && m_status->isInteractive() &&
        QMessageBox::question(m_status->window(), tr("Quantize"),
                              tr("Calibrating again replaces your unsaved encoding edits. "
                                 "Continue?")) != QMessageBox::Yes)
        return;
    m_quantVersion = m_documents->version();
    m_quantJob = m_worker->quantizeModel(request);
    m_panel->setRunning(true);
    m_panel->showError({});
    m_panel->showPlan(nullptr);
    m_status->setStatus([file = QFileInfo(request.modelPath).fileName()] {
        return tr("Quantizing %1...").arg(file);
    });
    m_status->trackJob(*m_quantJob);
}

void QuantController::onJobProgress(EngineWorker::JobId job, double fraction,
                                    const QString& stage) {
    if (job == m_qdqJob) {
        m_status->setFraction(fraction); // the status names the file
        return;
    }
    if (job != m_quantJob)
        return;
    const ModelDocument* document = this->document();
    m_status->setStatus([file = QFileInfo(document ? document->path() : QString()).fileName(),
                         progress = m_status->progress(fraction, stage)] {
        return StatusReporter::progressStatus(tr("Quantizing %1: %2").arg(file), progress);
    });
}

void QuantController::onJobFailed(EngineWorker::JobId job, const QString& message) {
    // The engine's message names the node or tensor at fault (in English: the engine is Qt-free);
    // the GUI says in the UI language what failed around it.
    if (job == m_qdqJob) {
        m_status->setStatus([message] { return message; });
        m_status->showError(tr("QDQ Export Failed"), message);
        emit exportFailed(message);
        return;
    }
    if (job != m_quantJob && !isRemeasureJob(job) && job != m_reanalyzeJob)
        return;
    m_status->setStatus([message] { return tr("Quantization failed: %1").arg(message); });
    for (const auto& [tensor, remeasure] : m_remeasureJobs)
        if (remeasure == job)
            m_view->remeasureFailed(tensor, message);
    if (job == m_reanalyzeJob)
        m_view->dropNumbers([message] {
            return tr("These encodings could not be measured: %1").arg(message.toHtmlEscaped());
        });
    if (job == m_quantJob) {
        m_panel->showError(tr("Quantization failed: %1").arg(message));
        emit quantizeFailed(message);
    }
}

void QuantController::onJobFinished(EngineWorker::JobId job) {
    if (job == m_quantJob) {
        m_quantJob.reset();
        m_panel->setRunning(false);
    } else if (job == m_qdqJob) {
        m_qdqJob.reset();
        emit exportBusyChanged();
    } else {
        std::erase_if(m_remeasureJobs, [job](const auto& entry) { return entry.second == job; });
        if (job == m_reanalyzeJob)
            m_reanalyzeJob.reset();
    }
}

void QuantController::onQuantizeFinished(EngineWorker::JobId job, const QuantResult& result) {
    if (job != m_quantJob || !m_quantVersion || !result.report)
        return;
    // Into the version before the table shows them: the table's reset is no edit of the old ones.
    project::ModelVersion& version = *m_quantVersion;
    version.setProbe(result.probe);
    project::EncodingsVersion calibrated;
    calibrated.origin = result.plan ? project::EncodingsOrigin::MixedPrecision
                                    : project::EncodingsOrigin::Calibrated;
    calibrated.encodings = result.encodings;
    calibrated.report = result.report;
    if (const project::EncodingsVersion* before = version.currentEncodings())
        calibrated.format = before->format; // the format a save dialog offers first
    version.addEncodings(std::move(calibrated));
    if (m_quantVersion != m_documents->version())
        return; // another model was opened meanwhile: the result stays with its version

    m_reanalyzeJob.reset(); // the calibration's numbers are newer
    m_view->setResult(result.report, *result.encodings, result.histograms, version.nodeMap(),
                      result.randomData);
    m_panel->showPlan(result.plan.get());
    m_panel->showAlternatives(result.alternatives, result.report->outputError.sqnrDb);
    const report::QuantReport& r = *result.report;
    const int promoted = result.plan ? static_cast<int>(result.plan->steps.size()) - 1 : -1;
    m_status->setStatus([file = QFileInfo(document()->path()).fileName(),
                         sqnr = r.outputError.sqnrDb, top1 = r.top1Agreement,
                         tensors = r.tensors.size(), promoted] {
        QString text =
            tr("%1: output SQNR %2 dB, top-1 agreement %3 % (%4 tensors)")
                .arg(file, widgets::UiFormat::decibels(sqnr), widgets::UiFormat::percent(top1, 1))
                .arg(tensors);
        if (promoted >= 0)
            text += QStringLiteral("; ") +
                    tr("mixed precision: %1 tensors promoted to 16 bit").arg(promoted);
        return text;
    });
    emit quantizeShown();
}

void QuantController::onRemeasureRequested(const QString& tensor,
                                           std::shared_ptr<const quant::EncodingSet> encodings,
                                           bool preview) {
    const auto version = m_documents->version();
    if (!version || !version->probe())
        return; // imported encodings without a calibration: nothing to measure against
    if (m_reanalyzeJob) {
        // The whole model is being measured: a committed edit measures it again with the edit
        // (replacing the queued one; the running one's result is then dropped), a preview waits.
        if (!preview)
            reanalyzeEncodings();
        return;
    }
    m_remeasureJobs[tensor] =
        m_worker->remeasure(version->probe(), std::move(encodings), tensor, preview);
    if (!preview) // the numbers the status bar shows are about to be replaced
        m_status->setStatus([tensor] { return tr("Measuring the edit of %1...").arg(tensor); });
}

bool QuantController::isRemeasureJob(EngineWorker::JobId job) const {
    return std::any_of(m_remeasureJobs.begin(), m_remeasureJobs.end(),
                       [job](const auto& entry) { return entry.second == job; });
}

void QuantController::onRemeasured(EngineWorker::JobId job, const RemeasureResult& result) {
    const auto it = m_remeasureJobs.find(result.tensor);
    if (it == m_remeasureJobs.end() || it->second != job)
        return;
    m_view->applyRemeasure(result.tensor, result.probe, result.elapsedMs, result.preview);
    // The status bar said the calibration's numbers until now; they are not the model's any more.
    m_status->setStatus([tensor = result.tensor, preview = result.preview,
                         sqnr = result.probe.outputError.sqnrDb,
                         top1 = result.probe.top1Agreement] {
        return (preview ? tr("Preview of %1: output SQNR %2 dB, top-1 agreement %3 %")
                        : tr("%1 edited: output SQNR %2 dB, top-1 agreement %3 %"))
            .arg(tensor, widgets::UiFormat::decibels(sqnr), widgets::UiFormat::percent(top1, 1));
    });
    emit remeasureShown(result.elapsedMs);
}

void QuantController::reanalyzeEncodings() {
    const auto version = m_documents->version();
    const std::shared_ptr<quant::EncodingProbe> probe = version ? version->probe() : nullptr;
    if (!probe) {
        m_view->dropNumbers([] {
            return tr("No calibration data: these encodings cannot be measured. Quantize the "
                      "model (Tools > Quantize...) to see their per-layer error.");
        });
        return;
    }
    m_view->dropNumbers([samples = static_cast<int>(probe->sampleCount())] {
        return tr("Measuring these encodings on the %n calibration sample(s)...", "", samples);
    });
    m_reanalyzeJob = m_worker->reanalyze(
        probe, std::make_shared<const quant::EncodingSet>(m_view->encodingsModel()->encodings()));
}

void QuantController::onReanalyzed(EngineWorker::JobId job, const ReanalysisResult& result) {
    if (job != m_reanalyzeJob)
        return;
    if (const auto version = m_documents->version())
        version->setEncodingsReport(*result.encodings, result.report);
    m_view->setReport(result.report);
    m_status->setStatus(
        [seconds = result.elapsedMs / 1000.0, sqnr = result.report->outputError.sqnrDb] {
            return tr("Encodings measured in %1 s: output SQNR %2 dB")
                .arg(widgets::UiFormat::fixed(seconds, 1), widgets::UiFormat::decibels(sqnr));
        });
    emit reanalysisShown();
}

bool QuantController::hasUnsavedEncodings() const {
    return m_view->encodingsModel()->isModified();
}

bool QuantController::exportEncodings(const QString& path, quant::EncodingsFormat format) {
    widgets::EncodingsTableModel* model = m_view->encodingsModel();
    quant::EncodingSet set = model->encodings();
    set.version = format == quant::EncodingsFormat::V061 ? "0.6.1" : "1.0.0";
    try {
        quant::writeEncodingsFile(path.toStdString(), set, format);
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        m_status->showError(tr("Export Failed"), message);
        m_status->setStatus([message] { return tr("Export failed: %1").arg(message); });
        return false;
    }
    if (const auto version = m_documents->version())
        version->setEncodingsSaved(path.toStdString(), format);
    m_settings->setExportDirectory(QFileInfo(path).absolutePath());
    model->setSaved();
    m_status->setStatus([path] { return tr("Encodings written to %1").arg(path); });
    return true;
}

bool QuantController::saveEncodingsDialog() {
    const ModelDocument* document = this->document();
    if (!document)
        return false;
    const QString v100 = tr("QNN/AIMET encodings 1.0.0 (*.json)");
    const QString v061 = tr("QNN/AIMET encodings 0.6.1 (*.json)");
    const project::EncodingsVersion* current = document->version->currentEncodings();
    const QString file = current ? QString::fromStdString(current->file) : QString();
    QString filter = current && current->format == quant::EncodingsFormat::V061 ? v061 : v100;
    const QString start = file.isEmpty()
                              ? QDir(m_settings->exportDirectory(document->path()))
                                    .filePath(QFileInfo(document->path()).completeBaseName() +
                                              QStringLiteral("_encodings.json"))
                              : file;
    const QString path =
        QFileDialog::getSaveFileName(m_status->window(), tr("Export Encodings"), start,
                                     v100 + QStringLiteral(";;") + v061, &filter);
    if (path.isEmpty())
        return false;
    return exportEncodings(path, filter == v061 ? quant::EncodingsFormat::V061
                                                : quant::EncodingsFormat::V100);
}

bool QuantController::importEncodings(const QString& path) {
    const ModelDocument* document = this->document();
    if (!document)
        return false;
    const QString fileName = QFileInfo(path).fileName();
    const QString modelName = QFileInfo(document->path()).fileName();
    auto refuse = [&](const QString& message) {
        m_status->showError(tr("Cannot import %1").arg(fileName), message);
        m_status->setStatus([message] { return message; });
        emit importFailed(message);
        return false;
    };
    quant::EncodingSet set;
    try {
        set = quant::readEncodingsFile(path.toStdString());
        // Before anything is replaced: which entries fit this model, and what is wrong.
        m_importCheck = quant::checkEncodings(set, *document->graph());
    } catch (const Error& e) {
        m_importCheck.reset();
        return refuse(QString::fromStdString(e.what()));
    }
    const quant::EncodingsCheck& check = *m_importCheck;
    const QString refusal = EncodingsImportDialog::refusalText(check, fileName, modelName);
    if (!refusal.isEmpty())
        return refuse(refusal);
    if (!check.isClean() && m_status->isInteractive()) {
        EncodingsImportDialog dialog(check, fileName, modelName, m_status->window());
        if (dialog.exec() != QDialog::Accepted) {
            m_status->setStatus([fileName] {
                return tr("Import of %1 cancelled; the encodings were not changed.").arg(fileName);
            });
            return false;
        }
    }
    // Entries that match nothing (or cannot apply) never reach the live encodings.
    const quant::EncodingSet kept = quant::usableEntries(set, check);
    project::EncodingsVersion imported;
    imported.origin = project::EncodingsOrigin::Imported;
    imported.encodings = std::make_shared<const quant::EncodingSet>(kept);
    imported.source = path.toStdString();
    // A save must not overwrite a file some of whose entries were left out.
    imported.file = check.leftOut == 0 ? path.toStdString() : std::string();
    imported.format = set.version.rfind("0.", 0) == 0 ? quant::EncodingsFormat::V061
                                                      : quant::EncodingsFormat::V100;
    document->version->addEncodings(std::move(imported)); // before the table's reset
    m_view->encodingsModel()->setEncodings(kept);
    emit viewRequested();
    reanalyzeEncodings();
    m_status->setStatus([fileName, imported = kept.activations.size() + kept.params.size(),
                         entries = check.entries, activations = kept.activations.size(),
                         params = kept.params.size(), leftOut = check.leftOut] {
        return tr("%1: imported %2 of %3 entries (%4 activation and %5 param encodings); %6 left "
                  "out")
            .arg(fileName)
            .arg(imported)
            .arg(entries)
            .arg(activations)
            .arg(params)
            .arg(leftOut);
    });
    m_status->setToolTip(EncodingsImportDialog::summaryText(check, fileName, modelName));
    return true;
}

void QuantController::importEncodingsDialog() {
    const ModelDocument* document = this->document();
    if (!document || !confirmClose())
        return;
    const QString path = QFileDialog::getOpenFileName(
        m_status->window(), tr("Import Encodings"), QFileInfo(document->path()).absolutePath(),
        tr("Encodings (*.json *.encodings);;All files (*)"));
    if (!path.isEmpty())
        importEncodings(path);
}

bool QuantController::confirmClose() {
    if (!hasUnsavedEncodings())
        return true;
    if (!m_status->isInteractive())
        return true; // the autosave keeps them
    const auto answer = QMessageBox::question(
        m_status->window(), tr("Unsaved Encodings"),
        tr("The encodings have unsaved edits. Save them before continuing?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        const auto version = m_documents->version();
        const project::EncodingsVersion* current = version ? version->currentEncodings() : nullptr;
        return !current || current->file.empty()
                   ? saveEncodingsDialog()
                   : exportEncodings(QString::fromStdString(current->file), current->format);
    }
    m_view->encodingsModel()->setSaved(); // discarded on purpose: drop the autosave
    return true;
}

bool QuantController::mayReplaceDocument() {
    return m_pendingRecovery || confirmClose();
}

void QuantController::offerEncodingsRecovery(std::optional<bool> answer) {
    const auto pending = m_autosave->pending();
    if (!pending)
        return;
    if (!answer)
        answer = QMessageBox::question(
                     m_status->window(), tr("Recover Encodings"),
                     tr("LayerBench did not close normally and unsaved encoding edits for %1 were "
                        "kept (%2). Recover them?")
                         .arg(QFileInfo(pending->modelPath).fileName(),
                              QLocale().toString(pending->savedAt, QLocale::ShortFormat)),
                     QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes) == QMessageBox::Yes;
    if (*answer)
        recoverEncodings(pending->modelPath, pending->encodings);
    else
        m_autosave->clear();
}

void QuantController::recoverEncodings(const QString& modelPath, quant::EncodingSet encodings) {
    const ModelDocument* document = this->document();
    if (!document || QFileInfo(document->path()) != QFileInfo(modelPath)) {
        m_pendingRecovery = std::move(encodings);
        m_pendingRecoveryPath = modelPath;
        // Already being opened (from the command line): let that open finish, it has the input
        // shapes the command line gave.
        if (!m_documents->isOpening() ||
            QFileInfo(m_documents->openingPath()) != QFileInfo(modelPath))
            m_documents->open(modelPath);
        return;
    }
    m_pendingRecovery.reset();
    m_pendingRecoveryPath.clear();
    project::EncodingsVersion recovered;
    recovered.origin = project::EncodingsOrigin::Recovered;
    recovered.encodings = std::make_shared<const quant::EncodingSet>(encodings);
    document->version->addEncodings(std::move(recovered)); // before the table's reset
    m_view->encodingsModel()->setEncodings(encodings, /*modified=*/true);
    m_autosave->schedule(modelPath, encodings);
    emit viewRequested();
    reanalyzeEncodings();
    m_status->setStatus([file = QFileInfo(modelPath).fileName()] {
        return tr("Recovered unsaved encodings for %1; export them to keep them.").arg(file);
    });
    emit encodingsRecovered();
}

bool QuantController::canExportQdq() const {
    return document() && m_view->encodingsModel()->rowCount() > 0 && !m_qdqJob;
}

bool QuantController::exportQdq(const QString& path) {
    const ModelDocument* document = this->document();
    if (!document || m_view->encodingsModel()->rowCount() == 0)
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
        std::make_shared<const quant::EncodingSet>(m_view->encodingsModel()->encodings());
    m_qdqJob = m_worker->exportQdq(document->path(), *shapes, std::move(encodings), path);
    m_status->setStatus([path] { return tr("Exporting the QDQ model to %1...").arg(path); });
    m_status->trackJob(*m_qdqJob);
    emit exportBusyChanged();
    return true;
}

void QuantController::onQdqExported(EngineWorker::JobId job, const QdqExportSummary& summary) {
    if (job != m_qdqJob)
        return;
    m_settings->setExportDirectory(QFileInfo(summary.path).absolutePath());
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

void QuantController::exportQdqDialog() {
    const ModelDocument* document = this->document();
    if (!document)
        return;
    const QString start =
        QDir(m_settings->exportDirectory(document->path()))
            .filePath(QFileInfo(document->path()).completeBaseName() + QStringLiteral("_qdq.onnx"));
    const QString path = QFileDialog::getSaveFileName(m_status->window(), tr("Export QDQ Model"),
                                                      start, tr("ONNX models (*.onnx)"));
    if (!path.isEmpty())
        exportQdq(path);
}

} // namespace lb::app
