#include "widgets/csv.h"

namespace lb::widgets {

QString Csv::cell(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString Csv::line(const QStringList& cells) {
    QStringList out;
    for (const QString& c : cells)
        out << cell(c);
    return out.join(QLatin1Char(',')) + QLatin1Char('\n');
}

} // namespace lb::widgets
