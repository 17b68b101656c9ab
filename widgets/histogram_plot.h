#pragma once

#include "quant/encoding.h"
#include "quant/histogram_observer.h"

#include <QString>
#include <optional>
#include <qcustomplot.h>
#include <utility>

namespace lb::widgets {

// The histogram of one tensor (activations as calibration observed them, or a weight's values)
// with its encoding's range as two vertical handles. Dragging a handle moves that end of the
// range; the other end stays and the range is nudged so that 0 is exact, exactly as the encoding
// will be (quant::paramsFromMinMax), so the handles always sit where the real range is.
// Per-channel encodings show the histogram without handles (edit their channels in the table).
// The x axis spans the values (see HistogramBins); a range far wider than them (an int32 bias)
// is named in the title instead of stretching the axis until the values vanish.
class HistogramPlot : public QCustomPlot {
    Q_OBJECT

public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    void setHistogram(const QString& tensor, const lb::quant::HistogramObserver& histogram,
                      const std::optional<lb::quant::Encoding>& encoding);
    // Moves the handles to a changed encoding of the same tensor (undo, a table edit).
    void setEncoding(const std::optional<lb::quant::Encoding>& encoding);
    void clearHistogram();

    QString tensor() const { return m_tensor; }
    QString title() const { return m_title->text(); }
    bool hasHandles() const;
    const lb::quant::Encoding& encoding() const { return m_encoding; }
    // Screen x of a value on the range axis (tests drive drags with it).
    double pixelOf(double value) const;

signals:
    // While dragging: the nudged encoding the handles stand for now.
    void rangeDragged(const QString& tensor, const lb::quant::Encoding& encoding);
    // On release, when the range changed.
    void rangeEdited(const QString& tensor, const lb::quant::Encoding& encoding);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    enum class Handle { None, Min, Max };
    // Bars and x range for the values, keeping `range` (the handles) in view.
    void fillBars(std::optional<std::pair<double, double>> range);
    void placeHandles();
    void updateTitle();
    Handle handleAt(double x) const;

    QString m_tensor;
    lb::quant::Encoding m_encoding;
    lb::quant::Encoding m_dragStart;
    Handle m_drag = Handle::None;
    QCPGraph* m_graph = nullptr;
    QCPItemStraightLine* m_minLine = nullptr;
    QCPItemStraightLine* m_maxLine = nullptr;
    QCPItemRect* m_range = nullptr;
    QCPItemText* m_outliers = nullptr;
    QCPTextElement* m_title = nullptr;
    lb::quant::HistogramObserver m_observer;
    bool m_rangeFarOff = false; // the encoding's range dwarfs the values: no handles
    int64_t m_outside = 0;      // values beyond the axis, counted in the edge bars
};

} // namespace lb::widgets

Q_DECLARE_METATYPE(lb::quant::Encoding)
