#pragma once

#include "report/model_summary.h"

#include <QAbstractTableModel>
#include <string>
#include <utility>
#include <vector>

namespace lb::widgets {

// Op type -> node count, most frequent first (ties by name). Fed a whole summary.
class OpCountModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { OpColumn, CountColumn, ColumnCount };

    explicit OpCountModel(QObject* parent = nullptr);
    void setSummary(const lb::report::ModelSummary& summary);
    const std::vector<std::pair<std::string, int64_t>>& counts() const { return m_counts; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<std::pair<std::string, int64_t>> m_counts;
};

} // namespace lb::widgets
