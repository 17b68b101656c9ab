#pragma once

#include "app/model_document.h"
#include "app/quant_request.h"
#include "app/run_result.h"
#include "core/progress.h"
#include "run/local_target.h"
#include "widgets/graph_scene_builder.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace lb::app {

class EngineRunner;

// The one service that runs engine work off the GUI thread. The GUI posts commands; each gets a
// job number and a cancellation token. A newer command with the same tag replaces a queued one
// and cancels a running one; results arrive as queued signals carrying immutable snapshots, and
// a result that is no longer the newest for its tag is dropped. Nothing here ever blocks the GUI.
class EngineWorker : public QObject {
    Q_OBJECT

public:
    using JobId = quint64;

    explicit EngineWorker(QObject* parent = nullptr);
    ~EngineWorker() override;

    // Opens a model as a new model version (project::openModel: import, hash, summary), then
    // lays out its graph scene, all on the worker. `inputShapes` fix symbolic dims.
    JobId openModel(const QString& path, const std::map<std::string, Shape>& inputShapes = {},
                    const widgets::GraphSceneOptions& sceneOptions = {});
    // Lays out an opened graph again with other scene options (tag "scene").
    JobId rebuildScene(std::shared_ptr<const ir::Graph> graph,
                       const widgets::GraphSceneOptions& sceneOptions);
    // Runs `spec` through the engine's one run path (run::LocalTarget, whose session cache
    // makes a second run of the same model and settings start at once; tag "run": a newer run
    // replaces this one).
    JobId runModel(const run::RunSpec& spec);
    // Runs every target of `spec` on the same inputs (run::benchmarkLocal; tag "compare": a newer
    // benchmark replaces this one). `encodings`, when given, are written to a scratch file for the
    // int8 targets (spec.encodings is then ignored).
    JobId benchmark(const run::BenchSpec& spec,
                    std::shared_ptr<const quant::EncodingSet> encodings = nullptr);
    // Calibrates and analyses the model (tag "quantize"; engine_worker_quant.cpp).
    JobId quantizeModel(const QuantizeRequest& request);
    // Re-measures one tensor under `encodings` with the probe of a QuantResult (tag "remeasure:"
    // + tensor: a newer request for that tensor replaces a queued one, so a drag never builds a
    // backlog; requests for other tensors are kept).
    JobId remeasure(std::shared_ptr<quant::EncodingProbe> probe,
                    std::shared_ptr<const quant::EncodingSet> encodings, const QString& tensor,
                    bool preview = false);
    // Analyses the whole model again under `encodings` with the probe's graph, samples and options
    // (tag "reanalyze": a newer request replaces a queued one).
    JobId reanalyze(std::shared_ptr<quant::EncodingProbe> probe,
                    std::shared_ptr<const quant::EncodingSet> encodings);
    // Writes the model at `modelPath` (imported with `inputShapes`, the graph the encodings name)
    // with `encodings` as QuantizeLinear/DequantizeLinear pairs to `outPath` (tag "qdq").
    JobId exportQdq(const QString& modelPath, const std::map<std::string, Shape>& inputShapes,
                    std::shared_ptr<const quant::EncodingSet> encodings, const QString& outPath);
    // Cancels the job (queued or running). Unknown or finished ids are ignored.
    void cancel(JobId job);
    void cancelAll();
    bool isBusy() const { return !m_active.empty(); }

signals:
    void jobStarted(lb::app::EngineWorker::JobId job, const QString& tag);
    void jobProgress(lb::app::EngineWorker::JobId job, double fraction, const QString& stage);
    void modelOpened(lb::app::EngineWorker::JobId job, const lb::app::ModelDocument& document);
    void sceneRebuilt(lb::app::EngineWorker::JobId job,
                      std::shared_ptr<const lb::widgets::GraphScene> scene);
    void runFinished(lb::app::EngineWorker::JobId job, const lb::app::RunResult& result);
    void benchmarkFinished(lb::app::EngineWorker::JobId job, const lb::app::BenchResult& result);
    void quantizeFinished(lb::app::EngineWorker::JobId job, const lb::app::QuantResult& result);
    void remeasured(lb::app::EngineWorker::JobId job, const lb::app::RemeasureResult& result);
    void reanalyzed(lb::app::EngineWorker::JobId job, const lb::app::ReanalysisResult& result);
    void qdqExported(lb::app::EngineWorker::JobId job, const lb::app::QdqExportSummary& summary);
    void jobFailed(lb::app::EngineWorker::JobId job, const QString& tag, const QString& message);
    void jobCancelled(lb::app::EngineWorker::JobId job, const QString& tag);
    // Emitted once per job when it leaves the worker, whatever the outcome.
    void jobFinished(lb::app::EngineWorker::JobId job, const QString& tag);

private:
    friend class EngineRunner;
    struct Job {
        JobId id = 0;
        QString tag;
        CancellationToken token;
        std::function<void(const Job&, const TaskContext&)> work;
    };

    JobId post(const QString& tag, std::function<void(const Job&, const TaskContext&)> work);
    // Worker thread: takes the next queued job, or nothing.
    std::optional<Job> takeNext();
    void finishOnWorker(const Job& job);
    bool isCurrent(JobId job, const QString& tag) const;
    void deliverFinished(JobId job, const QString& tag);
    // Worker thread: hands a job's result to the GUI thread, which emits `signal` with it unless
    // the job was cancelled meanwhile (jobCancelled instead) or a newer job took its tag.
    template <typename Arg, typename Result>
    void deliver(const Job& job, void (EngineWorker::*signal)(JobId, Arg), Result result) {
        QMetaObject::invokeMethod(
            this,
            [this, id = job.id, tag = job.tag, token = job.token, signal,
             result = std::move(result)] {
                if (token.isCancelled())
                    emit jobCancelled(id, tag);
                else if (isCurrent(id, tag))
                    emit(this->*signal)(id, result);
            },
            Qt::QueuedConnection);
    }

    QThread m_thread;
    EngineRunner* m_runner = nullptr;
    // Runs go through the engine's one run path; its session cache makes a second run of the same
    // model and settings start at once. Used on the worker thread only.
    std::unique_ptr<run::LocalTarget> m_localTarget;

    // Shared with the worker thread.
    mutable std::mutex m_mutex;
    std::deque<Job> m_queue;
    std::optional<Job> m_running;
    JobId m_nextId = 1;

    // GUI thread only: the newest job per tag (older results are stale) and unfinished jobs.
    std::map<QString, JobId> m_latest;
    std::map<JobId, QString> m_active;
};

} // namespace lb::app

Q_DECLARE_METATYPE(std::shared_ptr<const lb::widgets::GraphScene>)
