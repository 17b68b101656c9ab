#include "widgets/empty_chart.h"

#include <qcustomplot.h>

namespace lb::widgets {

namespace {
const char kMessageName[] = "emptyChartMessage";

QCPItemText* messageItem(const QCustomPlot* plot) {
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
            if (text->objectName() == QLatin1String(kMessageName))
                return text;
    return nullptr;
}

QList<QCPAxis*> allAxes(const QCustomPlot* plot) {
    return {plot->xAxis, plot->yAxis, plot->xAxis2, plot->yAxis2};
}
} // namespace

void EmptyChart::show(QCustomPlot* plot, const QString& message) {
    for (QCPAxis* axis : allAxes(plot)) {
        axis->setVisible(false);
        // A new QCPAxis's range: whatever the chart showed last is gone.
        axis->setRange(axis->scaleType() == QCPAxis::stLogarithmic ? QCPRange(1.0, 10.0)
                                                                   : QCPRange(0.0, 5.0));
    }
    QCPItemText* text = messageItem(plot);
    if (message.isEmpty()) {
        if (text)
            plot->removeItem(text);
    } else {
        if (!text) {
            text = new QCPItemText(plot);
            text->setObjectName(QLatin1String(kMessageName));
            text->position->setType(QCPItemPosition::ptAxisRectRatio);
            text->position->setCoords(0.5, 0.5);
            text->setPositionAlignment(Qt::AlignCenter);
            text->setColor(QColor(0x70, 0x70, 0x70));
            text->setClipToAxisRect(false);
        }
        text->setText(message);
    }
    plot->replot();
}

void EmptyChart::leave(QCustomPlot* plot) {
    if (QCPItemText* text = messageItem(plot))
        plot->removeItem(text);
    plot->xAxis->setVisible(true);
    plot->yAxis->setVisible(true);
}

bool EmptyChart::isShown(const QCustomPlot* plot) {
    return !plot->xAxis->visible() && !plot->yAxis->visible();
}

QString EmptyChart::message(const QCustomPlot* plot) {
    const QCPItemText* text = messageItem(plot);
    return text ? text->text() : QString();
}

} // namespace lb::widgets
