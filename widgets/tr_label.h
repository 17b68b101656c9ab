#pragma once

#include <QLabel>
#include <functional>

namespace lb::widgets {

// A label whose text is made by a function, made again when the UI language changes at run time
// (QEvent::LanguageChange), so status lines and headlines built from tr() and numbers follow a
// language switch without the widget that set them keeping a copy of their arguments.
class TrLabel : public QLabel {
    Q_OBJECT

public:
    using Source = std::function<QString()>;

    explicit TrLabel(QWidget* parent = nullptr);

    // Shows source() now and after every language change.
    void setTextSource(Source source);
    // Fixed text (an engine message, already in its final form): no longer remade.
    void setText(const QString& text);
    void clear();

protected:
    void changeEvent(QEvent* event) override;

private:
    Source m_source;
};

} // namespace lb::widgets
