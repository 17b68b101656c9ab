// The quantization parts of the main window: the Quantize panel and view, encodings import and
// export, undo/redo, autosave and recovery, and the SQNR overlay.
#include "app/main_window.h"
#include "app/quant_autosave.h"
#include "app/quant_panel.h"
#include "app/run_panel.h"
#include "core/error.h"
#include "quant/name_check.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_view.h"
#include "widgets/quant_view.h"

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
    m_quantPanel = new QuantPanel(this);
    m_quantPanelDock = new QDockWidget(tr("Quantize"), this);
    m_quantPanelDock->setObjectName(QStringLiteral("quantPanelDock"));
    m_quantPanelDock->setWidget(m_quantPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_quantPanelDock);
    tabifyDockWidget(m_runDock, m_quantPanelDock);
    m_summaryDock->raise();
    connect(m_quantPanel, &QuantPanel::quantizeRequested, this,
            qOverload<QuantizeRequest>(&MainWindow::quantize));

    m_quantView = new widgets::QuantView(this);
    m_quantDock = new QDockWidget(tr("Quantization"), this);
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
        if (model->isModified() && m_document)
            m_autosave->schedule(m_document->path, model->encodings());
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
    QUndoStack* undo = m_quantView->encodingsModel()->undoStack();
    m_undoAction = undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    QAction* firstEdit = edit->actions().value(0);
    edit->insertAction(firstEdit, m_undoAction);
    edit->insertAction(firstEdit, m_redoAction);
    edit->insertSeparator(firstEdit);

    m_quantizeAction = new QAction(tr("&Quantize..."), this);
    m_quantizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    connect(m_quantizeAction, &QAction::triggered, this, [this] {
        m_quantPanelDock->show();
        m_quantPanelDock->raise();
    });
    m_importEncodingsAction = new QAction(tr("&Import Encodings..."), this);
    connect(m_importEncodingsAction, &QAction::triggered, this, &MainWindow::importEncodingsDialog);
    m_exportEncodingsAction = new QAction(tr("E&xport Encodings..."), this);
    m_exportEncodingsAction->setShortcut(QKeySequence::Save);
    connect(m_exportEncodingsAction, &QAction::triggered, this, &MainWindow::saveEncodingsDialog);
    QAction* beforeExport = m_exportPngAction;
    file->insertAction(beforeExport, m_importEncodingsAction);
    file->insertAction(beforeExport, m_exportEncodingsAction);
    file->insertSeparator(beforeExport);

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(m_quantizeAction);
    QAction* panelToggle = m_quantPanelDock->toggleViewAction();
    panelToggle->setText(tr("&Quantize Panel"));
    view->addAction(panelToggle);
    QAction* viewToggle = m_quantDock->toggleViewAction();
    viewToggle->setText(tr("&Quantization"));
    view->addAction(viewToggle);
}

void MainWindow::quantize() {
    QString error;
    if (auto request = m_quantPanel->request(&error))
        quantize(*request);
    else
        emit quantizeFailed(error);
}

void MainWindow::quantize(QuantizeRequest request) {
    if (!m_document)
        return;
    if (hasUnsavedEncodings() && m_interactive &&
        QMessageBox::question(this, tr("Quantize"),
                              tr("Calibrating again replaces your unsaved encoding edits. "
                                 "Continue?")) != QMessageBox::Yes)
        return;
    // The shapes the Run panel shows fix symbolic dims (the document's otherwise).
    request.inputShapes = m_document->inputShapes;
    if (const auto run = m_runPanel->request())
        for (const auto& [name, shape] : run->inputShapes)
            request.inputShapes.emplace(name, shape);
    m_quantJob = m_worker->quantizeModel(request);
    m_quantPanel->setRunning(true);
    m_quantPanel->showError({});
    m_statusLabel->setText(tr("Quantizing %1...").arg(QFileInfo(request.modelPath).fileName()));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
}

bool MainWindow::onQuantJobEvent(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (job != m_quantJob)
        return false;
    m_progress->setValue(static_cast<int>(fraction * 100.0));
    m_statusLabel->setText(tr("Quantizing %1: %2")
                               .arg(QFileInfo(m_document ? m_document->path : QString()).fileName(),
                                    stageText(stage)));
    return true;
}

