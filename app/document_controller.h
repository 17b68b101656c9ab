#pragma once

#include "app/engine_worker.h"
#include "app/model_document.h"
#include "app/recent_files.h"
#include "project/project.h"
#include "widgets/graph_scene_builder.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace lb::widgets {
class GraphView;
class PropertiesPane;
class SearchBar;
class SummaryPane;
} // namespace lb::widgets

namespace lb::app {

class AppSettings;
class InputShapes;
class NoticeBar;
class StatusReporter;

// The open model: opening it on the engine worker (and again with other input shapes), the
// project it starts (project::Project, the engine's owner of the model version, its runs and
// encodings), the document the views show, the input shapes the Run and Quantize panels share,
// and the recent files. It fills the views a document feeds directly (graph, search, properties,
// summary, the symbolic-inputs notice); the other controllers follow documentOpened.
class DocumentController : public QObject {
    Q_OBJECT

public:
    // What a document fills; MainWindow makes and places them.
    struct Views {
        widgets::GraphView* graph = nullptr;
        widgets::SearchBar* search = nullptr;
        widgets::PropertiesPane* properties = nullptr;
        widgets::SummaryPane* summary = nullptr;
        NoticeBar* notice = nullptr;
    };

    DocumentController(EngineWorker* worker, AppSettings* settings, StatusReporter* status,
                       const Views& views, QObject* parent = nullptr);

    // Opens `path` on the worker; the current document stays until the new one is ready. Without
    // `inputShapes`, the shapes last used with this file (InputShapes::remembered) are applied.
    void open(const QString& path, const std::map<std::string, Shape>& inputShapes = {});
    // Asked before an open replaces the document (unsaved encodings); false keeps it.
    void setCloseCheck(std::function<bool()> mayClose) { m_mayClose = std::move(mayClose); }
    // File > Open.
    void openDialog();
    // File > Set Input Shapes: the model opened again with the shapes the dialog gives.
    void editInputShapes();

    const project::Project& project() const { return m_project; }
    const ModelDocument* document() const { return m_document ? &*m_document : nullptr; }
    // The version the document shows (null: nothing open).
    std::shared_ptr<project::ModelVersion> version() const;
    // The open model's input shapes, shared by the Run and the Quantize panels.
    InputShapes* inputShapes() const { return m_inputShapes; }
    bool isOpening() const { return m_openJob.has_value(); }
    const QString& openingPath() const { return m_openingPath; }

    const RecentFiles& recentFiles() const { return m_recent; }
    // File > Open Recent: prunes files that are gone (and says so) before opening.
    void openRecent(const QString& path);
    void clearRecentFiles();

    // View > Show Constant Nodes: the scene laid out again.
    void setShowConstantNodes(bool show);
    widgets::GraphSceneOptions sceneOptions() const;
    // After a language switch: node boxes drawn again in the new words, the notice re-worded.
    void retranslate();

signals:
    // A newly opened document is in place and its own views show it.
    void documentOpened(const lb::app::ModelDocument& document);
    // The opened model has been painted once and the window responds to input.
    void documentShown(const lb::app::ModelDocument& document, double firstPaintMs, double totalMs);
    void openFailed(const QString& path, const QString& message);
    void recentFilesChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void startOpen(const QString& path, const std::map<std::string, Shape>& inputShapes,
                   bool remembered);
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onJobFailed(EngineWorker::JobId job, const QString& message);
    void onModelOpened(EngineWorker::JobId job, const ModelDocument& document);
    void onSceneRebuilt(EngineWorker::JobId job, std::shared_ptr<const widgets::GraphScene> scene);
    void onFirstPaint();
    void addRecent(const QString& path);
    void showOpenedStatus();
    void offerInputShapes();

    EngineWorker* m_worker;
    AppSettings* m_settings;
    StatusReporter* m_status;
    Views m_views;
    InputShapes* m_inputShapes;
    RecentFiles m_recent;
    std::function<bool()> m_mayClose;

    // A model opened is a project of its own; the advisor issue adds versions to it.
    project::Project m_project;
    std::optional<ModelDocument> m_document;

    std::optional<EngineWorker::JobId> m_openJob;
    QString m_openingPath;
    bool m_openingRemembered = false; // the open applies shapes kept from an earlier session
    std::optional<EngineWorker::JobId> m_sceneJob;
    bool m_sceneJobForLanguage = false; // the same graph in new words: the status line stays
    QElapsedTimer m_openClock;
    double m_sceneShownAtMs = -1; // >= 0 while waiting for the first paint of a new document
};

} // namespace lb::app
