#include "app/main_window.h"

#include "app/document_controller.h"
#include "app/export_controller.h"
#include "app/notice_bar.h"
#include "app/quant_panel.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "app/status_reporter.h"
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

MainWindow::MainWindow(bool restoreSession, QWidget* parent) : QMainWindow(parent) {
    initAppResources();
    setWindowIcon(QIcon(QStringLiteral(":/layerbench/layerbench.svg")));
    setAcceptDrops(true);
    resize(1280, 800);

    m_worker = new EngineWorker(this);
    m_status = new StatusReporter(m_worker, this);
    connect(m_worker, &EngineWorker::jobProgress, this, &MainWindow::onJobProgress);
    connect(m_worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                onJobFailed(job, message);
            });
    connect(m_worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) { onJobFinished(job); });
    connect(m_worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_quantJob)
                    m_status->setStatus([] { return tr("Quantization cancelled."); });
                if (job == m_qdqJob)
                    m_status->setStatus([] { return tr("QDQ export cancelled."); });
            });

    createCentralArea();
    createDocks();
    createQuantUi();
    createActions();
    createMenus();
    retranslateUi();
    if (restoreSession) {
        restoreGeometry(m_settings.windowGeometry());
        restoreState(m_settings.windowState());
    }
    updateTitle();
    updateActions();
    m_constructed = true;
}

MainWindow::~MainWindow() {
    // ~QWidget deletes the docks and views after this class's members are gone; what they emit on
    // the way (the Quantization dock's visibilityChanged -> updateHeatMap) must not reach it.
    for (QObject* child : findChildren<QObject*>())
        child->disconnect(this);
}

void MainWindow::setInteractive(bool interactive) {
    m_status->setInteractive(interactive);
}

void MainWindow::createCentralArea() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_notice = new NoticeBar(central);
    layout->addWidget(m_notice);
    m_search = new widgets::SearchBar(central);
    m_search->hide();
    layout->addWidget(m_search);
    m_view = new widgets::GraphView(central);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

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

    m_documents =
        new DocumentController(m_worker, &m_settings, m_status,
                               {m_view, m_search, m_properties, m_summary, m_notice}, this);
    m_documents->setCloseCheck([this] { return !!m_pendingRecovery || confirmEncodingsClose(); });
    connect(m_documents, &DocumentController::documentOpened, this, &MainWindow::onDocumentOpened);
    connect(m_documents, &DocumentController::recentFilesChanged, this,
            &MainWindow::rebuildRecentMenu);
    connect(m_documents, &DocumentController::openFailed, this, [this](const QString& path) {
        if (m_pendingRecovery && QFileInfo(m_pendingRecoveryPath) == QFileInfo(path)) {
            // Its model cannot be opened: apply it to no other model; the autosave stays on disk.
            m_pendingRecovery.reset();
            m_pendingRecoveryPath.clear();
        }
    });

    m_runPanel = new RunPanel(m_documents->inputShapes(), this);
    m_runDock = new QDockWidget(this);
    m_runDock->setObjectName(QStringLiteral("runDock"));
    m_runDock->setWidget(m_runPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_runDock);
    tabifyDockWidget(m_propertiesDock, m_runDock);
    m_summaryDock->raise();

    m_profileView = new widgets::ProfileView(this);
    m_profileDock = new QDockWidget(this);
    m_profileDock->setObjectName(QStringLiteral("profileDock"));
    m_profileDock->setWidget(m_profileView);
    addDockWidget(Qt::BottomDockWidgetArea, m_profileDock);
    m_profileDock->hide(); // shown by the first run
    connect(m_profileView, &widgets::ProfileView::nodesRequested, this,
            &MainWindow::onNodesRequested);
    connect(m_profileView, &widgets::ProfileView::heatMapToggled, this, &MainWindow::updateHeatMap);
    m_runs = new RunController(m_worker, m_documents, m_status, m_runPanel, m_profileView, this);
    connect(m_runs, &RunController::profileShown, this, &MainWindow::onProfileShown);
    m_exports = new ExportController(m_documents, m_runs, m_status, &m_settings, m_view, this);
    resizeDocks({m_summaryDock}, {440}, Qt::Horizontal);
}

void MainWindow::onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (onQuantJobEvent(job, fraction, stage))
        return;
    if (job == m_qdqJob)
        m_status->setFraction(fraction); // the status names the file
}

void MainWindow::onJobFinished(EngineWorker::JobId job) {
    if (job == m_quantJob) {
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
    updateActions();
}

void MainWindow::onJobFailed(EngineWorker::JobId job, const QString& message) {
    // The engine's message names the node or tensor at fault (in English: the engine is Qt-free);
    // the GUI says in the UI language what failed around it.
    if (job == m_qdqJob) {
        m_status->setStatus([message] { return message; });
        m_status->showError(tr("QDQ Export Failed"), message);
        emit exportFailed(message);
        return;
    }
    if (job == m_quantJob || isRemeasureJob(job) || job == m_reanalyzeJob) {
        m_status->setStatus([message] { return tr("Quantization failed: %1").arg(message); });
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
    }
}

void MainWindow::onDocumentOpened(const ModelDocument& document) {
    updateTitle(); // before a recovery below marks it modified: the new title has the [*]
    m_runs->showDocument(document);
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
    m_view->setNodeOverlay({});
    updateActions();
}

std::shared_ptr<project::ModelVersion> MainWindow::currentVersion() const {
    return m_documents->version();
}

void MainWindow::onProfileShown() {
    if (!m_profileDock->isVisible()) {
        m_profileDock->show();
        resizeDocks({m_profileDock}, {height() * 2 / 5}, Qt::Vertical);
    }
    m_profileDock->raise();
    updateHeatMap();
    updateExportActions();
}

void MainWindow::updateHeatMap() {
    if (updateQuantOverlay())
        return;
    const ModelDocument* document = m_documents->document();
    if (!m_profileView->report() || !m_profileView->heatMapEnabled() || !document) {
        m_view->setNodeOverlay({});
        return;
    }
    QHash<ir::NodeId, QColor> overlay = m_profileView->heatOverlay();
    // Nodes the run did not time (folded or removed by the passes) stay neutral.
    const QColor untimed(0xe4, 0xe4, 0xe4);
    for (ir::NodeId id : document->graph()->nodeIds())
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

void MainWindow::onNodeSelected(ir::NodeId id) {
    m_properties->setNode(id);
    if (id != ir::kNoNode)
        m_propertiesDock->raise();
}

void MainWindow::updateTitle() {
    if (const ModelDocument* document = m_documents->document())
        setWindowTitle(tr("%1[*] - LayerBench").arg(QFileInfo(document->path()).fileName()));
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
            m_documents->open(path);
            return;
        }
    }
}

} // namespace lb::app
