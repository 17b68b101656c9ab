#pragma once

#include "ir/graph.h"
#include "project/node_map.h"
#include "quant/encoding_probe.h"
#include "quant/encoding_set.h"
#include "quant/histogram_observer.h"
#include "report/quant_report.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QPair>
#include <QWidget>
#include <functional>
#include <map>
#include <memory>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSplitter;
class QTabWidget;

namespace lb::widgets {

class EncodingsEditor;
class EncodingsTableModel;
class HistogramPlot;
class QuantSqnrChart;
class TrLabel;

// Where the accuracy goes: output SQNR / top-1, the per-tensor SQNR chart (cumulative or
// isolated, threshold), the histogram of the selected tensor with its range as handles, and the
// encodings table editor. It asks for re-measures (remeasureRequested) and shows their results;
// the window decides where they run.
class QuantView : public QWidget {
    Q_OBJECT

public:
    using Histograms = std::map<std::string, lb::quant::HistogramObserver>;

    explicit QuantView(QWidget* parent = nullptr);

    // `nodes`: the engine's map of the graph the user sees, which finds the nodes a tensor
    // belongs to (null: tensors select nothing on the graph).
    void setResult(std::shared_ptr<const lb::report::QuantReport> report,
                   const lb::quant::EncodingSet& encodings,
                   std::shared_ptr<const Histograms> histograms,
                   std::shared_ptr<const lb::project::NodeMap> nodes, bool randomData);
    void clear();
    // A whole re-analysis under the table's current encodings: every number replaced.
    void setReport(std::shared_ptr<const lb::report::QuantReport> report);
    // The numbers no longer describe the table's encodings (an import, a recovery): they go, and
    // `why` says what comes instead (a re-analysis running, or no calibration data to measure).
    void dropNumbers(const QString& why);
    // The same, with `why` made again after a language switch.
    void dropNumbers(std::function<QString()> why);
    bool hasResult() const { return m_report != nullptr; }
    const lb::report::QuantReport* report() const { return m_report.get(); }

    EncodingsTableModel* encodingsModel() const { return m_model; }
    QuantSqnrChart* chart() const { return m_chart; }
    HistogramPlot* histogram() const { return m_histogram; }
    EncodingsEditor* editor() const { return m_editor; }
    QTabWidget* tabs() const { return m_tabs; }
    QString headlineText() const;
    QString remeasureText() const;

    // Selects `tensor` in every part of the view: table row, chart bar, histogram, info line.
    void showTensor(const QString& tensor);
    QString selectedTensor() const { return m_selected; }
    // A re-measure finished: its numbers replace the tensor's in the chart and the headline.
    void applyRemeasure(const QString& tensor, const lb::quant::ProbeResult& result,
                        double elapsedMs, bool preview);
    // A re-measure of `tensor` failed with `message` (one line naming the tensor).
    void remeasureFailed(const QString& tensor, const QString& message);

    bool overlayEnabled() const;
    // Graph node -> colour by the lowest SQNR among the tensors it produces or reads as params.
    QHash<lb::ir::NodeId, QColor> sqnrOverlay() const;
    static QColor sqnrColour(double db);
    static QList<QPair<QString, QColor>> sqnrLegend();

signals:
    void nodesRequested(const QList<lb::ir::NodeId>& nodes);
    void overlayChanged();
    // Measure `tensor` again under `encodings` (the table's, or a drag's candidate).
    void remeasureRequested(const QString& tensor,
                            std::shared_ptr<const lb::quant::EncodingSet> encodings, bool preview);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateHeadline();
    QString headline() const;
    // The line under the headline: the selected tensor's last edit (measuring, measured, failed).
    void updateInfoLine();
    void requestRemeasure(const QString& tensor,
                          std::shared_ptr<const lb::quant::EncodingSet> encodings, bool preview);
    void onTensorClicked(const QString& tensor);
    QList<lb::ir::NodeId> nodesOf(const QString& tensor) const;

    std::shared_ptr<lb::report::QuantReport> m_report; // a copy: re-measures update it
    std::shared_ptr<const Histograms> m_histograms;
    std::shared_ptr<const lb::project::NodeMap> m_nodes;
    bool m_randomData = false;
    QString m_selected; // the tensor the table, chart, histogram and info line show
    struct Measure {
        enum class State { Pending, Done, Failed } state = State::Pending;
        bool preview = false;
        double elapsedMs = 0.0;
        QString error;
    };
    QHash<QString, Measure> m_measures; // edits since the numbers were last replaced as a whole
    EncodingsTableModel* m_model = nullptr;
    TrLabel* m_headline = nullptr;
    TrLabel* m_remeasure = nullptr;
    QLabel* m_thresholdLabel = nullptr;
    QComboBox* m_mode = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QCheckBox* m_overlay = nullptr;
    QTabWidget* m_tabs = nullptr;
    QSplitter* m_split = nullptr;
    bool m_splitMoved = false; // by the user: their sizes stay
    QuantSqnrChart* m_chart = nullptr;
    HistogramPlot* m_histogram = nullptr;
    EncodingsEditor* m_editor = nullptr;
};

} // namespace lb::widgets
