#pragma once

#include "ir/graph.h"
#include "project/node_map.h"
#include "report/profile_report.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QWidget>
#include <memory>
#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace lb::widgets {

class ProfileTableModel;
class TrLabel;

// Where the time goes: a headline (latency percentiles, throughput, memory, how many nodes fell
// back), a sortable per-layer table that a check box narrows to the fallback rows, and charts
// (slowest layers, time per op type, latency distribution). Clicking a row or a bar asks for the
// graph nodes that layer stands for; a check box turns the graph heat map on.
class ProfileView : public QWidget {
    Q_OBJECT

public:
    explicit ProfileView(QWidget* parent = nullptr);

    // `nodes` maps the report's rows onto the graph the user sees (the engine's map: a fused row
    // stands for several nodes, a row of nodes the graph lacks for none).
    void setReport(std::shared_ptr<const lb::report::ProfileReport> report,
                   std::shared_ptr<const lb::project::NodeMap> nodes);
    void clear();
    const lb::report::ProfileReport* report() const { return m_report.get(); }

    ProfileTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // "Fallbacks only (N)": lists only the rows that did not run as asked; off and disabled when
    // the report has none.
    QCheckBox* fallbacksOnly() const { return m_fallbacksOnly; }
    QCustomPlot* topLayersChart() const { return m_topChart; }
    // The report node whose table row is current (-1: none), and its bar in the slowest-layers
    // chart (-1: not among the bars shown). A bar click and a row click select both.
    int selectedReportNode() const;
    int selectedTopBar() const;
    QString headlineText() const;

    bool heatMapEnabled() const;
    // Original node -> heat colour by the time share of the layer it belongs to.
    QHash<lb::ir::NodeId, QColor> heatOverlay() const;

public slots:
    // As if the user clicked report node `index`: emits nodesRequested.
    void activateReportNode(int index);

signals:
    // The first node is the one to select; all of them are highlighted.
    void nodesRequested(const QList<lb::ir::NodeId>& nodes);
    void heatMapToggled(bool enabled);

protected:
    // The bar charts show as many bars as their height holds without overlapping labels.
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void fillCharts();
    void fillBarCharts();
    QString headline() const;

    void onTopBarClicked(int dataIndex);
    void selectTopBar();
    void updateHeadline();
    void retranslate();
    void updateFallbacksOnly();
    void setFallbacksOnly(bool only);

    std::shared_ptr<const lb::report::ProfileReport> m_report;
    std::shared_ptr<const lb::project::NodeMap> m_nodes;
    std::vector<int> m_topIndices; // bar data index -> report node index
    int m_selectedNode = -1;       // report node of the table's current row
    bool m_syncingTable = false;   // the table follows a bar click: do not activate twice
    ProfileTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    TrLabel* m_headline = nullptr;
    QCheckBox* m_heatMap = nullptr;
    QCheckBox* m_fallbacksOnly = nullptr;
    QTableView* m_table = nullptr;
    QCustomPlot* m_topChart = nullptr;
    QCustomPlot* m_opChart = nullptr;
    int m_topBars = 0, m_opBars = 0; // what the charts show now
    QCustomPlot* m_latencyChart = nullptr;
};

} // namespace lb::widgets
