#pragma once

#include "ir/graph.h"
#include "widgets/graph_search.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QToolButton;
class QTreeView;

namespace lb::widgets {

class SearchResultsModel;

// Find-in-graph bar: type to search, Enter / Shift+Enter (or the arrows, or Up / Down) for next /
// previous, "3 of 17", Esc hides. A kind filter (all kinds, node names, op types, tensors, each
// with its count) and a list of the hits under the bar, where clicking a hit goes to it. Asks for
// the hit to be selected and centred through nodeRequested.
class SearchBar : public QWidget {
    Q_OBJECT

public:
    explicit SearchBar(QWidget* parent = nullptr);

    // foldConstants: as the graph view draws it (see GraphSearch).
    void setGraph(std::shared_ptr<const lb::ir::Graph> graph, bool foldConstants = true);
    QString query() const;
    size_t hitCount() const { return m_search.hits().size(); }
    QString statusText() const;

    // Which kinds of match count (GraphSearch::kAllKinds or one kind); the combo box shows it.
    GraphSearch::Kinds kindFilter() const { return m_search.kinds(); }
    void setKindFilter(GraphSearch::Kinds kinds);
    const SearchResultsModel* resultsModel() const { return m_model; }
    // The list of hits under the bar (shown while there is a query and the list button is on).
    QTreeView* resultsView() const { return m_results; }
    void setResultsListEnabled(bool enabled);
    bool resultsListEnabled() const;

public slots:
    // Shows the bar and focuses the query with its text selected (what Ctrl+F does).
    void activate();
    void findNext();
    void findPrevious();

signals:
    // Select and centre `id`; kNoNode when the query stops matching: clear the hit selected before.
    void nodeRequested(lb::ir::NodeId id);
    void closed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void onTextChanged(const QString& text);
    void onKindChosen(int comboIndex);
    void onResultActivated(const QModelIndex& index);
    void request(lb::ir::NodeId id);
    void updateStatus();
    void updateKindCounts();
    void updateResultsVisibility();

    std::shared_ptr<const lb::ir::Graph> m_graph;
    GraphSearch m_search;
    QLineEdit* m_edit = nullptr;
    QComboBox* m_kind = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QToolButton* m_listButton = nullptr;
    QToolButton* m_close = nullptr;
    QLabel* m_status = nullptr;
    QTreeView* m_results = nullptr;
    SearchResultsModel* m_model = nullptr;
    // Set while the list's current row follows the search cursor, so that is not taken as a click.
    bool m_syncingList = false;
    // The row a mouse press just made current (and went to), so its click does not go again.
    int m_rowChosenByCurrent = -1;
    bool m_hitShown = false; // a hit of this bar is what the view selected last
};

} // namespace lb::widgets
