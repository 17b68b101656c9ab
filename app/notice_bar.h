#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace lb::app {

// A one-line message above the graph with an optional action button, e.g. "This model has
// symbolic input dimensions. [Set input shapes...]". Dismissable.
class NoticeBar : public QFrame {
    Q_OBJECT

public:
    explicit NoticeBar(QWidget* parent = nullptr);

    void showNotice(const QString& text, const QString& actionText = {});

signals:
    void actionTriggered();

protected:
    // The close button's tooltip; the notice itself is shown again by whoever showed it.
    void changeEvent(QEvent* event) override;

private:
    QLabel* m_text = nullptr;
    QToolButton* m_close = nullptr;
    QPushButton* m_action = nullptr;
};

} // namespace lb::app
