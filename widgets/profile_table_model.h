#pragma once

#include "report/profile_report.h"

#include <QAbstractTableModel>
#include <memory>

namespace lb::widgets {

// One row per profiled node of a ProfileReport: node, op, backend, time, share, MACs, GFLOP/s.
// Fed whole reports (setReport resets). DisplayRole is formatted text; SortRole holds the raw
// number (or text) a QSortFilterProxyModel sorts by; ReportIndexRole the row's index in
// report.nodes.
class ProfileTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NodeColumn,
        OpColumn,
        BackendColumn,
        TimeColumn,
        ShareColumn,
        MacsColumn,
        GflopsColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, ReportIndexRole };

    explicit ProfileTableModel(QObject* parent = nullptr);
    void setReport(std::shared_ptr<const lb::report::ProfileReport> report);
    void clear();
    const lb::report::ProfileReport* report() const { return m_report.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const lb::report::ProfileReport> m_report;
};

} // namespace lb::widgets
