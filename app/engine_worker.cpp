#include "app/engine_worker.h"

#include "core/error.h"
#include "project/open_model.h"
#include "quant/encodings_json.h"
#include "widgets/graph_scene_builder.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <string>

namespace lb::app {

// Lives on the worker thread and runs queued jobs one after another.
class EngineRunner : public QObject {
public:
    explicit EngineRunner(EngineWorker* worker) : m_worker(worker) {}

    void drain() {
        while (auto job = m_worker->takeNext())
            run(*job);
    }

private:
    void run(const EngineWorker::Job& job);

    EngineWorker* m_worker;
};

namespace {

double elapsedMs(const QElapsedTimer& timer) {
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

} // namespace

void EngineRunner::run(const EngineWorker::Job& job) {
    EngineWorker* worker = m_worker;
    const EngineWorker::JobId id = job.id;
    const QString tag = job.tag;
    QMetaObject::invokeMethod(
        worker, [worker, id, tag] { emit worker->jobStarted(id, tag); }, Qt::QueuedConnection);

    // Progress crosses threads as queued calls; throttle so a fine-grained engine loop cannot
    // flood the GUI's event queue.
    TaskContext task;
    task.token = job.token;
    task.progress = [worker, id, last = -1.0,
                     lastStage = std::string()](double fraction, std::string_view stage) mutable {
        if (stage == lastStage && fraction - last < 0.01 && fraction < 1.0)
            return;
        last = fraction;
        lastStage = std::string(stage);
        const QString stageText = QString::fromStdString(lastStage);
        QMetaObject::invokeMethod(
            worker,
            [worker, id, fraction, stageText] {
                if (worker->m_active.count(id))
                    emit worker->jobProgress(id, fraction, stageText);
            },
            Qt::QueuedConnection);
    };

    std::optional<QString> error;
    bool cancelled = false;
    try {
        job.work(job, task);
    } catch (const Cancelled&) {
        cancelled = true;
    } catch (const std::exception& e) {
        // Engine errors are one line already; anything else is reported the same way rather
        // than taking the application down.
        error = QString::fromStdString(e.what()).section(QLatin1Char('\n'), 0, 0);
    }
    if (cancelled || error) {
        QMetaObject::invokeMethod(
            worker,
            [worker, id, tag, cancelled, error] {
                if (cancelled)
                    emit worker->jobCancelled(id, tag);
                else if (worker->isCurrent(id, tag))
                    emit worker->jobFailed(id, tag, *error);
            },
            Qt::QueuedConnection);
    }
    m_worker->finishOnWorker(job);
}

EngineWorker::EngineWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<JobId>("lb::app::EngineWorker::JobId");
    qRegisterMetaType<ModelDocument>();
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<BenchResult>();
    qRegisterMetaType<QuantResult>();
    qRegisterMetaType<RemeasureResult>();
    qRegisterMetaType<ReanalysisResult>();
    qRegisterMetaType<QdqExportSummary>();
    qRegisterMetaType<std::shared_ptr<const widgets::GraphScene>>();
    m_thread.setObjectName(QStringLiteral("lb-engine"));
    m_runner = new EngineRunner(this);
    m_runner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    m_thread.start();
}

EngineWorker::~EngineWorker() {
    cancelAll();
    m_thread.quit();
    // Only at shutdown: the running job was cancelled above and stops at its next poll.
    m_thread.wait();
}

EngineWorker::JobId EngineWorker::post(const QString& tag,
                                       std::function<void(const Job&, const TaskContext&)> work) {
    std::vector<JobId> replaced;
    JobId id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        auto sameTag = [&tag](const Job& job) { return job.tag == tag; };
        for (const Job& job : m_queue) {
            if (sameTag(job))
                replaced.push_back(job.id);
        }
        m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(), sameTag), m_queue.end());
        if (m_running && m_running->tag == tag)
            m_running->token.cancel();
        m_queue.push_back(Job{id, tag, CancellationToken(), std::move(work)});
    }
    m_latest[tag] = id;
    m_active[id] = tag;
    for (JobId old : replaced) {
        emit jobCancelled(old, tag);
        deliverFinished(old, tag);
    }
    EngineRunner* runner = m_runner;
    QMetaObject::invokeMethod(
        runner, [runner] { runner->drain(); }, Qt::QueuedConnection);
    return id;
}

std::optional<EngineWorker::Job> EngineWorker::takeNext() {
    std::lock_guard lock(m_mutex);
    if (m_queue.empty())
        return std::nullopt;
    m_running = std::move(m_queue.front());
    m_queue.pop_front();
    return m_running;
}

void EngineWorker::finishOnWorker(const Job& job) {
    {
        std::lock_guard lock(m_mutex);
        if (m_running && m_running->id == job.id)
            m_running.reset();
    }
    const JobId id = job.id;
    const QString tag = job.tag;
    QMetaObject::invokeMethod(
        this, [this, id, tag] { deliverFinished(id, tag); }, Qt::QueuedConnection);
}

