#pragma once

#include <QObject>
#include <QString>
#include <string>

namespace lb::widgets {
class GraphView;
}

namespace lb::app {

class AppSettings;
class DocumentController;
class RunController;
class StatusReporter;

// Files written from what the window shows, as the CLI writes them: the graph as PNG or SVG, the
// shown run's profile report (report::toJson, `run --json`) and its Chrome trace (`run --trace`).
// The QDQ model is the quantization controller's.
class ExportController : public QObject {
    Q_OBJECT

public:
    ExportController(DocumentController* documents, RunController* runs, StatusReporter* status,
                     AppSettings* settings, widgets::GraphView* graph, QObject* parent = nullptr);

    // File > Export Graph as PNG / SVG.
    void exportGraphDialog(bool svg);
    // The report of the run the profile view shows, as JSON or as a Chrome trace; false when
    // there is none or the file cannot be written.
    bool saveProfileReport(const QString& path);
    bool saveChromeTrace(const QString& path);
    void saveProfileDialog(bool trace);
    bool canSaveProfile() const;

signals:
    // A file could not be written; one line naming it.
    void exportFailed(const QString& message);

private:
    bool writeJsonFile(const QString& path, const std::string& json);

    DocumentController* m_documents;
    RunController* m_runs;
    StatusReporter* m_status;
    AppSettings* m_settings;
    widgets::GraphView* m_graph;
};

} // namespace lb::app
