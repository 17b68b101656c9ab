#include "app/main_window.h"

#include "app/compare_controller.h"
#include "app/document_controller.h"
#include "app/engine_worker.h"
#include "app/export_controller.h"
#include "app/language.h"
#include "app/notice_bar.h"
#include "app/quant_controller.h"
#include "app/quant_panel.h"
#include "app/recent_files.h"
#include "app/run_controller.h"
#include "app/run_panel.h"
#include "app/status_reporter.h"
#include "widgets/compare_view.h"
#include "widgets/encodings_table_model.h"
#include "widgets/graph_view.h"
#include "widgets/profile_charts.h"
#include "widgets/profile_view.h"
#include "widgets/properties_pane.h"
#include "widgets/quant_view.h"
#include "widgets/search_bar.h"
#include "widgets/summary_pane.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QUndoStack>
#include <QVBoxLayout>

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
    createCentralArea();
    createDocks();
    createControllers();
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
    // The controllers go next, newest first. The views, deleted after them, still emit on the way
    // out (the encodings undo stack's indexChanged as it clears), and the quantization controller
    // would answer by reading the document controller, which is older and already gone (ASan:
    // heap-use-after-free in QuantController::document() when a window with edits closed).
    delete m_compare;
    delete m_exports;
    delete m_quant;
    delete m_runs;
    m_compare = nullptr;
    m_exports = nullptr;
    m_quant = nullptr;
    m_runs = nullptr;
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

