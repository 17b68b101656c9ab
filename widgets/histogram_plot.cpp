#include "widgets/histogram_plot.h"

#include "widgets/empty_chart.h"

#include <algorithm>
#include <cmath>

namespace lb::widgets {

namespace {
constexpr int kDisplayBins = 128;
constexpr double kGrabPixels = 6.0;
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
    yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    yAxis->setLabel(tr("count"));
    xAxis->setLabel(tr("value"));
    m_range = new QCPItemRect(this);
    m_range->setPen(Qt::NoPen);
    m_range->setBrush(QColor(0xc0, 0x39, 0x2b, 25));
    m_minLine = new QCPItemStraightLine(this);
    m_maxLine = new QCPItemStraightLine(this);
    for (QCPItemStraightLine* line : {m_minLine, m_maxLine})
        line->setPen(QPen(kHandleColour, 2));
    m_range->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_range->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    clearHistogram();
}

void HistogramPlot::clearHistogram() {
    m_tensor.clear();
    m_encoding = {};
    m_graph->data()->clear();
    m_title->setText(tr("Select a tensor to see its histogram"));
    for (QCPAbstractItem* item :
         {static_cast<QCPAbstractItem*>(m_minLine), static_cast<QCPAbstractItem*>(m_maxLine),
          static_cast<QCPAbstractItem*>(m_range)})
        item->setVisible(false);
    // The title says what to do; the axes of the last tensor go.
    EmptyChart::show(this, QString());
}

void HistogramPlot::setHistogram(const QString& tensor,
                                 const lb::quant::HistogramObserver& histogram,
                                 const std::optional<lb::quant::Encoding>& encoding) {
    m_tensor = tensor;
    m_drag = Handle::None;
    EmptyChart::leave(this);
    // The observer's 2048 bins merged into a readable number.
    const std::vector<double>& bins = histogram.bins();
    const size_t group = std::max<size_t>(1, bins.size() / kDisplayBins);
    QVector<double> keys, counts;
    double top = 1.0;
    for (size_t b = 0; b < bins.size(); b += group) {
        double sum = 0;
        for (size_t k = b; k < std::min(bins.size(), b + group); ++k)
            sum += bins[k];
        keys.append(histogram.lo() + (static_cast<double>(b) + 0.5 * group) * histogram.binWidth());
        counts.append(std::max(sum, 0.5)); // log axis: empty bins sit just under 1
        top = std::max(top, sum);
    }
    m_graph->setData(keys, counts, true);
    double lo = histogram.empty() ? 0.0 : histogram.min();
    double hi = histogram.empty() ? 1.0 : histogram.max();
    if (encoding && !encoding->channels.empty() && !encoding->isPerChannel()) {
        lo = std::min(lo, encoding->channels.front().min);
        hi = std::max(hi, encoding->channels.front().max);
    }
    const double margin = std::max(hi - lo, 1e-6) * 0.08;
    xAxis->setRange(lo - margin, hi + margin);
    yAxis->setRange(0.5, top * 2.0);
    setEncoding(encoding);
}

void HistogramPlot::setEncoding(const std::optional<lb::quant::Encoding>& encoding) {
    m_encoding = encoding.value_or(lb::quant::Encoding{});
    if (!encoding)
        m_encoding.channels.clear();
    placeHandles();
    updateTitle();
    replot();
}

bool HistogramPlot::hasHandles() const {
    return !m_tensor.isEmpty() && m_encoding.dtype == lb::quant::EncodingDtype::Int &&
           m_encoding.channels.size() == 1 && !m_encoding.isPerChannel();
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
    if (!hasHandles()) {
        m_title->setText(
            m_encoding.isPerChannel()
                ? tr("%1: per-channel encoding (edit channels in the table)").arg(m_tensor)
                : tr("%1: no integer encoding").arg(m_tensor));
        return;
    }
    const lb::quant::ChannelParams& c = m_encoding.channels.front();
    m_title->setText(tr("%1: [%2, %3], scale %4, offset %5 (%6-bit) - drag the red handles")
                         .arg(m_tensor)
                         .arg(c.min, 0, 'g', 5)
                         .arg(c.max, 0, 'g', 5)
                         .arg(c.scale, 0, 'g', 4)
                         .arg(c.offset)
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
