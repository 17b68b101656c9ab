#include "app/compare_controller.h"

#include "app/app_settings.h"
#include "app/document_controller.h"
#include "app/input_shapes.h"
#include "app/progress_stage.h"
#include "app/status_reporter.h"
#include "core/error.h"
#include "project/node_map.h"
#include "run/targets.h"
#include "widgets/encodings_table_model.h"
#include "widgets/ui_format.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <nlohmann/json.hpp>

namespace lb::app {

namespace {
// The benchmark's own stages (run::benchmark): "cpu-fp32 2/3" for a target's round, the reference
// target's name for its untimed run when it is not among the targets.
const QRegularExpression kRoundStage(QStringLiteral("^(\\S+) (\\d+)/(\\d+)$"));

int encodingCount(const quant::EncodingSet& set) {
    return static_cast<int>(set.activations.size() + set.params.size());
}
} // namespace

CompareController::CompareController(EngineWorker* worker, DocumentController* documents,
                                     InputShapes* shapes, StatusReporter* status,
                                     AppSettings* settings, widgets::EncodingsTableModel* encodings,
                                     widgets::CompareView* view, QObject* parent)
    : QObject(parent), m_worker(worker), m_documents(documents), m_shapes(shapes), m_status(status),
      m_settings(settings), m_encodings(encodings), m_view(view) {
    connect(view, &widgets::CompareView::compareRequested, this, &CompareController::compare);
    connect(view, &widgets::CompareView::cancelRequested, this, &CompareController::cancel);
    connect(view, &widgets::CompareView::openReportsRequested, this,
            &CompareController::openReportsDialog);
    connect(view, &widgets::CompareView::saveComparisonRequested, this,
            &CompareController::saveComparisonDialog);
    connect(view, &widgets::CompareView::exportRequested, this, &CompareController::exportDialog);
    connect(worker, &EngineWorker::benchmarkFinished, this,
            &CompareController::onBenchmarkFinished);
    connect(worker, &EngineWorker::jobProgress, this, &CompareController::onJobProgress);
    connect(worker, &EngineWorker::jobFailed, this,
            [this](EngineWorker::JobId job, const QString&, const QString& message) {
                if (job == m_job)
                    fail(tr("The comparison failed: %1").arg(message));
            });
    connect(worker, &EngineWorker::jobCancelled, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job == m_job)
                    m_status->setStatus([] { return tr("Comparison cancelled."); });
            });
    connect(worker, &EngineWorker::jobFinished, this,
            [this](EngineWorker::JobId job, const QString&) {
                if (job != m_job)
                    return;
                m_job.reset();
                m_view->setRunning(false);
            });
    // Encodings arrive whole (calibration, import, recovery): each resets the table's model.
    connect(encodings, &QAbstractItemModel::modelReset, this, &CompareController::updateEncodings);
    updateEncodings();
}

void CompareController::updateEncodings() {
    m_view->setEncodingsCount(encodingCount(m_encodings->encodings()));
}

void CompareController::fail(const QString& message) {
    m_view->showError(message);
    m_status->setStatus([message] { return message; });
    emit compareFailed(message);
}