void EngineWorker::deliverFinished(JobId job, const QString& tag) {
    if (m_active.erase(job))
        emit jobFinished(job, tag);
}

bool EngineWorker::isCurrent(JobId job, const QString& tag) const {
    auto it = m_latest.find(tag);
    return it != m_latest.end() && it->second == job;
}

void EngineWorker::cancel(JobId job) {
    std::optional<QString> dequeuedTag;
    {
        std::lock_guard lock(m_mutex);
        auto it = std::find_if(m_queue.begin(), m_queue.end(),
                               [job](const Job& queued) { return queued.id == job; });
        if (it != m_queue.end()) {
            dequeuedTag = it->tag;
            m_queue.erase(it);
        } else if (m_running && m_running->id == job) {
            m_running->token.cancel();
        }
    }
    if (dequeuedTag) {
        emit jobCancelled(job, *dequeuedTag);
        deliverFinished(job, *dequeuedTag);
    }
}

void EngineWorker::cancelAll() {
    std::vector<JobId> ids;
    for (const auto& [id, tag] : m_active)
        ids.push_back(id);
    for (JobId id : ids)
        cancel(id);
}

EngineWorker::JobId EngineWorker::openModel(const QString& path,
                                            const std::map<std::string, Shape>& inputShapes,
                                            const widgets::GraphSceneOptions& sceneOptions) {
    auto work = [this, path, inputShapes, sceneOptions](const Job& job, const TaskContext& task) {
        project::OpenedModel opened =
            project::openModel(path.toStdString(), inputShapes, task.phase(0.0, 0.5));
        ModelDocument document;
        document.timings.importMs = opened.importMs;
        document.timings.hashMs = opened.hashMs;
        document.timings.summaryMs = opened.summaryMs;
        for (const std::string& warning : opened.warnings)
            document.warnings << QString::fromStdString(warning);
        document.version = std::make_shared<project::ModelVersion>(std::move(opened.version));

        QElapsedTimer timer;
        timer.start();
        document.scene = std::make_shared<const widgets::GraphScene>(widgets::buildGraphScene(
            *document.version->graph(), sceneOptions, task.phase(0.5, 1.0)));
        document.timings.sceneMs = elapsedMs(timer);
        task.checkCancelled();

        deliver(job, &EngineWorker::modelOpened, std::move(document));
    };
    return post(QStringLiteral("open"), std::move(work));
}

EngineWorker::JobId EngineWorker::runModel(const run::RunSpec& spec) {
    auto work = [this, spec](const Job& job, const TaskContext& task) {
        if (!m_localTarget)
            m_localTarget = std::make_unique<run::LocalTarget>();
        RunResult result;
        result.spec = spec;
        result.report =
            std::make_shared<const report::ProfileReport>(m_localTarget->run(spec, task));
        deliver(job, &EngineWorker::runFinished, std::move(result));
    };
    return post(QStringLiteral("run"), std::move(work));
}

EngineWorker::JobId EngineWorker::benchmark(const run::BenchSpec& spec,
                                            std::shared_ptr<const quant::EncodingSet> encodings) {
    auto work = [this, spec, encodings](const Job& job, const TaskContext& task) {
        BenchResult result;
        result.spec = spec;
        // The targets run on the engine's files: the table's encodings (edits included) go to a
        // scratch file that lives as long as the benchmark.
        QTemporaryDir scratch;
        if (encodings) {
            if (!scratch.isValid())
                fail("compare: cannot make a scratch folder for the encodings: ",
                     scratch.errorString().toStdString());
            result.spec.encodings = scratch.filePath(QStringLiteral("encodings.json")).toStdString();
            quant::writeEncodingsFile(result.spec.encodings, *encodings,
                                      quant::EncodingsFormat::V100);
        }
        result.comparison = std::make_shared<const report::Comparison>(
            run::benchmarkLocal(result.spec, task));
        result.spec.encodings.clear(); // the scratch file is gone
        deliver(job, &EngineWorker::benchmarkFinished, std::move(result));
    };
    return post(QStringLiteral("compare"), std::move(work));
}

EngineWorker::JobId EngineWorker::rebuildScene(std::shared_ptr<const ir::Graph> graph,
                                               const widgets::GraphSceneOptions& sceneOptions) {
    auto work = [this, graph, sceneOptions](const Job& job, const TaskContext& task) {
        auto scene = std::make_shared<const widgets::GraphScene>(
            widgets::buildGraphScene(*graph, sceneOptions, task));
        deliver(job, &EngineWorker::sceneRebuilt, std::move(scene));
    };
    return post(QStringLiteral("scene"), std::move(work));
}

} // namespace lb::app
