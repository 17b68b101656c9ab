#include "app/main_window.h"

#include "app/notice_bar.h"
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
                    m_statusLabel->setText(tr("Opening cancelled."));
                if (job == m_runJob)
                    m_statusLabel->setText(tr("Run cancelled."));
                if (job == m_quantJob)
                    m_statusLabel->setText(tr("Quantization cancelled."));
            });
    connect(m_worker, &EngineWorker::modelOpened, this, &MainWindow::onModelOpened);
    connect(m_worker, &EngineWorker::sceneRebuilt, this, &MainWindow::onSceneRebuilt);
    connect(m_worker, &EngineWorker::runFinished, this, &MainWindow::onRunFinished);

    createCentralArea();
    createDocks();
    createQuantUi();
    createActions();
    createMenus();
    createStatusBar();
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
    m_propertiesDock = new QDockWidget(tr("Properties"), this);
    m_propertiesDock->setObjectName(QStringLiteral("propertiesDock"));
    m_propertiesDock->setWidget(m_properties);
    addDockWidget(Qt::RightDockWidgetArea, m_propertiesDock);

    m_summary = new widgets::SummaryPane(this);
    m_summaryDock = new QDockWidget(tr("Summary"), this);
    m_summaryDock->setObjectName(QStringLiteral("summaryDock"));
    m_summaryDock->setWidget(m_summary);
    addDockWidget(Qt::RightDockWidgetArea, m_summaryDock);
    // Tabbed so each pane gets the full height; selecting a node raises Properties.
    tabifyDockWidget(m_summaryDock, m_propertiesDock);

    m_runPanel = new RunPanel(this);
    m_runDock = new QDockWidget(tr("Run"), this);
    m_runDock->setObjectName(QStringLiteral("runDock"));
    m_runDock->setWidget(m_runPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_runDock);
    tabifyDockWidget(m_propertiesDock, m_runDock);
    m_summaryDock->raise();
    connect(m_runPanel, &RunPanel::runRequested, this, &MainWindow::runProfile);

    m_profileView = new widgets::ProfileView(this);
    m_profileDock = new QDockWidget(tr("Profile"), this);
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
    onnx::ImportOptions options;
    options.inputShapes = inputShapes;
    m_openingPath = path;
    m_openClock.start();
    m_sceneShownAtMs = -1;
    m_openJob = m_worker->openModel(path, options, sceneOptions());
    m_statusLabel->setText(tr("Opening %1...").arg(QFileInfo(path).fileName()));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    updateActions();
}

void MainWindow::onJobStarted(EngineWorker::JobId job) {
    if (job == m_openJob || job == m_runJob || job == m_quantJob)
        m_progress->setValue(0);
}

void MainWindow::onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (onQuantJobEvent(job, fraction, stage))
        return;
    if (job == m_runJob && !m_openJob) {
        m_progress->setValue(static_cast<int>(fraction * 100.0));
        m_statusLabel->setText(
            tr("Running %1: %2")
                .arg(QFileInfo(m_document ? m_document->path : QString()).fileName(),
                     stageText(stage)));
        return;
    }
    if (job != m_openJob)
        return;
    m_progress->setValue(static_cast<int>(fraction * 100.0));
    m_statusLabel->setText(
        tr("Opening %1: %2").arg(QFileInfo(m_openingPath).fileName(), stageText(stage)));
}

QString MainWindow::stageText(const QString& stage) const {
    if (stage == QLatin1String("summary"))
        return tr("summarizing");
    if (stage == QLatin1String("layout"))
        return tr("laying out the graph");
    if (stage == QLatin1String("parsing") || stage == QLatin1String("import"))
        return tr("reading the model");
    if (stage.contains(QLatin1String("shape")))
        return tr("inferring shapes");
    if (stage == QLatin1String("warm-up"))
        return tr("warming up");
    if (stage == QLatin1String("timed runs"))
        return tr("timing runs");
    return stage; // engine stage names not listed here are shown as they are
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
    } else {
        std::erase_if(m_remeasureJobs, [job](const auto& entry) { return entry.second == job; });
        if (job == m_reanalyzeJob)
            m_reanalyzeJob.reset();
        return;
    }
    if (!m_openJob && !m_runJob && !m_quantJob) {
        m_progress->hide();
        m_cancel->hide();
    }
    updateActions();
}

void MainWindow::onJobFailed(EngineWorker::JobId job, const QString& message) {
    if (job == m_runJob) {
        m_statusLabel->setText(message);
        m_runPanel->showError(message);
        emit runFailed(message);
        return;
    }
    if (job == m_quantJob || isRemeasureJob(job) || job == m_reanalyzeJob) {
        m_statusLabel->setText(message);
        for (const auto& [tensor, remeasure] : m_remeasureJobs)
            if (remeasure == job)
                m_quantView->remeasureFailed(tensor, message);
        if (job == m_reanalyzeJob)
            m_quantView->dropNumbers(
                tr("These encodings could not be measured: %1").arg(message.toHtmlEscaped()));
        if (job == m_quantJob) {
            m_quantPanel->showError(message);
            emit quantizeFailed(message);
        }
        return;
    }
    if (job != m_openJob)
        return;
    const QString path = m_openingPath;
    if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(path)) {
        // Its model cannot be opened: apply it to no other model; the autosave stays on disk.
        m_pendingRecovery.reset();
        m_pendingRecoveryPath.clear();
    }
    m_statusLabel->setText(message);
    m_recent.remove(path);
    m_settings.setRecentFiles(m_recent.paths());
    rebuildRecentMenu();
    emit openFailed(path, message);
    showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), message);
}

