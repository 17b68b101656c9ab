#include "widgets/compare_charts.h"

#include "widgets/csv.h"
#include "widgets/empty_chart.h"
#include "widgets/ui_format.h"

#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
constexpr int kMaxLabelChars = 26;

const QColor kPalette[] = {
    QColor(0x33, 0x6f, 0xb3), QColor(0xe0, 0x7b, 0x1a), QColor(0x2e, 0x8b, 0x3e),
    QColor(0x8e, 0x44, 0xad), QColor(0xc0, 0x39, 0x2b), QColor(0x16, 0xa0, 0x85),
    QColor(0x8d, 0x6e, 0x63), QColor(0xd8, 0x1b, 0x60),
};

struct RatioBucket {
    double below; // time(a) / time(b) under this
    QColor colour;
};
const RatioBucket kRatioBuckets[] = {
    {0.5, QColor(0x1b, 0x7a, 0x36)},      {0.8, QColor(0x8c, 0xcf, 0x8e)},
    {1.25, QColor(0xf4, 0xf1, 0xd0)},     {2.0, QColor(0xf3, 0x9c, 0x6b)},
    {HUGE_VAL, QColor(0xc6, 0x28, 0x28)},
};

QString elided(const QString& s, int maxChars = kMaxLabelChars) {
    return s.size() > maxChars ? s.left(maxChars - 1) + QChar(0x2026) : s;
}

QString number(double v) {
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(v, 'g', 6);
}

void reset(QCustomPlot* plot) {
    plot->clearPlottables();
    plot->clearItems();
    plot->legend->setVisible(false);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        axis->setLabel(QString());
    }
}

// A time axis over [lowest, highest] ms, logarithmic or from 0; returns where bars start.
double timeAxis(QCPAxis* axis, double lowest, double highest, bool log, double headroom) {
    highest = std::max(highest, 1e-9);
    if (!log) {
        axis->setRange(0, highest * headroom);
        axis->ticker()->setTickCount(5);
        return 0.0;
    }
    axis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog);
    ticker->setLogBase(10);
    axis->setTicker(ticker);
    const double low = std::pow(10.0, std::floor(std::log10(std::max(lowest, 1e-6) / 1.5)));
    axis->setRange(low, highest * std::pow(headroom, 3.0));
    return low;
}

QString emptyMessage() {
    return CompareCharts::tr("No comparison yet: pick targets and press Compare");
}

// Horizontal bars grouped by target: rows[i] = per-target values (nullopt: no bar), keys from the
// bottom, so the largest row comes last.
void groupedBars(QCustomPlot* plot, const ComparisonData& data,
                 const std::vector<std::vector<std::optional<double>>>& rows,
                 const QStringList& labels, const QString& valueLabel, bool log) {
    reset(plot);
    if (rows.empty()) {
        EmptyChart::show(plot, emptyMessage());
        return;
    }
    EmptyChart::leave(plot);
    const int n = data.targetCount();
    const int m = static_cast<int>(rows.size());
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < m; ++i)
        ticker->addTick(m - i, elided(labels[i]));
    auto* group = new QCPBarsGroup(plot);
    group->setSpacing(0);
    double top = 0, lowest = HUGE_VAL;
    std::vector<QCPBars*> all;
    // Target 0 on top within each group: added last, drawn above the others' keys.
    for (int t = n - 1; t >= 0; --t) {
        auto* bars = new QCPBars(plot->yAxis, plot->xAxis);
        bars->setName(data.targetLabel(t));
        bars->setWidth(0.8 / n);
        bars->setPen(Qt::NoPen);
        bars->setBrush(CompareCharts::targetColour(t));
        bars->setBarsGroup(group);
        QVector<double> keys, values;
        for (int i = 0; i < m; ++i)
            if (const auto& v = rows[static_cast<size_t>(i)][static_cast<size_t>(t)]; v && *v > 0) {
                keys.append(m - i);
                values.append(*v);
                top = std::max(top, *v);
                lowest = std::min(lowest, *v);
            }
        bars->setData(keys, values, true);
        all.push_back(bars);
    }
    // The legend in target order.
    plot->legend->setVisible(true);
    plot->legend->clearItems();
    for (int t = 0; t < n; ++t)
        plot->legend->addItem(new QCPPlottableLegendItem(plot->legend, plot->plottable(n - 1 - t)));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setRange(0.4, m + 0.6);
    const double base = timeAxis(plot->xAxis, lowest, top, log, 1.1);
    for (QCPBars* bars : all)
        bars->setBaseValue(base);
    plot->xAxis->setLabel(valueLabel);
    plot->replot();
}

std::vector<ComparisonData::Layer> topLayers(const ComparisonData& data, int count) {
    const auto& all = data.layers();
    return {all.begin(), all.begin() + std::min<size_t>(all.size(), static_cast<size_t>(count))};
}

std::vector<ComparisonData::OpType> topOps(const ComparisonData& data, int count) {
    const auto& all = data.opTypes();
    return {all.begin(), all.begin() + std::min<size_t>(all.size(), static_cast<size_t>(count))};
}

