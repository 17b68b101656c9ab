// The quantization parts of the main window: the Quantize panel and view, encodings import and
// export, undo/redo, autosave and recovery, and the SQNR overlay.
#include "app/document_controller.h"
#include "app/encodings_import_dialog.h"
#include "app/main_window.h"
#include "app/progress_stage.h"
#include "app/quant_autosave.h"
#include "app/quant_panel.h"
#include "app/status_reporter.h"
#include "core/error.h"
#include "quant/name_check.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_view.h"
#include "widgets/quant_view.h"
#include "widgets/tr_label.h"
#include "widgets/ui_format.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QUndoStack>

namespace lb::app {

void MainWindow::createQuantUi() {
    m_quantPanel = new QuantPanel(m_documents->inputShapes(), this);
    m_quantPanelDock = new QDockWidget(this);
    m_quantPanelDock->setObjectName(QStringLiteral("quantPanelDock"));
    m_quantPanelDock->setWidget(m_quantPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_quantPanelDock);
    tabifyDockWidget(m_runDock, m_quantPanelDock);
    m_summaryDock->raise();
    connect(m_quantPanel, &QuantPanel::quantizeRequested, this,
            qOverload<QuantizeRequest>(&MainWindow::quantize));

    m_quantView = new widgets::QuantView(this);
    m_quantDock = new QDockWidget(this);
    m_quantDock->setObjectName(QStringLiteral("quantDock"));
    m_quantDock->setWidget(m_quantView);
    addDockWidget(Qt::BottomDockWidgetArea, m_quantDock);
    tabifyDockWidget(m_profileDock, m_quantDock);
    m_quantDock->hide(); // shown by the first quantization
    connect(m_quantView, &widgets::QuantView::nodesRequested, this, &MainWindow::onNodesRequested);
    connect(m_quantView, &widgets::QuantView::overlayChanged, this, &MainWindow::updateHeatMap);
    connect(m_quantView, &widgets::QuantView::remeasureRequested, this,
            &MainWindow::onRemeasureRequested);
    connect(m_quantDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateHeatMap);

    m_autosave = new QuantAutosave(QString(), this);
    widgets::EncodingsTableModel* model = m_quantView->encodingsModel();
    // On the undo stack's move rather than on encodingChanged: push() applies an edit (and so
    // emits encodingChanged) before the stack leaves its clean state, so the first edit of a saved
    // set looked unmodified and was never autosaved.
    connect(model->undoStack(), &QUndoStack::indexChanged, this, [this, model] {
        if (!m_documents->document())
            return;
        m_documents->document()->version->recordEdit(
            model->encodings()); // the version's Edited encodings
        if (model->isModified())
            m_autosave->schedule(m_documents->document()->path(), model->encodings());
    });
    connect(model, &widgets::EncodingsTableModel::modifiedChanged, this, [this](bool modified) {
        if (!modified)
            m_autosave->clear();
        setWindowModified(modified);
    });

    connect(m_worker, &EngineWorker::quantizeFinished, this, &MainWindow::onQuantizeFinished);
    connect(m_worker, &EngineWorker::remeasured, this, &MainWindow::onRemeasured);
    connect(m_worker, &EngineWorker::reanalyzed, this, &MainWindow::onReanalyzed);
}

void MainWindow::createQuantActions(QMenu* file, QMenu* edit, QMenu* view) {
    // Not QUndoStack::createUndoAction: its "Undo" prefix is fixed when made, so it would stay in
    // the language the window started in.
    QUndoStack* undo = m_quantView->encodingsModel()->undoStack();
    m_undoAction = new QAction(this);
    m_undoAction->setShortcut(QKeySequence::Undo);
    connect(m_undoAction, &QAction::triggered, undo, &QUndoStack::undo);
    m_redoAction = new QAction(this);
    connect(m_redoAction, &QAction::triggered, undo, &QUndoStack::redo);
    for (auto signal : {&QUndoStack::canUndoChanged, &QUndoStack::canRedoChanged})
        connect(undo, signal, this, &MainWindow::updateUndoActions);
    for (auto signal : {&QUndoStack::undoTextChanged, &QUndoStack::redoTextChanged})
        connect(undo, signal, this, &MainWindow::updateUndoActions);
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    QAction* firstEdit = edit->actions().value(0);
    edit->insertAction(firstEdit, m_undoAction);
    edit->insertAction(firstEdit, m_redoAction);
    edit->insertSeparator(firstEdit);

    m_quantizeAction = new QAction(this);
    m_quantizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    connect(m_quantizeAction, &QAction::triggered, this, [this] {
        m_quantPanelDock->show();
        m_quantPanelDock->raise();
    });
    m_importEncodingsAction = new QAction(this);
    connect(m_importEncodingsAction, &QAction::triggered, this, &MainWindow::importEncodingsDialog);
    m_exportEncodingsAction = new QAction(this);
    m_exportEncodingsAction->setShortcut(QKeySequence::Save);
    connect(m_exportEncodingsAction, &QAction::triggered, this, &MainWindow::saveEncodingsDialog);
    QAction* beforeExport = m_exportPngAction;
    file->insertAction(beforeExport, m_importEncodingsAction);
    file->insertAction(beforeExport, m_exportEncodingsAction);
    file->insertSeparator(beforeExport);

    m_toolsMenu = menuBar()->addMenu(QString());
    m_toolsMenu->addAction(m_quantizeAction);
    view->addAction(m_quantPanelDock->toggleViewAction());
    view->addAction(m_quantDock->toggleViewAction());
}

void MainWindow::quantize() {
    QString error;
    std::string input;
    if (auto request = m_quantPanel->request(&error, &input)) {
        quantize(*request);
    } else {
        m_quantPanel->showError(error, input); // where the user looks, not only the status bar
        m_status->setStatus([error] { return error; });
        emit quantizeFailed(error);
    }
}

void MainWindow::quantize(QuantizeRequest request) {
    if (!m_documents->document())
        return;
    if (hasUnsavedEncodings() && m_status->isInteractive() &&
        QMessageBox::question(this, tr("Quantize"),
                              tr("Calibrating again replaces your unsaved encoding edits. "
                                 "Continue?")) != QMessageBox::Yes)
        return;
    m_quantVersion = currentVersion();
    m_quantJob = m_worker->quantizeModel(request);
    m_quantPanel->setRunning(true);
    m_quantPanel->showError({});
    m_quantPanel->showPlan(nullptr);
    m_status->setStatus([file = QFileInfo(request.modelPath).fileName()] {
        return tr("Quantizing %1...").arg(file);
    });
    m_status->trackJob(*m_quantJob);
}

bool MainWindow::onQuantJobEvent(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (job != m_quantJob)
        return false;
    m_status->setStatus(
        [file = QFileInfo(m_documents->document() ? m_documents->document()->path() : QString())
                    .fileName(),
         progress = m_status->progress(fraction, stage)] {
            return StatusReporter::progressStatus(tr("Quantizing %1: %2").arg(file), progress);
        });
    return true;
}

void MainWindow::onQuantizeFinished(EngineWorker::JobId job, const QuantResult& result) {
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
    if (m_quantVersion != currentVersion())
        return; // another model was opened meanwhile: the result stays with its version

    m_reanalyzeJob.reset(); // the calibration's numbers are newer
    m_quantView->setResult(result.report, *result.encodings, result.histograms, version.nodeMap(),
                           result.randomData);
    m_quantPanel->showPlan(result.plan.get());
    updateExportActions();
    if (!m_quantDock->isVisible()) {
        m_quantDock->show();
        resizeDocks({m_quantDock}, {height() * 9 / 20}, Qt::Vertical);
    }
    m_quantDock->raise();
    updateHeatMap();
    const report::QuantReport& r = *result.report;
    const int promoted = result.plan ? static_cast<int>(result.plan->steps.size()) - 1 : -1;
    m_status->setStatus([file = QFileInfo(m_documents->document()->path()).fileName(),
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

void MainWindow::onRemeasureRequested(const QString& tensor,
                                      std::shared_ptr<const quant::EncodingSet> encodings,
                                      bool preview) {
    const auto version = currentVersion();
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

bool MainWindow::isRemeasureJob(EngineWorker::JobId job) const {
    return std::any_of(m_remeasureJobs.begin(), m_remeasureJobs.end(),
                       [job](const auto& entry) { return entry.second == job; });
}

void MainWindow::onRemeasured(EngineWorker::JobId job, const RemeasureResult& result) {
    const auto it = m_remeasureJobs.find(result.tensor);
    if (it == m_remeasureJobs.end() || it->second != job)
        return;
    m_quantView->applyRemeasure(result.tensor, result.probe, result.elapsedMs, result.preview);
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

void MainWindow::reanalyzeEncodings() {
    const auto version = currentVersion();
    const std::shared_ptr<quant::EncodingProbe> probe = version ? version->probe() : nullptr;
    if (!probe) {
        m_quantView->dropNumbers([] {
            return tr("No calibration data: these encodings cannot be measured. Quantize the "
                      "model (Tools > Quantize...) to see their per-layer error.");
        });
        return;
    }
    m_quantView->dropNumbers([samples = static_cast<int>(probe->sampleCount())] {
        return tr("Measuring these encodings on the %n calibration sample(s)...", "", samples);
    });
    m_reanalyzeJob = m_worker->reanalyze(probe, std::make_shared<const quant::EncodingSet>(
                                                    m_quantView->encodingsModel()->encodings()));
}

void MainWindow::onReanalyzed(EngineWorker::JobId job, const ReanalysisResult& result) {
    if (job != m_reanalyzeJob)
        return;
    if (const auto version = currentVersion())
        version->setEncodingsReport(*result.encodings, result.report);
    m_quantView->setReport(result.report);
    m_status->setStatus(
        [seconds = result.elapsedMs / 1000.0, sqnr = result.report->outputError.sqnrDb] {
            return tr("Encodings measured in %1 s: output SQNR %2 dB")
                .arg(widgets::UiFormat::fixed(seconds, 1), widgets::UiFormat::decibels(sqnr));
        });
    emit reanalysisShown();
}

bool MainWindow::updateQuantOverlay() {
    if (!m_quantView || !m_quantView->overlayEnabled() || !m_quantDock->isVisible() ||
        !m_documents->document())
        return false;
    QHash<ir::NodeId, QColor> overlay = m_quantView->sqnrOverlay();
    const QColor unquantized(0xe4, 0xe4, 0xe4);
    for (ir::NodeId id : m_documents->document()->graph()->nodeIds())
        if (!overlay.contains(id))
            overlay.insert(id, unquantized);
    QList<QPair<QString, QColor>> legend = widgets::QuantView::sqnrLegend();
    legend.append({tr("no quantized tensor"), unquantized});
    m_view->setNodeOverlay(overlay, legend);
    return true;
}

bool MainWindow::hasUnsavedEncodings() const {
    return m_quantView && m_quantView->encodingsModel()->isModified();
}

bool MainWindow::exportEncodings(const QString& path, quant::EncodingsFormat format) {
    widgets::EncodingsTableModel* model = m_quantView->encodingsModel();
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
    if (const auto version = currentVersion())
        version->setEncodingsSaved(path.toStdString(), format);
    m_settings.setExportDirectory(QFileInfo(path).absolutePath());
    model->setSaved();
    m_status->setStatus([path] { return tr("Encodings written to %1").arg(path); });
    return true;
}

bool MainWindow::saveEncodingsDialog() {
    if (!m_documents->document())
        return false;
    const QString v100 = tr("QNN/AIMET encodings 1.0.0 (*.json)");
    const QString v061 = tr("QNN/AIMET encodings 0.6.1 (*.json)");
    const project::EncodingsVersion* current = m_documents->document()->version->currentEncodings();
    const QString file = current ? QString::fromStdString(current->file) : QString();
    QString filter = current && current->format == quant::EncodingsFormat::V061 ? v061 : v100;
    const QString start =
        file.isEmpty()
            ? QDir(m_settings.exportDirectory(m_documents->document()->path()))
                  .filePath(QFileInfo(m_documents->document()->path()).completeBaseName() +
                            QStringLiteral("_encodings.json"))
            : file;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Encodings"), start,
                                                      v100 + QStringLiteral(";;") + v061, &filter);
    if (path.isEmpty())
        return false;
    return exportEncodings(path, filter == v061 ? quant::EncodingsFormat::V061
                                                : quant::EncodingsFormat::V100);
}

bool MainWindow::importEncodings(const QString& path) {
    if (!m_documents->document())
        return false;
    const QString fileName = QFileInfo(path).fileName();
    const QString modelName = QFileInfo(m_documents->document()->path()).fileName();
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
        m_importCheck = quant::checkEncodings(set, *m_documents->document()->graph());
    } catch (const Error& e) {
        m_importCheck.reset();
        return refuse(QString::fromStdString(e.what()));
    }
    const quant::EncodingsCheck& check = *m_importCheck;
    const QString refusal = EncodingsImportDialog::refusalText(check, fileName, modelName);
    if (!refusal.isEmpty())
        return refuse(refusal);
    if (!check.isClean() && m_status->isInteractive()) {
        EncodingsImportDialog dialog(check, fileName, modelName, this);
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
    m_documents->document()->version->addEncodings(std::move(imported)); // before the table's reset
    m_quantView->encodingsModel()->setEncodings(kept);
    m_quantDock->show();
    m_quantDock->raise();
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

void MainWindow::importEncodingsDialog() {
    if (!m_documents->document() || !confirmEncodingsClose())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Encodings"), QFileInfo(m_documents->document()->path()).absolutePath(),
        tr("Encodings (*.json *.encodings);;All files (*)"));
    if (!path.isEmpty())
        importEncodings(path);
}

bool MainWindow::confirmEncodingsClose() {
    if (!hasUnsavedEncodings())
        return true;
    if (!m_status->isInteractive())
        return true; // the autosave keeps them
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Encodings"),
        tr("The encodings have unsaved edits. Save them before continuing?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        const auto version = currentVersion();
        const project::EncodingsVersion* current = version ? version->currentEncodings() : nullptr;
        return !current || current->file.empty()
                   ? saveEncodingsDialog()
                   : exportEncodings(QString::fromStdString(current->file), current->format);
    }
    m_quantView->encodingsModel()->setSaved(); // discarded on purpose: drop the autosave
    return true;
}

void MainWindow::offerEncodingsRecovery(std::optional<bool> answer) {
    const auto pending = m_autosave->pending();
    if (!pending)
        return;
    if (!answer)
        answer = QMessageBox::question(
                     this, tr("Recover Encodings"),
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

void MainWindow::recoverEncodings(const QString& modelPath, quant::EncodingSet encodings) {
    if (!m_documents->document() ||
        QFileInfo(m_documents->document()->path()) != QFileInfo(modelPath)) {
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
    m_documents->document()->version->addEncodings(
        std::move(recovered)); // before the table's reset
    m_quantView->encodingsModel()->setEncodings(encodings, /*modified=*/true);
    m_autosave->schedule(modelPath, encodings);
    m_quantDock->show();
    m_quantDock->raise();
    reanalyzeEncodings();
    m_status->setStatus([file = QFileInfo(modelPath).fileName()] {
        return tr("Recovered unsaved encodings for %1; export them to keep them.").arg(file);
    });
    emit encodingsRecovered();
}

} // namespace lb::app
