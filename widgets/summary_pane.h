#pragma once

#include "report/model_summary.h"

#include <QWidget>

class QCustomPlot;
class QFont;
class QLabel;
class QTableView;

namespace lb::widgets {

class OpCountModel;
class TensorTableModel;

// Model overview: file, IR version, opsets, producer; inputs/outputs; totals (parameters, MACs,
// nodes); op histogram as horizontal bars, most frequent on top.
class SummaryPane : public QWidget {
    Q_OBJECT

public:
    explicit SummaryPane(QWidget* parent = nullptr);

    void setSummary(const lb::report::ModelSummary& summary);
    void clear();

    TensorTableModel* tensorModel() const { return m_tensorModel; }
    OpCountModel* opModel() const { return m_opModel; }
    QString infoText() const;

protected:
    void changeEvent(QEvent* event) override;
    // The op chart shows as many bars as its height holds without overlapping labels.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateChart();
    int barsThatFit(const QFont& labelFont) const;
    void fitTensorViewToRows();

    lb::report::ModelSummary m_summary; // shown again in the new words on a language switch
    QLabel* m_info = nullptr;
    QLabel* m_totals = nullptr;
    QTableView* m_tensorView = nullptr;
    QTableView* m_opView = nullptr;
    QCustomPlot* m_chart = nullptr;
    int m_chartBars = 0;
    TensorTableModel* m_tensorModel = nullptr;
    OpCountModel* m_opModel = nullptr;
};

} // namespace lb::widgets