QStringList targetHeader(const ComparisonData& data, const QString& first) {
    QStringList header{first};
    for (int t = 0; t < data.targetCount(); ++t)
        header << data.targetLabel(t) + QStringLiteral("_ms");
    return header;
}
} // namespace

QColor CompareCharts::targetColour(int target) {
    return kPalette[static_cast<size_t>(target) % std::size(kPalette)];
}

QString CompareCharts::layerLabel(const ComparisonData::Layer& layer) {
    const QString first = QString::fromStdString(layer.nodes.front());
    if (layer.nodes.size() == 1)
        return first;
    return tr("%1 +%2").arg(first).arg(layer.nodes.size() - 1);
}

void CompareCharts::fillLatency(QCustomPlot* plot, const ComparisonData& data, bool logTime) {
    reset(plot);
    if (data.empty()) {
        EmptyChart::show(plot, emptyMessage());
        return;
    }
    EmptyChart::leave(plot);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double top = 0, lowest = HUGE_VAL;
    std::vector<QCPBars*> all;
    for (int t = 0; t < data.targetCount(); ++t) {
        const report::LatencyStats& s = data.report(t).latencyMs;
        ticker->addTick(t + 1, data.targetLabel(t));
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        bars->setName(data.targetLabel(t));
        bars->setData({t + 1.0}, {s.p50}, true);
        bars->setWidth(0.6);
        bars->setPen(Qt::NoPen);
        bars->setBrush(targetColour(t));
        all.push_back(bars);
        auto* whisker = new QCPErrorBars(plot->xAxis, plot->yAxis);
        whisker->removeFromLegend();
        whisker->setDataPlottable(bars);
        const double p5 = data.p5Ms(t);
        whisker->setData({std::max(0.0, s.p50 - p5)}, {std::max(0.0, s.p95 - s.p50)});
        whisker->setWhiskerWidth(14);
        whisker->setPen(QPen(Qt::black, 1.2));
        top = std::max(top, s.p95);
        lowest = std::min(lowest, p5);
        auto* label = new QCPItemText(plot);
        label->position->setCoords(t + 1.0, s.p95);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setPadding(QMargins(0, 0, 0, 3));
        label->setText(UiFormat::fixed(s.p50, 2));
    }
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setRange(0.4, data.targetCount() + 0.6);
    const double base = timeAxis(plot->yAxis, lowest, top, logTime, 1.2);
    for (QCPBars* bars : all)
        bars->setBaseValue(base);
    plot->yAxis->setLabel(tr("latency (ms): median, p5-p95"));
    plot->replot();
}

void CompareCharts::fillLayers(QCustomPlot* plot, const ComparisonData& data, int count,
                               bool logTime) {
    std::vector<std::vector<std::optional<double>>> rows;
    QStringList labels;
    for (const ComparisonData::Layer& layer : topLayers(data, count)) {
        rows.push_back(layer.timeMs);
        labels << layerLabel(layer);
    }
    groupedBars(plot, data, rows, labels, tr("layer time (ms), matched by ONNX node"), logTime);
}

void CompareCharts::fillOpTypes(QCustomPlot* plot, const ComparisonData& data, int count,
                                bool logTime) {
    std::vector<std::vector<std::optional<double>>> rows;
    QStringList labels;
    for (const ComparisonData::OpType& op : topOps(data, count)) {
        rows.emplace_back(op.timeMs.begin(), op.timeMs.end());
        labels << QString::fromStdString(op.op);
    }
    groupedBars(plot, data, rows, labels, tr("time per op type (ms)"), logTime);
}

void CompareCharts::fillAccuracy(QCustomPlot* plot, const ComparisonData& data, bool logTime) {
    reset(plot);
    std::vector<int> measured;
    for (int t = 0; t < data.targetCount(); ++t)
        if (data.report(t).accuracy.measured())
            measured.push_back(t);
    if (measured.empty()) {
        EmptyChart::show(plot, data.empty() ? emptyMessage()
                                            : tr("No accuracy measured: the comparison has no "
                                                 "reference target"));
        return;
    }
    EmptyChart::leave(plot);
    double lowDb = HUGE_VAL, highDb = -HUGE_VAL, slowest = 0, fastest = HUGE_VAL;
    for (int t : measured) {
        const double db = data.report(t).accuracy.sqnrDb;
        if (std::isfinite(db)) {
            lowDb = std::min(lowDb, db);
            highDb = std::max(highDb, db);
        }
        slowest = std::max(slowest, data.report(t).latencyMs.p50);
        fastest = std::min(fastest, data.report(t).latencyMs.p50);
    }
    if (!std::isfinite(lowDb)) // every output identical to the reference's
        lowDb = highDb = 100.0;
    const double span = std::max(highDb - lowDb, 10.0);
    const double infinity = highDb + span * 0.25; // where identical outputs are drawn
    for (int t : measured) {
        const report::ProfileReport& r = data.report(t);
        const double db = std::isinf(r.accuracy.sqnrDb)
                              ? (r.accuracy.sqnrDb > 0 ? infinity : lowDb - span * 0.25)
                              : r.accuracy.sqnrDb;
        auto* point = plot->addGraph();
        point->setName(data.targetLabel(t));
        point->setLineStyle(QCPGraph::lsNone);
        point->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssDisc, targetColour(t), targetColour(t), 11));
        point->setData({r.latencyMs.p50}, {db});
        auto* label = new QCPItemText(plot);
        label->position->setCoords(r.latencyMs.p50, db);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setPadding(QMargins(9, 0, 0, 0));
        label->setText(QStringLiteral("%1  %2 dB")
                           .arg(data.targetLabel(t), UiFormat::decibels(r.accuracy.sqnrDb)));
    }
    timeAxis(plot->xAxis, fastest, slowest, logTime, 1.35); // room for the labels
    plot->yAxis->setRange(lowDb - span * 0.4, infinity + span * 0.15);
    plot->yAxis->ticker()->setTickCount(5);
    plot->xAxis->setLabel(tr("median latency (ms)"));
    plot->yAxis->setLabel(
        tr("output SQNR against %1 (dB)")
            .arg(QString::fromStdString(data.report(measured.front()).accuracy.reference)));
    plot->replot();
}

