#include "widgets/profile_charts.h"

#include "widgets/empty_chart.h"
#include "widgets/ui_format.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
const QColor kBarColour(0x33, 0x6f, 0xb3);
constexpr int kMaxNameChars = 28;
constexpr int kMaxOpChars = 18; // op types sit beside a third of the dock

struct Bucket {
    double from; // share
    QColor colour;
};
// Hottest first; a node takes the first bucket its share reaches.
const Bucket kBuckets[] = {
    {0.10, QColor(0xb1, 0x0e, 0x0e)}, {0.05, QColor(0xe0, 0x4a, 0x1b)},
    {0.02, QColor(0xf3, 0x8b, 0x2c)}, {0.01, QColor(0xf9, 0xc1, 0x4e)},
    {0.0, QColor(0xfd, 0xf0, 0xb8)},
};

QString elidedName(const std::string& name, int maxChars = kMaxNameChars) {
    QString s = QString::fromStdString(name);
    return s.size() > maxChars ? s.left(maxChars - 1) + QChar(0x2026) : s;
}

// Horizontal bars with text ticks; keys 1..n from the bottom, so pass the largest last. No values:
// the empty chart with `emptyMessage`.
void horizontalBars(QCustomPlot* plot, const QVector<double>& values, const QStringList& labels,
                    const QString& valueLabel, const QString& emptyMessage) {
    plot->clearPlottables();
    plot->clearItems();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    if (values.isEmpty()) {
        plot->yAxis->setTicker(ticker);
        EmptyChart::show(plot, emptyMessage);
        return;
    }
    EmptyChart::leave(plot);
    QVector<double> keys;
    for (int i = 0; i < values.size(); ++i) {
        keys.append(i + 1);
        ticker->addTick(i + 1, labels[i]);
    }
    auto* bars = new QCPBars(plot->yAxis, plot->xAxis);
    bars->setData(keys, values, true);
    bars->setWidth(0.7);
    bars->setPen(Qt::NoPen);
    bars->setBrush(kBarColour);
    bars->setSelectable(QCP::stSingleData);
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setRange(0.3, values.size() + 0.7);
    QFont small = plot->yAxis->tickLabelFont();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() - 1));
    plot->yAxis->setTickLabelFont(small);
    const double top = values.isEmpty() ? 1.0 : *std::max_element(values.begin(), values.end());
    plot->xAxis->setRange(0, std::max(top, 1e-9) * 1.1);
    plot->xAxis->ticker()->setTickCount(4);
    plot->xAxis->setLabel(valueLabel);
    plot->replot();
}
} // namespace

std::vector<int> ProfileCharts::fillTopLayers(QCustomPlot* plot, const lb::report::ProfileReport& r,
                                              int count) {
    // Top-level rows only: a subgraph's rows are in their control-flow node's time, so listing
    // them too would count that time twice.
    std::vector<int> order;
    for (size_t i = 0; i < r.nodes.size(); ++i)
        if (r.nodes[i].parent < 0)
            order.push_back(static_cast<int>(i));
    std::stable_sort(order.begin(), order.end(), [&r](int a, int b) {
        return r.nodes[static_cast<size_t>(a)].timeMs > r.nodes[static_cast<size_t>(b)].timeMs;
    });
    order.resize(std::min<size_t>(order.size(), static_cast<size_t>(count)));
    std::reverse(order.begin(), order.end()); // slowest on top = last key
    QVector<double> values;
    QStringList labels;
    for (int i : order) {
        values.append(r.nodes[static_cast<size_t>(i)].timeMs);
        labels.append(elidedName(r.nodes[static_cast<size_t>(i)].name));
    }
    horizontalBars(plot, values, labels, tr("time (ms)"), tr("No run yet"));
    return order;
}

