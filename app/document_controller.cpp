#include "app/document_controller.h"

#include "app/app_settings.h"
#include "app/input_shapes.h"
#include "app/input_shapes_dialog.h"
#include "app/notice_bar.h"
#include "app/status_reporter.h"
#include "widgets/graph_view.h"
#include "widgets/properties_pane.h"
#include "widgets/search_bar.h"
#include "widgets/summary_pane.h"
#include "widgets/ui_format.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>

namespace lb::app {

DocumentController::DocumentController(EngineWorker* worker, AppSettings* settings,
                                       StatusReporter* status, const Views& views, QObject* parent)
    : QObject(parent), m_worker(worker), m_settings(settings), m_status(status), m_views(views),
      m_inputShapes(new InputShapes(this)), m_recent(settings->recentFiles()) {
    connect(worker, &EngineWorker::jobProgress, this, &DocumentController::onJobProgress);
    connect(worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                onJobFailed(job, message);
            });
    connect(worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_openJob)
                    m_status->setStatus([] { return tr("Opening cancelled."); });
            });
    connect(worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_openJob)
                    m_openJob.reset();
            });
    connect(worker, &EngineWorker::modelOpened, this, &DocumentController::onModelOpened);
    connect(worker, &EngineWorker::sceneRebuilt, this, &DocumentController::onSceneRebuilt);
    connect(m_views.notice, &NoticeBar::actionTriggered, this,
            &DocumentController::editInputShapes);
    m_views.graph->viewport()->installEventFilter(this);
    m_status->setStatus([] { return tr("Open an ONNX model with File > Open or drop it here."); });
}

std::shared_ptr<project::ModelVersion> DocumentController::version() const {
    return m_document ? m_document->version : nullptr;
}

void DocumentController::open(const QString& path,
                              const std::map<std::string, Shape>& inputShapes) {
    if (m_mayClose && !m_mayClose())
        return;
    // Shapes given here (the command line's --shape, Set Input Shapes) win over remembered ones.
    if (!inputShapes.empty()) {
        startOpen(path, inputShapes, false);
        return;
    }
    const std::map<std::string, Shape> remembered = InputShapes::remembered(path);
    startOpen(path, remembered, !remembered.empty());
}

void DocumentController::startOpen(const QString& path,
                                   const std::map<std::string, Shape>& inputShapes,
                                   bool remembered) {
    m_openingRemembered = remembered;
    m_openingPath = path;
    m_openClock.start();
    m_sceneShownAtMs = -1;
    m_openJob = m_worker->openModel(path, inputShapes, sceneOptions());
    m_status->trackJob(*m_openJob);
    m_status->setStatus(
        [file = QFileInfo(path).fileName()] { return tr("Opening %1...").arg(file); });
}

void DocumentController::onJobProgress(EngineWorker::JobId job, double fraction,
                                       const QString& stage) {
    if (job != m_openJob)
        return;
    m_status->setStatus([file = QFileInfo(m_openingPath).fileName(),
                         progress = m_status->progress(fraction, stage)] {
        return StatusReporter::progressStatus(tr("Opening %1: %2").arg(file), progress);
    });
}

void DocumentController::onJobFailed(EngineWorker::JobId job, const QString& message) {
    if (job != m_openJob)
        return;
    const QString path = m_openingPath;
    if (m_openingRemembered) {
        // The shapes kept for this file no longer fit it (the model changed): forget them and
        // open it as declared.
        m_settings->setInputShapes(path, {});
        startOpen(path, {}, false);
        return;
    }
    // The engine's message names the node or tensor at fault (in English: the engine is Qt-free);
    // the GUI says in the UI language what failed around it.
    m_status->setStatus([file = QFileInfo(path).fileName(), message] {
        return tr("Cannot open %1: %2").arg(file, message);
    });
    m_recent.remove(path);
    m_settings->setRecentFiles(m_recent.paths());
    emit recentFilesChanged();
    emit openFailed(path, message);
    m_status->showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), message);
}

void DocumentController::onModelOpened(EngineWorker::JobId job, const ModelDocument& document) {
    if (job != m_openJob)
        return; // a stale result: the user has asked for something newer since
    m_project = project::Project(QFileInfo(document.path()).fileName().toStdString());
    m_project.addVersion(document.version);
    m_document = document;
    m_views.notice->hide();
    m_views.graph->setScene(document.scene); // picks the opening zoom: fitted, or readable
    m_views.search->setGraph(document.graph(), !sceneOptions().showConstantNodes);
    m_views.properties->setGraph(document.graph());
    m_views.summary->setSummary(*document.version->summary());
    m_inputShapes->setDocument(&*m_document);
    emit documentOpened(*m_document);

    m_sceneShownAtMs = static_cast<double>(m_openClock.nsecsElapsed()) / 1e6;
    m_views.graph->viewport()->update();
    addRecent(document.path());
    showOpenedStatus();
    if (!document.warnings.isEmpty())
        m_status->setToolTip(document.warnings.join(QLatin1Char('\n')));
    offerInputShapes();
}

