// The main window's texts in the UI language: set at start and again on every language switch
// (Settings > Language), without a restart.
#include "app/document_controller.h"
#include "app/main_window.h"
#include "app/status_reporter.h"
#include "widgets/encodings_table_model.h"
#include "widgets/quant_view.h"
#include "widgets/tr_label.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QEvent>
#include <QMenu>
#include <QPushButton>
#include <QUndoStack>

namespace lb::app {

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
    m_exportPngAction->setText(tr("Export Graph as &PNG..."));
    m_exportSvgAction->setText(tr("Export Graph as &SVG..."));
    m_inputShapesAction->setText(tr("Set &Input Shapes..."));
    m_quitAction->setText(tr("&Quit"));
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
    m_showConstantsAction->setText(tr("Show &Constant Nodes"));
    m_showConstantsAction->setStatusTip(
        tr("Draw every Constant node as a box instead of a weight row of the node it feeds"));
    m_minimapAction->setText(tr("&Minimap"));
    m_minimapAction->setStatusTip(tr("Show an overview of the whole graph in the corner of the "
                                     "graph view while the graph is larger than the window"));
    m_aboutAction->setText(tr("&About LayerBench"));
    m_quantizeAction->setText(tr("&Quantize..."));
    m_importEncodingsAction->setText(tr("&Import Encodings..."));
    m_exportEncodingsAction->setText(tr("E&xport Encodings..."));
    if (m_exportQdqAction)
        retranslateExportActions();
    updateUndoActions();

    // A dock's toggle action takes the dock's title; the menu entries get their own mnemonics.
    const std::pair<QDockWidget*, std::pair<QString, QString>> docks[] = {
        {m_propertiesDock, {tr("Properties"), tr("&Properties")}},
        {m_summaryDock, {tr("Summary"), tr("&Summary")}},
        {m_runDock, {tr("Run"), tr("&Run Panel")}},
        {m_profileDock, {tr("Profile"), tr("P&rofile")}},
        {m_quantPanelDock, {tr("Quantize"), tr("&Quantize Panel")}},
        {m_quantDock, {tr("Quantization"), tr("&Quantization")}},
    };
    for (const auto& [dock, titles] : docks) {
        dock->setWindowTitle(titles.first);
        dock->toggleViewAction()->setText(titles.second);
    }
    m_status->retranslateUi();
}

void MainWindow::updateUndoActions() {
    const QUndoStack* undo = m_quantView->encodingsModel()->undoStack();
    m_undoAction->setEnabled(undo->canUndo());
    m_undoAction->setText(undo->canUndo() ? tr("&Undo %1").arg(undo->undoText()) : tr("&Undo"));
    m_redoAction->setEnabled(undo->canRedo());
    m_redoAction->setText(undo->canRedo() ? tr("&Redo %1").arg(undo->redoText()) : tr("&Redo"));
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

} // namespace lb::app
