#include "app/main_window.h"

#include "app/input_shapes.h"
#include "app/notice_bar.h"
#include "app/progress_stage.h"
#include "app/quant_panel.h"
#include "app/run_panel.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_view.h"
#include "widgets/profile_charts.h"
#include "widgets/profile_view.h"
#include "widgets/properties_pane.h"
#include "widgets/quant_view.h"
#include "widgets/search_bar.h"
#include "widgets/summary_pane.h"
#include "widgets/tr_label.h"
#include "widgets/ui_format.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>
#include <utility>

// lb_app is a static library: its .qrc needs an explicit initialisation.
static void initAppResources() {
    Q_INIT_RESOURCE(layerbench);
}

namespace lb::app {

MainWindow::MainWindow(bool restoreSession, QWidget* parent)
    : QMainWindow(parent), m_recent(m_settings.recentFiles()) {
    initAppResources();
    setWindowIcon(QIcon(QStringLiteral(":/layerbench/layerbench.svg")));
    setAcceptDrops(true);
    resize(1280, 800);

    m_worker = new EngineWorker(this);
    connect(m_worker, &EngineWorker::jobStarted, this,
            [this](EngineWorker::JobId job, const QString&) { onJobStarted(job); });
    connect(m_worker, &EngineWorker::jobProgress, this, &MainWindow::onJobProgress);
    connect(m_worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                onJobFailed(job, message);
            });
    connect(m_worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) { onJobFinished(job); });
    connect(m_worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_openJob)
                    setStatus([] { return tr("Opening cancelled."); });
                if (job == m_runJob)
                    setStatus([] { return tr("Run cancelled."); });
                if (job == m_quantJob)
                    setStatus([] { return tr("Quantization cancelled."); });
                if (job == m_qdqJob)
                    setStatus([] { return tr("QDQ export cancelled."); });
            });
    connect(m_worker, &EngineWorker::modelOpened, this, &MainWindow::onModelOpened);
    connect(m_worker, &EngineWorker::sceneRebuilt, this, &MainWindow::onSceneRebuilt);
    connect(m_worker, &EngineWorker::runFinished, this, &MainWindow::onRunFinished);

    m_inputShapes = new InputShapes(this);
    createCentralArea();
    createDocks();
    createQuantUi();
    createActions();
    createMenus();
    createStatusBar();
    retranslateUi();
    if (restoreSession) {
        restoreGeometry(m_settings.windowGeometry());
        restoreState(m_settings.windowState());
    }
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow() {
    // ~QWidget deletes the docks and views after this class's members are gone; what they emit on
    // the way (the Quantization dock's visibilityChanged -> updateHeatMap) must not reach it.
    for (QObject* child : findChildren<QObject*>())
        child->disconnect(this);
}

void MainWindow::createCentralArea() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_notice = new NoticeBar(central);
    connect(m_notice, &NoticeBar::actionTriggered, this, &MainWindow::setInputShapes);
    layout->addWidget(m_notice);
    m_search = new widgets::SearchBar(central);
    m_search->hide();
    layout->addWidget(m_search);
    m_view = new widgets::GraphView(central);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

    m_view->viewport()->installEventFilter(this);
    connect(m_view, &widgets::GraphView::nodeSelected, this, &MainWindow::onNodeSelected);
    // kNoNode: the query matches nothing now; the hit it selected before must not stay selected.
    // Outlines another view asked for belong to its selection, not to the search's.
    connect(m_search, &widgets::SearchBar::nodeRequested, this, [this](ir::NodeId id) {
        m_view->setHighlightedNodes({});
        m_view->selectNode(id, true);
    });
}

