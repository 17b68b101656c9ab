#include "widgets/encodings_editor.h"

#include "widgets/encodings_delegate.h"
#include "widgets/encodings_table_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace lb::widgets {

EncodingsEditor::EncodingsEditor(EncodingsTableModel* model, QWidget* parent)
    : QWidget(parent), m_model(model) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view = new QTreeView(this);
    m_view->setModel(model);
    m_delegate = new EncodingsDelegate(this);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(EncodingsTableModel::TensorColumn, QHeaderView::Stretch);
    for (int c = EncodingsTableModel::KindColumn; c < EncodingsTableModel::ColumnCount; ++c)
        m_view->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    layout->addWidget(m_view, 1);
    m_message = new QLabel(this);
    m_message->setStyleSheet(QStringLiteral("color: #b03020;"));
    m_message->setWordWrap(false);
    layout->addWidget(m_message);
    showMessage({});

    connect(m_delegate, &EncodingsDelegate::validationMessage, this, &EncodingsEditor::showMessage);
    connect(model, &EncodingsTableModel::validationFailed, this, &EncodingsEditor::showMessage);
    connect(model, &EncodingsTableModel::encodingChanged, this, [this] { showMessage({}); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    emit tensorSelected(m_model->tensorAt(current));
            });
}

QString EncodingsEditor::message() const {
    return m_message->text();
}

void EncodingsEditor::showMessage(const QString& message) {
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void EncodingsEditor::selectTensor(const QString& tensor) {
    const QModelIndex index = m_model->indexOf(tensor);
    if (!index.isValid()) {
        // No row for it (no encoding): no row may look selected for it either.
        m_view->selectionModel()->clear();
        return;
    }
    if (m_model->tensorAt(m_view->currentIndex()) == tensor)
        return;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

} // namespace lb::widgets
