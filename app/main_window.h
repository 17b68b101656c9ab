#pragma once

#include "app/app_settings.h"
#include "app/engine_worker.h"
#include "app/model_document.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <QMainWindow>
#include <map>
#include <optional>
#include <string>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;

namespace lb::widgets {
class GraphView;
class ProfileView;
class PropertiesPane;
class SearchBar;
class SummaryPane;
class QuantView;
class TrLabel;
} // namespace lb::widgets

namespace lb::app {

class DocumentController;
class ExportController;
class NoticeBar;
class QuantAutosave;
class QuantPanel;
class RunController;
class RunPanel;
class StatusReporter;

// The main window: the graph in the middle, properties and summary docks, a search bar over the
// view. All engine work goes through the EngineWorker; the window only shows snapshots. The open
// model and its project are the DocumentController's.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // restoreSession: restore the saved geometry and dock layout (off for reproducible
    // screenshots).
    explicit MainWindow(bool restoreSession = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // The open model, its project and input shapes, the recent files.
    DocumentController* documents() const { return m_documents; }
    // Off for --screenshot runs: errors go to signals and the status bar, never to a dialog.
    void setInteractive(bool interactive);
    widgets::GraphView* graphView() const { return m_view; }
    widgets::ProfileView* profileView() const { return m_profileView; }
    RunPanel* runPanel() const { return m_runPanel; }
    // Runs: the Run panel's spec to the engine worker, the report into the project and the view.
    RunController* runs() const { return m_runs; }
    // Graph images, profile reports and Chrome traces written to files.
    ExportController* exports() const { return m_exports; }

    // Quantization (main_window_quant.cpp).
    widgets::QuantView* quantView() const { return m_quantView; }
    QuantPanel* quantPanel() const { return m_quantPanel; }
    QuantAutosave* autosave() const { return m_autosave; }
    // Calibrates and analyses the open model with the Quantize panel's settings.
    void quantize();
    void quantize(QuantizeRequest request);
    // Offers unsaved encoding edits a crashed session left behind. `answer`: recover (true) or
    // discard (false) them without asking (--recover); nullopt: ask.
    void offerEncodingsRecovery(std::optional<bool> answer = std::nullopt);
    // Loads recovered edits for the open model (or opens it first) as unsaved. By value: the
    // set is kept until the model is open, so it must not refer to the caller's copy.
    void recoverEncodings(const QString& modelPath, quant::EncodingSet encodings);
    bool hasUnsavedEncodings() const;
    bool exportEncodings(const QString& path, quant::EncodingsFormat format);
    // Checks `path` against the open model, then replaces the encodings with the entries that fit
    // it; nothing when none fits, or when the user cancels the list of problems (asked only when
    // interactive; otherwise the entries that fit are imported). False when nothing was imported.
    bool importEncodings(const QString& path);
    // The check of the last file importEncodings read (nullopt if it could not be read).
    const std::optional<quant::EncodingsCheck>& lastImportCheck() const { return m_importCheck; }

    // Exports (main_window_exports.cpp). The encodings in the Encodings table as a QDQ ONNX
    // model with the Input shapes field's shapes, written on the engine worker (qdqExported or
    // exportFailed follows); false when there is nothing to export or a shape is missing.
    bool exportQdq(const QString& path);

signals:
    // A calibration + analysis finished and is shown in the quantization view.
    void quantizeShown();
    void quantizeFailed(const QString& message);
    void remeasureShown(double elapsedMs);
    void reanalysisShown();
    // Recovered encodings are in the Encodings table (as unsaved edits).
    void encodingsRecovered();
    // A QDQ model was written; `summary` is the line the status bar shows.
    void qdqExported(const QString& path, const QString& summary);
    void exportFailed(const QString& message);
    // An encodings file was not imported (unreadable, or no entry fits the model); one line.
    void importFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // main_window_actions.cpp
    void createActions();
    void createMenus();
    void rebuildRecentMenu();
    void chooseLanguage(const QString& code);

    // main_window_language.cpp: every text of the window's own (menus, actions, docks, buttons)
    // set again in the UI language; called at start and on QEvent::LanguageChange.
    void retranslateUi();
    void updateUndoActions();
    void showAbout();
    void updateActions();

    // main_window_quant.cpp
    void createQuantUi();
    void createQuantActions(QMenu* file, QMenu* edit, QMenu* view);
    bool onQuantJobEvent(EngineWorker::JobId job, double fraction, const QString& stage);
    void onQuantizeFinished(EngineWorker::JobId job, const QuantResult& result);
    void onRemeasured(EngineWorker::JobId job, const RemeasureResult& result);
    void onReanalyzed(EngineWorker::JobId job, const ReanalysisResult& result);
    // New encodings as a whole (import, recovery): measure them all, or say why not.
    void reanalyzeEncodings();
    void onRemeasureRequested(const QString& tensor,
                              std::shared_ptr<const quant::EncodingSet> encodings, bool preview);
    bool updateQuantOverlay();
    // Save / Discard / Cancel for unsaved encoding edits; false: keep the window open.
    bool confirmEncodingsClose();
    bool saveEncodingsDialog();
    void importEncodingsDialog();

    // main_window_exports.cpp
    void createExportActions(QMenu* file);
    void onQdqExported(EngineWorker::JobId job, const QdqExportSummary& summary);
    void exportQdqDialog();
    void retranslateExportActions();
    void updateExportActions();

    // main_window.cpp
    void createCentralArea();
    void createDocks();
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onJobFinished(EngineWorker::JobId job);
    void onJobFailed(EngineWorker::JobId job, const QString& message);
    void onDocumentOpened(const ModelDocument& document);
    void onProfileShown();
    void onNodesRequested(const QList<ir::NodeId>& nodes);
    void updateHeatMap();
    void onNodeSelected(ir::NodeId id);
    void updateTitle();

    AppSettings m_settings;
    EngineWorker* m_worker = nullptr;
    StatusReporter* m_status = nullptr;
    DocumentController* m_documents = nullptr;
    bool m_constructed = false; // language changes before the end of the constructor wait

    RunController* m_runs = nullptr;
    ExportController* m_exports = nullptr;
    std::shared_ptr<project::ModelVersion> currentVersion() const;
    std::optional<EngineWorker::JobId> m_qdqJob;
    QAction* m_exportQdqAction = nullptr;
    QAction* m_saveReportAction = nullptr;
    QAction* m_saveTraceAction = nullptr;

    widgets::GraphView* m_view = nullptr;
    widgets::SearchBar* m_search = nullptr;
    widgets::PropertiesPane* m_properties = nullptr;
    widgets::SummaryPane* m_summary = nullptr;
    NoticeBar* m_notice = nullptr;
    QDockWidget* m_propertiesDock = nullptr;
    QDockWidget* m_summaryDock = nullptr;
    RunPanel* m_runPanel = nullptr;
    QDockWidget* m_runDock = nullptr;
    widgets::ProfileView* m_profileView = nullptr;
    QDockWidget* m_profileDock = nullptr;
    QuantPanel* m_quantPanel = nullptr;
    QDockWidget* m_quantPanelDock = nullptr;
    widgets::QuantView* m_quantView = nullptr;
    QDockWidget* m_quantDock = nullptr;
    QuantAutosave* m_autosave = nullptr;
    std::optional<EngineWorker::JobId> m_quantJob;
    std::shared_ptr<project::ModelVersion> m_quantVersion; // the version m_quantJob calibrates
    // The latest re-measure job per tensor: edits of different tensors do not replace each other.
    std::map<QString, EngineWorker::JobId> m_remeasureJobs;
    bool isRemeasureJob(EngineWorker::JobId job) const;
    std::optional<EngineWorker::JobId> m_reanalyzeJob;
    std::optional<quant::EncodingSet> m_pendingRecovery; // applied once its model is open
    QString m_pendingRecoveryPath;
    // The check of the last file read, imported or refused (a refusal makes no version).
    std::optional<quant::EncodingsCheck> m_importCheck;
    QAction* m_quantizeAction = nullptr;
    QAction* m_importEncodingsAction = nullptr;
    QAction* m_exportEncodingsAction = nullptr;
    QAction* m_undoAction = nullptr;
    QAction* m_redoAction = nullptr;

    QAction* m_openAction = nullptr;
    QAction* m_exportPngAction = nullptr;
    QAction* m_exportSvgAction = nullptr;
    QAction* m_inputShapesAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    QAction* m_fitAction = nullptr;
    QAction* m_actualSizeAction = nullptr;
    QAction* m_zoomToSelectionAction = nullptr;
    QAction* m_minimapAction = nullptr;
    QAction* m_zoomInAction = nullptr;
    QAction* m_zoomOutAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_showConstantsAction = nullptr;
    QActionGroup* m_languageGroup = nullptr;
    QAction* m_systemLanguageAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_toolsMenu = nullptr;
    QMenu* m_settingsMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
};

} // namespace lb::app
