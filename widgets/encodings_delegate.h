#pragma once

#include <QStyledItemDelegate>

namespace lb::widgets {

// Line editors for the encodings table that validate as the user types: the editor turns red and
// validationMessage() carries the model's one-line reason (empty once the text is valid again).
class EncodingsDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model,
                      const QModelIndex& index) const override;

signals:
    void validationMessage(const QString& message) const;
};

} // namespace lb::widgets