bool CompareController::compare(const widgets::CompareView::Settings& settings) {
    const ModelDocument* document = m_documents->document();
    if (!document) {
        fail(tr("Open a model first."));
        return false;
    }
    if (settings.targets.empty()) {
        fail(tr("Pick at least one target."));
        return false;
    }
    run::BenchSpec spec;
    spec.base.model = document->path().toStdString();
    spec.base.threads = settings.threads;
    spec.base.iterations = settings.iterations;
    spec.base.warmup = 2;
    spec.base.seed = 1; // the same random inputs as the Run panel's runs
    QString shapeError;
    const auto shapes = m_shapes->shapes({}, &shapeError);
    if (!shapes) {
        fail(shapeError);
        return false;
    }
    spec.base.inputShapes = *shapes;
    spec.targets = settings.targets;
    spec.rounds = settings.rounds;
    std::shared_ptr<const quant::EncodingSet> encodings;
    const bool wantsInt8 =
        std::any_of(settings.targets.begin(), settings.targets.end(), [](const std::string& t) {
            const run::TargetInfo* info = run::findNamedTarget(t);
            return info && info->needsEncodings;
        });
    if (wantsInt8) {
        if (encodingCount(m_encodings->encodings()) == 0) {
            fail(tr("npu-int8 needs encodings: quantize the model or import encodings first."));
            return false;
        }
        encodings = std::make_shared<const quant::EncodingSet>(m_encodings->encodings());
    }
    m_view->showError({});
    m_step.clear();
    // Its untimed run reports under its name when it is not among the targets.
    m_reference =
        std::find(spec.targets.begin(), spec.targets.end(), spec.reference) == spec.targets.end()
            ? QString::fromStdString(spec.reference)
            : QString();
    m_job = m_worker->benchmark(spec, std::move(encodings));
    m_view->setRunning(true);
    m_status->trackJob(*m_job);
    m_status->setStatus([file = QFileInfo(document->path()).fileName(),
                         count = static_cast<int>(settings.targets.size())] {
        // English has no numerus translation: the singular is a text of its own.
        return count == 1 ? tr("Comparing 1 target on %1...").arg(file)
                          : tr("Comparing %1 targets on %2...").arg(count).arg(file);
    });
    return true;
}

void CompareController::cancel() {
    if (m_job)
        m_worker->cancel(*m_job);
}

void CompareController::onJobProgress(EngineWorker::JobId job, double fraction,
                                      const QString& stage) {
    if (job != m_job)
        return;
    // The target and round stay on screen while a run's own stages pass.
    bool own = true;
    if (const auto round = kRoundStage.match(stage); round.hasMatch())
        m_step =
            tr("%1, round %2 of %3").arg(round.captured(1), round.captured(2), round.captured(3));
    else if (!m_reference.isEmpty() && stage == m_reference)
        m_step = tr("%1 (reference outputs)").arg(stage);
    else
        own = false;
    const QString text = own ? m_step : ProgressStage::text(stage);
    m_view->setProgress(
        fraction, m_step.isEmpty() || m_step == text ? text : m_step + QStringLiteral(": ") + text);
    m_status->setFraction(fraction);
}

void CompareController::onBenchmarkFinished(EngineWorker::JobId job, const BenchResult& result) {
    if (job != m_job || !result.comparison)
        return;
    show(result.comparison);
    const report::Comparison& c = *result.comparison;
    const auto fastest =
        std::min_element(c.reports.begin(), c.reports.end(), [](const auto& a, const auto& b) {
            return a.latencyMs.p50 < b.latencyMs.p50;
        });
    if (fastest == c.reports.end())
        return;
    m_status->setStatus(
        [target = QString::fromStdString(fastest->target), p50 = fastest->latencyMs.p50] {
            return tr("Comparison done: fastest %1, %2 ms median.")
                .arg(target, widgets::UiFormat::fixed(p50, 2));
        });
}

void CompareController::show(std::shared_ptr<const report::Comparison> comparison) {
    m_comparison = std::move(comparison);
    m_view->setComparison(m_comparison);
    emit comparisonShown();
}

