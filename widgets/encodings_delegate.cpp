#include "widgets/encodings_delegate.h"

#include "widgets/encodings_table_model.h"

#include <QLineEdit>

namespace lb::widgets {

namespace {
const auto kInvalidStyle = QStringLiteral("QLineEdit { background: #f8c8c8; }");
}

QWidget* EncodingsDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&,
                                         const QModelIndex& index) const {
    auto* editor = new QLineEdit(parent);
    editor->setFrame(false);
    const auto* model = qobject_cast<const EncodingsTableModel*>(index.model());
    const QPersistentModelIndex persistent(index);
    connect(editor, &QLineEdit::textEdited, this,
            [this, editor, model, persistent](const QString& text) {
                if (!model || !persistent.isValid())
                    return;
                QString error;
                const bool ok = model->candidate(persistent, text, &error).has_value();
                editor->setStyleSheet(ok ? QString() : kInvalidStyle);
                editor->setToolTip(error);
                emit validationMessage(ok ? QString() : error);
            });
    return editor;
}

void EncodingsDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
    if (auto* line = qobject_cast<QLineEdit*>(editor))
        line->setText(index.data(Qt::EditRole).toString());
}

void EncodingsDelegate::setModelData(QWidget* editor, QAbstractItemModel* model,
                                     const QModelIndex& index) const {
    if (auto* line = qobject_cast<QLineEdit*>(editor)) {
        if (line->text() != index.data(Qt::EditRole).toString())
            model->setData(index, line->text(), Qt::EditRole); // invalid: marked, not applied
    }
}

} // namespace lb::widgets
