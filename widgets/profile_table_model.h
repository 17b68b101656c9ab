#pragma once

#include "report/profile_report.h"

#include <QAbstractTableModel>
#include <memory>

namespace lb::widgets {

// One row per profiled node of a ProfileReport: node, op, backend, precision, time, share, MACs,
// GFLOP/s. Fed whole reports (setReport resets). DisplayRole is formatted text; SortRole holds the
// raw number (or text) a QSortFilterProxyModel sorts by; ReportIndexRole the row's index in
// report.nodes; FallbackCodeRole the row's fallback code ("" when it ran as asked), on every
// column, for a proxy to filter by. A fallback row's Backend cell names the code after the backend,
// is tinted and carries a warning icon, and its tooltip gives every decline's text.
class ProfileTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NodeColumn,
        OpColumn,
        BackendColumn,
        PrecisionColumn,
        TimeColumn,
        ShareColumn,
        MacsColumn,
        GflopsColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, ReportIndexRole, FallbackCodeRole };

    explicit ProfileTableModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const lb::report::ProfileReport> report);
    void clear();
    const lb::report::ProfileReport* report() const { return m_report.get(); }
    // Rows that did not run as the spec asked (a fallback code).
    int fallbackCount() const { return m_fallbacks; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant backendData(const lb::report::NodeProfile& n, int role) const;
    QString fallbackToolTip(const lb::report::NodeProfile& n) const;

    std::shared_ptr<const lb::report::ProfileReport> m_report;
    int m_fallbacks = 0;
};

} // namespace lb::widgets
