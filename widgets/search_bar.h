#pragma once

#include "ir/graph.h"
#include "widgets/graph_search.h"

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QToolButton;

namespace lb::widgets {

// Find-in-graph bar: type to search, Enter / Shift+Enter (or the arrows) for next / previous,
// "3 of 17", Esc hides. Asks for the hit to be selected and centred through nodeRequested.
class SearchBar : public QWidget {
    Q_OBJECT

public:
    explicit SearchBar(QWidget* parent = nullptr);

    // foldConstants: as the graph view draws it (see GraphSearch).
    void setGraph(std::shared_ptr<const lb::ir::Graph> graph, bool foldConstants = true);
    QString query() const;
    size_t hitCount() const { return m_search.hits().size(); }
    QString statusText() const;

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

private:
    void onTextChanged(const QString& text);
    void request(lb::ir::NodeId id);
    void updateStatus();

    std::shared_ptr<const lb::ir::Graph> m_graph;
    GraphSearch m_search;
    QLineEdit* m_edit = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QToolButton* m_close = nullptr;
    QLabel* m_status = nullptr;
    bool m_hitShown = false; // a hit of this bar is what the view selected last
};

} // namespace lb::widgets
