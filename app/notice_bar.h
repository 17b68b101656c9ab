#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

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

private:
    QLabel* m_text = nullptr;
    QPushButton* m_action = nullptr;
};

} // namespace lb::app
