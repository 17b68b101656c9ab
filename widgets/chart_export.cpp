#include "widgets/chart_export.h"

#include <QSaveFile>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace lb::widgets {

namespace {
QSize exportSize(const QCustomPlot* plot) {
    // A chart in a dock that was never shown has no size yet: a readable default.
    return plot->width() > 50 && plot->height() > 50 ? plot->size() : QSize(800, 500);
}
} // namespace

bool ChartExport::savePng(QCustomPlot* plot, const QString& path) {
    const QSize size = exportSize(plot);
    return plot->savePng(path, size.width(), size.height(), 2.0);
}

bool ChartExport::saveSvg(QCustomPlot* plot, const QString& path, const QString& title) {
    const QSize size = exportSize(plot);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(title);
    QCPPainter painter;
    if (!painter.begin(&svg))
        return false;
    plot->toPainter(&painter, size.width(), size.height());
    return painter.end();
}

bool ChartExport::saveText(const QString& text, const QString& path) {
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

} // namespace lb::widgets
