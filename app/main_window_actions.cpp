// Menus, actions and the dialogs they open.
#include "app/input_shapes_dialog.h"
#include "app/main_window.h"
#include "widgets/graph_view.h"
#include "widgets/search_bar.h"

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
    m_openAction = new QAction(tr("&Open..."), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);

    m_exportPngAction = new QAction(tr("Export Graph as &PNG..."), this);
    connect(m_exportPngAction, &QAction::triggered, this, [this] { exportGraph(false); });
    m_exportSvgAction = new QAction(tr("Export Graph as &SVG..."), this);
    connect(m_exportSvgAction, &QAction::triggered, this, [this] { exportGraph(true); });

    m_inputShapesAction = new QAction(tr("Set &Input Shapes..."), this);
    connect(m_inputShapesAction, &QAction::triggered, this, &MainWindow::setInputShapes);

    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_findAction = new QAction(tr("&Find..."), this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, m_search, &widgets::SearchBar::activate);
    m_findNextAction = new QAction(tr("Find &Next"), this);
    m_findNextAction->setShortcut(QKeySequence(Qt::Key_F3));
    connect(m_findNextAction, &QAction::triggered, m_search, &widgets::SearchBar::findNext);
    m_findPreviousAction = new QAction(tr("Find &Previous"), this);
    m_findPreviousAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    connect(m_findPreviousAction, &QAction::triggered, m_search, &widgets::SearchBar::findPrevious);

    m_fitAction = new QAction(tr("&Fit to Window"), this);
    m_fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_fitAction, &QAction::triggered, m_view, &widgets::GraphView::fitToView);
    m_zoomInAction = new QAction(tr("Zoom &In"), this);
    m_zoomInAction->setShortcut(QKeySequence::ZoomIn);
    connect(m_zoomInAction, &QAction::triggered, m_view, &widgets::GraphView::zoomIn);
    m_zoomOutAction = new QAction(tr("Zoom &Out"), this);
    m_zoomOutAction->setShortcut(QKeySequence::ZoomOut);
    connect(m_zoomOutAction, &QAction::triggered, m_view, &widgets::GraphView::zoomOut);

    m_showConstantsAction = new QAction(tr("Show &Constant Nodes"), this);
    m_showConstantsAction->setCheckable(true);
    m_showConstantsAction->setChecked(m_settings.showConstantNodes());
    m_showConstantsAction->setStatusTip(
        tr("Draw every Constant node as a box instead of a weight row of the node it feeds"));
    connect(m_showConstantsAction, &QAction::toggled, this, &MainWindow::setShowConstantNodes);

    m_aboutAction = new QAction(tr("&About LayerBench"), this);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_inputShapesAction);
    file->addSeparator();
    file->addAction(m_exportPngAction);
    file->addAction(m_exportSvgAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_findAction);
    edit->addAction(m_findNextAction);
    edit->addAction(m_findPreviousAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_fitAction);
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addSeparator();
    view->addAction(m_showConstantsAction);
    view->addSeparator();
    QAction* propertiesToggle = m_propertiesDock->toggleViewAction();
    propertiesToggle->setText(tr("&Properties"));
    view->addAction(propertiesToggle);
    QAction* summaryToggle = m_summaryDock->toggleViewAction();
    summaryToggle->setText(tr("&Summary"));
    view->addAction(summaryToggle);
    QAction* runToggle = m_runDock->toggleViewAction();
    runToggle->setText(tr("&Run Panel"));
    view->addAction(runToggle);
    QAction* profileToggle = m_profileDock->toggleViewAction();
    profileToggle->setText(tr("P&rofile"));
    view->addAction(profileToggle);
    createQuantActions(file, edit, view);

    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QMenu* language = settings->addMenu(tr("&Language"));
    m_languageGroup = new QActionGroup(this);
    const QList<QPair<QString, QString>> languages = {
        {AppSettings::kSystemLanguage, tr("System")},
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
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void MainWindow::createStatusBar() {
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusMessage"));
    statusBar()->addWidget(m_statusLabel, 1);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    statusBar()->addPermanentWidget(m_progress);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_openJob)
            m_worker->cancel(*m_openJob);
        if (m_runJob)
            m_worker->cancel(*m_runJob);
        if (m_quantJob)
            m_worker->cancel(*m_quantJob);
    });
    statusBar()->addPermanentWidget(m_cancel);
    m_statusLabel->setText(tr("Open an ONNX model with File > Open or drop it here."));
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    for (int i = 0; i < m_recent.paths().size(); ++i) {
        const QString& path = m_recent.paths()[i];
        QAction* action = m_recentMenu->addAction(RecentFiles::menuLabel(i, path));
        action->setToolTip(path);
        action->setStatusTip(path);
        connect(action, &QAction::triggered, this, [this, path] { openRecent(path); });
    }
    if (!m_recent.paths().isEmpty()) {
        m_recentMenu->addSeparator();
        QAction* clear = m_recentMenu->addAction(tr("Clear List"));
        connect(clear, &QAction::triggered, this, [this] {
            m_recent.clear();
            m_settings.setRecentFiles({});
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!m_recent.paths().isEmpty());
}

void MainWindow::addRecent(const QString& path) {
    m_recent.add(path);
    m_settings.setRecentFiles(m_recent.paths());
    m_settings.setLastDirectory(QFileInfo(path).absolutePath());
    rebuildRecentMenu();
}

void MainWindow::openRecent(const QString& path) {
    const QStringList missing = m_recent.pruneMissing();
    if (!missing.isEmpty()) {
        m_settings.setRecentFiles(m_recent.paths());
        rebuildRecentMenu();
        QMessageBox::information(
            this, tr("Recent Files"),
            tr("These files no longer exist and were removed from the list:\n%1")
                .arg(missing.join(QLatin1Char('\n'))));
        if (missing.contains(path))
            return;
    }
    openModel(path);
}

void MainWindow::openDialog() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Model"), m_settings.lastDirectory(),
                                     tr("ONNX models (*.onnx);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::exportGraph(bool svg) {
    if (!m_document)
        return;
    const QString base = QFileInfo(m_document->path).completeBaseName();
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    const QString path = QFileDialog::getSaveFileName(
        this, svg ? tr("Export Graph as SVG") : tr("Export Graph as PNG"),
        QDir(m_settings.exportDirectory(m_document->path)).filePath(base + suffix),
        svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const bool written = svg ? m_view->exportSvg(path) : m_view->exportPng(path);
    if (written) {
        m_settings.setExportDirectory(QFileInfo(path).absolutePath());
        m_statusLabel->setText(tr("Graph exported to %1").arg(path));
    } else
        showError(tr("Export Failed"), tr("Cannot write %1.").arg(path));
}

void MainWindow::setInputShapes() {
    if (!m_document)
        return;
    std::vector<InputShapesDialog::Input> inputs;
    for (const auto& [name, declared] : m_document->declaredInputs()) {
        InputShapesDialog::Input input{name, declared, {}};
        auto chosen = m_document->inputShapes.find(name);
        if (chosen != m_document->inputShapes.end())
            input.current = QString::fromStdString(shapeToString(chosen->second));
        inputs.push_back(std::move(input));
    }
    InputShapesDialog dialog(inputs, this);
    if (dialog.exec() == QDialog::Accepted)
        openModel(m_document->path, dialog.shapes());
}

void MainWindow::chooseLanguage(const QString& code) {
    if (code == m_settings.language())
        return;
    m_settings.setLanguage(code);
    QMessageBox::information(this, tr("Language"),
                             tr("The new language will be used the next time LayerBench starts."));
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
    const bool hasDocument = m_document.has_value();
    m_exportPngAction->setEnabled(hasDocument);
    m_exportSvgAction->setEnabled(hasDocument);
    m_inputShapesAction->setEnabled(hasDocument && !m_document->declaredInputs().empty());
    m_findAction->setEnabled(hasDocument);
    m_findNextAction->setEnabled(hasDocument);
    m_findPreviousAction->setEnabled(hasDocument);
    m_fitAction->setEnabled(hasDocument);
    m_zoomInAction->setEnabled(hasDocument);
    m_zoomOutAction->setEnabled(hasDocument);
    m_quantizeAction->setEnabled(hasDocument);
    m_importEncodingsAction->setEnabled(hasDocument);
    m_exportEncodingsAction->setEnabled(hasDocument);
}

} // namespace lb::app