QDockWidget* MainWindow::addDock(QWidget* widget, const QString& objectName,
                                 Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::createDocks() {
    m_properties = new widgets::PropertiesPane(this);
    m_propertiesDock =
        addDock(m_properties, QStringLiteral("propertiesDock"), Qt::RightDockWidgetArea);
    m_summary = new widgets::SummaryPane(this);
    m_summaryDock = addDock(m_summary, QStringLiteral("summaryDock"), Qt::RightDockWidgetArea);
    // Tabbed so each pane gets the full height; selecting a node raises Properties.
    tabifyDockWidget(m_summaryDock, m_propertiesDock);
    // The panels share the documents controller's input shapes: made with it.
    m_documents =
        new DocumentController(m_worker, &m_settings, m_status,
                               {m_view, m_search, m_properties, m_summary, m_notice}, this);
    m_runPanel = new RunPanel(m_documents->inputShapes(), this);
    m_runDock = addDock(m_runPanel, QStringLiteral("runDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(m_propertiesDock, m_runDock);
    m_quantPanel = new QuantPanel(m_documents->inputShapes(), this);
    m_quantPanelDock =
        addDock(m_quantPanel, QStringLiteral("quantPanelDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(m_runDock, m_quantPanelDock);
    m_summaryDock->raise();

    m_profileView = new widgets::ProfileView(this);
    m_profileDock = addDock(m_profileView, QStringLiteral("profileDock"), Qt::BottomDockWidgetArea);
    m_profileDock->hide(); // shown by the first run
    m_quantView = new widgets::QuantView(this);
    m_quantDock = addDock(m_quantView, QStringLiteral("quantDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_profileDock, m_quantDock);
    m_quantDock->hide(); // shown by the first quantization
    m_compareView = new widgets::CompareView(this);
    m_compareDock = addDock(m_compareView, QStringLiteral("compareDock"), Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_quantDock, m_compareDock);
    m_compareDock->hide(); // shown by Tools > Compare Targets or a comparison
    resizeDocks({m_summaryDock}, {440}, Qt::Horizontal);

    connect(m_profileView, &widgets::ProfileView::nodesRequested, this,
            &MainWindow::onNodesRequested);
    connect(m_profileView, &widgets::ProfileView::heatMapToggled, this, &MainWindow::updateHeatMap);
    connect(m_quantView, &widgets::QuantView::nodesRequested, this, &MainWindow::onNodesRequested);
    connect(m_quantView, &widgets::QuantView::overlayChanged, this, &MainWindow::updateHeatMap);
    connect(m_quantDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateHeatMap);
    connect(m_compareView, &widgets::CompareView::graphColoursChanged, this,
            &MainWindow::updateHeatMap);
    connect(m_compareDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateHeatMap);
}

void MainWindow::createControllers() {
    connect(m_documents, &DocumentController::documentOpened, this, &MainWindow::onDocumentOpened);
    connect(m_documents, &DocumentController::recentFilesChanged, this,
            &MainWindow::rebuildRecentMenu);

    m_runs = new RunController(m_worker, m_documents, m_status, m_runPanel, m_profileView, this);
    connect(m_runs, &RunController::profileShown, this, &MainWindow::onProfileShown);

    m_quant = new QuantController(m_worker, m_documents, m_status, &m_settings, m_quantPanel,
                                  m_quantView, this);
    // Unsaved encodings are asked about before another model replaces them.
    m_documents->setCloseCheck([this] { return m_quant->mayReplaceDocument(); });
    connect(m_quant, &QuantController::quantizeShown, this, &MainWindow::onQuantizeShown);
    connect(m_quant, &QuantController::viewRequested, this, &MainWindow::showQuantView);
    connect(m_quant, &QuantController::exportBusyChanged, this, &MainWindow::updateActions);
    widgets::EncodingsTableModel* encodings = m_quantView->encodingsModel();
    connect(encodings, &widgets::EncodingsTableModel::modifiedChanged, this,
            &MainWindow::setWindowModified);
    // Encodings arrive by calibration, import or recovery: each resets the table's model.
    connect(encodings, &QAbstractItemModel::modelReset, this, &MainWindow::updateActions);

    m_exports = new ExportController(m_documents, m_runs, m_status, &m_settings, m_view, this);

    m_compare = new CompareController(m_worker, m_documents, m_documents->inputShapes(), m_status,
                                      &m_settings, encodings, m_compareView, this);
    connect(m_compare, &CompareController::comparisonShown, this, &MainWindow::onComparisonShown);
}

void MainWindow::createActions() {
    auto action = [this](auto* receiver, auto slot, QKeySequence shortcut = {}) {
        auto* a = new QAction(this);
        a->setShortcut(shortcut);
        connect(a, &QAction::triggered, receiver, slot);
        return a;
    };
    // Texts: retranslateUi.
    m_openAction = action(m_documents, &DocumentController::openDialog, QKeySequence::Open);
    m_inputShapesAction = action(m_documents, &DocumentController::editInputShapes);
    m_importEncodingsAction = action(m_quant, &QuantController::importEncodingsDialog);
    m_exportEncodingsAction =
        action(m_quant, &QuantController::saveEncodingsDialog, QKeySequence::Save);
    m_exportQdqAction = action(m_quant, &QuantController::exportQdqDialog);
    m_saveReportAction = action(m_exports, [this] { m_exports->saveProfileDialog(false); });
    m_saveTraceAction = action(m_exports, [this] { m_exports->saveProfileDialog(true); });
    m_exportPngAction = action(m_exports, [this] { m_exports->exportGraphDialog(false); });
    m_exportSvgAction = action(m_exports, [this] { m_exports->exportGraphDialog(true); });
    m_quitAction = action(this, &QWidget::close, QKeySequence::Quit);

    // Not QUndoStack::createUndoAction: its "Undo" prefix is fixed when made, so it would stay in
    // the language the window started in.
    QUndoStack* undo = m_quantView->encodingsModel()->undoStack();
    m_undoAction = action(undo, &QUndoStack::undo, QKeySequence::Undo);
    m_redoAction = action(undo, &QUndoStack::redo);
    m_redoAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (auto signal : {&QUndoStack::canUndoChanged, &QUndoStack::canRedoChanged})
        connect(undo, signal, this, &MainWindow::updateUndoActions);
    for (auto signal : {&QUndoStack::undoTextChanged, &QUndoStack::redoTextChanged})
        connect(undo, signal, this, &MainWindow::updateUndoActions);
    m_findAction = action(m_search, &widgets::SearchBar::activate, QKeySequence::Find);
    m_findNextAction = action(m_search, &widgets::SearchBar::findNext, QKeySequence(Qt::Key_F3));
    m_findPreviousAction =
        action(m_search, &widgets::SearchBar::findPrevious, QKeySequence(Qt::SHIFT | Qt::Key_F3));

    m_fitAction =
        action(m_view, &widgets::GraphView::fitToView, QKeySequence(Qt::CTRL | Qt::Key_0));
    m_actualSizeAction =
        action(m_view, &widgets::GraphView::zoomToActualSize, QKeySequence(Qt::CTRL | Qt::Key_1));
    m_zoomToSelectionAction =
        action(m_view, &widgets::GraphView::zoomToSelection, QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(m_view, &widgets::GraphView::nodeSelected, this, &MainWindow::updateActions);
    m_zoomInAction = action(m_view, &widgets::GraphView::zoomIn, QKeySequence::ZoomIn);
    m_zoomOutAction = action(m_view, &widgets::GraphView::zoomOut, QKeySequence::ZoomOut);
    m_minimapAction = new QAction(this);
    m_minimapAction->setCheckable(true);
    m_minimapAction->setChecked(m_settings.showMinimap());
    m_view->setMinimapEnabled(m_minimapAction->isChecked());
    connect(m_minimapAction, &QAction::toggled, this, [this](bool show) {
        m_settings.setShowMinimap(show);
        m_view->setMinimapEnabled(show);
    });
    m_showConstantsAction = new QAction(this);
    m_showConstantsAction->setCheckable(true);
    m_showConstantsAction->setChecked(m_settings.showConstantNodes());
    connect(m_showConstantsAction, &QAction::toggled, m_documents,
            &DocumentController::setShowConstantNodes);

    m_quantizeAction = action(
        this,
        [this] {
            m_quantPanelDock->show();
            m_quantPanelDock->raise();
        },
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    m_compareAction =
        action(this, &MainWindow::showCompareView, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    m_aboutAction = action(this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    QMenu* file = m_fileMenu = menuBar()->addMenu(QString());
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(QString());
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_inputShapesAction);
    file->addSeparator();
    file->addActions({m_importEncodingsAction, m_exportEncodingsAction});
    file->addSeparator();
    file->addActions({m_exportQdqAction, m_saveReportAction, m_saveTraceAction});
    file->addSeparator();
    file->addActions({m_exportPngAction, m_exportSvgAction});
    file->addSeparator();
    file->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->addActions({m_undoAction, m_redoAction});
    m_editMenu->addSeparator();
    m_editMenu->addActions({m_findAction, m_findNextAction, m_findPreviousAction});

    QMenu* view = m_viewMenu = menuBar()->addMenu(QString());
    view->addActions({m_fitAction, m_actualSizeAction, m_zoomToSelectionAction, m_zoomInAction,
                      m_zoomOutAction});
    view->addSeparator();
    view->addActions({m_minimapAction, m_showConstantsAction});
    view->addSeparator();
    for (QDockWidget* dock :
         {m_propertiesDock, m_summaryDock, m_runDock, m_profileDock, m_quantPanelDock, m_quantDock,
          m_compareDock})
        view->addAction(dock->toggleViewAction());

    m_toolsMenu = menuBar()->addMenu(QString());
    m_toolsMenu->addActions({m_quantizeAction, m_compareAction});

    m_settingsMenu = menuBar()->addMenu(QString());
    m_languageMenu = m_settingsMenu->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    const QList<QPair<QString, QString>> languages = {
        {AppSettings::kSystemLanguage, QString()},         // translated in retranslateUi
        {QStringLiteral("en"), QStringLiteral("English")}, // language names stay in their own
        {QStringLiteral("es"), QStringLiteral("Español")}, // language so anyone can find theirs
    };
    const QString current = m_settings.language();
    for (const auto& [code, name] : languages) {
        QAction* language = m_languageMenu->addAction(name);
        language->setCheckable(true);
        language->setChecked(code == current);
        language->setData(code);
        m_languageGroup->addAction(language);
        connect(language, &QAction::triggered, this, [this, code = code] { chooseLanguage(code); });
        if (code == AppSettings::kSystemLanguage)
            m_systemLanguageAction = language;
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::retranslateUi() {
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_toolsMenu->setTitle(tr("&Tools"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    // Language names stay in their own language so anyone can find theirs; "System" does not.
    m_systemLanguageAction->setText(tr("System"));

    m_openAction->setText(tr("&Open..."));
    m_inputShapesAction->setText(tr("Set &Input Shapes..."));
    m_importEncodingsAction->setText(tr("&Import Encodings..."));
    m_exportEncodingsAction->setText(tr("E&xport Encodings..."));
    m_exportQdqAction->setText(tr("Export &QDQ Model..."));
    m_exportQdqAction->setStatusTip(
        tr("Write the model with the Encodings table's encodings as QuantizeLinear / "
           "DequantizeLinear pairs (ONNX Runtime, QNN's converter)"));
    m_saveReportAction->setText(tr("Save Profile &Report..."));
    m_saveReportAction->setStatusTip(tr("Write the last run's profile report as JSON"));
    m_saveTraceAction->setText(tr("Save Chrome &Trace..."));
    m_saveTraceAction->setStatusTip(
        tr("Write the last run's timeline for chrome://tracing or Perfetto"));
    m_exportPngAction->setText(tr("Export Graph as &PNG..."));
    m_exportSvgAction->setText(tr("Export Graph as &SVG..."));
    m_quitAction->setText(tr("&Quit"));
    updateUndoActions();
    m_findAction->setText(tr("&Find..."));
    m_findNextAction->setText(tr("Find &Next"));
    m_findPreviousAction->setText(tr("Find &Previous"));
    m_fitAction->setText(tr("&Fit to Window"));
    m_fitAction->setStatusTip(
        tr("Show the whole graph, or its full width from the top when it is too long to read"));
    m_actualSizeAction->setText(tr("&Actual Size"));
    m_actualSizeAction->setStatusTip(tr("Zoom to 100%"));
    m_zoomToSelectionAction->setText(tr("Zoom to &Selection"));
    m_zoomToSelectionAction->setStatusTip(tr("Zoom in on the selected node and centre it"));
    m_zoomInAction->setText(tr("Zoom &In"));
    m_zoomOutAction->setText(tr("Zoom &Out"));
    m_minimapAction->setText(tr("&Minimap"));
    m_minimapAction->setStatusTip(tr("Show an overview of the whole graph in the corner of the "
                                     "graph view while the graph is larger than the window"));
    m_showConstantsAction->setText(tr("Show &Constant Nodes"));
    m_showConstantsAction->setStatusTip(
        tr("Draw every Constant node as a box instead of a weight row of the node it feeds"));
    m_quantizeAction->setText(tr("&Quantize..."));
    m_compareAction->setText(tr("&Compare Targets..."));
    m_compareAction->setStatusTip(tr("Benchmark several targets (CPU fp32, mobile CPU, GPU fp16, "
                                     "NPU int8) on the same inputs, side by side"));
    m_aboutAction->setText(tr("&About LayerBench"));

    // A dock's toggle action takes the dock's title; the menu entries get their own mnemonics.
    const std::pair<QDockWidget*, std::pair<QString, QString>> docks[] = {
        {m_propertiesDock, {tr("Properties"), tr("&Properties")}},
        {m_summaryDock, {tr("Summary"), tr("&Summary")}},
        {m_runDock, {tr("Run"), tr("&Run Panel")}},
        {m_profileDock, {tr("Profile"), tr("P&rofile")}},
        {m_quantPanelDock, {tr("Quantize"), tr("&Quantize Panel")}},
        {m_quantDock, {tr("Quantization"), tr("&Quantization")}},
        {m_compareDock, {tr("Compare"), tr("Compar&e")}},
    };
    for (const auto& [dock, titles] : docks) {
        dock->setWindowTitle(titles.first);
        dock->toggleViewAction()->setText(titles.second);
    }
    m_status->retranslateUi();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList& paths = m_documents->recentFiles().paths();
    for (int i = 0; i < paths.size(); ++i) {
        const QString& path = paths[i];
        QAction* action = m_recentMenu->addAction(RecentFiles::menuLabel(i, path));
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { m_documents->openRecent(path); });
    }
    if (!paths.isEmpty()) {
        m_recentMenu->addSeparator();
        QAction* clear = m_recentMenu->addAction(tr("Clear List"));
        connect(clear, &QAction::triggered, m_documents, &DocumentController::clearRecentFiles);
    }
    m_recentMenu->setEnabled(!paths.isEmpty());
}

void MainWindow::updateActions() {
    const ModelDocument* document = m_documents->document();
    const bool hasDocument = document != nullptr;
    for (QAction* action :
         {m_exportPngAction, m_exportSvgAction, m_findAction, m_findNextAction,
          m_findPreviousAction, m_fitAction, m_actualSizeAction, m_zoomInAction, m_zoomOutAction,
          m_quantizeAction, m_importEncodingsAction, m_exportEncodingsAction})
        action->setEnabled(hasDocument);
    m_inputShapesAction->setEnabled(hasDocument && !document->declaredInputs().empty());
    m_zoomToSelectionAction->setEnabled(hasDocument && m_view->selectedNode() != ir::kNoNode);
    m_exportQdqAction->setEnabled(m_quant->canExportQdq());
    m_saveReportAction->setEnabled(m_exports->canSaveProfile());
    m_saveTraceAction->setEnabled(m_exports->canSaveProfile());
}

void MainWindow::updateUndoActions() {
    const QUndoStack* undo = m_quantView->encodingsModel()->undoStack();
    m_undoAction->setEnabled(undo->canUndo());
    m_undoAction->setText(undo->canUndo() ? tr("&Undo %1").arg(undo->undoText()) : tr("&Undo"));
    m_redoAction->setEnabled(undo->canRedo());
    m_redoAction->setText(undo->canRedo() ? tr("&Redo %1").arg(undo->redoText()) : tr("&Redo"));
}

void MainWindow::updateTitle() {
    if (const ModelDocument* document = m_documents->document())
        setWindowTitle(tr("%1[*] - LayerBench").arg(QFileInfo(document->path()).fileName()));
    else
        setWindowTitle(tr("LayerBench"));
}

void MainWindow::chooseLanguage(const QString& code) {
    m_settings.setLanguage(code);
    // At once: every widget retranslates on the LanguageChange this posts (changeEvent).
    installTranslators(*QCoreApplication::instance(), code);
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About LayerBench"),
        tr("<h3>LayerBench %1</h3><p>A workbench for shipping neural networks to edge devices: "
           "open an ONNX model, see its graph, profile it layer by layer, quantize it and "
           "compare backends.</p><p>Built with Qt %2.</p>")
            .arg(QStringLiteral(LB_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::onDocumentOpened(const ModelDocument& document) {
    updateTitle(); // before a recovery below marks it modified: the new title has the [*]
    m_runs->showDocument(document);
    m_quant->showDocument(document);
    m_compare->showDocument(document);
    m_view->setNodeOverlay({});
    updateActions();
}

void MainWindow::onProfileShown() {
    if (!m_profileDock->isVisible()) {
        m_profileDock->show();
        resizeDocks({m_profileDock}, {height() * 2 / 5}, Qt::Vertical);
    }
    m_profileDock->raise();
    updateHeatMap();
    updateActions();
}

void MainWindow::onQuantizeShown() {
    if (!m_quantDock->isVisible()) {
        m_quantDock->show();
        resizeDocks({m_quantDock}, {height() * 9 / 20}, Qt::Vertical);
    }
    m_quantDock->raise();
    updateHeatMap();
}

void MainWindow::showCompareView() {
    if (!m_compareDock->isVisible()) {
        m_compareDock->show();
        resizeDocks({m_compareDock}, {height() * 9 / 20}, Qt::Vertical);
    }
    m_compareDock->raise();
}

void MainWindow::onComparisonShown() {
    showCompareView();
    updateHeatMap();
}

void MainWindow::showQuantView() {
    m_quantDock->show();
    m_quantDock->raise();
}

void MainWindow::updateHeatMap() {
    const ModelDocument* document = m_documents ? m_documents->document() : nullptr;
    QHash<ir::NodeId, QColor> overlay;
    QList<QPair<QString, QColor>> legend;
    const QColor neutral(0xe4, 0xe4, 0xe4);
    if (!document) {
        m_view->setNodeOverlay({});
        return;
    }
    if (m_compareDock->isVisible() &&
        m_compareView->graphColours() != widgets::CompareView::NoGraphColours &&
        m_compareView->comparison()) {
        overlay = m_compareView->graphOverlay();
        legend = m_compareView->graphLegend();
        legend.append({tr("no time on these targets"), neutral});
    } else if (m_quantView->overlayEnabled() && m_quantDock->isVisible()) {
        overlay = m_quantView->sqnrOverlay();
        legend = widgets::QuantView::sqnrLegend();
        legend.append({tr("no quantized tensor"), neutral});
    } else if (m_profileView->report() && m_profileView->heatMapEnabled()) {
        overlay = m_profileView->heatOverlay();
        legend = widgets::ProfileCharts::heatLegend();
        // Nodes the run did not time (folded or removed by the passes) stay neutral.
        legend.append({tr("not timed (folded by the passes)"), neutral});
    } else {
        m_view->setNodeOverlay({});
        return;
    }
    for (ir::NodeId id : document->graph()->nodeIds())
        if (!overlay.contains(id))
            overlay.insert(id, neutral);
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

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && m_constructed) {
        retranslateUi();
        updateTitle();
        rebuildRecentMenu();
        updateHeatMap();            // the graph's legend
        m_documents->retranslate(); // the notice, and the node boxes' words and numbers
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_quant->confirmClose()) {
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
