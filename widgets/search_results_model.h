#pragma once

#include "ir/graph.h"
#include "widgets/graph_search.h"

#include <QAbstractTableModel>
#include <memory>
#include <vector>

namespace lb::widgets {

// The hits of a graph search, one row per node in the search's order: node name, op type and
// what matched (node name, op type, or which tensor). Fed whole result sets.
class SearchResultsModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NodeColumn, OpColumn, MatchColumn, ColumnCount };
    // The row's lb::ir::NodeId (Qt::UserRole) and GraphSearch::Kinds (as an int).
    static constexpr int kNodeIdRole = Qt::UserRole;
    static constexpr int kKindsRole = Qt::UserRole + 1;

    explicit SearchResultsModel(QObject* parent = nullptr);
    void setResults(std::shared_ptr<const lb::ir::Graph> graph, std::vector<GraphSearch::Hit> hits);
    const std::vector<GraphSearch::Hit>& hits() const { return m_hits; }
    // Re-reads the translated texts (headers, kind names) after a language change.
    void retranslate();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString matchText(const GraphSearch::Hit& hit) const;

    std::shared_ptr<const lb::ir::Graph> m_graph;
    std::vector<GraphSearch::Hit> m_hits;
};

} // namespace lb::widgets
