#pragma once

#include "app/engine_worker.h"
#include "app/model_document.h"
#include "project/model_version.h"
#include "run/run_spec.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace lb::widgets {
class ProfileView;
}

namespace lb::app {

class DocumentController;
class RunPanel;
class StatusReporter;

// Local profiling runs: the Run panel's run::RunSpec goes to the engine worker (the engine's one
// run path), the report comes back as a run of the model version it was started on
// (project::ModelVersion::addRun, which maps its rows onto the graph), and the profile view shows
// it with that node map. A "compare backends" controller would post several specs and read the
// version's runs; a "devices" one would hand the spec to a device target instead.
class RunController : public QObject {
    Q_OBJECT

public:
    RunController(EngineWorker* worker, DocumentController* documents, StatusReporter* status,
                  RunPanel* panel, widgets::ProfileView* view, QObject* parent = nullptr);

    // Profiles the open model with `spec` (the Run button's action).
    void run(const run::RunSpec& spec);
    // Runs with the Run panel's settings, or shows why not (--run on the command line).
    void runFromPanel();
    bool isRunning() const { return m_job.has_value(); }
    // The run the profile view shows (null: none).
    const project::Run* shownRun() const;

    // A new document: the panel's inputs are its, the profile view is empty.
    void showDocument(const ModelDocument& document);

signals:
    // A run finished and its report is shown in the profile view.
    void profileShown();
    void runFailed(const QString& message);

private:
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onRunFinished(EngineWorker::JobId job, const RunResult& result);

    EngineWorker* m_worker;
    DocumentController* m_documents;
    StatusReporter* m_status;
    RunPanel* m_panel;
    widgets::ProfileView* m_view;
    std::optional<EngineWorker::JobId> m_job;
    std::shared_ptr<project::ModelVersion> m_version; // the version m_job runs
    std::shared_ptr<project::ModelVersion> m_shownVersion;
    size_t m_shownRun = 0; // index in m_shownVersion's runs
};

} // namespace lb::app
