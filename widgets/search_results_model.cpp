#include "widgets/search_results_model.h"

#include <QStringList>

namespace lb::widgets {

SearchResultsModel::SearchResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void SearchResultsModel::setResults(std::shared_ptr<const lb::ir::Graph> graph,
                                    std::vector<GraphSearch::Hit> hits) {
    beginResetModel();
    m_graph = std::move(graph);
    m_hits = m_graph ? std::move(hits) : std::vector<GraphSearch::Hit>{};
    endResetModel();
}

void SearchResultsModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_hits.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int SearchResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_hits.size());
}

int SearchResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString SearchResultsModel::matchText(const GraphSearch::Hit& hit) const {
    using Kind = GraphSearch::Kind;
    QStringList parts;
    if (GraphSearch::has(hit.kinds, Kind::NodeName)) {
        // A Constant folded into this box matched by its own name: say which.
        if (hit.name == m_graph->node(hit.id).name)
            parts << tr("node name");
        else
            parts << tr("node name %1").arg(QString::fromStdString(hit.name));
    }
    if (GraphSearch::has(hit.kinds, Kind::OpType))
        parts << tr("op type");
    if (GraphSearch::has(hit.kinds, Kind::Tensor))
        parts << tr("tensor %1").arg(QString::fromStdString(hit.tensor));
    return parts.join(QStringLiteral(", "));
}

QVariant SearchResultsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const GraphSearch::Hit& hit = m_hits[static_cast<size_t>(index.row())];
    if (role == kNodeIdRole)
        return QVariant::fromValue(hit.id);
    if (role == kKindsRole)
        return static_cast<int>(hit.kinds);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const lb::ir::Node& node = m_graph->node(hit.id);
    switch (index.column()) {
    case NodeColumn:
        return node.name.empty() ? tr("(no name)") : QString::fromStdString(node.name);
    case OpColumn:
        return QString::fromStdString(node.opType);
    case MatchColumn:
        return matchText(hit);
    default:
        return {};
    }
}

QVariant SearchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case OpColumn:
        return tr("Op type");
    case MatchColumn:
        return tr("Matched by");
    default:
        return {};
    }
}

} // namespace lb::widgets
