#pragma once

#include <QString>

class QCustomPlot;

namespace lb::widgets {

// A chart written to a file as the user sees it: PNG (at twice the screen's pixels, for slides)
// or SVG (vector), and a chart's data as a text file (CSV). False when the file cannot be
// written.
class ChartExport {
public:
    static bool savePng(QCustomPlot* plot, const QString& path);
    static bool saveSvg(QCustomPlot* plot, const QString& path, const QString& title);
    static bool saveText(const QString& text, const QString& path);
};

} // namespace lb::widgets
