#include "widgets/search_bar.h"

#include "widgets/search_results_model.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace lb::widgets {

namespace {
constexpr int kMaxListRows = 8;
using Kind = GraphSearch::Kind;
constexpr GraphSearch::Kinds kindBit(Kind kind) {
    return static_cast<GraphSearch::Kinds>(kind);
}
} // namespace

SearchBar::SearchBar(QWidget* parent) : QWidget(parent) {
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("searchKind"));
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (GraphSearch::Kinds kinds : {GraphSearch::kAllKinds, kindBit(Kind::NodeName),
                                     kindBit(Kind::OpType), kindBit(Kind::Tensor)})
        m_kind->addItem(QString(), static_cast<int>(kinds));
    m_previous = new QToolButton(this);
    m_previous->setArrowType(Qt::UpArrow);
    m_next = new QToolButton(this);
    m_next->setArrowType(Qt::DownArrow);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_listButton = new QToolButton(this);
    m_listButton->setObjectName(QStringLiteral("searchListButton"));
    m_listButton->setCheckable(true);
    m_listButton->setChecked(true);
    m_close = new QToolButton(this);
    m_close->setText(QStringLiteral("\u00d7"));
    m_close->setAutoRaise(true);

    m_model = new SearchResultsModel(this);
    m_results = new QTreeView(this);
    m_results->setObjectName(QStringLiteral("searchResults"));
    m_results->setModel(m_model);
    m_results->setRootIsDecorated(false);
    m_results->setUniformRowHeights(true); // thousands of hits on big graphs
    m_results->setAlternatingRowColors(true);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->header()->setStretchLastSection(true);
    m_results->setColumnWidth(SearchResultsModel::NodeColumn, 280);
    m_results->setColumnWidth(SearchResultsModel::OpColumn, 150);
    m_results->hide();

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_edit, 1);
    row->addWidget(m_kind);
    row->addWidget(m_previous);
    row->addWidget(m_next);
    row->addWidget(m_status);
    row->addWidget(m_listButton);
    row->addWidget(m_close);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_results);

    connect(m_edit, &QLineEdit::textChanged, this, &SearchBar::onTextChanged);
    connect(m_kind, &QComboBox::activated, this, &SearchBar::onKindChosen);
    connect(m_next, &QToolButton::clicked, this, &SearchBar::findNext);
    connect(m_previous, &QToolButton::clicked, this, &SearchBar::findPrevious);
    connect(m_listButton, &QToolButton::toggled, this, &SearchBar::updateResultsVisibility);
    connect(m_close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
    // Moving through the list (click, arrow keys) goes to the hit. A click on a new row makes it
    // current first; its clicked() must not ask for the same node again.
    connect(m_results->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_syncingList || !current.isValid())
                    return;
                m_rowChosenByCurrent = current.row();
                onResultActivated(current);
            });
    connect(m_results, &QTreeView::clicked, this, [this](const QModelIndex& index) {
        if (std::exchange(m_rowChosenByCurrent, -1) == index.row())
            return;
        onResultActivated(index);
    });
    retranslateUi();
}

void SearchBar::retranslateUi() {
    m_edit->setPlaceholderText(tr("Find node, op or tensor"));
    m_kind->setToolTip(tr("Which names to search: node names, op types, tensor names or all"));
    m_previous->setToolTip(tr("Previous match (Shift+Enter)"));
    m_next->setToolTip(tr("Next match (Enter)"));
    m_status->setMinimumWidth(
        m_status->fontMetrics().horizontalAdvance(tr("%1 of %2").arg(99999).arg(99999)));
    m_listButton->setText(tr("List"));
    m_listButton->setToolTip(tr("Show or hide the list of matches"));
    m_close->setToolTip(tr("Close (Esc)"));
    m_model->retranslate();
    updateKindCounts();
    updateStatus();
}

void SearchBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SearchBar::setGraph(std::shared_ptr<const lb::ir::Graph> graph, bool foldConstants) {
    m_graph = std::move(graph);
    const GraphSearch::Kinds kinds = m_search.kinds();
    m_search = GraphSearch();
    m_search.setKinds(kinds);
    m_hitShown = false; // a new graph starts with nothing selected
    if (m_graph)
        m_search.setGraph(*m_graph, foldConstants);
    m_search.setQuery(m_edit->text().toStdString());
    m_model->setResults(m_graph, m_search.hits());
    updateKindCounts();
    updateStatus();
    updateResultsVisibility();
}

QString SearchBar::query() const {
    return m_edit->text();
}

