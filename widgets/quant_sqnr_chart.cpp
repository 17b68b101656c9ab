#include "widgets/quant_sqnr_chart.h"

#include "widgets/empty_chart.h"
#include "widgets/ui_format.h"

#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::widgets {

namespace {
constexpr double kGrabPixels = 5.0;
const QColor kOkColour(0x33, 0x6f, 0xb3);
const QColor kBadColour(0xc0, 0x39, 0x2b);
const QColor kSelectedBand(0xff, 0xb3, 0x00, 110);
} // namespace

QuantSqnrChart::QuantSqnrChart(QWidget* parent) : QCustomPlot(parent) {
    m_above = new QCPBars(xAxis, yAxis);
    m_below = new QCPBars(xAxis, yAxis);
    for (QCPBars* bars : {m_above, m_below}) {
        bars->setWidth(0.8);
        bars->setPen(Qt::NoPen);
    }
    m_above->setBrush(kOkColour);
    m_below->setBrush(kBadColour);
    // Under the bars, over the grid: the selected tensor's slot.
    m_selectedBand = new QCPItemRect(this);
    m_selectedBand->setLayer(QStringLiteral("grid"));
    m_selectedBand->setPen(QPen(QColor(0xe0, 0x90, 0x00)));
    m_selectedBand->setBrush(kSelectedBand);
    m_selectedBand->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_selectedBand->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_selectedBand->setVisible(false);
    m_line = new QCPItemStraightLine(this);
    m_line->setPen(QPen(kBadColour, 1.5, Qt::DashLine));
    plotLayout()->insertRow(0);
    m_lineLabel = new QCPTextElement(this, QString(), font());
    m_lineLabel->setTextColor(kBadColour);
    m_lineLabel->setTextFlags(Qt::AlignRight | Qt::AlignVCenter);
    m_lineLabel->setMargins(QMargins(0, 2, 8, 0));
    plotLayout()->addElement(0, 0, m_lineLabel);
    setMouseTracking(true);
    retranslateUi();
    rebuild();
}

void QuantSqnrChart::retranslateUi() {
    UiFormat::applyLocale(this);
    yAxis->setLabel(tr("SQNR (dB)"));
    xAxis->setLabel(tr("tensor, in graph order (hover for names)"));
}

void QuantSqnrChart::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        recolour(); // the threshold line's label, and a replot
    }
    QCustomPlot::changeEvent(event);
}

void QuantSqnrChart::setReport(std::shared_ptr<const lb::report::QuantReport> report) {
    m_report = std::move(report);
    rebuild();
}

void QuantSqnrChart::setMode(Mode mode) {
    if (mode == m_mode)
        return;
    m_mode = mode;
    rebuild();
}

void QuantSqnrChart::setThreshold(double db) {
    db = std::clamp(db, -50.0, kInfiniteDb);
    if (db == m_threshold)
        return;
    m_threshold = db;
    recolour();
    emit thresholdChanged(db);
}

void QuantSqnrChart::setSelectedTensor(const QString& tensor) {
    if (tensor == m_selected)
        return;
    m_selected = tensor;
    placeSelection();
    replot();
}

bool QuantSqnrChart::selectionShown() const {
    return m_selectedBand->visible();
}

void QuantSqnrChart::placeSelection() {
    const int i = m_selected.isEmpty() ? -1 : static_cast<int>(m_tensors.indexOf(m_selected));
    m_selectedBand->setVisible(i >= 0);
    if (i < 0)
        return;
    m_selectedBand->topLeft->setCoords(i + 0.5, 0.0);
    m_selectedBand->bottomRight->setCoords(i + 1.5, 1.0);
}

void QuantSqnrChart::rebuild() {
    m_tensors.clear();
    m_values.clear();
    m_sqnr.clear();
    m_reportRow.clear();
    if (m_report) {
        for (size_t i = 0; i < m_report->tensors.size(); ++i) {
            const lb::report::TensorQuantStats& t = m_report->tensors[i];
            const auto& stats = m_mode == Mode::Cumulative ? t.cumulative : t.isolated;
            if (!stats)
                continue;
            m_tensors << QString::fromStdString(t.tensor);
            m_sqnr.push_back(stats->sqnrDb);
            m_values.push_back(std::isfinite(stats->sqnrDb) ? stats->sqnrDb
                               : stats->sqnrDb > 0          ? kInfiniteDb
                                                            : -50.0);
            m_reportRow.push_back(i);
        }
    }
    placeSelection();
    if (m_values.empty()) {
        // Nothing measured (no quantization, or numbers dropped while re-measuring): no axes and
        // no threshold line of an earlier report.
        m_line->setVisible(false);
        m_lineLabel->setText(QString());
        recolour();
        EmptyChart::show(this, QString());
        return;
    }
    EmptyChart::leave(this);
    m_line->setVisible(true);
    double lo = 0, hi = 40;
    for (double v : m_values)
        lo = std::min(lo, v), hi = std::max(hi, v);
    xAxis->setRange(0, static_cast<double>(m_values.size()) + 1);
    yAxis->setRange(lo, hi * 1.08);
    recolour();
}