void MainWindow::onQuantizeFinished(EngineWorker::JobId job, const QuantResult& result) {
    if (job != m_quantJob || !m_document || !result.report)
        return;
    m_probe = result.probe;
    m_reanalyzeJob.reset(); // the calibration's numbers are newer
    m_quantView->setResult(result.report, *result.encodings, result.histograms, result.graph,
                           result.randomData);
    m_encodingsPath.clear();
    if (!m_quantDock->isVisible()) {
        m_quantDock->show();
        resizeDocks({m_quantDock}, {height() * 9 / 20}, Qt::Vertical);
    }
    m_quantDock->raise();
    updateHeatMap();
    const report::QuantReport& r = *result.report;
    m_statusLabel->setText(tr("%1: output SQNR %2 dB, top-1 agreement %3 % (%4 tensors)")
                               .arg(QFileInfo(m_document->path).fileName(),
                                    QString::fromStdString(report::formatDb(r.outputError.sqnrDb)))
                               .arg(r.top1Agreement * 100.0, 0, 'f', 1)
                               .arg(r.tensors.size()));
    emit quantizeShown();
}

void MainWindow::onRemeasureRequested(const QString& tensor,
                                      std::shared_ptr<const quant::EncodingSet> encodings,
                                      bool preview) {
    if (!m_probe)
        return; // imported encodings without a calibration: nothing to measure against
    if (m_reanalyzeJob) {
        // The whole model is being measured: a committed edit measures it again with the edit
        // (replacing the queued one; the running one's result is then dropped), a preview waits.
        if (!preview)
            reanalyzeEncodings();
        return;
    }
    m_remeasureJobs[tensor] = m_worker->remeasure(m_probe, std::move(encodings), tensor, preview);
    if (!preview) // the numbers the status bar shows are about to be replaced
        m_statusLabel->setText(tr("Measuring the edit of %1...").arg(tensor));
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
    m_statusLabel->setText(
        (result.preview ? tr("Preview of %1: output SQNR %2 dB, top-1 agreement %3 %")
                        : tr("%1 edited: output SQNR %2 dB, top-1 agreement %3 %"))
            .arg(result.tensor,
                 QString::fromStdString(report::formatDb(result.probe.outputError.sqnrDb)))
            .arg(result.probe.top1Agreement * 100.0, 0, 'f', 1));
    emit remeasureShown(result.elapsedMs);
}

void MainWindow::reanalyzeEncodings() {
    if (!m_probe) {
        m_quantView->dropNumbers(
            tr("No calibration data: these encodings cannot be measured. Quantize the model "
               "(Tools > Quantize...) to see their per-layer error."));
        return;
    }
    m_quantView->dropNumbers(tr("Measuring these encodings on the %n calibration sample(s)...", "",
                                static_cast<int>(m_probe->sampleCount())));
    m_reanalyzeJob = m_worker->reanalyze(m_probe, std::make_shared<const quant::EncodingSet>(
                                                      m_quantView->encodingsModel()->encodings()));
}

void MainWindow::onReanalyzed(EngineWorker::JobId job, const ReanalysisResult& result) {
    if (job != m_reanalyzeJob)
        return;
    m_quantView->setReport(result.report);
    m_statusLabel->setText(
        tr("Encodings measured in %1 s: output SQNR %2 dB")
            .arg(result.elapsedMs / 1000.0, 0, 'f', 1)
            .arg(QString::fromStdString(report::formatDb(result.report->outputError.sqnrDb))));
    emit reanalysisShown();
}

bool MainWindow::updateQuantOverlay() {
    if (!m_quantView || !m_quantView->overlayEnabled() || !m_quantDock->isVisible() || !m_document)
        return false;
    QHash<ir::NodeId, QColor> overlay = m_quantView->sqnrOverlay();
    const QColor unquantized(0xe4, 0xe4, 0xe4);
    for (ir::NodeId id : m_document->graph->nodeIds())
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
        showError(tr("Export Failed"), QString::fromStdString(e.what()));
        m_statusLabel->setText(QString::fromStdString(e.what()));
        return false;
    }
    m_encodingsPath = path;
    m_encodingsFormat = format;
    m_settings.setExportDirectory(QFileInfo(path).absolutePath());
    model->setSaved();
    m_statusLabel->setText(tr("Encodings written to %1").arg(path));
    return true;
}

