#include "widgets/comparison_table_model.h"

#include "widgets/csv.h"
#include "widgets/ui_format.h"

#include <QColor>
#include <cmath>

namespace lb::widgets {

namespace {
const QColor kFallbackColour(255, 170, 0, 80); // as the profile table marks fallbacks

// Column keys of the CSV header: stable, not translated (tools read them).
const char* const kCsvKeys[] = {"target",  "precision",     "p50_ms",           "p95_ms",
                                "p99_ms",  "mean_ms",       "throughput_per_s", "peak_rss_mb",
                                "sqnr_db", "max_abs_error", "fallbacks"};
static_assert(std::size(kCsvKeys) == ComparisonTableModel::ColumnCount);
} // namespace

ComparisonTableModel::ComparisonTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setComparison(std::shared_ptr<const ComparisonData> data) {
    beginResetModel();
    m_data = std::move(data);
    endResetModel();
}

int ComparisonTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_data ? 0 : m_data->targetCount();
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ComparisonTableModel::value(int row, int column) const {
    const report::ProfileReport& r = m_data->report(row);
    switch (column) {
    case TargetColumn:
        return m_data->targetLabel(row);
    case PrecisionColumn:
        return QString::fromStdString(r.precision);
    case P50Column:
        return r.latencyMs.p50;
    case P95Column:
        return r.latencyMs.p95;
    case P99Column:
        return r.latencyMs.p99;
    case MeanColumn:
        return r.latencyMs.mean;
    case ThroughputColumn:
        return r.throughputPerS;
    case PeakMemoryColumn:
        return r.peakRssMb;
    case SqnrColumn:
        return r.accuracy.measured() ? QVariant(r.accuracy.sqnrDb) : QVariant();
    case MaxErrorColumn:
        return r.accuracy.measured() ? QVariant(r.accuracy.maxAbsError) : QVariant();
    case FallbacksColumn:
        return m_data->fallbackCount(row);
    default:
        return {};
    }
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_data)
        return {};
    const int row = index.row(), column = index.column();
    const report::ProfileReport& r = m_data->report(row);
    if (role == Qt::TextAlignmentRole)
        return column >= P50Column ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                   : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && column == FallbacksColumn && m_data->fallbackCount(row) > 0)
        return kFallbackColour;
    if (role == Qt::ToolTipRole) {
        if (column == TargetColumn)
            return tr("%1 on %2 (%3), backend %4, threads: %5")
                .arg(QString::fromStdString(r.target), QString::fromStdString(r.device),
                     QString::fromStdString(r.source), QString::fromStdString(r.backend))
                .arg(r.threads);
        if ((column == SqnrColumn || column == MaxErrorColumn) && r.accuracy.measured())
            return tr("Against %1 on the same inputs")
                .arg(QString::fromStdString(r.accuracy.reference));
        return {};
    }
    const QVariant v = value(row, column);
    if (role == SortRole)
        return v.isValid() ? v : QVariant(-HUGE_VAL);
    if (role == CsvRole) {
        if (!v.isValid())
            return QString();
        if (v.typeId() == QMetaType::Double) {
            const double d = v.toDouble();
            if (std::isinf(d))
                return d > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
            return QString::number(d, 'g', 6);
        }
        return v.toString();
    }
    if (role != Qt::DisplayRole)
        return {};
    if (!v.isValid())
        return tr("n/a");
    switch (column) {
    case TargetColumn:
    case PrecisionColumn:
        return v;
    case FallbacksColumn:
        return UiFormat::integer(v.toInt());
    case ThroughputColumn:
    case PeakMemoryColumn:
        return UiFormat::fixed(v.toDouble(), 1);
    case SqnrColumn:
        return UiFormat::decibels(v.toDouble());
    case MaxErrorColumn:
        return UiFormat::significant(v.toDouble(), 3);
    default:
        return UiFormat::fixed(v.toDouble(), 3);
    }
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    // Two lines a header: eleven columns fit beside the settings at 1280 pixels.
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TargetColumn:
        return tr("Target");
    case PrecisionColumn:
        return tr("Precision");
    case P50Column:
        return tr("p50\n(ms)");
    case P95Column:
        return tr("p95\n(ms)");
    case P99Column:
        return tr("p99\n(ms)");
    case MeanColumn:
        return tr("Mean\n(ms)");
    case ThroughputColumn:
        return tr("Inferences\nper second");
    case PeakMemoryColumn:
        return tr("Peak RSS\n(MB)");
    case SqnrColumn:
        return tr("SQNR\n(dB)");
    case MaxErrorColumn:
        return tr("Max\nerror");
    case FallbacksColumn:
        return tr("Fallbacks");
    default:
        return {};
    }
}

QString ComparisonTableModel::toCsv() const {
    QStringList header;
    for (const char* key : kCsvKeys)
        header << QString::fromLatin1(key);
    QString csv = Csv::line(header);
    for (int row = 0; row < rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column)
            cells << data(index(row, column), CsvRole).toString();
        csv += Csv::line(cells);
    }
    return csv;
}

} // namespace lb::widgets