void QuantSqnrChart::recolour() {
    QVector<double> keys, above, below;
    for (size_t i = 0; i < m_values.size(); ++i) {
        keys.append(static_cast<double>(i) + 1);
        const bool bad = m_values[i] < m_threshold;
        above.append(bad ? 0.0 : m_values[i]);
        below.append(bad ? m_values[i] : 0.0);
    }
    m_above->setData(keys, above, true);
    m_below->setData(keys, below, true);
    m_line->point1->setCoords(0, m_threshold);
    m_line->point2->setCoords(1, m_threshold);
    if (!m_values.empty())
        m_lineLabel->setText(tr("threshold %1 dB: %2 below (drag)")
                                 .arg(UiFormat::fixed(m_threshold, 1))
                                 .arg(tensorsBelowThreshold().size()));
    replot();
}

QStringList QuantSqnrChart::tensorsBelowThreshold() const {
    QStringList out;
    for (size_t i = 0; i < m_values.size(); ++i)
        if (m_values[i] < m_threshold)
            out << m_tensors[static_cast<int>(i)];
    return out;
}

double QuantSqnrChart::sqnrOf(const QString& tensor) const {
    const int i = m_tensors.indexOf(tensor);
    return i < 0 ? std::numeric_limits<double>::quiet_NaN() : m_sqnr[static_cast<size_t>(i)];
}

QPointF QuantSqnrChart::barCentre(int i) const {
    const double v = m_values.at(static_cast<size_t>(i));
    return {xAxis->coordToPixel(i + 1.0), yAxis->coordToPixel(v / 2)};
}

double QuantSqnrChart::thresholdPixel() const {
    return yAxis->coordToPixel(m_threshold);
}

int QuantSqnrChart::barAt(const QPointF& pos) const {
    if (!axisRect()->rect().contains(pos.toPoint()))
        return -1;
    const int i = static_cast<int>(std::lround(xAxis->pixelToCoord(pos.x()))) - 1;
    if (i < 0 || i >= static_cast<int>(m_values.size()))
        return -1;
    const double y = yAxis->pixelToCoord(pos.y());
    const double v = m_values[static_cast<size_t>(i)];
    // Anywhere on the bar, or just above a short one.
    return (v >= 0 ? y <= std::max(v, 2.0) && y >= -1 : y >= v && y <= 1) ? i : -1;
}

void QuantSqnrChart::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && !m_values.empty() &&
        std::abs(event->position().y() - thresholdPixel()) <= kGrabPixels) {
        m_dragging = true;
        event->accept();
        return;
    }
    const int bar = event->button() == Qt::LeftButton ? barAt(event->position()) : -1;
    if (bar >= 0) {
        emit tensorClicked(m_tensors[bar]);
        event->accept();
        return;
    }
    QCustomPlot::mousePressEvent(event);
}

void QuantSqnrChart::mouseMoveEvent(QMouseEvent* event) {
    if (m_dragging) {
        setThreshold(std::round(yAxis->pixelToCoord(event->position().y()) * 2) / 2);
        return;
    }
    const bool onLine =
        !m_values.empty() && std::abs(event->position().y() - thresholdPixel()) <= kGrabPixels;
    setCursor(onLine ? Qt::SizeVerCursor : Qt::ArrowCursor);
    const int bar = barAt(event->position());
    if (bar >= 0 && m_report) {
        const lb::report::TensorQuantStats& t = m_report->tensors[m_reportRow[bar]];
        const auto& s = m_mode == Mode::Cumulative ? t.cumulative : t.isolated;
        QToolTip::showText(
            event->globalPosition().toPoint(),
            tr("%1 (%2, %3)\nSQNR %4 dB, MSE %5, cosine %6, max error %7")
                .arg(m_tensors[bar], QString::fromStdString(t.kind), QString::fromStdString(t.op))
                .arg(UiFormat::decibels(s->sqnrDb), UiFormat::significant(s->mse, 3),
                     UiFormat::fixed(s->cosine, 5), UiFormat::significant(s->maxAbsError, 3)),
            this);
    }
    QCustomPlot::mouseMoveEvent(event);
}

void QuantSqnrChart::mouseReleaseEvent(QMouseEvent* event) {
    if (m_dragging) {
        m_dragging = false;
        event->accept();
        return;
    }
    QCustomPlot::mouseReleaseEvent(event);
}

} // namespace lb::widgets