void SearchBar::activate() {
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void SearchBar::setKindFilter(GraphSearch::Kinds kinds) {
    const int index = std::max(0, m_kind->findData(static_cast<int>(kinds)));
    m_kind->setCurrentIndex(index);
    onKindChosen(index);
}

void SearchBar::setResultsListEnabled(bool enabled) {
    m_listButton->setChecked(enabled);
}

bool SearchBar::resultsListEnabled() const {
    return m_listButton->isChecked();
}

void SearchBar::onKindChosen(int comboIndex) {
    m_search.setKinds(static_cast<GraphSearch::Kinds>(m_kind->itemData(comboIndex).toInt()));
    onTextChanged(m_edit->text());
}

void SearchBar::onTextChanged(const QString& text) {
    m_search.setQuery(text.toStdString());
    m_model->setResults(m_graph, m_search.hits());
    updateKindCounts();
    // Incremental: jump to the first match while typing.
    if (!m_search.hits().empty())
        request(m_search.next());
    else if (m_hitShown && !text.isEmpty()) {
        // "No matches" beside the hit an earlier prefix selected would say that hit matches.
        m_hitShown = false;
        emit nodeRequested(lb::ir::kNoNode);
    }
    updateStatus();
    updateResultsVisibility();
}

void SearchBar::onResultActivated(const QModelIndex& index) {
    if (!index.isValid())
        return;
    request(m_search.setCurrent(index.row()));
    updateStatus();
}

void SearchBar::findNext() {
    request(m_search.next());
    updateStatus();
}

void SearchBar::findPrevious() {
    request(m_search.previous());
    updateStatus();
}

void SearchBar::request(lb::ir::NodeId id) {
    if (id == lb::ir::kNoNode)
        return;
    m_hitShown = true;
    emit nodeRequested(id);
}

QString SearchBar::statusText() const {
    return m_status->text();
}

void SearchBar::updateStatus() {
    const auto count = static_cast<qsizetype>(m_search.hits().size());
    if (m_edit->text().isEmpty())
        m_status->clear();
    else if (count == 0)
        m_status->setText(tr("No matches"));
    else
        m_status->setText(tr("%1 of %2").arg(m_search.current() + 1).arg(count));
    m_next->setEnabled(count > 0);
    m_previous->setEnabled(count > 0);
    // The list's current row follows the cursor.
    const bool wasSyncing = std::exchange(m_syncingList, true);
    if (m_search.current() >= 0) {
        const QModelIndex current = m_model->index(m_search.current(), 0);
        m_results->selectionModel()->setCurrentIndex(current, QItemSelectionModel::ClearAndSelect |
                                                                  QItemSelectionModel::Rows);
        m_results->scrollTo(current);
    } else {
        m_results->selectionModel()->clear();
    }
    m_syncingList = wasSyncing;
}

void SearchBar::updateKindCounts() {
    const bool counted = !m_edit->text().isEmpty();
    for (int i = 0; i < m_kind->count(); ++i) {
        const auto kinds = static_cast<GraphSearch::Kinds>(m_kind->itemData(i).toInt());
        QString label;
        size_t count = 0;
        if (kinds == GraphSearch::kAllKinds) {
            label = tr("All kinds");
            count = m_search.unfilteredCount();
        } else if (kinds == kindBit(Kind::NodeName)) {
            label = tr("Node names");
            count = m_search.countOf(Kind::NodeName);
        } else if (kinds == kindBit(Kind::OpType)) {
            label = tr("Op types");
            count = m_search.countOf(Kind::OpType);
        } else {
            label = tr("Tensors");
            count = m_search.countOf(Kind::Tensor);
        }
        m_kind->setItemText(
            i, counted ? tr("%1 (%2)").arg(label).arg(static_cast<qulonglong>(count)) : label);
    }
}

void SearchBar::updateResultsVisibility() {
    const bool visible = m_listButton->isChecked() && !m_edit->text().isEmpty();
    if (visible) {
        // As tall as the hits need, up to kMaxListRows, so one hit does not take a big box.
        const int rows = std::clamp(m_model->rowCount(), 1, kMaxListRows);
        const int hinted = m_results->sizeHintForRow(0);
        const int rowHeight = hinted > 0 ? hinted : fontMetrics().height() + 4;
        m_results->setFixedHeight(m_results->header()->sizeHint().height() + rows * rowHeight +
                                  2 * m_results->frameWidth());
    }
    m_results->setVisible(visible);
}

bool SearchBar::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (key->modifiers() & Qt::ShiftModifier)
                findPrevious();
            else
                findNext();
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            if (key->key() == Qt::Key_Down)
                findNext();
            else
                findPrevious();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            hide();
            emit closed();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace lb::widgets
