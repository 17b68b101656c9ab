#pragma once

#include "widgets/comparison_data.h"

#include <QAbstractTableModel>

namespace lb::widgets {

// The Compare view's table: one row per target of a comparison with its latency (p50, p95, p99,
// mean), throughput, peak memory, precision, accuracy against the reference (SQNR, max error) and
// fallback count. Fed whole comparisons (setData resets). DisplayRole is formatted text in the UI
// language; SortRole the raw number (+inf SQNR for the reference itself); CsvRole the number as a
// CSV cell writes it (C locale, "inf", "" when unmeasured).
class ComparisonTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        TargetColumn,
        PrecisionColumn,
        P50Column,
        P95Column,
        P99Column,
        MeanColumn,
        ThroughputColumn,
        PeakMemoryColumn,
        SqnrColumn,
        MaxErrorColumn,
        FallbacksColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, CsvRole };

    explicit ComparisonTableModel(QObject* parent = nullptr);
    void setComparison(std::shared_ptr<const ComparisonData> data);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The whole table as CSV: a header of column keys, one line per target.
    QString toCsv() const;

private:
    QVariant value(int row, int column) const; // the raw number or text; invalid: unmeasured

    std::shared_ptr<const ComparisonData> m_data;
};

} // namespace lb::widgets
