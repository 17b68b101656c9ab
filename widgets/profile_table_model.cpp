#include "widgets/profile_table_model.h"

#include <QLocale>

namespace lb::widgets {

ProfileTableModel::ProfileTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProfileTableModel::setReport(std::shared_ptr<const lb::report::ProfileReport> report) {
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

void ProfileTableModel::clear() {
    setReport(nullptr);
}

int ProfileTableModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_report)
        return 0;
    return static_cast<int>(m_report->nodes.size());
}

int ProfileTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProfileTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_report)
        return {};
    const lb::report::NodeProfile& n = m_report->nodes.at(static_cast<size_t>(index.row()));
    if (role == ReportIndexRole)
        return index.row();
    if (role == Qt::TextAlignmentRole)
        return index.column() >= TimeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == NodeColumn)
        return QString::fromStdString(n.name);
    const bool sort = role == SortRole;
    if (role != Qt::DisplayRole && !sort)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case NodeColumn:
        return QString::fromStdString(n.name);
    case OpColumn:
        return QString::fromStdString(n.op);
    case BackendColumn:
        return QString::fromStdString(n.backend);
    case TimeColumn:
        return sort ? QVariant(n.timeMs) : QVariant(locale.toString(n.timeMs, 'f', 3));
    case ShareColumn:
        return sort ? QVariant(n.share) : QVariant(locale.toString(n.share * 100.0, 'f', 1));
    case MacsColumn:
        if (sort)
            return static_cast<qlonglong>(n.macs);
        return n.macs < 0 ? tr("?") : locale.toString(static_cast<qlonglong>(n.macs));
    case GflopsColumn:
        if (sort)
            return n.gflops;
        return n.macs <= 0 ? QString() : locale.toString(n.gflops, 'f', 2);
    default:
        return {};
    }
}

QVariant ProfileTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case OpColumn:
        return tr("Op");
    case BackendColumn:
        return tr("Backend");
    case TimeColumn:
        return tr("Time (ms)");
    case ShareColumn:
        return tr("Share (%)");
    case MacsColumn:
        return tr("MACs");
    case GflopsColumn:
        return tr("GFLOP/s");
    default:
        return {};
    }
}

} // namespace lb::widgets
