#pragma once

#include <QWidget>

class QLabel;
class QTreeView;

namespace lb::widgets {

class EncodingsDelegate;
class EncodingsTableModel;

// The encodings table with its validation message line. Selecting a row emits tensorSelected.
class EncodingsEditor : public QWidget {
    Q_OBJECT

public:
    explicit EncodingsEditor(EncodingsTableModel* model, QWidget* parent = nullptr);

    QTreeView* view() const { return m_view; }
    QString message() const;
    // Makes `tensor`'s row current and selected; a tensor without a row clears the selection.
    void selectTensor(const QString& tensor);

signals:
    void tensorSelected(const QString& tensor);

private:
    void showMessage(const QString& message);

    EncodingsTableModel* m_model;
    QTreeView* m_view = nullptr;
    EncodingsDelegate* m_delegate = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace lb::widgets