void DocumentController::showOpenedStatus() {
    const ModelDocument& document = *m_document;
    const double openMs = document.timings.importMs + document.timings.hashMs +
                          document.timings.summaryMs + document.timings.sceneMs;
    const QString file = QFileInfo(document.path()).fileName();
    const size_t folded = document.scene ? document.scene->foldedConstantCount() : 0;
    const int nodes = m_views.graph->nodeCount();
    if (folded == 0)
        m_status->setStatus([file, nodes, openMs] {
            return tr("%1: %2 nodes, %3 ms to open")
                .arg(file, widgets::UiFormat::integer(nodes), widgets::UiFormat::fixed(openMs, 0));
        });
    else
        m_status->setStatus([file, nodes, folded, openMs] {
            return tr("%1: %2 nodes drawn, %3 constants shown as weights, %4 ms to open")
                .arg(file, widgets::UiFormat::integer(nodes),
                     widgets::UiFormat::integer(static_cast<int64_t>(folded)),
                     widgets::UiFormat::fixed(openMs, 0));
        });
}

widgets::GraphSceneOptions DocumentController::sceneOptions() const {
    widgets::GraphSceneOptions options;
    options.showConstantNodes = m_settings->showConstantNodes();
    return options;
}

void DocumentController::setShowConstantNodes(bool show) {
    if (show == m_settings->showConstantNodes())
        return;
    m_settings->setShowConstantNodes(show);
    if (m_document && m_document->graph()) {
        m_sceneJobForLanguage = false;
        m_sceneJob = m_worker->rebuildScene(m_document->graph(), sceneOptions());
    }
}

void DocumentController::retranslate() {
    if (m_document && m_views.notice->isVisible())
        offerInputShapes();
    // Node boxes carry words and numbers ("scalar", "B = 0,5"): drawn again, off the GUI thread,
    // in the new language.
    if (m_document && m_document->graph()) {
        m_sceneJob = m_worker->rebuildScene(m_document->graph(), sceneOptions());
        m_sceneJobForLanguage = true;
    }
}

void DocumentController::onSceneRebuilt(EngineWorker::JobId job,
                                        std::shared_ptr<const widgets::GraphScene> scene) {
    if (job != m_sceneJob || !m_document)
        return;
    m_sceneJob.reset();
    const ir::NodeId selected = m_views.properties->node();
    m_document->scene = scene;
    m_views.graph->setScene(std::move(scene));
    m_views.search->setGraph(m_document->graph(), !sceneOptions().showConstantNodes);
    if (selected != ir::kNoNode)
        m_views.graph->selectNode(selected, true);
    if (!std::exchange(m_sceneJobForLanguage, false))
        showOpenedStatus();
}

void DocumentController::offerInputShapes() {
    const QStringList symbolic = m_document->symbolicInputs();
    if (symbolic.isEmpty())
        return;
    m_views.notice->showNotice(tr("Inputs with symbolic dimensions (%1): shapes and MAC counts "
                                  "that depend on them are unknown.")
                                   .arg(symbolic.join(QStringLiteral(", "))),
                               tr("Set Input Shapes..."));
}

bool DocumentController::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_views.graph->viewport() && event->type() == QEvent::Paint &&
        m_sceneShownAtMs >= 0) {
        // The paint runs right after this filter; the zero timer fires once it is on screen and
        // the event loop is free again, i.e. when the window is interactive.
        QTimer::singleShot(0, this, &DocumentController::onFirstPaint);
    }
    return QObject::eventFilter(watched, event);
}

void DocumentController::onFirstPaint() {
    if (m_sceneShownAtMs < 0 || !m_document)
        return;
    const double totalMs = static_cast<double>(m_openClock.nsecsElapsed()) / 1e6;
    const double firstPaintMs = totalMs - m_sceneShownAtMs;
    m_sceneShownAtMs = -1;
    emit documentShown(*m_document, firstPaintMs, totalMs);
}

void DocumentController::addRecent(const QString& path) {
    m_recent.add(path);
    m_settings->setRecentFiles(m_recent.paths());
    m_settings->setLastDirectory(QFileInfo(path).absolutePath());
    emit recentFilesChanged();
}

void DocumentController::clearRecentFiles() {
    m_recent.clear();
    m_settings->setRecentFiles({});
    emit recentFilesChanged();
}

void DocumentController::openRecent(const QString& path) {
    const QStringList missing = m_recent.pruneMissing();
    if (!missing.isEmpty()) {
        m_settings->setRecentFiles(m_recent.paths());
        emit recentFilesChanged();
        QMessageBox::information(
            m_status->window(), tr("Recent Files"),
            tr("These files no longer exist and were removed from the list:\n%1")
                .arg(missing.join(QLatin1Char('\n'))));
        if (missing.contains(path))
            return;
    }
    open(path);
}

void DocumentController::openDialog() {
    const QString path = QFileDialog::getOpenFileName(m_status->window(), tr("Open Model"),
                                                      m_settings->lastDirectory(),
                                                      tr("ONNX models (*.onnx);;All files (*)"));
    if (!path.isEmpty())
        open(path);
}

void DocumentController::editInputShapes() {
    if (!m_document)
        return;
    std::vector<InputShapesDialog::Input> inputs;
    // Starts from the Input shapes field the Run and Quantize panels share.
    for (const auto& [name, declared] : m_document->declaredInputs())
        inputs.push_back({name, declared, m_inputShapes->text(name)});
    InputShapesDialog dialog(inputs, m_status->window());
    if (dialog.exec() == QDialog::Accepted)
        open(m_document->path(), dialog.shapes());
}

} // namespace lb::app