void MainWindow::createDocks() {
    m_properties = new widgets::PropertiesPane(this);
    m_propertiesDock = new QDockWidget(this);
    m_propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    m_propertiesDock->setWidget(m_properties);
    addDockWidget(Qt::RightDockWidgetArea, m_propertiesDock);

    m_summary = new widgets::SummaryPane(this);
    m_summaryDock = new QDockWidget(this);
    m_summaryDock->setObjectName(QStringLiteral("summaryDock"));
    m_summaryDock->setWidget(m_summary);
    addDockWidget(Qt::RightDockWidgetArea, m_summaryDock);
    // Tabbed so each pane gets the full height; selecting a node raises Properties.
    tabifyDockWidget(m_summaryDock, m_propertiesDock);

    m_runPanel = new RunPanel(m_inputShapes, this);
    m_runDock = new QDockWidget(this);
    m_runDock->setObjectName(QStringLiteral("runDock"));
    m_runDock->setWidget(m_runPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_runDock);
    tabifyDockWidget(m_propertiesDock, m_runDock);
    m_summaryDock->raise();
    connect(m_runPanel, &RunPanel::runRequested, this, &MainWindow::runProfile);

    m_profileView = new widgets::ProfileView(this);
    m_profileDock = new QDockWidget(this);
    m_profileDock->setObjectName(QStringLiteral("profileDock"));
    m_profileDock->setWidget(m_profileView);
    addDockWidget(Qt::BottomDockWidgetArea, m_profileDock);
    m_profileDock->hide(); // shown by the first run
    connect(m_profileView, &widgets::ProfileView::nodesRequested, this,
            &MainWindow::onNodesRequested);
    connect(m_profileView, &widgets::ProfileView::heatMapToggled, this, &MainWindow::updateHeatMap);
    resizeDocks({m_summaryDock}, {440}, Qt::Horizontal);
}

void MainWindow::openModel(const QString& path, const std::map<std::string, Shape>& inputShapes) {
    if (!m_pendingRecovery && !confirmEncodingsClose())
        return;
    // Shapes given here (the command line's --shape, Set Input Shapes) win over remembered ones.
    if (!inputShapes.empty()) {
        startOpen(path, inputShapes, false);
        return;
    }
    const std::map<std::string, Shape> remembered = InputShapes::remembered(path);
    startOpen(path, remembered, !remembered.empty());
}

void MainWindow::startOpen(const QString& path, const std::map<std::string, Shape>& inputShapes,
                           bool remembered) {
    m_openingRemembered = remembered;
    m_openingPath = path;
    m_openClock.start();
    m_sceneShownAtMs = -1;
    m_openJob = m_worker->openModel(path, inputShapes, sceneOptions());
    setStatus([file = QFileInfo(path).fileName()] { return tr("Opening %1...").arg(file); });
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    updateActions();
}

void MainWindow::onJobStarted(EngineWorker::JobId job) {
    if (job == m_openJob || job == m_runJob || job == m_quantJob || job == m_qdqJob) {
        m_progress->setValue(0);
        m_jobProgress.reset(std::chrono::steady_clock::now());
    }
}

MainWindow::ProgressText MainWindow::trackProgress(double fraction, const QString& stage) {
    const auto now = std::chrono::steady_clock::now();
    m_jobProgress.update(fraction, stage.toStdString(), now);
    ProgressText text;
    // The stage to show: a step nested in a longer one ("kernels" inside "sensitivity runs")
    // leaves the longer one on screen, as the CLI does.
    text.stage = QString::fromStdString(m_jobProgress.current());
    if (const auto left = m_jobProgress.remaining(now))
        text.left = QString::fromStdString(clockText(*left));
    return text;
}

QString MainWindow::progressStatus(const QString& sentence, const ProgressText& progress) {
    const QString stage = ProgressStage::text(progress.stage);
    return progress.left.isEmpty()
               ? sentence.arg(stage)
               : tr("%1 (about %2 left)").arg(sentence.arg(stage), progress.left);
}

void MainWindow::onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (onQuantJobEvent(job, fraction, stage))
        return;
    if (job == m_qdqJob) {
        m_progress->setValue(static_cast<int>(fraction * 100.0)); // the status names the file
        return;
    }
    if (job == m_runJob && !m_openJob) {
        m_progress->setValue(static_cast<int>(fraction * 100.0));
        setStatus([file = QFileInfo(m_document ? m_document->path() : QString()).fileName(),
                   progress = trackProgress(fraction, stage)] {
            return progressStatus(tr("Running %1: %2").arg(file), progress);
        });
        return;
    }
    if (job != m_openJob)
        return;
    m_progress->setValue(static_cast<int>(fraction * 100.0));
    setStatus(
        [file = QFileInfo(m_openingPath).fileName(), progress = trackProgress(fraction, stage)] {
            return progressStatus(tr("Opening %1: %2").arg(file), progress);
        });
}

