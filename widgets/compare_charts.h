#pragma once

#include "widgets/comparison_data.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <optional>

class QCustomPlot;

namespace lb::widgets {

// The Compare view's charts, each filled from a whole comparison, the CSV of what each one shows,
// and the graph colours by target (fastest target per node, ratio between two targets).
class CompareCharts {
    Q_DECLARE_TR_FUNCTIONS(CompareCharts)

public:
    // Every chart's time axis can be logarithmic (`logTime`): the reference target is often 30x
    // slower than the rest, which a linear axis draws as slivers.
    // Median latency per target as a bar, with a whisker from p5 to p95.
    static void fillLatency(QCustomPlot* plot, const ComparisonData& data, bool logTime = false);
    // The `count` slowest matched layers as horizontal bars grouped by target, slowest on top.
    static void fillLayers(QCustomPlot* plot, const ComparisonData& data, int count,
                           bool logTime = false);
    // Summed time per op type, grouped by target, the `count` largest types.
    static void fillOpTypes(QCustomPlot* plot, const ComparisonData& data, int count,
                            bool logTime = false);
    // Output SQNR (dB) against median latency, one point per target that measured accuracy;
    // identical outputs (the reference) sit on the top edge marked infinite.
    static void fillAccuracy(QCustomPlot* plot, const ComparisonData& data, bool logTime = false);

    // What each chart shows, as CSV (C locale numbers, a header of stable keys).
    static QString latencyCsv(const ComparisonData& data);
    static QString layersCsv(const ComparisonData& data, int count);
    static QString opTypesCsv(const ComparisonData& data, int count);
    static QString accuracyCsv(const ComparisonData& data);

    // A target's colour in every chart and on the graph.
    static QColor targetColour(int target);
    // A matched layer's label: its first node, "+N" more when it covers several.
    static QString layerLabel(const ComparisonData::Layer& layer);

    // Graph colour for time(a) / time(b): greens where a is faster, reds where slower.
    static QColor ratioColour(double ratio);
    static QList<QPair<QString, QColor>> ratioLegend(const QString& a, const QString& b);
    static QList<QPair<QString, QColor>> fastestLegend(const ComparisonData& data);
};

} // namespace lb::widgets
