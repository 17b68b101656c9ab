#include "widgets/histogram_plot.h"

#include "widgets/empty_chart.h"
#include "widgets/histogram_bins.h"
#include "widgets/ui_format.h"

#include <algorithm>
#include <cmath>

namespace lb::widgets {

namespace {
constexpr int kDisplayBins = 128;
constexpr double kGrabPixels = 6.0;
// An encoding range this many times wider than the values (an int32 bias: +-2^31 * scale) is not
// drawn: the values would shrink to one bar at the centre of a huge axis.
constexpr double kFarRange = 10.0;
const QColor kHandleColour(0xc0, 0x39, 0x2b);
const QColor kBarColour(0x33, 0x6f, 0xb3);
} // namespace

HistogramPlot::HistogramPlot(QWidget* parent) : QCustomPlot(parent) {
    plotLayout()->insertRow(0);
    m_title = new QCPTextElement(this, QString());
    plotLayout()->addElement(0, 0, m_title);
    m_graph = addGraph();
    m_graph->setLineStyle(QCPGraph::lsStepCenter);
    m_graph->setPen(QPen(kBarColour));
    m_graph->setBrush(QColor(0x33, 0x6f, 0xb3, 90));
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    auto logTicker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
    logTicker->setTickCount(4); // powers of ten, a few: 10^0 10^2 10^4, never a crowd
    yAxis->setTicker(logTicker);
    yAxis->setNumberFormat(QStringLiteral("gb")); // 5, 10, 10⁴: short labels for any count
    yAxis->setNumberPrecision(6);
    xAxis->ticker()->setTickCount(4);
    m_range = new QCPItemRect(this);
    m_range->setPen(Qt::NoPen);
    m_range->setBrush(QColor(0xc0, 0x39, 0x2b, 25));
    m_minLine = new QCPItemStraightLine(this);
    m_maxLine = new QCPItemStraightLine(this);
    for (QCPItemStraightLine* line : {m_minLine, m_maxLine})
        line->setPen(QPen(kHandleColour, 2));
    m_range->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_range->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_outliers = new QCPItemText(this);
    m_outliers->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_outliers->position->setCoords(1.0, 0.0);
    m_outliers->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    m_outliers->setPadding(QMargins(4, 2, 4, 2));
    m_outliers->setColor(QColor(0x60, 0x60, 0x60));
    m_outliers->setBrush(QColor(255, 255, 255, 220));
    retranslateUi();
    clearHistogram();
}

void HistogramPlot::retranslateUi() {
    UiFormat::applyLocale(this);
    yAxis->setLabel(tr("count"));
    xAxis->setLabel(tr("value"));
    m_outliers->setText(tr("%n value(s) beyond the axis, counted in the edge bars", "",
                           static_cast<int>(m_outside)));
    if (m_tensor.isEmpty())
        m_title->setText(tr("Select a tensor to see its histogram"));
    else
        updateTitle();
}

void HistogramPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        replot();
    }
    QCustomPlot::changeEvent(event);
}

void HistogramPlot::clearHistogram() {
    m_tensor.clear();
    m_encoding = {};
    m_observer = lb::quant::HistogramObserver();
    m_rangeFarOff = false;
    m_outside = 0;
    m_graph->data()->clear();
    m_title->setText(tr("Select a tensor to see its histogram"));
    for (QCPAbstractItem* item :
         {static_cast<QCPAbstractItem*>(m_minLine), static_cast<QCPAbstractItem*>(m_maxLine),
          static_cast<QCPAbstractItem*>(m_range), static_cast<QCPAbstractItem*>(m_outliers)})
        item->setVisible(false);
    // The title says what to do; the axes of the last tensor go.
    EmptyChart::show(this, QString());
}

void HistogramPlot::setHistogram(const QString& tensor,
                                 const lb::quant::HistogramObserver& histogram,
                                 const std::optional<lb::quant::Encoding>& encoding) {
    m_tensor = tensor;
    m_drag = Handle::None;
    m_observer = histogram;
    EmptyChart::leave(this);
    setEncoding(encoding);
}

void HistogramPlot::setEncoding(const std::optional<lb::quant::Encoding>& encoding) {
    m_encoding = encoding.value_or(lb::quant::Encoding{});
    if (!encoding)
        m_encoding.channels.clear();
    const bool perTensor = m_encoding.channels.size() == 1 && !m_encoding.isPerChannel();
    const double spread = m_observer.max() - m_observer.min();
    m_rangeFarOff = perTensor && !m_observer.empty() &&
                    m_encoding.channels.front().max - m_encoding.channels.front().min >
                        kFarRange * std::max(spread, 1e-12);
    std::optional<std::pair<double, double>> range;
    if (perTensor && !m_rangeFarOff)
        range = {m_encoding.channels.front().min, m_encoding.channels.front().max};
    fillBars(range);
    placeHandles();
    updateTitle();
    replot();
}

void HistogramPlot::fillBars(std::optional<std::pair<double, double>> range) {
    const HistogramBins bars(m_observer, kDisplayBins, range);
    QVector<double> keys, counts;
    double top = 1.0;
    for (size_t i = 0; i < bars.keys().size(); ++i) {
        keys.append(bars.keys()[i]);
        counts.append(std::max(bars.counts()[i], 0.5)); // log axis: empty bins sit just under 1
        top = std::max(top, bars.counts()[i]);
    }
    m_graph->setData(keys, counts, true);
    double lo = bars.empty() ? 0.0 : bars.lo(), hi = bars.empty() ? 1.0 : bars.hi();
    if (range) {
        lo = std::min(lo, range->first);
        hi = std::max(hi, range->second);
    }
    const double margin = std::max(hi - lo, 1e-6) * 0.08;
    xAxis->setRange(lo - margin, hi + margin);
    // At least a decade: under one, the log ticker falls back to linear steps (0,5 1 1,5 ... 4)
    // crowded at the top of a log axis.
    yAxis->setRange(0.5, std::max(top * 2.0, 10.0));
    m_outside = bars.below() + bars.above();
    m_outliers->setVisible(m_outside > 0);
    m_outliers->setText(tr("%n value(s) beyond the axis, counted in the edge bars", "",
                           static_cast<int>(m_outside)));
}