void MainWindow::onJobFinished(EngineWorker::JobId job) {
    if (job == m_runJob) {
        m_runJob.reset();
        m_runPanel->setRunning(false);
    } else if (job == m_openJob) {
        m_openJob.reset();
    } else if (job == m_quantJob) {
        m_quantJob.reset();
        m_quantPanel->setRunning(false);
    } else if (job == m_qdqJob) {
        m_qdqJob.reset();
    } else {
        std::erase_if(m_remeasureJobs, [job](const auto& entry) { return entry.second == job; });
        if (job == m_reanalyzeJob)
            m_reanalyzeJob.reset();
        return;
    }
    if (!m_openJob && !m_runJob && !m_quantJob && !m_qdqJob) {
        m_progress->hide();
        m_cancel->hide();
    }
    updateActions();
}

void MainWindow::onJobFailed(EngineWorker::JobId job, const QString& message) {
    // The engine's message names the node or tensor at fault (in English: the engine is Qt-free);
    // the GUI says in the UI language what failed around it.
    if (job == m_runJob) {
        setStatus([message] { return tr("The run failed: %1").arg(message); });
        m_runPanel->showError(tr("The run failed: %1").arg(message));
        emit runFailed(message);
        return;
    }
    if (job == m_qdqJob) {
        setStatus([message] { return message; });
        showError(tr("QDQ Export Failed"), message);
        emit exportFailed(message);
        return;
    }
    if (job == m_quantJob || isRemeasureJob(job) || job == m_reanalyzeJob) {
        setStatus([message] { return tr("Quantization failed: %1").arg(message); });
        for (const auto& [tensor, remeasure] : m_remeasureJobs)
            if (remeasure == job)
                m_quantView->remeasureFailed(tensor, message);
        if (job == m_reanalyzeJob)
            m_quantView->dropNumbers([message] {
                return tr("These encodings could not be measured: %1").arg(message.toHtmlEscaped());
            });
        if (job == m_quantJob) {
            m_quantPanel->showError(tr("Quantization failed: %1").arg(message));
            emit quantizeFailed(message);
        }
        return;
    }
    if (job != m_openJob)
        return;
    const QString path = m_openingPath;
    if (m_openingRemembered) {
        // The shapes kept for this file no longer fit it (the model changed): forget them and
        // open it as declared.
        m_settings.setInputShapes(path, {});
        startOpen(path, {}, false);
        return;
    }
    if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(path)) {
        // Its model cannot be opened: apply it to no other model; the autosave stays on disk.
        m_pendingRecovery.reset();
        m_pendingRecoveryPath.clear();
    }
    setStatus([file = QFileInfo(path).fileName(), message] {
        return tr("Cannot open %1: %2").arg(file, message);
    });
    m_recent.remove(path);
    m_settings.setRecentFiles(m_recent.paths());
    rebuildRecentMenu();
    emit openFailed(path, message);
    showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), message);
}