void MainWindow::onModelOpened(EngineWorker::JobId job, const ModelDocument& document) {
    if (job != m_openJob)
        return; // a stale result: the user has asked for something newer since
    m_document = document;
    updateTitle(); // before a recovery below marks it modified: the new title has the [*]
    m_notice->hide();
    m_view->setScene(document.scene); // picks the opening zoom: fitted, or readable at the top
    m_search->setGraph(document.graph, !sceneOptions().showConstantNodes);
    m_properties->setGraph(document.graph);
    m_summary->setSummary(*document.summary);
    m_runPanel->setDocument(&*m_document);
    m_quantPanel->setModelPath(document.path);
    m_probe.reset();
    m_reanalyzeJob.reset(); // a late result of the previous model's is dropped
    m_quantView->clear();
    m_quantView->encodingsModel()->setEncodings({});
    // Moved out before recoverEncodings() runs: it resets m_pendingRecovery, so a reference into
    // it would dangle (issue #10: garbage encodings, runaway allocation).
    if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(document.path)) {
        quant::EncodingSet recovered = std::move(*std::exchange(m_pendingRecovery, std::nullopt));
        recoverEncodings(document.path, std::move(recovered));
    }
    m_profileView->clear();
    m_view->setNodeOverlay({});
    m_sceneShownAtMs = static_cast<double>(m_openClock.nsecsElapsed()) / 1e6;
    m_view->viewport()->update();

    addRecent(document.path);
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
    const QString file = QFileInfo(document.path).fileName();
    const size_t folded = document.scene ? document.scene->foldedConstantCount() : 0;
    if (folded == 0)
        m_statusLabel->setText(tr("%1: %2 nodes, %3 ms to open")
                                   .arg(file)
                                   .arg(m_view->nodeCount())
                                   .arg(openMs, 0, 'f', 0));
    else
        m_statusLabel->setText(
            tr("%1: %2 nodes drawn, %3 constants shown as weights, %4 ms to open")
                .arg(file)
                .arg(m_view->nodeCount())
                .arg(folded)
                .arg(openMs, 0, 'f', 0));
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
    if (m_document && m_document->graph)
        m_sceneJob = m_worker->rebuildScene(m_document->graph, sceneOptions());
}

void MainWindow::onSceneRebuilt(EngineWorker::JobId job,
                                std::shared_ptr<const widgets::GraphScene> scene) {
    if (job != m_sceneJob || !m_document)
        return;
    m_sceneJob.reset();
    const ir::NodeId selected = m_properties->node();
    m_document->scene = scene;
    m_view->setScene(std::move(scene));
    m_search->setGraph(m_document->graph, !sceneOptions().showConstantNodes);
    if (selected != ir::kNoNode)
        m_view->selectNode(selected, true);
    showOpenedStatus();
}

void MainWindow::runProfile(const RunRequest& request) {
    if (!m_document)
        return;
    m_runJob = m_worker->runModel(request);
    m_runPanel->setRunning(true);
    m_runPanel->showError({});
    m_statusLabel->setText(tr("Running %1...").arg(QFileInfo(request.modelPath).fileName()));
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
}

void MainWindow::onRunFinished(EngineWorker::JobId job, const RunResult& result) {
    if (job != m_runJob || !m_document || !result.report)
        return;
    // Report nodes carry the optimized graph's names; fused ones list their originals.
    std::vector<std::vector<ir::NodeId>> originals;
    originals.reserve(result.originalNames.size());
    for (const std::vector<std::string>& names : result.originalNames) {
        std::vector<ir::NodeId> ids;
        for (const std::string& name : names)
            if (const auto id = m_document->graph->findNode(name))
                ids.push_back(*id);
        originals.push_back(std::move(ids));
    }
    m_profileView->setReport(result.report, std::move(originals));
    if (!m_profileDock->isVisible()) {
        m_profileDock->show();
        resizeDocks({m_profileDock}, {height() * 2 / 5}, Qt::Vertical);
    }
    m_profileDock->raise();
    updateHeatMap();
    const report::ProfileReport& r = *result.report;
    m_statusLabel->setText(tr("%1: %2 ms mean, %3 ms p95 over %4 runs (%5 layers after passes)")
                               .arg(QFileInfo(m_document->path).fileName())
                               .arg(r.latencyMs.mean, 0, 'f', 2)
                               .arg(r.latencyMs.p95, 0, 'f', 2)
                               .arg(r.iterations)
                               .arg(result.optimizedNodes));
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
    for (ir::NodeId id : m_document->graph->nodeIds())
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
        setWindowTitle(tr("%1[*] - LayerBench").arg(QFileInfo(m_document->path).fileName()));
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
