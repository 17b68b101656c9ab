#include "app/run_controller.h"

#include "app/document_controller.h"
#include "app/run_panel.h"
#include "app/status_reporter.h"
#include "widgets/profile_view.h"
#include "widgets/ui_format.h"

#include <QFileInfo>
#include <algorithm>

namespace lb::app {

RunController::RunController(EngineWorker* worker, DocumentController* documents,
                             StatusReporter* status, RunPanel* panel, widgets::ProfileView* view,
                             QObject* parent)
    : QObject(parent), m_worker(worker), m_documents(documents), m_status(status), m_panel(panel),
      m_view(view) {
    connect(panel, &RunPanel::runRequested, this, &RunController::run);
    connect(worker, &EngineWorker::runFinished, this, &RunController::onRunFinished);
    connect(worker, &EngineWorker::jobProgress, this, &RunController::onJobProgress);
    connect(worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                if (job != m_job)
                    return;
                m_status->setStatus([message] { return tr("The run failed: %1").arg(message); });
                m_panel->showError(tr("The run failed: %1").arg(message));
                emit runFailed(message);
            });
    connect(worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_job)
                    m_status->setStatus([] { return tr("Run cancelled."); });
            });
    connect(worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job != m_job)
                    return;
                m_job.reset();
                m_panel->setRunning(false);
            });
}

void RunController::run(const run::RunSpec& spec) {
    if (!m_documents->document())
        return;
    m_version = m_documents->version();
    m_job = m_worker->runModel(spec);
    m_panel->setRunning(true);
    m_panel->showError({});
    m_status->setStatus([file = QFileInfo(QString::fromStdString(spec.model)).fileName()] {
        return tr("Running %1...").arg(file);
    });
    m_status->trackJob(*m_job);
}

void RunController::runFromPanel() {
    QString error;
    std::string input;
    if (const auto spec = m_panel->request(&error, &input)) {
        run(*spec);
    } else {
        m_panel->showError(error, input);
        emit runFailed(error);
    }
}

void RunController::onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage) {
    if (job != m_job || m_documents->isOpening()) // an open's progress has the bar then
        return;
    const ModelDocument* document = m_documents->document();
    m_status->setStatus([file = QFileInfo(document ? document->path() : QString()).fileName(),
                         progress = m_status->progress(fraction, stage)] {
        return StatusReporter::progressStatus(tr("Running %1: %2").arg(file), progress);
    });
}

void RunController::onRunFinished(EngineWorker::JobId job, const RunResult& result) {
    if (job != m_job || !m_version || !result.report)
        return;
    // The run is the version's; the engine maps its rows (fused kernels) onto the graph.
    const project::Run& run = m_version->addRun(result.spec, result.report);
    if (m_version != m_documents->version())
        return; // another model was opened meanwhile: the run stays with its version
    m_shownVersion = m_version;
    m_shownRun = m_version->runs().size() - 1;
    m_view->setReport(run.report, run.nodes);
    const report::ProfileReport& r = *run.report;
    m_status->setStatus([file = QFileInfo(m_documents->document()->path()).fileName(),
                         mean = r.latencyMs.mean, p95 = r.latencyMs.p95, runs = r.iterations,
                         layers = std::count_if(r.nodes.begin(), r.nodes.end(),
                                                [](const auto& n) { return n.parent < 0; })] {
        return tr("%1: %2 ms mean, %3 ms p95 over %4 runs (%n layer(s) after passes)", nullptr,
                  static_cast<int>(layers))
            .arg(file, widgets::UiFormat::fixed(mean, 2), widgets::UiFormat::fixed(p95, 2))
            .arg(runs);
    });
    emit profileShown();
}

const project::Run* RunController::shownRun() const {
    if (!m_shownVersion || m_shownRun >= m_shownVersion->runs().size())
        return nullptr;
    return &m_shownVersion->runs()[m_shownRun];
}

void RunController::showDocument(const ModelDocument& document) {
    m_panel->setDocument(&document);
    m_view->clear();
    m_shownVersion.reset();
}

} // namespace lb::app