void MainWindow::onModelOpened(EngineWorker::JobId job, const ModelDocument& document) {
    if (job != m_openJob)
        return; // a stale result: the user has asked for something newer since
    // A model opened is a new project; the advisor will add versions of it.
    m_project = project::Project(QFileInfo(document.path()).fileName().toStdString());
    m_project.addVersion(document.version);
    m_document = document;
    updateTitle(); // before a recovery below marks it modified: the new title has the [*]
    m_notice->hide();
    m_view->setScene(document.scene); // picks the opening zoom: fitted, or readable at the top
    m_search->setGraph(document.graph(), !sceneOptions().showConstantNodes);
    m_properties->setGraph(document.graph());
    m_summary->setSummary(*document.version->summary());
    m_inputShapes->setDocument(&*m_document);
    m_runPanel->setDocument(&*m_document);
    m_quantPanel->setModelPath(document.path());
    m_reanalyzeJob.reset(); // a late result of the previous model's is dropped
    m_quantView->clear();
    m_quantView->encodingsModel()->setEncodings({});
    // Moved out before recoverEncodings() runs: it resets m_pendingRecovery, so a reference into
    // it would dangle (issue #10: garbage encodings, runaway allocation).
    if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(document.path())) {
        quant::EncodingSet recovered = std::move(*std::exchange(m_pendingRecovery, std::nullopt));
        recoverEncodings(document.path(), std::move(recovered));
    }
    m_profileView->clear();
    m_view->setNodeOverlay({});
    m_sceneShownAtMs = static_cast<double>(m_openClock.nsecsElapsed()) / 1e6;
    m_view->viewport()->update();

    addRecent(document.path());
    updateActions();
    showOpenedStatus();
    if (!document.warnings.isEmpty())
        m_statusLabel->setToolTip(document.warnings.join(QLatin1Char('\n')));
    offerInputShapes();
}

void MainWindow::showOpenedStatus() {
    const ModelDocument& document = *m_document;
    const double openMs =
        document.timings.importMs + document.timings.summaryMs + document.timings.sceneMs;
    const QString file = QFileInfo(document.path()).fileName();
    const size_t folded = document.scene ? document.scene->foldedConstantCount() : 0;
    const int nodes = m_view->nodeCount();
    if (folded == 0)
        setStatus([file, nodes, openMs] {
            return tr("%1: %2 nodes, %3 ms to open")
                .arg(file, widgets::UiFormat::integer(nodes), widgets::UiFormat::fixed(openMs, 0));
        });
    else
        setStatus([file, nodes, folded, openMs] {
            return tr("%1: %2 nodes drawn, %3 constants shown as weights, %4 ms to open")
                .arg(file, widgets::UiFormat::integer(nodes),
                     widgets::UiFormat::integer(static_cast<int64_t>(folded)),
                     widgets::UiFormat::fixed(openMs, 0));
        });
}

widgets::GraphSceneOptions MainWindow::sceneOptions() const {
    widgets::GraphSceneOptions options;
    options.showConstantNodes = m_settings.showConstantNodes();
    return options;
}

void MainWindow::setShowConstantNodes(bool show) {
    if (show == m_settings.showConstantNodes())
        return;
    m_settings.setShowConstantNodes(show);
    if (m_document && m_document->graph()) {
        m_sceneJobForLanguage = false;
        m_sceneJob = m_worker->rebuildScene(m_document->graph(), sceneOptions());
    }
}

void MainWindow::onSceneRebuilt(EngineWorker::JobId job,
                                std::shared_ptr<const widgets::GraphScene> scene) {
    if (job != m_sceneJob || !m_document)
        return;
    m_sceneJob.reset();
    const ir::NodeId selected = m_properties->node();
    m_document->scene = scene;
    m_view->setScene(std::move(scene));
    m_search->setGraph(m_document->graph(), !sceneOptions().showConstantNodes);
    if (selected != ir::kNoNode)
        m_view->selectNode(selected, true);
    if (!std::exchange(m_sceneJobForLanguage, false))
        showOpenedStatus();
}

std::shared_ptr<project::ModelVersion> MainWindow::currentVersion() const {
    return m_document ? m_document->version : nullptr;
}

void MainWindow::runProfile(const run::RunSpec& spec) {
    if (!m_document)
        return;
    m_runVersion = currentVersion();
    m_runJob = m_worker->runModel(spec);
    m_runPanel->setRunning(true);
    m_runPanel->showError({});
    setStatus([file = QFileInfo(QString::fromStdString(spec.model)).fileName()] {
        return tr("Running %1...").arg(file);
    });
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
}

