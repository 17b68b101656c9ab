#pragma once

#include <QString>

class QCustomPlot;

namespace lb::widgets {

// The look of a chart with nothing to show: its axes hidden and back at their default ranges, and
// at most one line saying why it is empty. A chart that is emptied after showing a report looks
// exactly like one that never showed anything, so no axis of an earlier model survives.
class EmptyChart {
public:
    // The caller clears its own plottables and items; this hides the axes and adds the message.
    static void show(QCustomPlot* plot, const QString& message);
    // Axes back on and the message gone, before the chart is filled.
    static void leave(QCustomPlot* plot);
    static bool isShown(const QCustomPlot* plot);
    static QString message(const QCustomPlot* plot);
};

} // namespace lb::widgets