bool MainWindow::saveEncodingsDialog() {
    if (!m_document)
        return false;
    const QString v100 = tr("QNN/AIMET encodings 1.0.0 (*.json)");
    const QString v061 = tr("QNN/AIMET encodings 0.6.1 (*.json)");
    QString filter = m_encodingsFormat == quant::EncodingsFormat::V061 ? v061 : v100;
    const QString start = m_encodingsPath.isEmpty()
                              ? QDir(m_settings.exportDirectory(m_document->path))
                                    .filePath(QFileInfo(m_document->path).completeBaseName() +
                                              QStringLiteral("_encodings.json"))
                              : m_encodingsPath;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Encodings"), start,
                                                      v100 + QStringLiteral(";;") + v061, &filter);
    if (path.isEmpty())
        return false;
    return exportEncodings(path, filter == v061 ? quant::EncodingsFormat::V061
                                                : quant::EncodingsFormat::V100);
}

bool MainWindow::importEncodings(const QString& path) {
    if (!m_document)
        return false;
    quant::EncodingSet set;
    try {
        set = quant::readEncodingsFile(path.toStdString());
    } catch (const Error& e) {
        showError(tr("Cannot import %1").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(e.what()));
        m_statusLabel->setText(QString::fromStdString(e.what()));
        return false;
    }
    QStringList problems;
    for (const quant::EncodingIssue& issue : set.issues)
        problems << QString::fromStdString(issue.message);
    for (const quant::EncodingIssue& issue : quant::checkNames(set, *m_document->graph))
        problems << QString::fromStdString(issue.message);
    m_quantView->encodingsModel()->setEncodings(set);
    m_encodingsPath = path;
    m_encodingsFormat = set.version.rfind("0.", 0) == 0 ? quant::EncodingsFormat::V061
                                                        : quant::EncodingsFormat::V100;
    m_quantDock->show();
    m_quantDock->raise();
    reanalyzeEncodings();
    m_statusLabel->setText(tr("%1: %2 activation and %3 param encodings, %4 problems")
                               .arg(QFileInfo(path).fileName())
                               .arg(set.activations.size())
                               .arg(set.params.size())
                               .arg(problems.size()));
    if (!problems.isEmpty()) {
        m_statusLabel->setToolTip(problems.join(QLatin1Char('\n')));
        if (m_interactive)
            QMessageBox::warning(this, tr("Encodings Problems"), problems.join(QLatin1Char('\n')));
    }
    return true;
}

void MainWindow::importEncodingsDialog() {
    if (!m_document || !confirmEncodingsClose())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Encodings"), QFileInfo(m_document->path).absolutePath(),
        tr("Encodings (*.json *.encodings);;All files (*)"));
    if (!path.isEmpty())
        importEncodings(path);
}

bool MainWindow::confirmEncodingsClose() {
    if (!hasUnsavedEncodings())
        return true;
    if (!m_interactive)
        return true; // the autosave keeps them
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Encodings"),
        tr("The encodings have unsaved edits. Save them before continuing?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return m_encodingsPath.isEmpty() ? saveEncodingsDialog()
                                         : exportEncodings(m_encodingsPath, m_encodingsFormat);
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
    if (!m_document || QFileInfo(m_document->path) != QFileInfo(modelPath)) {
        m_pendingRecovery = std::move(encodings);
        m_pendingRecoveryPath = modelPath;
        // Already being opened (from the command line): let that open finish, it has the input
        // shapes the command line gave.
        if (!m_openJob || QFileInfo(m_openingPath) != QFileInfo(modelPath))
            openModel(modelPath);
        return;
    }
    m_pendingRecovery.reset();
    m_pendingRecoveryPath.clear();
    m_quantView->encodingsModel()->setEncodings(encodings, /*modified=*/true);
    m_autosave->schedule(modelPath, encodings);
    m_quantDock->show();
    m_quantDock->raise();
    reanalyzeEncodings();
    m_statusLabel->setText(tr("Recovered unsaved encodings for %1; export them to keep them.")
                               .arg(QFileInfo(modelPath).fileName()));
    emit encodingsRecovered();
}

} // namespace lb::app