bool HistogramPlot::hasHandles() const {
    return !m_tensor.isEmpty() && m_encoding.dtype == lb::quant::EncodingDtype::Int &&
           m_encoding.channels.size() == 1 && !m_encoding.isPerChannel() && !m_rangeFarOff;
}

void HistogramPlot::placeHandles() {
    const bool visible = hasHandles();
    for (QCPAbstractItem* item :
         {static_cast<QCPAbstractItem*>(m_minLine), static_cast<QCPAbstractItem*>(m_maxLine),
          static_cast<QCPAbstractItem*>(m_range)})
        item->setVisible(visible);
    if (!visible)
        return;
    const lb::quant::ChannelParams& c = m_encoding.channels.front();
    m_minLine->point1->setCoords(c.min, 0);
    m_minLine->point2->setCoords(c.min, 1);
    m_maxLine->point1->setCoords(c.max, 0);
    m_maxLine->point2->setCoords(c.max, 1);
    m_range->topLeft->setCoords(c.min, 0);
    m_range->bottomRight->setCoords(c.max, 1);
    // Keep both handles reachable when the range grows past the data.
    const QCPRange shown = xAxis->range();
    if (c.min < shown.lower || c.max > shown.upper) {
        const double lo = std::min(shown.lower, c.min), hi = std::max(shown.upper, c.max);
        const double margin = (hi - lo) * 0.05;
        xAxis->setRange(lo - margin, hi + margin);
    }
}

void HistogramPlot::updateTitle() {
    if (m_tensor.isEmpty())
        return;
    if (m_rangeFarOff) {
        const lb::quant::ChannelParams& c = m_encoding.channels.front();
        m_title->setText(
            tr("%1: %2-bit range [%3, %4], far wider than the values")
                .arg(m_tensor)
                .arg(m_encoding.bitwidth)
                .arg(UiFormat::significant(c.min, 3), UiFormat::significant(c.max, 3)));
        return;
    }
    if (!hasHandles()) {
        m_title->setText(
            m_encoding.isPerChannel()
                ? tr("%1: per-channel encoding (edit channels in the table)").arg(m_tensor)
                : tr("%1: no integer encoding").arg(m_tensor));
        return;
    }
    const lb::quant::ChannelParams& c = m_encoding.channels.front();
    m_title->setText(tr("%1: [%2, %3], scale %4, offset %5 (%6-bit) - drag the red handles")
                         .arg(m_tensor, UiFormat::significant(c.min, 5),
                              UiFormat::significant(c.max, 5), UiFormat::significant(c.scale, 4),
                              UiFormat::integer(c.offset))
                         .arg(m_encoding.bitwidth));
}

double HistogramPlot::pixelOf(double value) const {
    return xAxis->coordToPixel(value);
}

HistogramPlot::Handle HistogramPlot::handleAt(double x) const {
    if (!hasHandles())
        return Handle::None;
    const double dMin = std::abs(x - pixelOf(m_encoding.channels.front().min));
    const double dMax = std::abs(x - pixelOf(m_encoding.channels.front().max));
    if (std::min(dMin, dMax) > kGrabPixels)
        return Handle::None;
    return dMin <= dMax ? Handle::Min : Handle::Max;
}

void HistogramPlot::mousePressEvent(QMouseEvent* event) {
    m_drag = event->button() == Qt::LeftButton ? handleAt(event->position().x()) : Handle::None;
    if (m_drag == Handle::None) {
        QCustomPlot::mousePressEvent(event);
        return;
    }
    m_dragStart = m_encoding;
    event->accept();
}

void HistogramPlot::mouseMoveEvent(QMouseEvent* event) {
    if (m_drag == Handle::None) {
        setCursor(handleAt(event->position().x()) != Handle::None ? Qt::SizeHorCursor
                                                                  : Qt::ArrowCursor);
        QCustomPlot::mouseMoveEvent(event);
        return;
    }
    const double v = xAxis->pixelToCoord(event->position().x());
    const lb::quant::ChannelParams& start = m_dragStart.channels.front();
    double lo = start.min, hi = start.max;
    if (m_drag == Handle::Min)
        lo = std::min(v, hi);
    else
        hi = std::max(v, lo);
    lb::quant::Encoding next = m_dragStart;
    next.channels.front() = lb::quant::paramsFromMinMax(lo, hi, next.bitwidth, next.symmetric);
    if (next == m_encoding)
        return;
    m_encoding = next;
    placeHandles();
    updateTitle();
    replot(QCustomPlot::rpQueuedReplot);
    emit rangeDragged(m_tensor, m_encoding);
}

void HistogramPlot::mouseReleaseEvent(QMouseEvent* event) {
    if (m_drag == Handle::None) {
        QCustomPlot::mouseReleaseEvent(event);
        return;
    }
    m_drag = Handle::None;
    event->accept();
    if (!(m_encoding == m_dragStart))
        emit rangeEdited(m_tensor, m_encoding);
}

} // namespace lb::widgets
