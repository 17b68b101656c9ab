#pragma once

#include "report/quant_report.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <qcustomplot.h>
#include <vector>

namespace lb::widgets {

// Per-tensor SQNR as bars in graph order, cumulative (the tensor in the fully quantized model) or
// isolated (the model outputs with only that tensor quantized). A horizontal threshold line can be
// dragged (or set with setThreshold); bars under it are drawn red. Clicking a bar emits
// tensorClicked; hovering shows the tensor's name and numbers. The selected tensor's bar stands on
// a highlighted band. Without a report the chart is empty (no axes, no line).
class QuantSqnrChart : public QCustomPlot {
    Q_OBJECT

public:
    enum class Mode { Cumulative, Isolated };
    // Bars for identical tensors (infinite SQNR) are drawn at this height.
    static constexpr double kInfiniteDb = 100.0;

    explicit QuantSqnrChart(QWidget* parent = nullptr);

    void setReport(std::shared_ptr<const lb::report::QuantReport> report);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setThreshold(double db);
    double threshold() const { return m_threshold; }
    // The tensor selected elsewhere (the encodings table); empty: none.
    void setSelectedTensor(const QString& tensor);
    QString selectedTensor() const { return m_selected; }
    // Whether the selected tensor has a bar (it may not, e.g. in isolated mode).
    bool selectionShown() const;

    // The tensors shown, in bar order (key i + 1), and those under the threshold.
    const QStringList& shownTensors() const { return m_tensors; }
    QStringList tensorsBelowThreshold() const;
    double sqnrOf(const QString& tensor) const; // NaN when not shown
    // Screen position of bar `i`'s centre and of the threshold line (tests drive the mouse).
    QPointF barCentre(int i) const;
    double thresholdPixel() const;

signals:
    void thresholdChanged(double db);
    void tensorClicked(const QString& tensor);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void rebuild();
    void recolour();
    void placeSelection();
    int barAt(const QPointF& pos) const;

    std::shared_ptr<const lb::report::QuantReport> m_report;
    Mode m_mode = Mode::Cumulative;
    double m_threshold = 20.0;
    bool m_dragging = false;
    QStringList m_tensors;
    std::vector<double> m_values;    // as drawn (infinite clamped)
    std::vector<double> m_sqnr;      // as measured
    std::vector<size_t> m_reportRow; // bar -> report.tensors index
    QCPBars* m_above = nullptr;
    QCPBars* m_below = nullptr;
    QCPItemStraightLine* m_line = nullptr;
    QCPItemRect* m_selectedBand = nullptr;
    QString m_selected;
    QCPTextElement* m_lineLabel = nullptr; // a title row: on the plot it would cover bars
};

} // namespace lb::widgets