void ProfileCharts::fillOpTypes(QCustomPlot* plot, const lb::report::ProfileReport& r, int count) {
    std::map<std::string, double> byOp;
    for (const lb::report::NodeProfile& n : r.nodes)
        if (n.parent < 0) // subgraph rows are in their control-flow node's time
            byOp[n.op] += n.timeMs;
    std::vector<std::pair<std::string, double>> sorted(byOp.begin(), byOp.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    QVector<double> values;
    QStringList labels;
    double other = 0;
    for (size_t i = 0; i < sorted.size(); ++i) {
        if (static_cast<int>(i) < count) {
            values.prepend(sorted[i].second);
            labels.prepend(elidedName(sorted[i].first, kMaxOpChars)); // a narrow chart's axis
        } else {
            other += sorted[i].second;
        }
    }
    if (other > 0) {
        values.prepend(other);
        labels.prepend(tr("other"));
    }
    horizontalBars(plot, values, labels, tr("time per op type (ms)"), tr("No run yet"));
}

void ProfileCharts::fillLatency(QCustomPlot* plot, const lb::report::ProfileReport& r) {
    plot->clearPlottables();
    plot->clearItems();
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    if (r.runsMs.empty()) {
        EmptyChart::show(plot, r.nodes.empty() ? tr("No run yet") : tr("No per-run times"));
        return;
    }
    EmptyChart::leave(plot);
    const auto [lo, hi] = std::minmax_element(r.runsMs.begin(), r.runsMs.end());
    const int bins = std::clamp(static_cast<int>(std::sqrt(r.runsMs.size())) * 2, 5, 40);
    const double span = std::max(*hi - *lo, 1e-6);
    const double width = span / bins;
    QVector<double> keys(bins);
    QVector<double> counts(bins, 0.0);
    for (int b = 0; b < bins; ++b)
        keys[b] = *lo + (b + 0.5) * width;
    for (double ms : r.runsMs)
        counts[std::min(bins - 1, static_cast<int>((ms - *lo) / width))] += 1;
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setData(keys, counts, true);
    bars->setWidth(width * 0.9);
    bars->setPen(Qt::NoPen);
    bars->setBrush(kBarColour);
    plot->xAxis->setRange(*lo - width, *hi + width);
    plot->xAxis->ticker()->setTickCount(4);
    // Headroom above the tallest bar for the p50 / p95 labels.
    plot->yAxis->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.6);
    // Whole runs on the count axis.
    auto counter = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
    counter->setTickStep(1.0);
    counter->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    plot->yAxis->setTicker(counter);
    plot->yAxis->ticker()->setTickCount(3);
    plot->xAxis->setLabel(tr("latency (ms)"));
    plot->yAxis->setLabel(tr("runs"));
    const QList<QPair<QString, double>> marks = {{tr("p50"), r.latencyMs.p50},
                                                 {tr("p95"), r.latencyMs.p95}};
    QCPItemText* above = nullptr;
    for (int i = 0; i < marks.size(); ++i) {
        const QColor colour = i == 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
        auto* line = new QCPItemStraightLine(plot);
        line->point1->setCoords(marks[i].second, 0);
        line->point2->setCoords(marks[i].second, 1);
        line->setPen(QPen(colour, 1.5, Qt::DashLine));
        auto* text = new QCPItemText(plot);
        // One row per mark, in pixels: p95's row hangs under p50's label, so the two never
        // overlap however short the chart (a ratio of its height did on a narrow dock).
        if (above) {
            text->position->setParentAnchorY(above->bottom);
            text->position->setCoords(marks[i].second, 1);
        } else {
            text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            text->position->setCoords(marks[i].second, 0.02);
        }
        above = text;
        // One row per mark. p50 reads leftwards when there is room, so it does not run into the
        // p95 line; p95 reads rightwards unless it is in the right third of the plot.
        const double at = (marks[i].second - *lo) / span;
        const bool leftwards = i == 0 ? at > 0.35 : at > 0.66;
        text->setPositionAlignment((leftwards ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        text->setPadding(leftwards ? QMargins(0, 0, 3, 0) : QMargins(3, 0, 0, 0));
        text->setColor(colour);
        text->setBrush(QColor(255, 255, 255, 220)); // readable where it still meets a bar
        text->setText(
            QStringLiteral("%1 %2").arg(marks[i].first, UiFormat::fixed(marks[i].second, 2)));
    }
    plot->replot();
}

QColor ProfileCharts::heatColour(double share) {
    for (const Bucket& b : kBuckets)
        if (share >= b.from)
            return b.colour;
    return kBuckets[std::size(kBuckets) - 1].colour;
}

QList<QPair<QString, QColor>> ProfileCharts::heatLegend() {
    return {{tr(">= 10 % of the time"), kBuckets[0].colour},
            {tr("5-10 %"), kBuckets[1].colour},
            {tr("2-5 %"), kBuckets[2].colour},
            {tr("1-2 %"), kBuckets[3].colour},
            {tr("< 1 %"), kBuckets[4].colour}};
}

} // namespace lb::widgets