bool CompareController::openReports(const QStringList& paths) {
    auto merged =
        std::make_shared<report::Comparison>(m_comparison ? *m_comparison : report::Comparison{});
    const int before = static_cast<int>(merged->reports.size());
    for (const QString& path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            fail(tr("Cannot read %1: %2").arg(path, file.errorString()));
            return false;
        }
        report::Comparison read;
        try {
            read = report::comparisonFromJson(nlohmann::json::parse(file.readAll().toStdString()));
        } catch (const std::exception& e) {
            fail(tr("Cannot read %1: %2")
                     .arg(QFileInfo(path).fileName(),
                          QString::fromStdString(e.what()).section(QLatin1Char('\n'), 0, 0)));
            return false;
        }
        if (merged->reports.empty()) {
            merged->reference = read.reference;
            merged->rounds = read.rounds;
        } else {
            if (merged->reference != read.reference)
                merged->reference.clear(); // the accuracies stand against different targets
            if (merged->rounds != read.rounds)
                merged->rounds = 0; // assembled
        }
        merged->reports.insert(merged->reports.end(), read.reports.begin(), read.reports.end());
        merged->notes.insert(merged->notes.end(), read.notes.begin(), read.notes.end());
    }
    m_view->showError({});
    show(merged);
    m_status->setStatus([before, reports = static_cast<int>(merged->reports.size())] {
        return tr("Reports in the comparison: %1 (%2 added).").arg(reports).arg(reports - before);
    });
    return true;
}

void CompareController::openReportsDialog() {
    const QStringList paths = QFileDialog::getOpenFileNames(
        m_status->window(), tr("Open Reports"), m_settings->lastDirectory(),
        tr("Profile reports and comparisons (*.json);;All files (*)"));
    if (!paths.isEmpty())
        openReports(paths);
}

bool CompareController::saveComparison(const QString& path) {
    if (!m_comparison)
        return false;
    const std::string json = report::toJson(*m_comparison).dump(2) + '\n';
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(json.data(), static_cast<qint64>(json.size())) !=
            static_cast<qint64>(json.size()) ||
        !file.commit()) {
        fail(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_settings->setExportDirectory(QFileInfo(path).absolutePath());
    m_status->setStatus([path] { return tr("Comparison written to %1").arg(path); });
    return true;
}

void CompareController::saveComparisonDialog() {
    if (!m_comparison)
        return;
    const ModelDocument* document = m_documents->document();
    const QString model = document ? document->path() : QString();
    const QString base =
        document ? QFileInfo(model).completeBaseName() + QStringLiteral("_") : QString();
    const QString path = QFileDialog::getSaveFileName(
        m_status->window(), tr("Save Comparison"),
        QDir(m_settings->exportDirectory(model)).filePath(base + QStringLiteral("comparison.json")),
        tr("JSON files (*.json)"));
    if (!path.isEmpty())
        saveComparison(path);
}

void CompareController::exportDialog(widgets::CompareView::Chart chart,
                                     widgets::CompareView::ExportFormat format) {
    using View = widgets::CompareView;
    const ModelDocument* document = m_documents->document();
    const QString model = document ? document->path() : QString();
    const QString suffix = format == View::Png   ? QStringLiteral(".png")
                           : format == View::Svg ? QStringLiteral(".svg")
                                                 : QStringLiteral(".csv");
    const QString filter = format == View::Png   ? tr("PNG images (*.png)")
                           : format == View::Svg ? tr("SVG images (*.svg)")
                                                 : tr("CSV files (*.csv)");
    const QString base =
        (document ? QFileInfo(model).completeBaseName() + QStringLiteral("_") : QString()) +
        QStringLiteral("compare_") + View::chartFileStem(chart) + suffix;
    const QString path = QFileDialog::getSaveFileName(
        m_status->window(), tr("Export Chart"),
        QDir(m_settings->exportDirectory(model)).filePath(base), filter);
    if (path.isEmpty())
        return;
    if (!m_view->exportChart(chart, format, path)) {
        fail(tr("Cannot write %1.").arg(path));
        return;
    }
    m_settings->setExportDirectory(QFileInfo(path).absolutePath());
    m_status->setStatus([path] { return tr("Chart exported to %1").arg(path); });
}

void CompareController::showDocument(const ModelDocument& document) {
    if (m_job)
        m_worker->cancel(*m_job);
    m_view->setCanCompare(true);
    m_view->showError({});
    m_view->setGraph(std::make_shared<const project::NodeMap>(document.graph()));
    m_comparison.reset();
    m_view->clear();
}

} // namespace lb::app
