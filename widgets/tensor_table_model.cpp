#include "widgets/tensor_table_model.h"

#include "widgets/graph_scene_builder.h"

#include <QCoreApplication>

namespace lb::widgets {

TensorTableModel::TensorTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TensorTableModel::setSummary(const lb::report::ModelSummary& summary) {
    beginResetModel();
    m_rows.clear();
    for (const auto& t : summary.inputs)
        m_rows.push_back({true, t});
    for (const auto& t : summary.outputs)
        m_rows.push_back({false, t});
    endResetModel();
}

int TensorTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TensorTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

// "p2o.DynamicDimension.0x3x48xp2o.DynamicDimension.1" -> "?x3x48x?". Generated names hold no
// 'x', so splitting at 'x' finds them whole; any other piece is put back as it was.
QString readableShape(const std::string& shape) {
    QStringList dims;
    size_t start = 0;
    while (true) {
        const size_t end = shape.find('x', start);
        const std::string piece = shape.substr(start, end == std::string::npos ? end : end - start);
        dims << (isGeneratedSymbol(piece) ? QStringLiteral("?") : QString::fromStdString(piece));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return dims.join(QLatin1Char('x'));
}

} // namespace

QVariant TensorTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[static_cast<size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case RoleColumn:
            return row.isInput ? tr("input") : tr("output");
        case NameColumn:
            return QString::fromStdString(row.tensor.name);
        case TypeColumn:
            return QString::fromStdString(row.tensor.dtype);
        case ShapeColumn:
            if (row.tensor.shape.empty())
                return tr("unknown");
            if (row.tensor.shape == "scalar") // rank 0, as the graph's edges say it
                return QCoreApplication::translate("lb::widgets::GraphScene", "scalar");
            // Generated dim names ("p2o.DynamicDimension.0") read as "?"; the tooltip keeps them.
            return role == Qt::ToolTipRole ? QString::fromStdString(row.tensor.shape)
                                           : readableShape(row.tensor.shape);
        default:
            break;
        }
    }
    return {};
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RoleColumn:
        return tr("Role");
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case ShapeColumn:
        return tr("Shape");
    default:
        return {};
    }
}

} // namespace lb::widgets
