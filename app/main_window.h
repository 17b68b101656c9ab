#pragma once

#include "app/app_settings.h"
#include "app/engine_worker.h"
#include "app/model_document.h"
#include "app/recent_files.h"
#include "core/progress_tracker.h"
#include "project/project.h"
#include "quant/encodings_json.h"
#include "quant/name_check.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <functional>
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

class InputShapes;
class NoticeBar;
class QuantAutosave;
class QuantPanel;
class RunPanel;

// The main window: the graph in the middle, properties and summary docks, a search bar over the
// view. All engine work goes through the EngineWorker; the window only shows snapshots.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    // restoreSession: restore the saved geometry and dock layout (off for reproducible
    // screenshots).
    explicit MainWindow(bool restoreSession = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens `path` on the worker; the current document stays until the new one is ready. Without
    // `inputShapes`, the shapes last used with this file (InputShapes::remembered) are applied.
    void openModel(const QString& path, const std::map<std::string, Shape>& inputShapes = {});
    // The open model's input shapes, shared by the Run and the Quantize panels.
    InputShapes* inputShapes() const { return m_inputShapes; }
    // Off for --screenshot runs: errors go to signals and the status bar, never to a dialog.
    void setInteractive(bool interactive) { m_interactive = interactive; }
    const ModelDocument* document() const { return m_document ? &*m_document : nullptr; }
    widgets::GraphView* graphView() const { return m_view; }
    widgets::ProfileView* profileView() const { return m_profileView; }
    RunPanel* runPanel() const { return m_runPanel; }
    // Profiles the open model on the engine worker with `spec` (the Run button's action); the run
    // lands in the current model version.
    void runProfile(const run::RunSpec& spec);
    bool isRunning() const { return m_runJob.has_value(); }

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
    // The last run's ProfileReport as JSON (report::toJson) or as a Chrome trace.
    bool saveProfileReport(const QString& path);
    bool saveChromeTrace(const QString& path);

signals:
    // The opened model has been painted once and the window responds to input.
    void documentShown(const lb::app::ModelDocument& document, double firstPaintMs, double totalMs);
    void openFailed(const QString& path, const QString& message);
    // A run finished and its report is shown in the profile view.
    void profileShown();
    void runFailed(const QString& message);
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
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // main_window_actions.cpp
    void createActions();
    void createMenus();
    void createStatusBar();
    void rebuildRecentMenu();
    void addRecent(const QString& path);
    void openDialog();
    void openRecent(const QString& path);
    void exportGraph(bool svg);
    void setInputShapes();
    void chooseLanguage(const QString& code);

    // main_window_language.cpp: every text of the window's own (menus, actions, docks, buttons)
    // set again in the UI language; called at start and on QEvent::LanguageChange.
    void retranslateUi();
    // Sets the status line to text() now and again after a language switch.
    void setStatus(std::function<QString()> text);
    // A long job's status: the stage to show (nesting resolved) and the time left, from
    // lb::ProgressTracker as the CLI shows them.
    struct ProgressText {
        QString stage; // engine stage id
        QString left;  // "m:ss", empty until an estimate is sound
    };
    ProgressText trackProgress(double fraction, const QString& stage);
    // `sentence` with %2 the translated stage, plus the time left when known.
    static QString progressStatus(const QString& sentence, const ProgressText& progress);
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
    void saveProfileDialog(bool trace);
    bool writeJsonFile(const QString& path, const std::string& json);
    void updateExportActions();

    // main_window.cpp
    void startOpen(const QString& path, const std::map<std::string, Shape>& inputShapes,
                   bool remembered);
    void createCentralArea();
    void createDocks();
    void onJobStarted(EngineWorker::JobId job);
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onJobFinished(EngineWorker::JobId job);
    void onJobFailed(EngineWorker::JobId job, const QString& message);
    void onModelOpened(EngineWorker::JobId job, const ModelDocument& document);
    void onRunFinished(EngineWorker::JobId job, const RunResult& result);
    void onNodesRequested(const QList<ir::NodeId>& nodes);
    void updateHeatMap();
    void onSceneRebuilt(EngineWorker::JobId job, std::shared_ptr<const widgets::GraphScene> scene);
    void setShowConstantNodes(bool show);
    void showOpenedStatus();
    widgets::GraphSceneOptions sceneOptions() const;
    void onFirstPaint();
    void onNodeSelected(ir::NodeId id);
    void showError(const QString& title, const QString& message);
    void updateTitle();
    void offerInputShapes();

    AppSettings m_settings;
    RecentFiles m_recent;
    EngineWorker* m_worker = nullptr;
    bool m_interactive = true;

    // The model and its versions; the document shows the current version.
    project::Project m_project;
    std::optional<ModelDocument> m_document;
    std::shared_ptr<project::ModelVersion> currentVersion() const;
    std::optional<EngineWorker::JobId> m_openJob;
    std::optional<EngineWorker::JobId> m_sceneJob;
    bool m_sceneJobForLanguage = false; // the same graph in new words: the status line stays
    std::optional<EngineWorker::JobId> m_runJob;
    std::shared_ptr<project::ModelVersion> m_runVersion; // the version m_runJob runs
    QString m_openingPath;
    bool m_openingRemembered = false; // the open applies shapes kept from an earlier session
    InputShapes* m_inputShapes = nullptr;
    std::optional<EngineWorker::JobId> m_qdqJob;
    QAction* m_exportQdqAction = nullptr;
    QAction* m_saveReportAction = nullptr;
    QAction* m_saveTraceAction = nullptr;
    QElapsedTimer m_openClock;
    double m_sceneShownAtMs = -1; // >= 0 while waiting for the first paint of a new document

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

    widgets::TrLabel* m_statusLabel = nullptr;
    ProgressTracker m_jobProgress; // the open, run, quantize or export job on the progress bar
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;

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
