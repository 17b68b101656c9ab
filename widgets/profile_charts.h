#pragma once

#include "report/profile_report.h"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <vector>

class QCustomPlot;

namespace lb::widgets {

// The profile view's charts, filled from a whole report, and the heat-map colours shared with the
// graph overlay.
class ProfileCharts {
    Q_DECLARE_TR_FUNCTIONS(ProfileCharts)

public:
    // The `count` slowest top-level nodes as horizontal bars, slowest on top (a subgraph's nodes
    // are in their control-flow node's bar). Returns, per bar key k (1 at
    // the bottom), the report node index at position k - 1.
    static std::vector<int> fillTopLayers(QCustomPlot* plot, const lb::report::ProfileReport& r,
                                          int count = 15);
    // Summed node time per op type, largest on top (at most `count` types, the rest as "other").
    static void fillOpTypes(QCustomPlot* plot, const lb::report::ProfileReport& r, int count = 12);
    // Histogram of the timed iterations with p50 and p95 marked.
    static void fillLatency(QCustomPlot* plot, const lb::report::ProfileReport& r);

    // Time share (0..1) to heat colour: pale yellow for nearly nothing, dark red for >= 10 %.
    static QColor heatColour(double share);
    // One (label, colour) entry per heat bucket, hottest first.
    static QList<QPair<QString, QColor>> heatLegend();
};

} // namespace lb::widgets
