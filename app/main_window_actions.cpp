// Menus, actions and the dialogs they open.
#include "app/document_controller.h"
#include "app/export_controller.h"
#include "app/language.h"
#include "app/main_window.h"
#include "app/status_reporter.h"
#include "widgets/graph_view.h"
#include "widgets/search_bar.h"
#include "widgets/tr_label.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace lb::app {

void MainWindow::createActions() {
    m_openAction = new QAction(this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, m_documents, &DocumentController::openDialog);

    m_exportPngAction = new QAction(this);
    connect(m_exportPngAction, &QAction::triggered, m_exports,
            [this] { m_exports->exportGraphDialog(false); });
    m_exportSvgAction = new QAction(this);
    connect(m_exportSvgAction, &QAction::triggered, m_exports,
            [this] { m_exports->exportGraphDialog(true); });

    m_inputShapesAction = new QAction(this);
    connect(m_inputShapesAction, &QAction::triggered, m_documents,
            &DocumentController::editInputShapes);

    m_quitAction = new QAction(this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_findAction = new QAction(this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, m_search, &widgets::SearchBar::activate);
    m_findNextAction = new QAction(this);
    m_findNextAction->setShortcut(QKeySequence(Qt::Key_F3));
    connect(m_findNextAction, &QAction::triggered, m_search, &widgets::SearchBar::findNext);
    m_findPreviousAction = new QAction(this);
    m_findPreviousAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    connect(m_findPreviousAction, &QAction::triggered, m_search, &widgets::SearchBar::findPrevious);

    m_fitAction = new QAction(this);
    m_fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_fitAction->setStatusTip(
        tr("Show the whole graph, or its full width from the top when it is too long to read"));
    connect(m_fitAction, &QAction::triggered, m_view, &widgets::GraphView::fitToView);
    m_actualSizeAction = new QAction(tr("&Actual Size"), this);
    m_actualSizeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    m_actualSizeAction->setStatusTip(tr("Zoom to 100%"));
    connect(m_actualSizeAction, &QAction::triggered, m_view, &widgets::GraphView::zoomToActualSize);
    m_zoomToSelectionAction = new QAction(tr("Zoom to &Selection"), this);
    m_zoomToSelectionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_zoomToSelectionAction->setStatusTip(tr("Zoom in on the selected node and centre it"));
    connect(m_zoomToSelectionAction, &QAction::triggered, m_view,
            &widgets::GraphView::zoomToSelection);
    connect(m_view, &widgets::GraphView::nodeSelected, this, &MainWindow::updateActions);
    m_zoomInAction = new QAction(this);
    m_zoomInAction->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomInAction, &QAction::triggered, m_view, &widgets::GraphView::zoomIn);
    m_zoomOutAction = new QAction(this);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, m_view, &widgets::GraphView::zoomOut);

    m_showConstantsAction = new QAction(this);
    m_showConstantsAction->setCheckable(true);
    m_showConstantsAction->setChecked(m_settings.showConstantNodes());
    connect(m_showConstantsAction, &QAction::toggled, m_documents,
            &DocumentController::setShowConstantNodes);

    m_minimapAction = new QAction(tr("&Minimap"), this);
    m_minimapAction->setCheckable(true);
    m_minimapAction->setChecked(m_settings.showMinimap());
    m_minimapAction->setStatusTip(tr("Show an overview of the whole graph in the corner of the "
                                     "graph view while the graph is larger than the window"));
    m_view->setMinimapEnabled(m_minimapAction->isChecked());
    connect(m_minimapAction, &QAction::toggled, this, [this](bool show) {
        m_settings.setShowMinimap(show);
        m_view->setMinimapEnabled(show);
    });

    m_aboutAction = new QAction(this);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    QMenu* file = m_fileMenu = menuBar()->addMenu(QString());
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(QString());
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_inputShapesAction);
    file->addSeparator();
    file->addAction(m_exportPngAction);
    file->addAction(m_exportSvgAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = m_editMenu = menuBar()->addMenu(QString());
    edit->addAction(m_findAction);
    edit->addAction(m_findNextAction);
    edit->addAction(m_findPreviousAction);

    QMenu* view = m_viewMenu = menuBar()->addMenu(QString());
    view->addAction(m_fitAction);
    view->addAction(m_actualSizeAction);
    view->addAction(m_zoomToSelectionAction);
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addSeparator();
    view->addAction(m_minimapAction);
    view->addAction(m_showConstantsAction);
    view->addSeparator();
    view->addAction(m_propertiesDock->toggleViewAction());
    view->addAction(m_summaryDock->toggleViewAction());
    view->addAction(m_runDock->toggleViewAction());
    view->addAction(m_profileDock->toggleViewAction());
    createQuantActions(file, edit, view);
    createExportActions(file);

    m_settingsMenu = menuBar()->addMenu(QString());
    QMenu* language = m_languageMenu = m_settingsMenu->addMenu(QString());
    m_languageGroup = new QActionGroup(this);
    const QList<QPair<QString, QString>> languages = {
        {AppSettings::kSystemLanguage, QString()},         // translated in retranslateUi
        {QStringLiteral("en"), QStringLiteral("English")}, // language names stay in their own
        {QStringLiteral("es"), QStringLiteral("Español")}, // language so anyone can find theirs
    };
    const QString current = m_settings.language();
    for (const auto& [code, name] : languages) {
        QAction* action = language->addAction(name);
        action->setCheckable(true);
        action->setChecked(code == current);
        action->setData(code);
        m_languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = code] { chooseLanguage(code); });
        if (code == AppSettings::kSystemLanguage)
            m_systemLanguageAction = action;
    }

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
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

void MainWindow::updateActions() {
    const ModelDocument* document = m_documents->document();
    const bool hasDocument = document != nullptr;
    m_exportPngAction->setEnabled(hasDocument);
    m_exportSvgAction->setEnabled(hasDocument);
    m_inputShapesAction->setEnabled(hasDocument && !document->declaredInputs().empty());
    m_findAction->setEnabled(hasDocument);
    m_findNextAction->setEnabled(hasDocument);
    m_findPreviousAction->setEnabled(hasDocument);
    m_fitAction->setEnabled(hasDocument);
    m_actualSizeAction->setEnabled(hasDocument);
    m_zoomToSelectionAction->setEnabled(hasDocument && m_view->selectedNode() != ir::kNoNode);
    m_zoomInAction->setEnabled(hasDocument);
    m_zoomOutAction->setEnabled(hasDocument);
    m_quantizeAction->setEnabled(hasDocument);
    m_importEncodingsAction->setEnabled(hasDocument);
    m_exportEncodingsAction->setEnabled(hasDocument);
    updateExportActions();
}

} // namespace lb::app