void MainWindow::onRunFinished(EngineWorker::JobId job, const RunResult& result) {
    if (job != m_runJob || !m_runVersion || !result.report)
        return;
    // The run is the version's; the engine maps its rows (fused kernels) onto the graph.
    const project::Run& run = m_runVersion->addRun(result.spec, result.report);
    if (m_runVersion != currentVersion())
        return; // another model was opened meanwhile: its views stay as they are
    m_profileView->setReport(run.report, run.nodes);
    if (!m_profileDock->isVisible()) {
        m_profileDock->show();
        resizeDocks({m_profileDock}, {height() * 2 / 5}, Qt::Vertical);
    }
    m_profileDock->raise();
    updateHeatMap();
    const report::ProfileReport& r = *result.report;
    setStatus([file = QFileInfo(m_document->path()).fileName(), mean = r.latencyMs.mean,
               p95 = r.latencyMs.p95, runs = r.iterations, layers = r.nodes.size()] {
        return tr("%1: %2 ms mean, %3 ms p95 over %4 runs (%5 layers after passes)")
            .arg(file, widgets::UiFormat::fixed(mean, 2), widgets::UiFormat::fixed(p95, 2))
            .arg(runs)
            .arg(layers);
    });
    updateExportActions();
    emit profileShown();
}

void MainWindow::updateHeatMap() {
    if (updateQuantOverlay())
        return;
    if (!m_profileView->report() || !m_profileView->heatMapEnabled() || !m_document) {
        m_view->setNodeOverlay({});
        return;
    }
    QHash<ir::NodeId, QColor> overlay = m_profileView->heatOverlay();
    // Nodes the run did not time (folded or removed by the passes) stay neutral.
    const QColor untimed(0xe4, 0xe4, 0xe4);
    for (ir::NodeId id : m_document->graph()->nodeIds())
        if (!overlay.contains(id))
            overlay.insert(id, untimed);
    QList<QPair<QString, QColor>> legend = widgets::ProfileCharts::heatLegend();
    legend.append({tr("not timed (folded by the passes)"), untimed});
    m_view->setNodeOverlay(overlay, legend);
}

void MainWindow::onNodesRequested(const QList<ir::NodeId>& nodes) {
    if (nodes.isEmpty())
        return;
    m_view->selectNode(nodes.front(), true);
    m_view->setHighlightedNodes(nodes);
}

void MainWindow::offerInputShapes() {
    const QStringList symbolic = m_document->symbolicInputs();
    if (symbolic.isEmpty())
        return;
    m_notice->showNotice(tr("Inputs with symbolic dimensions (%1): shapes and MAC counts that "
                            "depend on them are unknown.")
                             .arg(symbolic.join(QStringLiteral(", "))),
                         tr("Set Input Shapes..."));
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_view->viewport() && event->type() == QEvent::Paint && m_sceneShownAtMs >= 0) {
        // The paint runs right after this filter; the zero timer fires once it is on screen and
        // the event loop is free again, i.e. when the window is interactive.
        QTimer::singleShot(0, this, &MainWindow::onFirstPaint);
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::onFirstPaint() {
    if (m_sceneShownAtMs < 0 || !m_document)
        return;
    const double totalMs = static_cast<double>(m_openClock.nsecsElapsed()) / 1e6;
    const double firstPaintMs = totalMs - m_sceneShownAtMs;
    m_sceneShownAtMs = -1;
    emit documentShown(*m_document, firstPaintMs, totalMs);
}

void MainWindow::onNodeSelected(ir::NodeId id) {
    m_properties->setNode(id);
    if (id != ir::kNoNode)
        m_propertiesDock->raise();
}

void MainWindow::showError(const QString& title, const QString& message) {
    if (m_interactive)
        QMessageBox::warning(this, title, message);
}

void MainWindow::updateTitle() {
    if (m_document)
        setWindowTitle(tr("%1[*] - LayerBench").arg(QFileInfo(m_document->path()).fileName()));
    else
        setWindowTitle(tr("LayerBench"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!confirmEncodingsClose()) {
        event->ignore();
        return;
    }
    m_worker->cancelAll();
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile() &&
            url.toLocalFile().endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive)) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    for (const QUrl& url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (url.isLocalFile() && path.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive)) {
            event->acceptProposedAction();
            openModel(path);
            return;
        }
    }
}

} // namespace lb::app
