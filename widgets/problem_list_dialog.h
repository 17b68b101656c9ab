#pragma once

#include <QDialog>
#include <QDialogButtonBox>

class QAbstractItemModel;
class QLabel;
class QTableView;

namespace lb::widgets {

// Problems the user should see before going on: a summary, a scrollable table of any model and
// a row of buttons. However many rows there are, the dialog fits the screen it opens on (a
// message box with one line per problem grew to 3,208 px with its OK button off-screen): the
// table scrolls, the buttons stay visible. Short lists are shown whole.
class ProblemListDialog : public QDialog {
    Q_OBJECT

public:
    explicit ProblemListDialog(QWidget* parent = nullptr);

    void setSummary(const QString& text);
    // The dialog does not own `model`; give it the dialog as parent when it should.
    void setModel(QAbstractItemModel* model);
    // A button in the button box; AcceptRole and RejectRole buttons close the dialog.
    QPushButton* addButton(const QString& text, QDialogButtonBox::ButtonRole role);

    QLabel* summaryLabel() const { return m_summary; }
    QTableView* view() const { return m_view; }
    QDialogButtonBox* buttonBox() const { return m_buttons; }

    QSize sizeHint() const override;

    // The most rows shown without scrolling, and the share of the screen's available height the
    // dialog may take at most.
    static constexpr int kMaxVisibleRows = 14;
    static constexpr double kMaxScreenShare = 0.8;

protected:
    void showEvent(QShowEvent* event) override;

private:
    QLabel* m_summary = nullptr;
    QTableView* m_view = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    int m_lastColumnWidth = 0; // what the stretched last column's text needs
};

} // namespace lb::widgets
