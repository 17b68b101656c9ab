#include "widgets/tr_label.h"

#include <QEvent>

namespace lb::widgets {

TrLabel::TrLabel(QWidget* parent) : QLabel(parent) {}

void TrLabel::setTextSource(Source source) {
    m_source = std::move(source);
    QLabel::setText(m_source ? m_source() : QString());
}

void TrLabel::setText(const QString& text) {
    m_source = nullptr;
    QLabel::setText(text);
}

void TrLabel::clear() {
    m_source = nullptr;
    QLabel::clear();
}

void TrLabel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && m_source)
        QLabel::setText(m_source());
    QLabel::changeEvent(event);
}

} // namespace lb::widgets
