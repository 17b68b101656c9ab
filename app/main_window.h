#pragma once

#include "app/app_settings.h"
#include "app/model_document.h"

#include <QMainWindow>

class QAction;
class QActionGroup;
class QDockWidget;
class QMenu;

namespace lb::widgets {
class CompareView;
class GraphView;
class ProfileView;
class PropertiesPane;
class SearchBar;
class SummaryPane;
class QuantView;
} // namespace lb::widgets

namespace lb::app {

class CompareController;
class DocumentController;
class EngineWorker;
class ExportController;
class NoticeBar;
class QuantController;
class QuantPanel;
class RunController;
class RunPanel;
class StatusReporter;

// The main window: the graph in the middle with a search bar over it, the docks (properties,
// summary, Run and Quantize panels, profile and quantization views), the menus and the status
// bar. The work is the controllers': documents (open, project, input shapes, recent files), runs,
// quantization, exports; the window makes the views, hands them to the controllers, wires the
// controllers to each other and to the menus, and shows what they report. All engine work goes
// through the one EngineWorker. A "compare backends" or "devices" controller joins the same way:
// made in createControllers() with the views it drives, its actions in createMenus().
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // restoreSession: restore the saved geometry and dock layout (off for reproducible
    // screenshots).
    explicit MainWindow(bool restoreSession = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Off for --screenshot runs: errors go to signals and the status bar, never to a dialog.
    void setInteractive(bool interactive);

    // The open model, its project and input shapes, the recent files.
    DocumentController* documents() const { return m_documents; }
    // The Run panel's specs to the engine, their reports into the project and the profile view.
    RunController* runs() const { return m_runs; }
    // Calibration, encodings edits, autosave and recovery, imports, QDQ export.
    QuantController* quantization() const { return m_quant; }
    // Graph images, profile reports and Chrome traces written to files.
    ExportController* exports() const { return m_exports; }
    // Targets benchmarked side by side, saved reports added, comparisons written.
    CompareController* comparisons() const { return m_compare; }

    widgets::GraphView* graphView() const { return m_view; }
    widgets::ProfileView* profileView() const { return m_profileView; }
    RunPanel* runPanel() const { return m_runPanel; }
    widgets::QuantView* quantView() const { return m_quantView; }
    QuantPanel* quantPanel() const { return m_quantPanel; }
    widgets::CompareView* compareView() const { return m_compareView; }

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createCentralArea();
    void createDocks();
    QDockWidget* addDock(QWidget* widget, const QString& objectName, Qt::DockWidgetArea area);
    void createControllers();
    void createActions();
    void createMenus();
    // Every text of the window's own (menus, actions, docks) in the UI language; at start and on
    // QEvent::LanguageChange.
    void retranslateUi();
    void rebuildRecentMenu();
    void updateActions();
    void updateUndoActions();
    void updateTitle();
    void chooseLanguage(const QString& code);
    void showAbout();

    void onDocumentOpened(const ModelDocument& document);
    void onProfileShown();
    void onQuantizeShown();
    void showQuantView();
    void onComparisonShown();
    void showCompareView();
    // The graph's colours: the Compare view's (fastest target, ratio) while its dock is up and
    // asks for them, else the quantization view's SQNR while its dock is up and asks for it, else
    // the profile's heat map, else none.
    void updateHeatMap();
    void onNodesRequested(const QList<ir::NodeId>& nodes);
    void onNodeSelected(ir::NodeId id);

    AppSettings m_settings;
    EngineWorker* m_worker = nullptr;
    StatusReporter* m_status = nullptr;
    DocumentController* m_documents = nullptr;
    RunController* m_runs = nullptr;
    QuantController* m_quant = nullptr;
    ExportController* m_exports = nullptr;
    CompareController* m_compare = nullptr;
    bool m_constructed = false; // language changes before the end of the constructor wait

    widgets::GraphView* m_view = nullptr;
    widgets::SearchBar* m_search = nullptr;
    NoticeBar* m_notice = nullptr;
    widgets::PropertiesPane* m_properties = nullptr;
    widgets::SummaryPane* m_summary = nullptr;
    RunPanel* m_runPanel = nullptr;
    widgets::ProfileView* m_profileView = nullptr;
    QuantPanel* m_quantPanel = nullptr;
    widgets::QuantView* m_quantView = nullptr;
    widgets::CompareView* m_compareView = nullptr;
    QDockWidget* m_propertiesDock = nullptr;
    QDockWidget* m_summaryDock = nullptr;
    QDockWidget* m_runDock = nullptr;
    QDockWidget* m_profileDock = nullptr;
    QDockWidget* m_quantPanelDock = nullptr;
    QDockWidget* m_quantDock = nullptr;
    QDockWidget* m_compareDock = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_inputShapesAction = nullptr;
    QAction* m_importEncodingsAction = nullptr;
    QAction* m_exportEncodingsAction = nullptr;
    QAction* m_exportQdqAction = nullptr;
    QAction* m_saveReportAction = nullptr;
    QAction* m_saveTraceAction = nullptr;
    QAction* m_exportPngAction = nullptr;
    QAction* m_exportSvgAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_actualSizeAction = nullptr;
    QAction* m_zoomToSelectionAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_minimapAction = nullptr;
    QAction* m_showConstantsAction = nullptr;
    QAction* m_quantizeAction = nullptr;
    QAction* m_compareAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QActionGroup* m_languageGroup = nullptr;
    QAction* m_systemLanguageAction = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_toolsMenu = nullptr;
    QMenu* m_settingsMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
};

} // namespace lb::app
