#include "app/notice_bar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace lb::app {

NoticeBar::NoticeBar(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("noticeBar"));
    setStyleSheet(QStringLiteral("#noticeBar { background: #fff4d6; border-bottom: 1px solid "
                                 "#e0c060; } #noticeBar QLabel { color: #4a3b00; }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    layout->addWidget(m_text, 1);
    m_action = new QPushButton(this);
    layout->addWidget(m_action);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setText(QStringLiteral("\u2715"));
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_close);
    connect(m_action, &QPushButton::clicked, this, &NoticeBar::actionTriggered);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NoticeBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        m_close->setToolTip(tr("Dismiss"));
    QFrame::changeEvent(event);
}

void NoticeBar::showNotice(const QString& text, const QString& actionText) {
    m_text->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    show();
}

} // namespace lb::app
