#pragma once

#include "report/model_summary.h"

#include <QAbstractTableModel>
#include <vector>

namespace lb::widgets {

// The model's inputs then outputs: role, name, dtype, shape. Fed a whole summary.
class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { RoleColumn, NameColumn, TypeColumn, ShapeColumn, ColumnCount };

    explicit TensorTableModel(QObject* parent = nullptr);
    void setSummary(const lb::report::ModelSummary& summary);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        bool isInput = true;
        lb::report::TensorSummary tensor;
    };
    std::vector<Row> m_rows;
};

} // namespace lb::widgets
