#pragma once

#include <QString>
#include <QStringList>

namespace lb::widgets {

// CSV as spreadsheets and pandas read it (RFC 4180): comma-separated, a cell with a comma, quote
// or line break quoted with its quotes doubled, "\n" after each line.
class Csv {
public:
    static QString cell(const QString& text);
    static QString line(const QStringList& cells);
};

} // namespace lb::widgets
