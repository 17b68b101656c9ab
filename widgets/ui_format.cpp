#include "widgets/ui_format.h"

#include <cmath>
#include <qcustomplot.h>

namespace lb::widgets {

QLocale UiFormat::locale() {
    return QLocale();
}

QString UiFormat::fixed(double value, int decimals) {
    return locale().toString(value, 'f', decimals);
}

QString UiFormat::significant(double value, int digits) {
    return locale().toString(value, 'g', digits);
}

QString UiFormat::integer(int64_t value) {
    return locale().toString(static_cast<qlonglong>(value));
}

QString UiFormat::decibels(double db) {
    if (std::isinf(db))
        return db > 0 ? QStringLiteral("\u221e") : QStringLiteral("-\u221e");
    return fixed(db, 2);
}

QString UiFormat::percent(double fraction, int decimals) {
    return fixed(fraction * 100.0, decimals);
}

QString UiFormat::compactCount(int64_t value) {
    const double v = static_cast<double>(value);
    if (value >= 1'000'000'000)
        return tr("%1 G").arg(fixed(v / 1e9, 2));
    if (value >= 1'000'000)
        return tr("%1 M").arg(fixed(v / 1e6, 2));
    if (value >= 10'000)
        return tr("%1 k").arg(fixed(v / 1e3, 1));
    return integer(value);
}

std::optional<double> UiFormat::parseDouble(const QString& text) {
    const QString trimmed = text.trimmed();
    QLocale strict = locale();
    strict.setNumberOptions(QLocale::RejectGroupSeparator);
    bool ok = false;
    double value = strict.toDouble(trimmed, &ok);
    if (!ok) {
        QLocale c = QLocale::c();
        c.setNumberOptions(QLocale::RejectGroupSeparator);
        value = c.toDouble(trimmed, &ok);
    }
    if (!ok)
        return std::nullopt;
    return value;
}

void UiFormat::applyLocale(QCustomPlot* plot) {
    QLocale ticks = locale();
    ticks.setNumberOptions(QLocale::OmitGroupSeparator);
    plot->setLocale(ticks);
}

} // namespace lb::widgets
