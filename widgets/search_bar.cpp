#include "widgets/search_bar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace lb::widgets {

SearchBar::SearchBar(QWidget* parent) : QWidget(parent) {
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("searchEdit"));
    m_edit->setPlaceholderText(tr("Find node, op or tensor"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_previous = new QToolButton(this);
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Previous match (Shift+Enter)"));
    m_next = new QToolButton(this);
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Next match (Enter)"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("searchStatus"));
    m_status->setMinimumWidth(
        m_status->fontMetrics().horizontalAdvance(tr("%1 of %2").arg(99999).arg(99999)));
    m_close = new QToolButton(this);
    m_close->setText(QStringLiteral("\u00d7"));
    m_close->setToolTip(tr("Close (Esc)"));
    m_close->setAutoRaise(true);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_status);
    layout->addWidget(m_close);

    connect(m_edit, &QLineEdit::textChanged, this, &SearchBar::onTextChanged);
    connect(m_next, &QToolButton::clicked, this, &SearchBar::findNext);
    connect(m_previous, &QToolButton::clicked, this, &SearchBar::findPrevious);
    connect(m_close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
    updateStatus();
}

void SearchBar::setGraph(std::shared_ptr<const lb::ir::Graph> graph, bool foldConstants) {
    m_graph = std::move(graph);
    m_search = GraphSearch();
    m_hitShown = false; // a new graph starts with nothing selected
    if (m_graph)
        m_search.setGraph(*m_graph, foldConstants);
    m_search.setQuery(m_edit->text().toStdString());
    updateStatus();
}

QString SearchBar::query() const {
    return m_edit->text();
}

void SearchBar::activate() {
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void SearchBar::onTextChanged(const QString& text) {
    m_search.setQuery(text.toStdString());
    // Incremental: jump to the first match while typing.
    if (!m_search.hits().empty())
        request(m_search.next());
    else if (m_hitShown && !text.isEmpty()) {
        // "No matches" beside the hit an earlier prefix selected would say that hit matches.
        m_hitShown = false;
        emit nodeRequested(lb::ir::kNoNode);
    }
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
        if (key->key() == Qt::Key_Escape) {
            hide();
            emit closed();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace lb::widgets
