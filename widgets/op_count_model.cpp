#include "widgets/op_count_model.h"

#include <algorithm>

namespace lb::widgets {

OpCountModel::OpCountModel(QObject* parent) : QAbstractTableModel(parent) {}

void OpCountModel::setSummary(const lb::report::ModelSummary& summary) {
    beginResetModel();
    m_counts.assign(summary.ops.begin(), summary.ops.end());
    std::stable_sort(m_counts.begin(), m_counts.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    endResetModel();
}

int OpCountModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_counts.size());
}

int OpCountModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OpCountModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto& [op, count] = m_counts[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole)
        return index.column() == OpColumn ? QVariant(QString::fromStdString(op))
                                          : QVariant(static_cast<qlonglong>(count));
    if (role == Qt::TextAlignmentRole && index.column() == CountColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant OpCountModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == OpColumn)
        return tr("Op");
    if (section == CountColumn)
        return tr("Count");
    return {};
}

} // namespace lb::widgets
