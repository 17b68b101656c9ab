#pragma once

#include "ir/graph.h"
#include "project/node_map.h"
#include "report/comparison.h"
#include "widgets/comparison_data.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QPair>
#include <QWidget>
#include <map>
#include <memory>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QToolButton;

namespace lb::widgets {

class ComparisonTableModel;
class TrLabel;

// Targets side by side (issue #12): the settings of a benchmark (targets from run::namedTargets(),
// rounds, iterations, threads) with Compare / Cancel and its progress, and what a comparison
// shows: a table (one row per target), total latency (median, p5-p95), the slowest layers matched
// by ONNX node across targets, time per op type, accuracy beside latency. Each chart exports as
// PNG / SVG and its data as CSV. The graph can be coloured by the fastest target per node or by
// the ratio between two targets. The view runs nothing: it emits what the user asked for.
class CompareView : public QWidget {
    Q_OBJECT

public:
    enum Chart { TableChart, LatencyChart, LayersChart, OpTypesChart, AccuracyChart };
    enum ExportFormat { Png, Svg, Csv };
    enum GraphColours { NoGraphColours, FastestColours, RatioColours };

    // What the Compare button asks for; the model and its shapes are the caller's.
    struct Settings {
        std::vector<std::string> targets; // named targets, in run::namedTargets() order
        int rounds = 3;
        int iterations = 10;
        int threads = 1;
    };

    explicit CompareView(QWidget* parent = nullptr);

    // The comparison shown (null: none). The view keeps it as is; setComparison replaces it.
    void setComparison(std::shared_ptr<const report::Comparison> comparison);
    void clear();
    const report::Comparison* comparison() const { return m_data->comparison(); }
    const ComparisonData& data() const { return *m_data; }

    // The graph the colours go on (its node names and ids); null: no graph.
    void setGraph(std::shared_ptr<const project::NodeMap> graph);

    Settings settings() const;
    void setSettings(const Settings& settings);
    // Whether Compare can run (a model is open); `reason` says why not in the settings' error
    // line's place.
    void setCanCompare(bool can);
    // The current quantization's encodings, for npu-int8 (0: none; npu-int8 cannot be picked).
    void setEncodingsCount(int tensors);
    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    void setProgress(double fraction, const QString& text);
    // One line under the Compare button (empty hides it).
    void showError(const QString& message);
    QString errorText() const;
    QString headlineText() const;

    QCheckBox* targetBox(const std::string& name) const;
    QPushButton* compareButton() const { return m_compare; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QTabWidget* tabs() const { return m_tabs; }
    ComparisonTableModel* tableModel() const { return m_model; }
    QTableView* table() const { return m_table; }
    QCustomPlot* chart(Chart chart) const;
    QSpinBox* layerCount() const { return m_layerCount; }
    QCheckBox* logTimeAxis() const { return m_logTime; }

    // The chart's data as CSV / the chart written to `path` (PNG or SVG, or its CSV).
    QString chartCsv(Chart chart) const;
    bool exportChart(Chart chart, ExportFormat format, const QString& path) const;
    Chart currentChart() const;
    // "latency", "layers", ...: a chart's part of a file name.
    static QString chartFileStem(Chart chart);

    GraphColours graphColours() const;
    void setGraphColours(GraphColours colours, int targetA = 0, int targetB = 1);
    // Graph node -> colour for the chosen colouring; nodes without a time on the targets involved
    // are left out (the window draws them grey).
    QHash<lb::ir::NodeId, QColor> graphOverlay() const;
    QList<QPair<QString, QColor>> graphLegend() const;

signals:
    void compareRequested(const lb::widgets::CompareView::Settings& settings);
    void cancelRequested();
    void openReportsRequested();
    void saveComparisonRequested();
    void exportRequested(lb::widgets::CompareView::Chart chart,
                         lb::widgets::CompareView::ExportFormat format);
    void graphColoursChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    QWidget* makeSettingsPane();
    QWidget* makeChartTab(QCustomPlot* plot, QWidget* above = nullptr);
    void retranslate();
    void fillCharts();
    void fillRatioTargets();
    void updateTargetBoxes();
    void updateActions();
    QString headline() const;

    std::shared_ptr<const ComparisonData> m_data;
    std::shared_ptr<const project::NodeMap> m_graph;
    bool m_running = false;
    bool m_canCompare = false;
    int m_encodings = 0;

    std::map<std::string, QCheckBox*> m_targets;
    QLabel* m_targetsLabel = nullptr;
    QLabel* m_roundsLabel = nullptr;
    QLabel* m_iterationsLabel = nullptr;
    QLabel* m_threadsLabel = nullptr;
    QSpinBox* m_rounds = nullptr;
    QSpinBox* m_iterations = nullptr;
    QSpinBox* m_threads = nullptr;
    QLabel* m_encodingsNote = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_save = nullptr;

    TrLabel* m_headline = nullptr;
    QLabel* m_coloursLabel = nullptr;
    QComboBox* m_colours = nullptr;
    QComboBox* m_ratioA = nullptr;
    QLabel* m_versus = nullptr;
    QComboBox* m_ratioB = nullptr;
    QCheckBox* m_logTime = nullptr;
    QToolButton* m_export = nullptr;
    QTabWidget* m_tabs = nullptr;
    ComparisonTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QCustomPlot* m_latencyChart = nullptr;
    QCustomPlot* m_layersChart = nullptr;
    QCustomPlot* m_opChart = nullptr;
    QCustomPlot* m_accuracyChart = nullptr;
    QLabel* m_layerCountLabel = nullptr;
    QSpinBox* m_layerCount = nullptr;
};

} // namespace lb::widgets

Q_DECLARE_METATYPE(lb::widgets::CompareView::Settings)