QString CompareCharts::latencyCsv(const ComparisonData& data) {
    QString csv =
        Csv::line({QStringLiteral("target"), QStringLiteral("p5_ms"), QStringLiteral("p50_ms"),
                   QStringLiteral("p95_ms"), QStringLiteral("runs")});
    for (int t = 0; t < data.targetCount(); ++t) {
        const report::ProfileReport& r = data.report(t);
        csv += Csv::line({data.targetLabel(t), number(data.p5Ms(t)), number(r.latencyMs.p50),
                          number(r.latencyMs.p95), QString::number(r.runsMs.size())});
    }
    return csv;
}

QString CompareCharts::layersCsv(const ComparisonData& data, int count) {
    QStringList header = targetHeader(data, QStringLiteral("layer"));
    header.insert(1, QStringLiteral("op"));
    header.insert(2, QStringLiteral("nodes"));
    QString csv = Csv::line(header);
    for (const ComparisonData::Layer& layer : topLayers(data, count)) {
        QStringList nodes;
        for (const std::string& n : layer.nodes)
            nodes << QString::fromStdString(n);
        QStringList cells{layerLabel(layer), QString::fromStdString(layer.op),
                          nodes.join(QLatin1Char(' '))};
        for (const std::optional<double>& t : layer.timeMs)
            cells << (t ? number(*t) : QString());
        csv += Csv::line(cells);
    }
    return csv;
}

QString CompareCharts::opTypesCsv(const ComparisonData& data, int count) {
    QString csv = Csv::line(targetHeader(data, QStringLiteral("op")));
    for (const ComparisonData::OpType& op : topOps(data, count)) {
        QStringList cells{QString::fromStdString(op.op)};
        for (double t : op.timeMs)
            cells << number(t);
        csv += Csv::line(cells);
    }
    return csv;
}

QString CompareCharts::accuracyCsv(const ComparisonData& data) {
    QString csv =
        Csv::line({QStringLiteral("target"), QStringLiteral("p50_ms"), QStringLiteral("sqnr_db"),
                   QStringLiteral("max_abs_error"), QStringLiteral("reference_target")});
    for (int t = 0; t < data.targetCount(); ++t) {
        const report::ProfileReport& r = data.report(t);
        if (!r.accuracy.measured())
            continue;
        csv += Csv::line({data.targetLabel(t), number(r.latencyMs.p50), number(r.accuracy.sqnrDb),
                          number(r.accuracy.maxAbsError),
                          QString::fromStdString(r.accuracy.reference)});
    }
    return csv;
}

QColor CompareCharts::ratioColour(double ratio) {
    for (const RatioBucket& b : kRatioBuckets)
        if (ratio < b.below)
            return b.colour;
    return kRatioBuckets[std::size(kRatioBuckets) - 1].colour;
}

QList<QPair<QString, QColor>> CompareCharts::ratioLegend(const QString& a, const QString& b) {
    return {{tr("%1 over 2x faster than %2").arg(a, b), kRatioBuckets[0].colour},
            {tr("%1 1.25-2x faster").arg(a), kRatioBuckets[1].colour},
            {tr("within 25 %"), kRatioBuckets[2].colour},
            {tr("%1 1.25-2x slower").arg(a), kRatioBuckets[3].colour},
            {tr("%1 over 2x slower than %2").arg(a, b), kRatioBuckets[4].colour}};
}

QList<QPair<QString, QColor>> CompareCharts::fastestLegend(const ComparisonData& data) {
    QList<QPair<QString, QColor>> legend;
    for (int t = 0; t < data.targetCount(); ++t)
        legend.append({tr("fastest: %1").arg(data.targetLabel(t)), targetColour(t)});
    return legend;
}

} // namespace lb::widgets
