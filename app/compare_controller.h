#pragma once

#include "app/engine_worker.h"
#include "app/model_document.h"
#include "report/comparison.h"
#include "widgets/compare_view.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace lb::widgets {
class EncodingsTableModel;
}

namespace lb::app {

class AppSettings;
class DocumentController;
class InputShapes;
class StatusReporter;

// The Compare view's work (issue #12): its settings with the open model and the shared Input
// shapes become a run::BenchSpec that the engine worker runs (run::benchmarkLocal, every target on
// the same inputs), the comparison comes back into the view; saved reports and comparisons are
// added to it, and it is written as JSON (report::Comparison). npu-int8 runs with the encodings
// the Encodings table holds. Errors go to the view's error line, where the user acted.
class CompareController : public QObject {
    Q_OBJECT

public:
    CompareController(EngineWorker* worker, DocumentController* documents, InputShapes* shapes,
                      StatusReporter* status, AppSettings* settings,
                      widgets::EncodingsTableModel* encodings, widgets::CompareView* view,
                      QObject* parent = nullptr);

    // Benchmarks the open model with `settings` (the Compare button's action); false with the
    // reason in the view's error line when it cannot start.
    bool compare(const widgets::CompareView::Settings& settings);
    void cancel();
    bool isRunning() const { return m_job.has_value(); }

    // Reads each file (a comparison or a single profile report) and adds its reports to the
    // comparison shown; false with a one-line error naming the file when one cannot be read (then
    // nothing is added).
    bool openReports(const QStringList& paths);
    void openReportsDialog();
    bool saveComparison(const QString& path);
    void saveComparisonDialog();
    void exportDialog(widgets::CompareView::Chart chart, widgets::CompareView::ExportFormat format);

    const report::Comparison* comparison() const { return m_comparison.get(); }

    // A new document: Compare runs on it; the last document's comparison is gone.
    void showDocument(const ModelDocument& document);

signals:
    // A comparison (a finished benchmark, or opened reports) is in the view.
    void comparisonShown();
    void compareFailed(const QString& message);

private:
    void onJobProgress(EngineWorker::JobId job, double fraction, const QString& stage);
    void onBenchmarkFinished(EngineWorker::JobId job, const BenchResult& result);
    void updateEncodings();
    void show(std::shared_ptr<const report::Comparison> comparison);
    void fail(const QString& message);

    EngineWorker* m_worker;
    DocumentController* m_documents;
    InputShapes* m_shapes;
    StatusReporter* m_status;
    AppSettings* m_settings;
    widgets::EncodingsTableModel* m_encodings;
    widgets::CompareView* m_view;
    std::optional<EngineWorker::JobId> m_job;
    QString m_step;      // the benchmark's target and round now running, in words
    QString m_reference; // the accuracy reference's target when it runs apart ("" otherwise)
    std::shared_ptr<const report::Comparison> m_comparison;
};

} // namespace lb::app
